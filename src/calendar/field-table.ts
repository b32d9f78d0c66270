/**
 * Lookup tables of one cron field: `next[v]` is the smallest allowed value >= v and `prev[v]`
 * the largest allowed value <= v (-1 when none; both have a slot at `size`, the sentinel the
 * search reads one past the last value). Tables are immutable and depend only on the field's
 * size and its set of values, so equal fields share one: 100,000 daily jobs hold at most 60
 * second tables, 60 minute tables and 24 hour tables, not 100,000 of each.
 */
export interface FieldTable {
  /** Distinct per built table (never reused), so a key made of ids names one combination. */
  readonly id: number;
  readonly next: Int8Array;
  readonly prev: Int8Array;
}

/** Bounds the memory of a long-lived process that compiles many distinct fields (reloads). */
const LIMIT = 4096;
const interned = new Map<string, FieldTable>();
let lastId = 0;

/**
 * The shared table for `values` (each in 0..size-1, size <= 60). The key is the value set as
 * a bitmask in two 30-bit halves, so it names the set exactly: different sets never share.
 */
export function fieldTable(values: ReadonlySet<number>, size: number): FieldTable {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    // The parser validated every value; a stray one would alias another bit of the key.
    if (!(v >= 0 && v < size && size <= 60) || !Number.isInteger(v)) throw new Error(`unreachable: field value ${v} outside 0..${size - 1}`);
    if (v < 30) lo |= 1 << v;
    else hi |= 1 << (v - 30);
  }
  const key = `${size}:${lo}:${hi}`;
  let t = interned.get(key);
  if (t === undefined) {
    if (interned.size >= LIMIT) interned.clear(); // tables already handed out stay valid
    t = buildFieldTable(values, size);
    interned.set(key, t);
  }
  return t;
}

/** A new, unshared table (fieldTable() calls this once per distinct field). */
export function buildFieldTable(values: ReadonlySet<number>, size: number): FieldTable {
  const next = new Int8Array(size + 1).fill(-1);
  const prev = new Int8Array(size + 1).fill(-1);
  let n = -1;
  for (let v = size - 1; v >= 0; v--) {
    if (values.has(v)) n = v;
    next[v] = n;
  }
  let p = -1;
  for (let v = 0; v < size; v++) {
    if (values.has(v)) p = v;
    prev[v] = p;
  }
  prev[size] = p;
  return { id: ++lastId, next, prev };
}

/** The allowed values of a table, ascending (for explain and describe, not the hot path). */
export function tableValues(next: Int8Array, size: number): number[] {
  const out: number[] = [];
  for (let v = 0; v < size; v++) if (next[v] === v) out.push(v);
  return out;
}
