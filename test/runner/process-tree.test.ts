import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { groupAlive, processAlive, startTree } from '../../src/providers/process-tree.js';
import { FIXTURES, killIfAlive, lineWaiter } from './helpers.js';

describe('process tree (real processes)', () => {
  it('captures stdout and stderr line by line and reports the exit code', async () => {
    const lines: string[] = [];
    const tree = await startTree(
      ['node', '-e', 'process.stdout.write("a\\nb"); process.stderr.write("err line\\n"); process.exit(3)'],
      { onLine: (s, l) => lines.push(`${s}:${l}`) },
    );
    const exit = await tree.done;
    assert.deepEqual(exit, { code: 3, signal: null, stopped: false });
    assert.deepEqual(lines.sort(), ['stderr:err line', 'stdout:a', 'stdout:b']);
  });

  it('rejects with ENOENT for a program that does not exist', async () => {
    await assert.rejects(startTree(['/nonexistent/program']), { code: 'ENOENT' });
  });

  it('passes arguments as an array: no shell interprets them', async () => {
    const lines: string[] = [];
    const tricky = '$(touch /tmp/shipclock-pwned); `id`; "quoted" \'x\'';
    const tree = await startTree(['node', '-e', 'console.log(process.argv[1])', tricky], { onLine: (_s, l) => lines.push(l) });
    await tree.done;
    assert.deepEqual(lines, [tricky]);
  });

  it('abort kills the whole group with SIGTERM: child and grandchild are gone', async () => {
    const ac = new AbortController();
    const grandchild = lineWaiter(/^grandchild (\d+)$/);
    const tree = await startTree(['/bin/sh', join(FIXTURES, 'tree.sh')], { signal: ac.signal, onLine: (_s, l) => grandchild.feed(l) });
    const gpid = Number(await grandchild.match);
    assert.ok(processAlive(gpid), 'grandchild runs before the abort');
    assert.ok(groupAlive(tree.pid));
    ac.abort();
    const exit = await tree.done;
    assert.equal(exit.stopped, true);
    assert.equal(exit.signal, 'SIGTERM');
    assert.equal(processAlive(gpid), false, 'grandchild survived');
    assert.equal(groupAlive(tree.pid), false, 'a member of the group survived');
  });

  it('a tree that ignores SIGTERM is SIGKILLed after the grace period', async () => {
    const ac = new AbortController();
    const grandchild = lineWaiter(/^grandchild (\d+)$/);
    const tree = await startTree(['/bin/sh', join(FIXTURES, 'stubborn.sh')], {
      signal: ac.signal,
      killGraceMs: 100,
      onLine: (_s, l) => grandchild.feed(l),
    });
    const gpid = Number(await grandchild.match);
    ac.abort();
    const exit = await tree.done;
    assert.equal(exit.stopped, true);
    assert.equal(exit.signal, 'SIGKILL');
    assert.equal(processAlive(gpid), false, 'grandchild survived SIGKILL');
    assert.equal(groupAlive(tree.pid), false);
  });

  it('does not hang when a background process keeps stdout open after the leader exits', async () => {
    const left = lineWaiter(/^left (\d+) behind$/);
    const tree = await startTree(['/bin/sh', join(FIXTURES, 'daemon.sh')], { onLine: (_s, l) => left.feed(l) });
    const exit = await tree.done;
    const pid = Number(await left.match);
    assert.deepEqual(exit, { code: 0, signal: null, stopped: false });
    assert.ok(processAlive(pid), 'a normal exit leaves background processes alone');
    killIfAlive(pid);
  });

  it('an already-aborted signal stops the tree at once', async () => {
    const ac = new AbortController();
    ac.abort();
    const tree = await startTree(['sleep', '1000'], { signal: ac.signal });
    const exit = await tree.done;
    assert.equal(exit.stopped, true);
    assert.equal(processAlive(tree.pid), false);
  });
});
