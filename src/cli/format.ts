import type { CliIO, Writable } from './io.js';

/** Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function useColor(io: CliIO, stream: Writable = io.stdout): boolean {
  return Boolean(stream.isTTY) && io.env.NO_COLOR === undefined && io.env.TERM !== 'dumb';
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, gray: 90, bold: 1 } as const;
export type Color = keyof typeof CODES;

export function paint(enabled: boolean, color: Color, text: string): string {
  return enabled ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** Colour for an occurrence state: green ran fine, red failed, yellow never started, blue live. */
export function stateColor(state: string): Color {
  if (state === 'succeeded') return 'green';
  if (['failed', 'timed_out', 'interrupted', 'cancelled'].includes(state)) return 'red';
  if (state === 'pending' || state === 'running') return 'blue';
  return 'yellow';
}

/**
 * Text from users or deploys (notes, reasons, log lines) made safe for a terminal: control
 * characters (escape sequences, newlines that would split a table row) are shown escaped.
 */
export function clean(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const visibleLength = (s: string): number => s.replace(/\u001b\[[0-9;]*m/g, '').length;

/** Aligned columns; cells may carry colour codes (ignored for width). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], color = false): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visibleLength(r[i] ?? ''))));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visibleLength(c))))
      .join('  ')
      .trimEnd();
  return [paint(color, 'bold', line(headers)), ...rows.map(line)].join('\n') + '\n';
}

/** `3h 05m`, `42s`, `2d 4h`: a short human duration. */
export function humanDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
