// Browser test of the clerk console (/clerk/) against a real talon-server with demo data:
// window choice, call next / done, live queue over SSE, Russian, reconnect after a restart.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { TalonServer, catalog, launchChromium, screenshotDir } from './harness.mjs';

const en = catalog('en');
const ru = catalog('ru');
const kTimeout = 60_000;

let server;
let browser;
let shots;
let failed = false;
const contexts = [];

// A test that throws marks the run failed, so after() keeps the server log and temp dir. The
// browser contexts a test opened close when it ends, so their event streams end with it.
function guarded(fn) {
  return async (t) => {
    const first = contexts.length;
    try {
      await drainWindow(1);
      await fn(t);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      for (const c of contexts.splice(first)) await c.close().catch(() => {});
    }
  };
}

/// Finishes whatever window n holds and serves everybody waiting for it, so each test starts
/// from an idle window with nobody in its queue, whatever the test before it left behind.
async function drainWindow(n) {
  for (let i = 0; i < 200; ++i) {
    const { data } = await server.api('GET', `/windows/${n}`);
    if (data.current) await server.api('POST', `/windows/${n}/done`);
    const next = await server.api('POST', `/windows/${n}/call-next`);
    if (next.status === 204) return;
    assert.equal(next.status, 200, `draining window ${n}: ${JSON.stringify(next.data)}`);
  }
  assert.fail(`window ${n} did not drain`);
}

before(async () => {
  server = new TalonServer();
  process.on('exit', () => server.killNow());
  await server.start();
  shots = screenshotDir('clerk');
  browser = await launchChromium();
});

after(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  if (browser) await browser.close().catch(() => {});
  if (server) {
    await server.stop();
    if (failed) console.log(`# server log (${server.logPath}):\n${server.log()}`);
    else server.removeFiles();
  }
});

/// A fresh browser profile (empty localStorage) and a page that records uncaught errors.
async function openPage({ locale = 'en-US', viewport = { width: 1366, height: 768 } } = {}) {
  const context = await browser.newContext({ locale, viewport, deviceScaleFactor: 1 });
  contexts.push(context);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  // Console errors other than the browser's own note on a failed request (a 404 for an unknown
  // window is an expected answer, not a bug).
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.errors.push(m.text());
  });
  return page;
}

async function gotoWindow(page, n) {
  await page.goto(`${server.url}/clerk/?window=${n}`);
  await page.locator('body[data-screen="work"][data-connection="open"]').waitFor({ timeout: 10_000 });
}

/// Waits until `selector`'s text equals `expected`; on timeout fails with the text it had.
async function expectText(page, selector, expected, timeout = 5000) {
  try {
    await page.waitForFunction(
      ([sel, want]) => document.querySelector(sel)?.textContent.trim() === want,
      [selector, expected],
      { timeout },
    );
  } catch {
    const actual = await page.locator(selector).first().textContent().catch(() => '(missing)');
    assert.equal(actual?.trim(), expected, `text of ${selector}`);
  }
}

async function expectVisible(page, selector, visible = true, timeout = 5000) {
  try {
    await page.locator(selector).first().waitFor({ state: visible ? 'visible' : 'hidden', timeout });
  } catch {
    assert.fail(`${selector} should be ${visible ? 'visible' : 'hidden'}`);
  }
}

/// Waits until no call-next or done request of the page is in flight.
async function untilIdle(page) {
  await page.waitForFunction(() => !document.body.classList.contains('is-busy'), null, { timeout: 5000 });
}

/// Presses a shortcut key once its button is enabled: the live event can show a called ticket a
/// moment before the page's own request returns, and keys are ignored while one is in flight.
async function pressShortcut(page, key, buttonId) {
  await page.waitForFunction((id) => !document.getElementById(id).disabled, buttonId, { timeout: 5000 });
  await page.keyboard.press(key);
}

async function waitingCount(page, letter) {
  return Number(await page.locator(`.queue-row[data-service="${letter}"] .queue-count`).textContent());
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), animations: 'disabled' });
}

