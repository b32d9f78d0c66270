/**
 * Token rules with real HTTP requests: loopback reads are open; beyond loopback the server will
 * not start without a token, and then every request needs it; on loopback with a token, actions
 * need it. Plus the browser guards (Host and Origin) that protect a loopback server.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { sameToken } from '../../src/server/auth.js';
import { isLoopback, parseListenAddress } from '../../src/server/listen-address.js';
import { apiFixture } from './fixture.js';

const TOKEN = 'k7Jq2v9-test-token-Zp4';

test('loopback without a token: reads and actions work without credentials', async () => {
  await using f = await apiFixture();
  assert.equal((await f.fetch('/api/jobs')).status, 200);
  assert.equal((await f.fetch('/metrics')).status, 200);
  assert.equal((await f.post('/api/jobs/api/pause', {})).status, 200);
});

test('bound beyond loopback without a token: refuses to start (E_HTTP_TOKEN_REQUIRED), nothing listens', async () => {
  for (const host of ['0.0.0.0', '::']) {
    await assert.rejects(apiFixture({ host }), (e: { code?: string; message: string }) => {
      assert.equal(e.code, 'E_HTTP_TOKEN_REQUIRED');
      assert.match(e.message, /SHIPCLOCK_API_TOKEN/);
      return true;
    });
  }
  await assert.rejects(apiFixture({ host: '0.0.0.0', token: '' }), { code: 'E_HTTP_TOKEN_REQUIRED' });
});

test('bound beyond loopback with a token: every request needs it (missing or wrong → 401); right token works', async () => {
  await using f = await apiFixture({ host: '0.0.0.0', token: TOKEN });
  for (const path of ['/api/jobs', '/api/occurrences', '/api/events', '/metrics', '/api/why?job=web&time=2026-03-02T10:05:00Z']) {
    const missing = await f.fetch(path);
    assert.equal(missing.status, 401, path);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="shipclock"');
    assert.equal(((await missing.json()) as { code: string }).code, 'E_HTTP_TOKEN_MISSING');
    const wrong = await f.fetch(path, { token: `${TOKEN}x` });
    assert.equal(wrong.status, 401, path);
    assert.equal(((await wrong.json()) as { code: string }).code, 'E_HTTP_TOKEN_WRONG');
  }
  assert.equal((await f.post('/api/jobs/web/trigger', {})).status, 401);
  assert.equal((await f.post('/api/jobs/web/trigger', {}, 'nope')).status, 401);
  assert.equal((await f.store.listOccurrences()).length, 0, 'refused actions changed nothing');
  assert.equal((await f.fetch('/api/jobs', { token: TOKEN })).status, 200);
  const paused = await f.post('/api/jobs/api/pause', { note: 'by token' }, TOKEN);
  assert.equal(paused.status, 200);
  assert.equal((await f.store.getJob('api'))?.pausedNote, 'by token');
  // The page shell (no data) and the health check stay open for browsers and load balancers.
  assert.equal((await f.fetch('/')).status, 200);
  assert.deepEqual(await (await f.fetch('/healthz')).json(), { ok: true });
});

test('loopback with a token: reads are open, actions need the token', async () => {
  await using f = await apiFixture({ token: TOKEN });
  assert.equal((await f.fetch('/api/jobs')).status, 200);
  assert.equal((await f.post('/api/jobs/api/pause', {})).status, 401);
  assert.equal((await f.post('/api/jobs/api/pause', {}, 'wrong')).status, 401);
  assert.equal((await f.store.getJob('api'))?.paused ?? false, false);
  assert.equal((await f.post('/api/jobs/api/pause', {}, TOKEN)).status, 200);
  assert.equal((await f.store.getJob('api'))?.paused, true);
});

test('browser guards on loopback: a foreign Host (DNS rebinding) → 421; an action from another Origin → 403', async () => {
  await using f = await apiFixture();
  const port = f.api.port;
  const raw = (method: string, path: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });
  assert.equal(await raw('GET', '/api/jobs', { host: 'evil.example:8642' }), 421);
  assert.equal(await raw('GET', '/api/jobs', { host: `localhost:${port}` }), 200);
  assert.equal(await raw('POST', '/api/jobs/api/pause', { host: `127.0.0.1:${port}`, origin: 'https://evil.example', 'content-type': 'application/json' }), 403);
  assert.equal(await raw('POST', '/api/jobs/api/pause', { host: `127.0.0.1:${port}`, 'content-type': 'text/plain' }), 415);
  assert.equal((await f.store.getJob('api'))?.paused ?? false, false);
  assert.equal(
    await raw('POST', '/api/jobs/api/pause', { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'content-type': 'application/json' }),
    200,
  );
});

test('sameToken compares whole tokens; listen addresses and loopback detection', () => {
  assert.equal(sameToken('abc', 'abc'), true);
  assert.equal(sameToken('abc', 'abcd'), false);
  assert.equal(sameToken('', 'abc'), false);
  assert.deepEqual(parseListenAddress('127.0.0.1:8642'), { host: '127.0.0.1', port: 8642 });
  assert.deepEqual(parseListenAddress(':9000'), { host: '127.0.0.1', port: 9000 });
  assert.deepEqual(parseListenAddress('9000'), { host: '127.0.0.1', port: 9000 });
  assert.deepEqual(parseListenAddress('[::1]:9000'), { host: '::1', port: 9000 });
  assert.deepEqual(parseListenAddress('0.0.0.0'), { host: '0.0.0.0', port: 8642 });
  assert.deepEqual(parseListenAddress('localhost:0'), { host: 'localhost', port: 0 });
  assert.throws(() => parseListenAddress('host:port'), { code: 'E_USAGE' });
  assert.throws(() => parseListenAddress('1.2.3.4:70000'), { code: 'E_USAGE' });
  for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) assert.equal(isLoopback(h), true, h);
  for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.5', 'example.com', '::ffff:10.0.0.1']) assert.equal(isLoopback(h), false, h);
});

test('a port in use: E_HTTP_LISTEN naming the address, not a crash', async () => {
  await using f = await apiFixture();
  await assert.rejects(apiFixture({ port: f.api.port }), (e: { code?: string; message: string; exitCode?: number }) => {
    assert.equal(e.code, 'E_HTTP_LISTEN');
    assert.match(e.message, new RegExp(`127\\.0\\.0\\.1:${f.api.port}: the port is in use`));
    assert.equal(e.exitCode, 2);
    return true;
  });
});
