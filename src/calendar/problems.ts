import { InputError, type Problem } from '../errors/index.js';

/**
 * Problems found while parsing one schedule expression. The parser collects every problem it
 * can (one per bad field) before throwing, so a person fixes them all in one go.
 */
export class ProblemList {
  readonly items: Problem[] = [];

  add(code: string, col: number, value: string, message: string, allowed?: string, hint?: string): void {
    const p: { -readonly [K in keyof Problem]: Problem[K] } = { code, col, value, message };
    if (allowed !== undefined) p.allowed = allowed;
    if (hint !== undefined) p.hint = hint;
    this.items.push(p);
  }

  get empty(): boolean {
    return this.items.length === 0;
  }

  throwIfAny(): void {
    if (this.items.length > 0) throw new InputError(this.items);
  }
}

/** Throws a single-problem InputError; `col` is 1-based inside the expression. */
export function fail(code: string, col: number, value: string, message: string, allowed?: string, hint?: string): never {
  const list = new ProblemList();
  list.add(code, col, value, message, allowed, hint);
  throw new InputError(list.items);
}
