/**
 * The config file as text plus its YAML syntax tree, so every problem found in the plain
 * values can be pointed back at a line and column. Validation works on plain JS values (easy to
 * check); this file answers "where was `deployments.web.max_retries` written?".
 */
import { InputError } from '../errors/input-error.js';
import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { Problem } from '../errors/input-error.js';

/** A field path: map keys and sequence indexes, from the document root. */
export type FieldPath = readonly (string | number)[];

export interface Position {
  readonly line: number;
  readonly col: number;
  /** Offset in the source text. */
  readonly offset: number;
}

/** `deployments.web.notifications.email[1]` */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** Inverse of formatPath, for problems other modules report with string paths. */
export function parsePath(text: string): FieldPath {
  const out: (string | number)[] = [];
  for (const part of text.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

export class YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  private readonly lines: LineCounter;

  private constructor(file: string, text: string, doc: Document.Parsed, lines: LineCounter) {
    this.file = file;
    this.text = text;
    this.doc = doc;
    this.lines = lines;
  }

  static parse(file: string, text: string): YamlSource {
    const lines = new LineCounter();
    // prettyErrors off: we build our own position and excerpt, in the same shape as every
    // other config problem. uniqueKeys (the default) turns a repeated key into an error;
    // merge keys (`<<: *base`) are common in hand-written configs, so they are on.
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, merge: true });
    return new YamlSource(file, text, doc, lines);
  }

  /** YAML syntax errors with the library's positions; empty when the text parsed. */
  syntaxProblems(): Problem[] {
    return this.doc.errors.map((e) => {
      const pos = this.positionAt(e.pos[0]);
      return {
        code: 'E_CONFIG_SYNTAX',
        file: this.file,
        line: pos.line,
        col: pos.col,
        message: `YAML syntax error: ${e.message}`,
        hint: `the YAML parser reports ${e.code}`,
        excerpt: this.excerpt(pos),
      };
    });
  }

  /** The document as plain values (maps become objects). */
  toValue(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      // The yaml library refuses alias bombs ("billion laughs") with a ReferenceError.
      if (!(error instanceof ReferenceError)) throw error;
      throw new InputError([
        {
          code: 'E_CONFIG_ALIASES',
          file: this.file,
          line: 1,
          col: 1,
          message: `the YAML expands too many aliases (${error.message})`,
          allowed: 'at most 1000 alias expansions; write the repeated values out, or use fewer nested anchors',
        },
      ]);
    }
  }

  positionAt(offset: number): Position {
    const lp = this.lines.linePos(offset);
    return { line: lp.line, col: lp.col, offset };
  }

  /**
   * Where the value at `path` was written (`at: 'value'`) or its key (`at: 'key'`). When the
   * path does not exist in full (a missing key), the deepest existing node is returned, so a
   * "missing `command`" problem points at the job block that lacks it.
   */
  locate(path: FieldPath, at: 'key' | 'value' = 'value'): Position | undefined {
    const found = this.findNode(path);
    if (!found) return undefined;
    const node = at === 'key' && found.complete ? found.key ?? found.value : found.complete ? found.value ?? found.key : found.key ?? found.value;
    const start = node?.range?.[0];
    return start === undefined ? undefined : this.positionAt(start);
  }

  /** The scalar node written at `path`, with how its text starts (for columns inside it). */
  scalarAt(path: FieldPath): { offset: number; quoted: boolean; singleLine: boolean } | undefined {
    const found = this.findNode(path);
    if (!found?.complete || !isScalar(found.value) || !found.value.range) return undefined;
    const [start, valueEnd] = found.value.range;
    const type = found.value.type;
    const quoted = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE';
    const plainOrQuoted = quoted || type === 'PLAIN';
    const singleLine = plainOrQuoted && !this.text.slice(start, valueEnd).includes('\n');
    return { offset: start, quoted, singleLine };
  }

  /** The source line with a caret under `col` (secrets: do not call for lines holding one). */
  excerpt(pos: Position): string {
    const lineText = this.text.split(/\r?\n/)[pos.line - 1] ?? '';
    const gutter = `${pos.line} | `;
    return `${gutter}${lineText}\n${' '.repeat(gutter.length + Math.max(pos.col - 1, 0))}^`;
  }

  private findNode(path: FieldPath): { key: Node | undefined; value: Node | undefined; complete: boolean } | undefined {
    let current: unknown = this.doc.contents;
    let key: Node | undefined;
    let value: Node | undefined = (current as Node | null) ?? undefined;
    for (const seg of path) {
      let next: { key: Node | undefined; value: Node | undefined } | undefined;
      if (isMap(current)) {
        const pair = current.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair) next = { key: pair.key as Node, value: (pair.value as Node | null) ?? undefined };
      } else if (isSeq(current) && typeof seg === 'number') {
        const item = current.items[seg] as Node | undefined;
        if (item) next = { key: item, value: item };
      }
      if (!next) return value || key ? { key, value, complete: false } : undefined;
      key = next.key;
      value = next.value;
      current = next.value;
    }
    return { key, value, complete: true };
  }
}
