import type { SchedulerEmitter } from '../scheduler/events.js';
import { humanDuration, paint } from './format.js';
import type { Writable } from './io.js';

interface LiveRun {
  readonly job: string;
  readonly startedMs: number;
  attempt: number;
  last: string;
  retryAtMs: number | null;
}

const CLEAR = '\r\u001b[2K';
// Control characters (and so escape sequences) from a deploy's output must not drive the terminal.
const CONTROL = /\u001b\[[0-9;?]*[ -/]*[@-~]|[\u0000-\u001f\u007f-\u009f]/g;

/**
 * One self-rewriting status line under the terminal output while deploys run: job, elapsed
 * time, current attempt and the last log line. Only for terminals (the caller checks isTTY).
 * Other output goes through `around`, which lifts the line out of the way and puts it back.
 */
export class ProgressLine {
  private readonly runs = new Map<string, LiveRun>();
  private shown = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly out: Writable & { readonly columns?: number },
    private readonly now: () => number,
    private readonly color: boolean,
    /** Repaint interval for the elapsed time. */
    private readonly refreshMs = 1_000,
  ) {}

  /** Subscribe before other reporters, so the line is current when they print. */
  attach(events: SchedulerEmitter): () => void {
    const offs = [
      events.on('run:started', ({ occurrence: o }) => {
        this.runs.set(o.id, { job: o.job, startedMs: this.now(), attempt: o.attempts + 1, last: '', retryAtMs: null });
        this.changed();
      }),
      events.on('run:log', ({ occurrence: o, attempt, line }) => {
        const run = this.runs.get(o.id);
        if (!run) return;
        run.attempt = attempt;
        run.retryAtMs = null;
        const clean = line.replace(CONTROL, '').trim();
        if (clean) run.last = clean;
        this.redraw();
      }),
      events.on('run:retrying', ({ occurrence: o, attempt, delayMs }) => {
        const run = this.runs.get(o.id);
        if (!run) return;
        run.attempt = attempt;
        run.retryAtMs = this.now() + delayMs;
        this.redraw();
      }),
      events.on('run:finished', ({ occurrence: o }) => {
        this.runs.delete(o.id);
        this.changed();
      }),
    ];
    return () => {
      offs.forEach((off) => off());
      this.runs.clear();
      this.changed();
    };
  }

  /** Writes `text` above the progress line. */
  around(write: () => void): void {
    this.clear();
    write();
    this.draw();
  }

  private changed(): void {
    if (this.runs.size > 0 && !this.timer) {
      this.timer = setInterval(() => this.redraw(), this.refreshMs);
      this.timer.unref();
    }
    if (this.runs.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.redraw();
  }

  private redraw(): void {
    if (this.runs.size === 0) this.clear();
    else this.draw(); // draw starts with a clear of its own
  }

  private clear(): void {
    if (this.shown) this.out.write(CLEAR);
    this.shown = false;
  }

  private draw(): void {
    if (this.runs.size === 0) return;
    const now = this.now();
    const parts = [...this.runs.values()].map((r) => {
      const elapsed = humanDuration(now - r.startedMs);
      const state = r.retryAtMs !== null ? `retrying in ${humanDuration(r.retryAtMs - now)}` : r.last;
      return `${paint(this.color, 'cyan', '▸')} ${r.job} ${elapsed} · attempt ${r.attempt}${state ? ` · ${state}` : ''}`;
    });
    const width = Math.max(20, (this.out.columns ?? 80) - 1);
    let text = parts.join('  |  ');
    // Truncate by visible length so the line never wraps (a wrapped line cannot be rewritten).
    const visible = text.replace(/\u001b\[[0-9;]*m/g, '');
    if (visible.length > width) text = this.color ? `${visible.slice(0, width - 1)}…` : `${text.slice(0, width - 1)}…`;
    this.out.write(`${CLEAR}${text}`);
    this.shown = true;
  }
}
