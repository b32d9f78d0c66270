import { compileJob } from '../../app/compose.js';
import { formatInZone } from '../../calendar/index.js';
import { jitterFor } from '../../scheduler/jitter.js';
import { effectiveNext } from '../../scheduler/windows.js';
import { RAN_STATES } from '../../store/types.js';
import { CONFIG_OPTIONS, parse } from '../args.js';
import type { Command } from '../command.js';
import { clockOf, loadCliConfig, withReadStore } from '../context.js';
import { clean, humanDuration, paint, stateColor, table, useColor, writeJson } from '../format.js';
import { EXIT_OK } from '../io.js';

export const statusCommand: Command = {
  name: 'status',
  summary: 'every job with its next deploy, time left, last run and result',
  usage: `Usage: shipclock status [-c FILE] [--json]

A table like systemctl list-timers: JOB, SCHEDULE, NEXT, LEFT, LAST, RESULT, STATE.
NEXT is the effective next deploy: the schedule's next time, held or passed over by deploy windows.
--json prints [{job, schedule, timezone, next_time, effective_next, effective_reason, last_state, …}].
`,
  async run(args, io) {
    const { values } = parse('status', args, { ...CONFIG_OPTIONS, json: { type: 'boolean' } });
    const config = await loadCliConfig(values, io);
    const now = clockOf(io).now();
    const rows = await withReadStore(config, io, async (store) => {
      const out = [];
      for (const job of config.jobs) {
        const rec = await store.getJob(job.name);
        const schedule = job.schedule === null ? null : compileJob(job);
        const nominal = schedule?.nextMs(Math.max(rec?.cursorMs ?? now, now)) ?? null;
        const next = nominal === null ? null : nominal + jitterFor(job.name, nominal, job.jitterMs);
        // Deploy windows may hold or block the next fires: when the next deploy really happens.
        const effective = schedule ? effectiveNext(job, schedule, Math.max(rec?.cursorMs ?? now, now), (t) => t + jitterFor(job.name, t, job.jitterMs)) : null;
        const last = await store.latest(job.name, RAN_STATES);
        const live = (await store.live(job.name)).find((o) => o.state === 'running');
        out.push({
          job: job.name,
          schedule: job.schedule,
          timezone: job.timezone,
          next_time: next === null ? null : formatInZone(new Date(next), job.timezone),
          left_ms: next === null ? null : next - now,
          effective_next: effective === null ? null : formatInZone(new Date(effective.atMs), job.timezone),
          effective_left_ms: effective === null ? null : effective.atMs - now,
          effective_reason: effective?.heldBy ?? null,
          last_time: last ? formatInZone(new Date(last.nominalMs), job.timezone) : null,
          last_state: last?.state ?? null,
          state: rec?.paused ? 'paused' : live ? 'running' : 'active',
          paused: rec?.paused ?? false,
          paused_note: rec?.pausedNote ?? null,
          running_run_id: live?.runId ?? null,
        });
      }
      return out;
    });
    if (values.json) {
      writeJson(io, rows);
      return EXIT_OK;
    }
    const color = useColor(io);
    io.stdout.write(
      table(
        ['JOB', 'SCHEDULE', 'NEXT', 'LEFT', 'LAST', 'RESULT', 'STATE'],
        rows.map((r) => [
          r.job,
          r.schedule ?? 'manual',
          // NEXT is the effective next deploy (after deploy windows), as the issue asks.
          r.effective_next ?? r.next_time ?? '-',
          r.effective_left_ms !== null ? humanDuration(r.effective_left_ms) : r.left_ms === null ? '-' : humanDuration(r.left_ms),
          r.last_time ?? '-',
          r.last_state ? paint(color, stateColor(r.last_state), r.last_state) : '-',
          r.state === 'paused' ? paint(color, 'yellow', `paused${r.paused_note ? ` (${clean(r.paused_note)})` : ''}`) : r.state,
        ]),
        color,
      ),
    );
    return EXIT_OK;
  },
};
