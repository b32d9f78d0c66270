// The deploy every library runs: nothing, except writing down when it started.
import type { DeployContext, DeployHandle, PollResult, Provider } from '../../src/providers/types.js';

export interface Start {
  readonly job: string;
  readonly nominalMs: number;
  readonly startMs: number;
}

export class NoopProvider implements Provider {
  readonly kind = 'noop';
  readonly starts: Start[] = [];

  plan(): readonly string[] {
    return [];
  }

  async start(ctx: DeployContext): Promise<DeployHandle> {
    this.starts.push({ job: ctx.job, nominalMs: ctx.nominalTime.getTime(), startMs: Date.now() });
    return { id: ctx.runId };
  }

  async poll(): Promise<PollResult> {
    return { state: 'succeeded' };
  }
}
