// CPU profile of one stretch of a run (the firing window), not of loading and teardown:
// node:inspector's Profiler, written as a .cpuprofile (read it with bench/lib/profile-top.ts).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';

export async function profileBetween(dir: string, name: string, from: number, until: Promise<unknown>): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await new Promise((r) => setTimeout(r, Math.max(0, from - Date.now())));
  await session.post('Profiler.start');
  await until;
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
  session.disconnect();
}
