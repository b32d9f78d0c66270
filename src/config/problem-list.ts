/**
 * Collects every problem found in one load, attaching file positions, field paths and caret
 * excerpts, so the whole config is refused at once with everything a person needs to fix it.
 */
import type { Problem } from '../errors/input-error.js';
import { formatPath, type FieldPath, type Position, type YamlSource } from './yaml-source.js';

/** Where a value came from: a place in the config file, a command-line flag, or a variable. */
export type Origin =
  | { readonly kind: 'file'; readonly path: FieldPath }
  | { readonly kind: 'flag'; readonly flag: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'default' };

/** The part of a Problem that describes what is wrong, without where. */
export type ProblemBody = Omit<Problem, 'file' | 'line' | 'col' | 'path' | 'excerpt'> & {
  /** Point at the key rather than the value (unknown keys, refused keys). */
  readonly at?: 'key' | 'value';
  /** The value is a secret: show neither it nor its source line. */
  readonly secret?: boolean;
};

export class ProblemList {
  readonly items: Problem[] = [];
  readonly source: YamlSource | null;

  constructor(source: YamlSource | null) {
    this.source = source;
  }

  get size(): number {
    return this.items.length;
  }

  /** A problem about the value (or key) at `path` in the config file. */
  atPath(path: FieldPath, body: ProblemBody): void {
    const pos = this.source?.locate(path, body.at ?? 'value');
    this.push(body, formatPath(path), pos);
  }

  /** A problem at an exact position (e.g. a column inside a schedule expression). */
  atPosition(path: FieldPath, pos: Position | undefined, body: ProblemBody): void {
    this.push(body, formatPath(path), pos);
  }

  /** A problem wherever `origin` says the value came from. */
  at(origin: Origin, body: ProblemBody, subPath: FieldPath = []): void {
    switch (origin.kind) {
      case 'file':
        this.atPath([...origin.path, ...subPath], body);
        return;
      case 'flag':
        this.push(body, subPath.length ? `${origin.flag} ${formatPath(subPath)}` : origin.flag, undefined);
        return;
      case 'env':
        this.push(body, `$${origin.name}`, undefined);
        return;
      case 'default':
        this.push(body, formatPath(subPath), undefined);
    }
  }

  /** Problems that already say where they are (or need no place): kept as they are. */
  adopt(problems: readonly Problem[]): void {
    for (const p of problems) this.items.push(p);
  }

  private push(body: ProblemBody, path: string, pos: Position | undefined): void {
    const { at: _at, secret, ...rest } = body;
    const problem: { -readonly [K in keyof Problem]: Problem[K] } = { ...rest };
    if (secret) delete problem.value;
    if (path) problem.path = path;
    if (this.source && pos) {
      problem.file = this.source.file;
      problem.line = pos.line;
      problem.col = pos.col;
      if (!secret) problem.excerpt = this.source.excerpt(pos);
    }
    this.items.push(problem);
  }

  /** Problems in file order, each reported once (a bad `defaults:` entry is seen per job). */
  sorted(): Problem[] {
    const seen = new Set<string>();
    const unique = this.items.filter((p) => {
      const key = [p.code, p.file, p.line, p.col, p.path, p.message].join('\u0000');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const order = (p: Problem): number => (p.line === undefined ? Infinity : p.line * 100_000 + (p.col ?? 0));
    return unique
      .map((p, i) => ({ p, i }))
      .sort((a, b) => order(a.p) - order(b.p) || a.i - b.i)
      .map(({ p }) => p);
  }
}