/// Neither horizontal scrolling nor a main button below the fold at the current viewport.
async function assertFits(page, what) {
  const m = await page.evaluate(() => {
    const r = (id) => document.getElementById(id).getBoundingClientRect();
    return {
      scrollWidth: document.documentElement.scrollWidth,
      width: innerWidth,
      height: innerHeight,
      call: r('call-next'),
      done: r('done'),
    };
  });
  assert.ok(m.scrollWidth <= m.width, `${what}: page scrolls sideways (${m.scrollWidth} > ${m.width})`);
  for (const b of [m.call, m.done]) {
    assert.ok(b.bottom <= m.height && b.height >= 48, `${what}: buttons must be fully visible and large (${JSON.stringify(b)})`);
  }
}

async function serverWaiting(letter) {
  const { data } = await server.api('GET', '/services');
  return data.services.find((s) => s.letter === letter).waiting;
}

test('the window chooser rejects unknown windows and remembers the chosen one', { timeout: kTimeout }, guarded(async () => {
  const page = await openPage();
  await page.goto(`${server.url}/clerk/`);
  await expectVisible(page, '#chooser');
  await expectText(page, 'label[for="window-input"]', en['clerk.choose_window']);
  await shot(page, '01-choose-window');

  await page.fill('#window-input', '999');
  await page.press('#window-input', 'Enter');
  await expectText(page, '#chooser-error', en['clerk.unknown_window']);
  await expectVisible(page, '#work', false);
  await shot(page, '02-unknown-window');

  await page.fill('#window-input', '1');
  await page.getByRole('button', { name: en['clerk.open'] }).click();
  await expectVisible(page, '#work');
  await expectText(page, '#window-number', '1');
  assert.match(page.url(), /[?&]window=1\b/);

  // A new tab of the same browser opens straight on window 1.
  const again = await page.context().newPage();
  await again.goto(`${server.url}/clerk/`);
  await expectVisible(again, '#work');
  await expectText(again, '#window-number', '1');

  // "Change window" goes back to the chooser with the number filled in.
  await again.getByRole('button', { name: en['clerk.change_window'] }).click();
  await expectVisible(again, '#chooser');
  assert.equal(await again.inputValue('#window-input'), '1');
  assert.deepEqual(page.errors, []);
}));

test('call next shows the ticket, done clears it, an empty queue says so', { timeout: kTimeout }, guarded(async () => {
  const issued = await server.issue('A');
  const page = await openPage();
  await gotoWindow(page, 1);
  const callNext = page.getByRole('button', { name: en['clerk.call_next'] });
  const done = page.getByRole('button', { name: en['clerk.done'] });

  await expectText(page, '#current-none', en['clerk.none']);
  assert.equal(await done.isDisabled(), true, 'Done is disabled without a current ticket');
  assert.equal(await callNext.isEnabled(), true);
  assert.ok((await waitingCount(page, 'A')) >= 1);
  await assertFits(page, '1366x768');
  await shot(page, '03-idle');

  await callNext.click();
  await expectText(page, '#current-number', issued.number);
  await untilIdle(page);
  const { data: services } = await server.api('GET', '/services');
  const nameA = services.services.find((s) => s.letter === 'A').names.en;
  await expectText(page, '#current-service', nameA);
  assert.match(await page.textContent('#current-called'), /\d\d:\d\d/);
  assert.equal(await callNext.isDisabled(), true, 'Call next is disabled while holding a ticket');
  assert.equal(await done.isEnabled(), true);
  const { data: win } = await server.api('GET', '/windows/1');
  assert.equal(win.current && win.current.number, issued.number, 'the server agrees window 1 holds the ticket');
  await shot(page, '04-called');

  const sizes = [
    [1366, 657, '05-called-1366x768-in-browser'], // 768 minus the browser's own bars
    [1280, 800, '05-called-tablet-landscape'],
    [800, 1280, '06-called-tablet-portrait'],
  ];
  for (const [w, h, name] of sizes) {
    await page.setViewportSize({ width: w, height: h });
    await assertFits(page, `${w}x${h}`);
    await shot(page, name);
  }
  await page.setViewportSize({ width: 1366, height: 768 });

  await done.click();
  await expectVisible(page, '#current-none');
  await expectText(page, '#current-none', en['clerk.none']);
  await expectText(page, '#current-number', '');
  assert.equal(await done.isDisabled(), true);
  assert.equal((await server.api('GET', '/windows/1')).data.current, null);

  // Nobody left for window 1: the 204 answer becomes a sentence, not an error.
  await page.waitForFunction(() => !document.getElementById('call-next').disabled);
  await callNext.click();
  await expectText(page, '#message', en['clerk.nobody_waiting']);
  // ...until somebody arrives for this window.
  const late = await server.issue('A');
  await expectVisible(page, '#message', false);
  await callNext.click();
  await expectText(page, '#current-number', late.number);
  await done.click();
  await expectVisible(page, '#current-none');
  assert.deepEqual(page.errors, []);
}));

