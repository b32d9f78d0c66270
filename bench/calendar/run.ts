// next() throughput of shipclock's calendar against croner, cron-parser and cron, in one run.
// Usage: npx tsx bench/calendar/run.ts [--quick]
// Each library parses every expression once (parse cost excluded), then answers "first fire
// time strictly after t" for a fixed list of instants t (seeded, so runs are comparable).
import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { CronTime } from 'cron';
import { parseSchedule } from '../../src/calendar/index.js';

type Next = (fromMs: number) => number | null;
interface Lib {
  readonly name: string;
  make(expr: string, tz: string): Next;
}

const libs: Lib[] = [
  {
    name: 'shipclock',
    make(expr, tz) {
      const s = parseSchedule(expr, { timezone: tz });
      return (t) => s.nextMs(t);
    },
  },
  {
    name: 'croner@11.0.1',
    make(expr, tz) {
      // croner's fastest correct setting for UTC is a fixed utcOffset (no Intl per call).
      const c = new Cron(expr, tz === 'UTC' ? { utcOffset: 0, paused: true } : { timezone: tz, paused: true });
      return (t) => c.nextRun(new Date(t))?.getTime() ?? null;
    },
  },
  {
    name: 'cron-parser@5.10.7',
    make(expr, tz) {
      const e = CronExpressionParser.parse(expr, { tz, currentDate: new Date(0) });
      return (t) => {
        e.reset(new Date(t));
        return e.next().getTime();
      };
    },
  },
  {
    name: 'cron@4.4.0',
    make(expr, tz) {
      const c = new CronTime(expr, tz);
      return (t) => c.getNextDateFrom(new Date(t), tz).toMillis();
    },
  },
];

interface Item {
  readonly expr: string;
  readonly tz: string;
}
interface Klass {
  readonly name: string;
  readonly items: readonly Item[];
  readonly instants: readonly number[];
}

/** Small seeded PRNG (mulberry32) so every run uses the same instants. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(42);
const spread = (n: number) =>
  Array.from({ length: n }, () => Date.UTC(2020, 0, 1) + Math.floor(rand() * 10 * 365 * 86400) * 1000 + Math.floor(rand() * 1000));
// Instants within two days before a DST change in the zones used below (2024-2026).
const DST_DAYS = ['2024-03-10T07:00Z', '2024-11-03T06:00Z', '2025-03-30T01:00Z', '2025-10-26T01:00Z', '2025-04-06T16:00Z', '2025-10-04T16:00Z', '2026-03-08T07:00Z', '2026-11-01T06:00Z'];
const nearDst = (n: number) =>
  Array.from({ length: n }, (_, i) => Date.parse(DST_DAYS[i % DST_DAYS.length] as string) - Math.floor(rand() * 2 * 86400) * 1000);

const classes: Klass[] = [
  {
    name: 'UTC simple',
    items: ['0 2 * * *', '*/15 * * * *', '0 0 1 * *', '30 4 * * 1-5', '0 * * * *'].map((expr) => ({ expr, tz: 'UTC' })),
    instants: spread(400),
  },
  {
    name: 'UTC complex',
    items: ['30 4 1,15 * 5', '5-50/15 9-17 * * 1-5', '0 0 29 2 *', '0 30 15 * * 1-6', '0 12 1-31 * 1', '0 0 1 */3 *'].map((expr) => ({ expr, tz: 'UTC' })),
    instants: spread(400),
  },
  {
    name: 'zoned simple',
    items: [
      { expr: '0 2 * * *', tz: 'America/New_York' },
      { expr: '0 9 * * 1-5', tz: 'Europe/Berlin' },
      { expr: '*/5 * * * *', tz: 'Asia/Kolkata' },
      { expr: '0 0 * * 0', tz: 'Australia/Sydney' },
      { expr: '@daily', tz: 'Asia/Tokyo' },
    ],
    instants: spread(400),
  },
  {
    name: 'zoned complex',
    items: [
      { expr: '30 4 1,15 * 5', tz: 'Asia/Shanghai' },
      { expr: '15 10-16/2 * 1,4,7,10 *', tz: 'America/Los_Angeles' },
      { expr: '0 0 12 11,26 * *', tz: 'America/Sao_Paulo' },
      { expr: '0 8 4-22 * 1-5', tz: 'Europe/London' },
      { expr: '0 0 29 2 *', tz: 'Pacific/Chatham' },
    ],
    instants: spread(400),
  },
  {
    name: 'DST periods',
    items: [
      { expr: '30 2 * * *', tz: 'America/New_York' },
      { expr: '0 * * * *', tz: 'America/New_York' },
      { expr: '*/15 1 * * *', tz: 'America/New_York' },
      { expr: '30 2 * * *', tz: 'Europe/Berlin' },
      { expr: '0 2 * * *', tz: 'Europe/Berlin' },
      { expr: '15 2 * * *', tz: 'Australia/Lord_Howe' },
      { expr: '*/30 * * * *', tz: 'Australia/Sydney' },
    ],
    instants: nearDst(400),
  },
];

