/**
 * The dashboard end to end in headless Chromium (Debian `chromium`, driven by playwright-core):
 * the real scheduler on the real clock, a real shell deploy, the real server and ledger. Waits
 * on selectors and events only. Leaves test-artifacts/dashboard.png (and a narrow-screen one).
 * Needs /usr/bin/chromium: scripts/ensure-chromium.sh installs it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { createScheduler } from '../../src/app/compose.js';
import { loadConfig } from '../../src/config/index.js';
import { systemClock } from '../../src/scheduler/system-clock.js';
import { createApiServer } from '../../src/server/api-server.js';
import { SqliteStore } from '../../src/store/sqlite-store.js';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(import.meta.dirname, '..', '..', 'test-artifacts');
const TOKEN = 'e2e-token-4f7b1c';

const YAML = `
deployments:
  web:
    schedule: "*/5 * * * *"
    description: The web frontend
    provider: shell
    command: ["sh", "-c", "echo deploying; sleep 0.3"]
    max_retries: 0
  slow:
    description: waits for the test to open its gate
    provider: shell
    # The output is computed so the command line the log starts with never contains it.
    command: ["sh", "-c", 'echo "step $((0+1))"; while [ ! -e "$GATE" ]; do sleep 0.05; done; echo "step $((1+1))"']
    env:
      GATE: "@GATE@"
    max_retries: 0
  reports:
    schedule: weekdays at 9:00
    timezone: America/New_York
    description: "<img src=x onerror=alert(1)> & <b>not bold</b>"
    provider: shell
    command: ["sh", "-c", "echo reports"]
    max_retries: 0
`;

test('dashboard in headless Chromium: jobs, countdown, trigger with the token prompt, live finish, timeline, run page, pause/resume', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is missing (scripts/ensure-chromium.sh)`, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shipclock-e2e-'));
  const gate = join(dir, 'gate');
  writeFileSync(join(dir, 'shipclock.yaml'), YAML.replace('@GATE@', gate));
  const config = await loadConfig({ file: join(dir, 'shipclock.yaml'), cwd: dir, env: {}, flags: { state: join(dir, 'state') } });
  const store = new SqliteStore(join(dir, 'ledger.db'));
  await store.migrate();
  const scheduler = createScheduler(config, { store, clock: systemClock, owner: 'e2e' });
  const api = await createApiServer({ config, store, scheduler, clock: systemClock, token: TOKEN, host: '127.0.0.1', port: 0 });
  await scheduler.start();
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    const prompts: string[] = [];
    page.on('dialog', (d) => {
      prompts.push(d.message());
      void d.accept(/token/i.test(d.message()) ? TOKEN : 'release freeze');
    });

    await page.goto(`${api.url}/`);
    const web = page.locator('[data-job="web"]');
    await web.waitFor();
    assert.match(await web.locator('[data-testid="schedule"]').innerText(), /every 5 minutes/);
    assert.match(await web.locator('.countdown').innerText(), /^(in \d+m \d\ds|due now)$/);
    const reports = page.locator('[data-job="reports"]');
    assert.match(await reports.innerText(), /America\/New_York/);
    // Data is text, never markup: the description shows literally and creates no elements.
    assert.ok((await reports.innerText()).includes('<img src=x onerror=alert(1)> & <b>not bold</b>'));
    assert.equal(await reports.locator('img, b').count(), 0);
    await page.locator('#conn[data-live="yes"]').waitFor();

    // Trigger: reads are open on loopback, the action needs the token, so the page asks for it.
    await web.locator('button[data-action="trigger"]').click();
    const cell = page.locator('[data-timeline-job="web"] .tl-cell[data-kind="manual"][data-state="succeeded"]');
    await cell.waitFor(); // arrives through server-sent events: no reload
    assert.equal(prompts.filter((p) => /token/i.test(p)).length, 1);
    assert.match((await cell.getAttribute('title')) ?? '', /succeeded — deployed/);
    await web.locator('a [data-state="succeeded"]').waitFor(); // last result on the job card
    // Page-side code as strings: this project compiles without the DOM library.
    const colours = await page.evaluate<string[]>(
      `['.tl-cell[data-state="succeeded"]', '[data-job="web"] .badge[data-state="succeeded"]'].map((q) => getComputedStyle(document.querySelector(q)).backgroundColor)`,
    );
    assert.equal(colours[0], colours[1], 'the timeline cell has the state colour of its badge');
    const ledger = await store.listOccurrences({ job: 'web' });
    assert.equal(ledger.length, 1);
    assert.equal(ledger[0]!.state, 'succeeded');
    assert.equal(ledger[0]!.requestedBy, 'api');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });

    // The run page: details and the attempt's log.
    await cell.click();
    await page.waitForURL(/\/runs\//);
    await page.locator('[data-run-state="succeeded"]').waitFor();
    await page.locator('[data-testid="log"]', { hasText: 'deploying' }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-run.png'), fullPage: true });

    // A run page opened while the deploy runs shows its log as it is written, then its end.
    await page.goto(`${api.url}/`);
    await page.locator('[data-job="slow"] button[data-action="trigger"]').click();
    const slowCell = page.locator('[data-timeline-job="slow"] .tl-cell[data-state="running"]');
    await slowCell.waitFor();
    await slowCell.click();
    await page.waitForURL(/\/runs\//);
    await page.locator('[data-testid="log"]', { hasText: /^step 1$/m }).waitFor();
    assert.equal(await page.locator('[data-run-state="running"]').count(), 1);
    assert.doesNotMatch(await page.locator('[data-testid="log"]').innerText(), /^step 2$/m);
    writeFileSync(gate, '');
    await page.locator('[data-testid="log"]', { hasText: /^step 2$/m }).waitFor();
    await page.locator('[data-run-state="succeeded"]').waitFor();
    assert.equal((await page.locator('[data-testid="log"]').innerText()).match(/^step 1$/gm)?.length, 1, 'the log is not shown twice');

    // Pause (with a note from the prompt) and resume from the buttons.
    await page.goto(`${api.url}/`);
    await web.locator('button[data-action="pause"]').click();
    await web.locator('[data-state="paused"]').waitFor();
    assert.equal((await store.getJob('web'))?.pausedNote, 'release freeze');
    await web.locator('button[data-action="resume"]').click();
    await web.locator('button[data-action="pause"]').waitFor();
    assert.equal((await store.getJob('web'))?.paused, false);

    // Readable on a narrow screen: no sideways scrolling.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.locator('[data-job="web"]').waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    assert.ok(overflow <= 0, `page is ${overflow}px wider than a 375px screen`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-narrow.png'), fullPage: true });
    assert.deepEqual(pageErrors, []);
  } finally {
    await browser?.close();
    await api.close();
    await scheduler.stop({ force: true });
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
