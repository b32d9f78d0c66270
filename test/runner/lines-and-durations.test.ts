import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { parseDurationMs } from '../../src/providers/health-settings.js';
import { LineSplitter } from '../../src/providers/process-tree-lines.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks, strips CR, flushes the last partial line', () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    s.push('he');
    s.push('llo\r\nwor');
    s.push('ld\n\nlast');
    assert.deepEqual(out, ['hello', 'world', '']);
    s.end();
    assert.deepEqual(out, ['hello', 'world', '', 'last']);
  });

  it('cuts a runaway line into bounded pieces', () => {
    const out: string[] = [];
    const s = new LineSplitter((l) => out.push(l));
    s.push('x'.repeat(40_000));
    s.end();
    assert.deepEqual(out.map((l) => l.length), [16_384, 16_384, 7_232]);
  });
});

describe('provider durations', () => {
  it('reads units and plain seconds', () => {
    assert.equal(parseDurationMs('500ms'), 500);
    assert.equal(parseDurationMs('10s'), 10_000);
    assert.equal(parseDurationMs('1h30m'), 5_400_000);
    assert.equal(parseDurationMs('1.5s'), 1500);
    assert.equal(parseDurationMs(30), 30_000);
    assert.equal(parseDurationMs('30'), 30_000);
  });
  it('refuses anything else', () => {
    for (const bad of ['', '5 parsecs', '10 s', 's', '-1s', -1, '1h junk', null, {}]) assert.equal(parseDurationMs(bad), null, String(bad));
  });
});