test('keyboard shortcuts work, and a double click calls only one ticket', { timeout: kTimeout }, guarded(async () => {
  const first = await server.issue('A');
  const second = await server.issue('A');
  const page = await openPage();
  await gotoWindow(page, 1);

  await page.dblclick('#call-next');
  await expectText(page, '#current-number', first.number);
  await page.waitForTimeout(300); // let a second request, if one went out, come back
  await expectVisible(page, '#message', false); // no "window busy" error from a second call
  assert.equal(await serverWaiting('A'), 1, 'the second ticket is still waiting');

  await pressShortcut(page, 'd', 'done');
  await expectVisible(page, '#current-none');
  await pressShortcut(page, 'n', 'call-next');
  await expectText(page, '#current-number', second.number);
  await pressShortcut(page, 'd', 'done');
  await expectVisible(page, '#current-none');

  // Typing in the window number field must not call anybody.
  await server.issue('A');
  await page.getByRole('button', { name: en['clerk.change_window'] }).click();
  await page.fill('#window-input', '');
  await page.keyboard.type('n');
  await page.waitForTimeout(300);
  assert.equal(await serverWaiting('A'), 1, 'N typed into the input must not call a ticket');
  await page.fill('#window-input', '1');
  await page.press('#window-input', 'Enter');
  await expectVisible(page, '#work');
  await pressShortcut(page, 'n', 'call-next');
  await page.locator('#ticket-card[data-state="current"]').waitFor();
  await pressShortcut(page, 'd', 'done');
  await expectVisible(page, '#current-none');
  assert.deepEqual(page.errors, []);
}));

test('waiting counts and the current ticket follow the server live, without a reload', { timeout: kTimeout }, guarded(async () => {
  const page = await openPage();
  await gotoWindow(page, 1);
  await page.evaluate(() => {
    window.talonNoReload = true;
  });

  const before = await waitingCount(page, 'A');
  await server.issue('A');
  await expectText(page, '.queue-row[data-service="A"] .queue-count', String(before + 1));

  // Services this window does not serve are listed too (not highlighted) and update as well.
  const { data: win } = await server.api('GET', '/windows/1');
  const mine = win.services.map((s) => s.service);
  assert.ok(await page.locator('.queue-row.is-mine[data-service="A"]').count() === 1, 'A is highlighted');
  const { data: all } = await server.api('GET', '/services');
  const other = all.services.find((s) => !mine.includes(s.letter));
  if (other) {
    assert.equal(await page.locator(`.queue-row.is-mine[data-service="${other.letter}"]`).count(), 0);
    await server.issue(other.letter);
    await expectText(page, `.queue-row[data-service="${other.letter}"] .queue-count`, String(other.waiting + 1));
  }

  // Another tab (here: the API) calls and finishes for this window; the page follows.
  const called = await server.api('POST', '/windows/1/call-next');
  assert.equal(called.status, 200);
  await expectText(page, '#current-number', called.data.number);
  assert.equal(await page.locator('#done').isEnabled(), true);
  await expectText(page, '.queue-row[data-service="A"] .queue-count', String(before));
  assert.equal((await server.api('POST', '/windows/1/done')).status, 200);
  await expectVisible(page, '#current-none');

  assert.equal(await page.evaluate(() => window.talonNoReload), true, 'the page was not reloaded');
  assert.deepEqual(page.errors, []);
}));