const quick = process.argv.includes('--quick');
const MIN_MS = quick ? 60 : 400;

function measure(fns: readonly Next[], instants: readonly number[]): number {
  let sink = 0;
  const round = () => {
    for (const f of fns) for (const t of instants) sink += f(t) ?? 0;
  };
  round(); // warm-up (and zone tables)
  round();
  let calls = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < MIN_MS) {
    round();
    calls += fns.length * instants.length;
    elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  }
  if (sink === 42) console.log('');
  return (calls / elapsed) * 1000;
}

const results = new Map<string, Map<string, { ops: number; n: number }>>();
for (const k of classes) {
  const row = new Map<string, { ops: number; n: number }>();
  for (const lib of libs) {
    const fns: Next[] = [];
    for (const it of k.items) {
      try {
        const f = lib.make(it.expr, it.tz);
        for (const t of k.instants) f(t);
        fns.push(f);
      } catch {
        // refused, or failed on one of the instants: left out, and the count shows it
      }
    }
    row.set(lib.name, { ops: fns.length ? measure(fns, k.instants) : 0, n: fns.length });
  }
  results.set(k.name, row);
}

// The mixed corpus: every class weighted equally (geometric mean of per-class throughput).
const fmt = (ops: number) => (ops >= 1e6 ? `${(ops / 1e6).toFixed(2)}M` : `${(ops / 1e3).toFixed(0)}k`);
const header = ['class', ...libs.map((l) => `${l.name} next/s`), ...libs.slice(1).map((l) => `vs ${l.name.split('@')[0]}`)];
const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
const geo = new Map<string, number>(libs.map((l) => [l.name, 0]));
for (const k of classes) {
  const row = results.get(k.name) as Map<string, { ops: number; n: number }>;
  const ours = (row.get('shipclock') as { ops: number }).ops;
  const cells = [k.name];
  for (const lib of libs) {
    const r = row.get(lib.name) as { ops: number; n: number };
    geo.set(lib.name, (geo.get(lib.name) as number) + Math.log(Math.max(r.ops, 1)) / classes.length);
    cells.push(`${fmt(r.ops)}${r.n < k.items.length ? ` (${r.n}/${k.items.length} exprs)` : ''}`);
  }
  for (const lib of libs.slice(1)) {
    const r = row.get(lib.name) as { ops: number };
    cells.push(r.ops ? `${(ours / r.ops).toFixed(1)}x` : 'n/a');
  }
  lines.push(`| ${cells.join(' | ')} |`);
}
const oursAll = Math.exp(geo.get('shipclock') as number);
const mixed = ['**mixed (geo. mean)**', ...libs.map((l) => `**${fmt(Math.exp(geo.get(l.name) as number))}**`)];
for (const lib of libs.slice(1)) mixed.push(`**${(oursAll / Math.exp(geo.get(lib.name) as number)).toFixed(1)}x**`);
lines.push(`| ${mixed.join(' | ')} |`);
// Latency of single shipclock calls (warm zone tables): the bound DESIGN.md §3 asks for.
const lat: number[] = [];
for (const k of classes) {
  for (const it of k.items) {
    const s = parseSchedule(it.expr, { timezone: it.tz });
    for (const t of k.instants) {
      const t0 = process.hrtime.bigint();
      s.nextMs(t);
      lat.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
}
lat.sort((a, b) => a - b);
const pct = (q: number) => (lat[Math.min(lat.length - 1, Math.floor(q * lat.length))] as number).toFixed(1);
console.log(`node ${process.version}, ${quick ? 'quick' : 'full'} run, ${classes.reduce((a, k) => a + k.items.length * k.instants.length, 0)} (expression, instant) pairs`);
console.log(lines.join('\n'));
console.log(`\nshipclock single next() latency, warm: median ${pct(0.5)} µs, p99 ${pct(0.99)} µs, p99.9 ${pct(0.999)} µs, max ${pct(1)} µs over ${lat.length} calls`);
