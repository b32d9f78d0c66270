// Prints the functions with the most self time in a .cpuprofile (from node --cpu-prof).
// Usage: npx tsx bench/lib/profile-top.ts file.cpuprofile [count] [--inclusive]
// --inclusive: time in each function including what it called (each frame counted once per sample path).
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, count = '25'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const inclusive = process.argv.includes('--inclusive');
const prof = JSON.parse(readFileSync(file!, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const self = new Map<number, number>();
prof.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0)));
const keyOf = (n: Node): string =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(node_modules|src|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const byFn = new Map<string, number>();
const walk = (id: number, onPath: Set<string>): number => {
  const n = byId.get(id)!;
  const key = keyOf(n);
  const fresh = !onPath.has(key);
  if (fresh) onPath.add(key);
  let total = self.get(id) ?? 0;
  for (const c of n.children ?? []) total += walk(c, onPath);
  if (fresh) onPath.delete(key);
  // Inclusive: a recursive frame counts once; self: only its own samples.
  if (inclusive ? fresh : true) byFn.set(key, (byFn.get(key) ?? 0) + (inclusive ? total : (self.get(id) ?? 0)));
  return total;
};
walk(prof.nodes[0]!.id, new Set());
const total = [...byFn.values()].reduce((a, b) => a + b, 0);
for (const [k, v] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, Number(count))) {
  console.log(`${(v / 1000).toFixed(0).padStart(7)} ms ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
}