test('Russian: switch, remembered, and requests carry Accept-Language: ru', { timeout: kTimeout }, guarded(async () => {
  const issued = await server.issue('A');
  const page = await openPage();
  await gotoWindow(page, 1);
  await page.getByRole('button', { name: 'RU', exact: true }).click();
  await expectText(page, '#call-next span', 'Вызвать следующего');
  await expectText(page, '#call-next span', ru['clerk.call_next']);
  await expectText(page, '#current-none', ru['clerk.none']);
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');

  const headers = [];
  page.on('request', (r) => {
    if (r.url().includes('/call-next')) headers.push(r.headers()['accept-language']);
  });
  await page.getByRole('button', { name: ru['clerk.call_next'] }).click();
  await expectText(page, '#current-number', issued.number);
  assert.deepEqual(headers, ['ru']);
  const { data: services } = await server.api('GET', '/services');
  await expectText(page, '#current-service', services.services.find((s) => s.letter === 'A').names.ru);
  assert.match(await page.textContent('#current-called'), /^Вызван в \d\d:\d\d$/);
  await shot(page, '07-russian-called');
  await page.setViewportSize({ width: 800, height: 1280 });
  await assertFits(page, 'Russian, 800x1280'); // longer Russian labels must still fit
  await shot(page, '08-russian-called-tablet-portrait');
  await page.setViewportSize({ width: 1366, height: 768 });

  // Remembered across a reload.
  await page.reload();
  await page.locator('body[data-screen="work"]').waitFor();
  await expectText(page, '#done span', ru['clerk.done']);
  await page.getByRole('button', { name: ru['clerk.done'] }).click();
  await expectText(page, '#current-none', ru['clerk.none']);
  await shot(page, '09-russian-idle');

  // A browser set to Russian starts in Russian; back to English with one click.
  const fresh = await openPage({ locale: 'ru-RU' });
  await fresh.goto(`${server.url}/clerk/?window=999`);
  await expectText(fresh, '#chooser-error', ru['clerk.unknown_window']);
  await fresh.getByRole('button', { name: 'EN', exact: true }).click();
  await expectText(fresh, '#chooser-error', en['clerk.unknown_window']);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(fresh.errors, []);
}));

test('a refused request shows the server\'s own message in the chosen language', { timeout: kTimeout }, guarded(async () => {
  // Without its event stream the page cannot learn that another device called for window 1.
  const page = await openPage({ locale: 'ru-RU' });
  await page.route('**/api/v1/events*', (route) => route.abort());
  await page.goto(`${server.url}/clerk/?window=1`);
  await page.locator('body[data-screen="work"]').waitFor();
  await expectVisible(page, '#banner', true, 5000);
  const issued = await server.issue('A');
  assert.equal((await server.api('POST', '/windows/1/call-next')).status, 200);

  await page.getByRole('button', { name: ru['clerk.call_next'] }).click();
  const busy = await server.api('POST', '/windows/1/call-next', undefined, { 'Accept-Language': 'ru' });
  assert.equal(busy.status, 409);
  await expectText(page, '#message', busy.data.error.message);
  assert.match(busy.data.error.message, /Окно 1/);
  // The page then shows what the window really holds, so the clerk can finish it.
  await expectText(page, '#current-number', issued.number);
  await shot(page, '11-server-error-ru');
  await page.getByRole('button', { name: ru['clerk.done'] }).click();
  await expectVisible(page, '#current-none');
  assert.equal((await server.api('GET', '/windows/1')).data.current, null);
  assert.deepEqual(page.errors, []);
}));

test('a banner shows while the server is gone; after it returns the page catches up', { timeout: kTimeout }, guarded(async () => {
  const page = await openPage();
  await gotoWindow(page, 1);
  await expectVisible(page, '#banner', false);
  const before = await waitingCount(page, 'A');

  await server.stop();
  await expectVisible(page, '#banner');
  await expectText(page, '#banner', en['clerk.disconnected']);
  await shot(page, '10-disconnected');

  await server.start(); // same port, same database
  await server.issue('A');
  await expectVisible(page, '#banner', false, 15_000);
  await expectText(page, '.queue-row[data-service="A"] .queue-count', String(before + 1));
  // The ticket issued while reconnecting can be called right away.
  await page.getByRole('button', { name: en['clerk.call_next'] }).click();
  await page.locator('#ticket-card[data-state="current"]').waitFor();
  await page.getByRole('button', { name: en['clerk.done'] }).click();
  await expectVisible(page, '#current-none');
  // Failed requests while the server was down are expected console noise here.
}));
