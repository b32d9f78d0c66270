// One library, one run of the lateness figure, in its own process (forked by run.ts).
// Loads the job set, waits through the window, reports (start − scheduled time) of every fire.
import { arg, reply } from '../lib/child.js';
import { jobConfig, jobSet } from '../lib/jobs.js';
import { loadPeer, type Lib } from '../lib/peers.js';
import { shipclock } from '../lib/shipclock.js';
import { spread, type Spread } from '../lib/stats.js';
import { profileBetween } from '../lib/window-profile.js';

export interface LatenessRun {
  readonly lib: Lib;
  /** Time to load the job set (ms); it must finish before the window opens. */
  readonly loadMs: number;
  readonly loadedBeforeWindow: boolean;
  readonly expected: number;
  readonly fired: number;
  readonly all: Spread;
  readonly burst: Spread;
  /** The fires outside the burst second (~2.6 a second). */
  readonly others: Spread;
}

const lib = arg('lib', 'shipclock') as Lib;
const startAt = Number(arg('start-at', '0'));
const windowMs = Number(arg('window-ms', '20000'));
const count = Number(arg('jobs', '10000'));
const burst = Number(arg('burst', '500'));
const burstAt = startAt + Math.floor(windowMs / 2 / 1000) * 1000;
const profDir = arg('prof', '');

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - Date.now())));

void reply(async (): Promise<LatenessRun> => {
  // Background jobs spread over the hour from the window's start: ~2.6 per second.
  const specs = jobSet({ count, burst, burstAt, spreadFrom: startAt, spreadMs: 3_600_000 });
  const inWindow = (t: number) => t >= startAt && t < startAt + windowMs;
  const lateness = new Map<string, number>();
  const t0 = performance.now();
  let stop: () => Promise<void>;
  if (lib === 'shipclock') {
    const s = await shipclock(specs.map((sp) => jobConfig(sp)));
    await s.scheduler.start();
    stop = async () => {
      for (const st of s.provider.starts) lateness.set(st.job, st.startMs - st.nominalMs);
      await s.dispose();
    };
  } else {
    // The peers' callbacks get no scheduled time: each job fires once a day, at spec.atMs.
    const fired = (i: number): void => {
      const spec = specs[i]!;
      lateness.set(spec.name, Date.now() - spec.atMs);
    };
    const stopPeer = loadPeer(lib, specs, fired);
    stop = async () => stopPeer();
  }
  const loadMs = performance.now() - t0;
  const loadedBeforeWindow = Date.now() < startAt;
  // A fire may be late: wait 3 s past the window for stragglers before collecting.
  const end = sleepUntil(startAt + windowMs + 3_000);
  if (profDir) await profileBetween(profDir, `lateness-${lib}`, startAt - 200, end);
  await end;
  await stop();
  const expected = specs.filter((s) => inWindow(s.atMs));
  const all: number[] = [];
  const burstValues: number[] = [];
  const otherValues: number[] = [];
  for (const s of expected) {
    const v = lateness.get(s.name);
    if (v === undefined) continue;
    all.push(v);
    if (s.name.startsWith('burst-')) burstValues.push(v);
    else otherValues.push(v);
  }
  return { lib, loadMs, loadedBeforeWindow, expected: expected.length, fired: all.length, all: spread(all), burst: spread(burstValues), others: spread(otherValues) };
});
