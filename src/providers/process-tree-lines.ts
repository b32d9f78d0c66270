/**
 * Splits a stream of text chunks into lines for the attempt log. Chunks end anywhere, so a
 * partial line is held until its newline (or the end). Very long lines are cut into pieces so
 * one runaway line cannot hold unbounded memory.
 */
const MAX_LINE_CHARS = 16_384;

export class LineSplitter {
  private partial = '';

  constructor(private readonly emit: (line: string) => void) {}

  push(chunk: string): void {
    let text = this.partial + chunk;
    let nl = text.indexOf('\n');
    while (nl !== -1) {
      this.emitLine(text.slice(0, nl));
      text = text.slice(nl + 1);
      nl = text.indexOf('\n');
    }
    while (text.length > MAX_LINE_CHARS) {
      this.emit(text.slice(0, MAX_LINE_CHARS));
      text = text.slice(MAX_LINE_CHARS);
    }
    this.partial = text;
  }

  /** Flushes the last line when the stream ended without a newline. */
  end(): void {
    if (this.partial !== '') this.emitLine(this.partial);
    this.partial = '';
  }

  private emitLine(line: string): void {
    const clean = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let i = 0; i < clean.length || i === 0; i += MAX_LINE_CHARS) {
      this.emit(clean.slice(i, i + MAX_LINE_CHARS));
      if (clean.length === 0) break;
    }
  }
}
