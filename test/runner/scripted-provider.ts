/**
 * A fake provider for runner tests (labelled so in test names): each attempt follows a script
 * step. It records every context it was given, so tests can check env, attempt numbers and the
 * abort signal. In-memory only: it never does I/O, so `FakeClock.runUntil` can drive it.
 */
import { DeployError } from '../../src/providers/deploy-error.js';
import type { DeployContext, DeployHandle, ErrorClass, PollResult, Provider } from '../../src/providers/types.js';

export type Step =
  | { readonly throwOnStart: ErrorClass }
  | { readonly throwOnPoll: ErrorClass }
  | { readonly polls: readonly PollResult[] }
  /** Poll never answers until the run's signal aborts; then it reports `cancelled`. */
  | { readonly hang: true; readonly ignoreAbort?: boolean };

export const ok: Step = { polls: [{ state: 'succeeded', message: 'done' }] };
export const fail = (errorClass: ErrorClass): Step => ({ polls: [{ state: 'failed', errorClass, message: `failed: ${errorClass}` }] });

export class ScriptedProvider implements Provider {
  readonly kind = 'scripted';
  readonly contexts: DeployContext[] = [];
  readonly cancelled: string[] = [];
  private readonly polls = new Map<string, PollResult[]>();

  constructor(private readonly steps: readonly Step[]) {}

  plan(): readonly string[] {
    return ['scripted'];
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    this.contexts.push(ctx);
    const step = this.step(ctx);
    ctx.log(`scripted start ${ctx.attempt}`);
    if ('throwOnStart' in step) throw new DeployError('scripted', step.throwOnStart, `cannot start: ${step.throwOnStart}`);
    const id = `h${ctx.attempt}`;
    if ('polls' in step) this.polls.set(id, [...step.polls]);
    return { id };
  }

  async poll(handle: DeployHandle, ctx: DeployContext): Promise<PollResult> {
    const step = this.step(ctx);
    if ('throwOnPoll' in step) throw new DeployError('scripted', step.throwOnPoll, `poll failed: ${step.throwOnPoll}`);
    if ('hang' in step) {
      return new Promise((resolve) => {
        if (step.ignoreAbort) return;
        const done = () => resolve({ state: 'failed', errorClass: 'cancelled', message: 'aborted' });
        if (ctx.signal.aborted) done();
        else ctx.signal.addEventListener('abort', done, { once: true });
      });
    }
    const queue = this.polls.get(handle.id) ?? [];
    const next = queue.shift();
    if (!next) throw new Error(`script for ${handle.id} ran out of polls`);
    return next;
  }

  async cancel(handle: DeployHandle): Promise<void> {
    this.cancelled.push(handle.id);
  }

  private step(ctx: DeployContext): Step {
    const s = this.steps[this.contexts.indexOf(ctx)] ?? this.steps.at(-1);
    if (!s) throw new Error('empty script');
    return s;
  }
}
