// Build step of the quickstart, run by shipclock inside the new release folder: it stamps the
// release id (SHIPCLOCK_RELEASE_ID, set by the `local` provider) into a RELEASE file that the
// server shows.
import { writeFileSync } from 'node:fs';

const release = process.env.SHIPCLOCK_RELEASE_ID ?? 'dev';
writeFileSync(new URL('./RELEASE', import.meta.url), `${release}\n`);
console.log(`built release ${release} (run ${process.env.SHIPCLOCK_RUN_ID ?? '-'}, nominal ${process.env.SHIPCLOCK_NOMINAL_TIME ?? '-'})`);
