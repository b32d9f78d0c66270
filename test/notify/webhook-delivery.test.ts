import { strict as assert } from 'node:assert';
import { createServer } from 'node:net';
import { describe, it } from 'node:test';
import { createNotifier, type DeliveryRecord } from '../../src/notify/index.js';
import { FakeClock } from './fake-clock.js';
import { captureLog, event, job, startReceiver, type Received } from './helpers.js';

const T0 = Date.UTC(2026, 6, 1, 0, 30);
const HOOK_TOKEN = 'Bearer hook-token-98765';

/** Advance the fake clock to each wake-up until `work` settles (backoff waits are on the clock). */
async function drive(clock: FakeClock, work: Promise<void>): Promise<void> {
  let done = false;
  const finished = work.then(() => {
    done = true;
    return null;
  });
  while (!done) {
    const next = await Promise.race([finished, clock.whenSleeping(1)]);
    if (next === null || done) break;
    clock.advanceTo(next[0] ?? clock.now());
  }
  await work;
}

/** A TCP port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

describe('webhook delivery against a local HTTP receiver', { timeout: 20_000 }, () => {
  it('posts the generic JSON, Slack and Teams payloads with the configured and secret headers', async () => {
    await using receiver = await startReceiver();
    const records: DeliveryRecord[] = [];
    const log = captureLog();
    const clock = new FakeClock(T0);
    const webhooks = [
      { url: `${receiver.url}?f=json`, headers: { 'X-Team': 'platform' }, secret_header_env: 'HOOK_TOKEN' },
      { url: `${receiver.url}?f=slack`, format: 'slack' },
      { url: `${receiver.url}?f=teams`, format: 'teams', secret_header_env: 'HOOK_TOKEN', secret_header: 'X-Token' },
    ];
    await using notifier = createNotifier({
      jobs: [job('web', { webhooks }, 'Europe/Berlin')],
      smtp: null,
      env: { HOOK_TOKEN, DEPLOY_TOKEN: 'dpl-secret-abcdef' },
      dashboardUrl: 'https://ship.example',
      clock,
      logger: log,
      record: async (d) => void records.push(d),
    });
    notifier.notify(
      event('failed', 'web', T0, {
        occurrenceId: 'occ-web-1',
        runId: 'run-1',
        attempts: 4,
        errorClass: 'unhealthy',
        message: 'health check failed',
        durationMs: 61_000,
        logExcerpt: 'rolling out\nusing dpl-secret-abcdef\nhealth check failed',
      }),
    );
    await notifier.idle();
    assert.equal(receiver.requests.length, 3);
    const by = (f: string): Received => {
      const r = receiver.requests.find((q) => q.path.endsWith(`f=${f}`));
      assert.ok(r, `no ${f} request`);
      return r;
    };

    const json = by('json');
    assert.equal(json.method, 'POST');
    assert.equal(json.headers['content-type'], 'application/json');
    assert.equal(json.headers['x-team'], 'platform');
    assert.equal(json.headers['authorization'], HOOK_TOKEN);
    const body = json.body as Record<string, unknown>;
    assert.equal(body['schema'], 'shipclock.notification/v1');
    assert.equal(body['kind'], 'failed');
    assert.equal(body['job'], 'web');
    assert.equal(body['nominalTime'], '2026-07-01T02:30:00+02:00');
    assert.equal(body['nominalTimeUtc'], '2026-07-01T00:30:00.000Z');
    assert.equal(body['attempts'], 4);
    assert.equal(body['errorClass'], 'unhealthy');
    assert.equal(body['durationMs'], 61_000);
    assert.equal(body['logExcerpt'], 'rolling out\nusing [redacted]\nhealth check failed');
    assert.equal(body['url'], 'https://ship.example/runs/occ-web-1');

    const slack = by('slack').body as { text: string; blocks: { type: string; fields?: { type: string; text: string }[]; elements?: { url: string }[] }[] };
    assert.equal(by('slack').headers['authorization'], undefined, 'no secret header when none is configured');
    assert.match(slack.text, /Job web failed \(nominal 2026-07-01T02:30:00\+02:00, 4 attempts, unhealthy\)/);
    assert.deepEqual(slack.blocks.map((b) => b.type), ['header', 'section', 'section', 'actions']);
    const fields = slack.blocks[1]?.fields ?? [];
    assert.ok(fields.length > 0 && fields.length <= 10 && fields.every((f) => f.type === 'mrkdwn'));
    assert.ok(fields.some((f) => f.text === '*Error class*\nunhealthy'));
    assert.match(JSON.stringify(slack.blocks[2]), /\[redacted\]/);
    assert.equal(slack.blocks[3]?.elements?.[0]?.url, 'https://ship.example/runs/occ-web-1');

    const teamsReq = by('teams');
    assert.equal(teamsReq.headers['x-token'], HOOK_TOKEN);
    const teams = teamsReq.body as { type: string; attachments: { contentType: string; content: Record<string, unknown> }[] };
    assert.equal(teams.type, 'message');
    assert.equal(teams.attachments[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    const card = teams.attachments[0]?.content as { type: string; version: string; body: { type: string; facts?: { title: string; value: string }[] }[]; actions: { type: string; url: string }[] };
    assert.equal(card.type, 'AdaptiveCard');
    assert.equal(card.version, '1.4');
    assert.deepEqual(card.body.map((b) => b.type), ['TextBlock', 'FactSet', 'TextBlock']);
    assert.ok(card.body[1]?.facts?.some((f) => f.title === 'Nominal time' && f.value === '2026-07-01T02:30:00+02:00'));
    assert.deepEqual(card.actions, [{ type: 'Action.OpenUrl', title: 'Open run', url: 'https://ship.example/runs/occ-web-1' }]);

    assert.equal(records.length, 3);
    assert.ok(records.every((r) => r.ok && r.final && r.try === 1 && r.status === 200 && r.channel === 'webhook' && r.kind === 'failed'));
    assert.deepEqual(records.map((r) => r.target).sort(), ['127.0.0.1:' + new URL(receiver.url).port + ' (json)', '127.0.0.1:' + new URL(receiver.url).port + ' (slack)', '127.0.0.1:' + new URL(receiver.url).port + ' (teams)'].sort());
    const logged = log.text() + JSON.stringify(records);
    for (const secret of [HOOK_TOKEN, 'hook-token-98765', 'secret-path-123', 'dpl-secret-abcdef']) assert.ok(!logged.includes(secret), `${secret} leaked`);
  });

  it('retries with exponential backoff on the injected clock: a receiver failing twice then answering 200 gets three tries', async () => {
    await using receiver = await startReceiver((n) => (n <= 2 ? 503 : 200));
    const records: DeliveryRecord[] = [];
    const clock = new FakeClock(T0);
    await using notifier = createNotifier({
      jobs: [job('web', { onSuccess: true, webhooks: [{ url: receiver.url }] })],
      smtp: null,
      env: {},
      dashboardUrl: null,
      clock,
      record: async (d) => void records.push(d),
    });
    notifier.notify(event('succeeded', 'web', T0));
    await receiver.waitFor(1);
    assert.deepEqual(await clock.whenSleeping(), [T0 + 5_000], 'first wait: base 5 s');
    clock.advance(5_000);
    await receiver.waitFor(2);
    assert.deepEqual(await clock.whenSleeping(), [T0 + 15_000], 'second wait: doubled to 10 s');
    clock.advance(9_999);
    assert.equal(receiver.requests.length, 2, 'no third try before the wait is over');
    clock.advance(1);
    await notifier.idle();
    assert.equal(receiver.requests.length, 3);
    assert.deepEqual(
      records.map((r) => [r.try, r.ok, r.final, r.status, r.error?.code ?? null, r.startedAt.getTime() - T0]),
      [
        [1, false, false, 503, 'HTTP_503', 0],
        [2, false, false, 503, 'HTTP_503', 5_000],
        [3, true, true, 200, null, 15_000],
      ],
    );
    assert.equal(new Set(records.map((r) => r.deliveryId)).size, 1, 'one delivery id across its tries');
  });

  it('a receiver that always fails: notify never throws, tries run out and the failure is recorded and logged', async () => {
    await using receiver = await startReceiver(() => 500);
    const records: DeliveryRecord[] = [];
    const log = captureLog();
    const clock = new FakeClock(T0);
    await using notifier = createNotifier({
      jobs: [job('web', { onSuccess: true, webhooks: [{ url: receiver.url }] })],
      smtp: null,
      env: {},
      dashboardUrl: null,
      clock,
      logger: log,
      record: async (d) => void records.push(d),
    });
    assert.doesNotThrow(() => notifier.notify(event('succeeded', 'web', T0)));
    await drive(clock, notifier.idle());
    assert.equal(receiver.requests.length, 3);
    assert.deepEqual(records.map((r) => [r.try, r.ok, r.final]), [[1, false, false], [2, false, false], [3, false, true]]);
    assert.equal(log.lines.filter((l) => l.level === 'warn').length, 2);
    assert.match(log.lines.find((l) => l.level === 'error')?.msg ?? '', /giving up: webhook answered 500/);
  });

  it('does not retry an answer another try cannot fix (400), and retries a refused connection', async () => {
    await using receiver = await startReceiver(() => 400);
    const port = await closedPort();
    const records: DeliveryRecord[] = [];
    const clock = new FakeClock(T0);
    await using notifier = createNotifier({
      jobs: [
        job('bad-request', { onSuccess: true, webhooks: [{ url: receiver.url }] }),
        job('refused', { onSuccess: true, webhooks: [{ url: `http://127.0.0.1:${port}/x` }] }),
      ],
      smtp: null,
      env: {},
      dashboardUrl: null,
      clock,
      record: async (d) => void records.push(d),
    });
    notifier.notify(event('succeeded', 'bad-request', T0));
    notifier.notify(event('succeeded', 'refused', T0));
    await drive(clock, notifier.idle());
    const of = (j: string) => records.filter((r) => r.job === j).map((r) => [r.try, r.ok, r.final, r.error?.code]);
    assert.deepEqual(of('bad-request'), [[1, false, true, 'HTTP_400']]);
    assert.deepEqual(of('refused'), [[1, false, false, 'ECONNREFUSED'], [2, false, false, 'ECONNREFUSED'], [3, false, true, 'ECONNREFUSED']]);
  });

  it('survives a failing ledger writer, a throwing logger and malformed events', async () => {
    await using receiver = await startReceiver();
    const clock = new FakeClock(T0);
    const throwing = () => {
      throw new Error('logger down');
    };
    await using notifier = createNotifier({
      jobs: [job('web', { onSuccess: true, webhooks: [{ url: receiver.url }] })],
      smtp: null,
      env: {},
      dashboardUrl: null,
      clock,
      logger: { info: throwing, warn: throwing, error: throwing },
      record: async () => {
        throw new Error('ledger down');
      },
    });
    assert.doesNotThrow(() => notifier.notify(null as never));
    assert.doesNotThrow(() => notifier.notify({ type: 'exploded', job: 'web' } as never));
    assert.doesNotThrow(() => notifier.notify(event('succeeded', 'nobody', T0)));
    assert.doesNotThrow(() => notifier.notify(event('succeeded', 'web', T0)));
    await notifier.idle();
    assert.equal(receiver.requests.length, 1);
  });
});
