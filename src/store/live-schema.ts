/** What a store reports about its own schema, for checkSchema() and `shipclock doctor`. */
export interface LiveSchema {
  /** Table name → column names, for every table the store can see (migration bookkeeping included). */
  readonly tables: Readonly<Record<string, readonly string[]>>;
  /** Migration versions recorded as applied, ascending; empty when nothing was migrated. */
  readonly versions: readonly number[];
}

/** Implemented by both stores (outside the Store contract: only diagnostics need it). */
export interface DescribesSchema {
  describeSchema(): Promise<LiveSchema>;
}

export function describesSchema(x: unknown): x is DescribesSchema {
  return typeof x === 'object' && x !== null && typeof (x as { describeSchema?: unknown }).describeSchema === 'function';
}
