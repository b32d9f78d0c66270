import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { closest, editDistance } from '../../src/config/did-you-mean.js';

test('edit distance counts an adjacent swap as one edit', () => {
  assert.equal(editDistance('shedule', 'schedule'), 1);
  assert.equal(editDistance('max_retires', 'max_retries'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('same', 'same'), 0);
});

test('suggestions only for plausible typos', () => {
  const keys = ['schedule', 'timezone', 'max_retries', 'timeout', 'provider'];
  assert.equal(closest('shedule', keys), 'schedule');
  assert.equal(closest('timzone', keys), 'timezone');
  assert.equal(closest('Schedule', keys), 'schedule');
  assert.equal(closest('xyz', keys), undefined);
  assert.equal(closest('on', ['tz', 'at']), undefined);
  assert.equal(closest('cmd', ['command']), undefined);
});
