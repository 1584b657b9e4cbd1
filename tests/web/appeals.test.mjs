// Browser test of the admin console's appeals register (/admin/) in headless Chromium against a
// real talon-server (logins required, the demo accounts): logging in, the register of appeals
// sent as a kiosk sends them, every filter, the whole lifecycle of an appeal in the page with
// its history, a script in a visitor's text shown as text, the report with the ranking of
// topics, the alert for an urgent appeal (also after the stream dropped), and both languages.
//
// Overdue appeals need a deadline in the past, and the server refuses to set one: so appeals are
// first registered with the office in UTC-12, and the server is then restarted on the same
// database with the office in UTC+14. Its "today" is then one or two days later than the day
// those appeals were registered on, whatever the time of the run; nothing is faked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { TalonServer, catalog, expectText, launchChromium, screenshotDir } from './harness.mjs';

const en = catalog('en');
const ru = catalog('ru');

// Default categories, but meters answered within 2 working days (so a new one is "due soon");
// no weekends, so any later date is a working day for extending a deadline.
const config = (timezone) => `[auth]
require_login = true
demo_users = true

[day]
timezone = "${timezone}"

[readings]
lookups_per_minute = 1000
lookups_per_minute_per_address = 10000

[appeals]
weekends = []
due_soon_working_days = 2

[[appeals.categories]]
id = "service_staff"
deadline_working_days = 10

[[appeals.categories]]
id = "billing"
deadline_working_days = 10

[[appeals.categories]]
id = "supply_quality"
deadline_working_days = 10

[[appeals.categories]]
id = "meters"
deadline_working_days = 2

[[appeals.categories]]
id = "connection_contracts"
deadline_working_days = 10

[[appeals.categories]]
id = "safety_hazard"
deadline_working_days = 0
urgent = true

[[appeals.categories]]
id = "other"
deadline_working_days = 10
names = { ru = "Иное", en = "Anything else" }
`;

const kScript = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';

let server;
let browser;
let shots;
let admin; // the test's own API client, logged in as admin
let failed = false;
let keys = 0;
const contexts = [];
const seeded = {}; // appeals registered before the office "moved" a day on: {overdue, older}

function guarded(fn) {
  return async (t) => {
    const first = contexts.length;
    try {
      await fn(t);
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      for (const c of contexts.splice(first)) await c.close().catch(() => {});
    }
  };
}

/// One appeal as a kiosk sends it; the answer's body (number, due_on, ...).
async function submit(fields = {}) {
  const body = {
    type: 'complaint',
    category: 'billing',
    text: 'The bill for May is twice as high as usual.',
    name: 'Иванов Пётр',
    phone: '+7 (912) 345-67-89',
    reply_channel: 'phone',
    consent: true,
    ...fields,
  };
  const { status, data } = await server.api('POST', '/appeals', body, {
    'Idempotency-Key': `web-${process.pid}-${++keys}`,
    'X-Talon-Kiosk': 'hall-1',
  });
  assert.equal(status, 201, `POST /appeals: ${JSON.stringify(data)}`);
  return data;
}

before(async () => {
  server = new TalonServer({ config: config('Etc/GMT+12') }); // POSIX sign: UTC-12
  process.on('exit', () => server.killNow());
  await server.start();
  seeded.overdue = await submit({ category: 'safety_hazard', text: 'Sparking wires at the entrance.', name: 'Сидоров Олег', phone: '+7 900 111-22-33' });
  seeded.older = await submit({ category: 'supply_quality', type: 'request', text: 'Power cuts every evening.', name: 'Smith John', phone: '+44 20 7946 0958', email: 'john@example.com', reply_channel: 'email' });
  await server.stop();
  fs.writeFileSync(server.configPath, config('Etc/GMT-14')); // UTC+14: the next day or the one after
  await server.start();
  shots = screenshotDir('admin');
  browser = await launchChromium();
  admin = await server.clerk('admin', 'admin');
  for (const [name, a] of Object.entries(seeded)) {
    seeded[name] = (await admin.api('GET', `/appeals/${encodeURIComponent(a.number)}`)).data;
  }
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

async function openPage({ locale = 'en-GB', viewport = { width: 1366, height: 768 } } = {}) {
  const context = await browser.newContext({ locale, viewport, deviceScaleFactor: 1, timezoneId: 'Europe/Moscow' });
  contexts.push(context);
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) page.errors.push(m.text());
  });
  return page;
}

async function shot(page, name, fullPage = false) {
  await page.mouse.move(0, 0); // no row left highlighted under the pointer
  await page.waitForTimeout(250); // let colour transitions finish
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });
}

/// Opens the console and logs in; ends on the register with its first answer in.
async function logIn(page, login = 'admin', password = 'admin') {
  await page.goto(`${server.url}/admin`);
  await page.locator('body[data-screen="login"]').waitFor();
  await page.fill('#login-name', login);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await registerShown(page);
}

async function registerShown(page) {
  await page.locator('body[data-screen="work"][data-view="register"]').waitFor();
  await page.waitForFunction(() => /\d/.test(document.querySelector('#register-count').textContent));
}

/// The numbers the register shows, once they are exactly `numbers` (any order).
async function expectRows(page, numbers, what) {
  const want = [...numbers].sort();
  try {
    await page.waitForFunction(
      (w) => JSON.stringify([...document.querySelectorAll('#appeal-rows tr')].map((r) => r.dataset.number).sort()) === JSON.stringify(w),
      want,
      { timeout: 5000 },
    );
  } catch {
    const have = await page.$$eval('#appeal-rows tr', (rows) => rows.map((r) => r.dataset.number).sort());
    assert.deepEqual(have, want, what);
  }
}

async function allNumbers() {
  const { data } = await admin.api('GET', '/appeals?limit=1000');
  return data.appeals.map((a) => a.number);
}

async function openAppeal(page, number) {
  await page.click(`#appeal-rows tr[data-number="${number}"] .appeal-link`);
  await page.locator('body[data-view="detail"]').waitFor();
  await expectText(page, '#detail-number', number);
}

/// The action buttons the page offers for the open appeal.
async function visibleActions(page) {
  return page.$$eval('#actions [data-action]', (bs) => bs.filter((b) => !b.hidden).map((b) => b.dataset.action).sort());
}

async function historyActions(page) {
  return page.$$eval('#history-list li', (items) => items.map((li) => li.className.replace(/^.*history-/, '')));
}

test('/admin without a session shows the login form; a wrong password is refused in the visitor\'s language', guarded(async () => {
  const redirect = await fetch(`${server.url}/admin`, { redirect: 'manual' });
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get('location'), '/admin/');

  const page = await openPage();
  await page.goto(`${server.url}/admin/`);
  await page.locator('body[data-screen="login"]').waitFor();
  assert.equal(await page.locator('#login-form').isVisible(), true);
  assert.equal(await page.locator('#register').isVisible(), false);
  await expectText(page, '.login-title', en['admin.login_title']);
  await shot(page, 'login-en');

  await page.click('#login-submit');
  await expectText(page, '#login-error', en['admin.login_missing']);

  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', 'wrong-password');
  await page.click('#login-submit');
  await expectText(page, '#login-error', en['error.bad_login']);
  assert.equal(await page.inputValue('#login-password'), '');

  await page.click('.lang-btn[data-lang="ru"]');
  await expectText(page, '.login-title', ru['admin.login_title']);
  await page.fill('#login-name', 'admin');
  await page.fill('#login-password', 'wrong-again');
  await page.click('#login-submit');
  await expectText(page, '#login-error', ru['error.bad_login']);
  await shot(page, 'login-wrong-password-ru');
  // Nothing of the register was fetched without a session.
  assert.equal(await page.locator('#appeal-rows tr').count(), 0);
  assert.deepEqual(page.errors, []);
}));

test('the register lists the appeals sent from kiosks, the visitor masked, for a clerk too', guarded(async () => {
  const fresh = await submit({ category: 'meters', type: 'question', text: 'When will my meter be checked?', name: 'Петрова Анна', phone: '+7 912 000-43-21' });
  const page = await openPage();
  await logIn(page, 'clerk1', 'demo');
  await expectRows(page, await allNumbers(), 'every appeal is listed');
  const row = page.locator(`#appeal-rows tr[data-number="${fresh.number}"]`);
  const cells = await row.locator('td').allTextContents();
  assert.equal(cells[0], fresh.number);
  assert.equal(cells[2], en['appeals.type.question']);
  assert.equal(cells[3], en['appeals.category.meters']);
  assert.equal(cells[4], en['appeal.status.registered']);
  assert.match(cells[6], /П\. А\.…4321/);
  assert.equal(cells[7], '—');
  // Masked: no name, no full phone, no text anywhere on the register.
  const text = await page.locator('#register').textContent();
  for (const secret of ['Петрова', '912 000', 'meter be checked', 'Сидоров', 'Smith']) assert.ok(!text.includes(secret), secret);
  await expectText(page, '#user-name', 'Иванова А.');
  await expectText(page, '#register-count', en['admin.count'].replace('{n}', String((await allNumbers()).length)));
  assert.deepEqual(page.errors, []);
}));

test('filters: status, category, overdue, due soon and the registration period', guarded(async () => {
  const meters = await submit({ category: 'meters', text: 'Meter display is blank.' });
  const billing = await submit({ category: 'billing', text: 'Charged twice.' });
  const assigned = await submit({ category: 'other', text: 'Please call me back.' });
  assert.equal((await admin.api('POST', `/appeals/${encodeURIComponent(assigned.number)}/assign`, { to: 'clerk2' })).status, 200);
  const { data: office } = await server.api('GET', '/office');
  const today = office.today;
  assert.ok(seeded.overdue.due_on < today, `the seeded appeal is due ${seeded.overdue.due_on}, before ${today}`);

  const page = await openPage();
  await logIn(page);
  const all = await allNumbers();
  await expectRows(page, all, 'no filter');
  // The categories as the server's config names them (GET /office), in its order.
  const options = await page.locator('#filter-category option').allTextContents();
  assert.deepEqual(options.slice(1), ['Service and staff', 'Billing and charges', 'Supply quality and outages', 'Meters',
    'Connection and contracts', 'Safety hazard', 'Anything else']);

  // Overdue: only the urgent appeal registered "yesterday", highlighted and tagged.
  await page.check('#filter-overdue');
  await expectRows(page, [seeded.overdue.number], 'overdue');
  const overdueRow = page.locator(`#appeal-rows tr[data-number="${seeded.overdue.number}"]`);
  assert.match(await overdueRow.getAttribute('class'), /is-overdue/);
  assert.match(await overdueRow.locator('.tag-overdue').textContent(), /^Overdue by \d working days?$/);
  assert.equal(await overdueRow.locator('.tag-urgent').textContent(), en['admin.tag_urgent']);
  await page.uncheck('#filter-overdue');

  // Due soon: open appeals due within 2 working days (the meters ones), marked in the list.
  await page.check('#filter-due-soon');
  const { data: soon } = await admin.api('GET', '/appeals?due_soon=true');
  assert.ok(soon.appeals.some((a) => a.number === meters.number));
  await expectRows(page, soon.appeals.map((a) => a.number), 'due soon');
  await expectText(page, `#appeal-rows tr[data-number="${meters.number}"] .tag-soon`, 'Due in 2 working days');
  await page.uncheck('#filter-due-soon');
  await expectRows(page, all, 'due soon off');
  assert.match(await page.locator(`#appeal-rows tr[data-number="${meters.number}"]`).getAttribute('class'), /is-due-soon/);
  assert.doesNotMatch(await page.locator(`#appeal-rows tr[data-number="${billing.number}"]`).getAttribute('class'), /is-due-soon|is-overdue/);

  // Status and category.
  await page.selectOption('#filter-status', 'assigned');
  await expectRows(page, [assigned.number], 'assigned');
  await expectText(page, `#appeal-rows tr[data-number="${assigned.number}"] td:last-child`, 'Петров Б. (clerk2)');
  await page.selectOption('#filter-status', '');
  await page.selectOption('#filter-category', 'meters');
  const { data: allMeters } = await admin.api('GET', '/appeals?category=meters');
  await expectRows(page, allMeters.appeals.map((a) => a.number), 'meters');
  await page.selectOption('#filter-category', 'supply_quality');
  await expectRows(page, [seeded.older.number], 'supply quality');
  await page.selectOption('#filter-category', '');

  // Period: from today leaves out the two registered before the office moved on a day.
  await page.fill('#filter-from', today);
  await page.locator('#filter-from').dispatchEvent('change');
  await expectRows(page, all.filter((n) => n !== seeded.overdue.number && n !== seeded.older.number), 'from today');
  await page.fill('#filter-to', seeded.older.registered_on);
  await page.locator('#filter-to').dispatchEvent('change');
  // The end before the start: the server's own sentence, and nothing listed.
  const { data: refused } = await admin.api('GET', `/appeals?from=${today}&to=2000-01-01`);
  await expectText(page, '#register-message', refused.error.message);
  await page.click('#filter-reset');
  await expectRows(page, all, 'reset');
  assert.equal(await page.inputValue('#filter-from'), '');
  assert.equal(await page.locator('#register-message').isVisible(), false);
  await shot(page, 'register-en');
  assert.deepEqual(page.errors, []);
}));

test('the whole lifecycle in the page: assign, start, note, extend, answer, close, each in the history with its author', guarded(async () => {
  const appeal = await submit({ category: 'billing', text: 'I was charged for a month I was away.\nPlease check.', name: 'Кузнецова Мария', phone: '+7 912 555-12-34', email: 'maria@example.ru', address: 'ул. Мира, 1', account: '1000001', reply_channel: 'email' });
  const page = await openPage();
  await logIn(page);
  await openAppeal(page, appeal.number);
  await expectText(page, '#detail-status', en['appeal.status.registered']);
  assert.equal(await page.locator('#detail-text').textContent(), 'I was charged for a month I was away.\nPlease check.');
  const contacts = await page.locator('#detail-contacts').textContent();
  for (const shown of ['Кузнецова Мария', '+79125551234', 'maria@example.ru', 'ул. Мира, 1', '1000001', en['appeals.channel.email']]) {
    assert.ok(contacts.includes(shown), `${shown} in ${contacts}`);
  }
  assert.deepEqual(await visibleActions(page), ['assign', 'extend', 'note']);

  // Assign: nobody chosen is an error; then clerk2.
  await page.click('#act-assign');
  await page.locator('#assign-dialog[open]').waitFor();
  await page.click('#assign-submit');
  await expectText(page, '#assign-dialog .form-error', en['admin.err_pick_staff']);
  const options = await page.$$eval('#assign-to option', (os) => os.map((o) => o.value));
  assert.deepEqual(options, ['', 'admin', 'clerk1', 'clerk2', 'clerk3', 'clerk4', 'clerk5', 'clerk6']);
  await page.selectOption('#assign-to', 'clerk2');
  await page.click('#assign-submit');
  await expectText(page, '#detail-status', en['appeal.status.assigned']);
  assert.equal(await page.locator('#assign-dialog').getAttribute('open'), null);
  await expectText(page, '#detail-message', en['admin.done_assign'].replace('{number}', appeal.number));
  assert.deepEqual(await visibleActions(page), ['assign', 'extend', 'note', 'start']);
  await expectText(page, '#act-assign', en['admin.action_reassign']);

  await page.click('#act-start');
  await expectText(page, '#detail-status', en['appeal.status.in_progress']);
  assert.deepEqual(await visibleActions(page), ['answer', 'assign', 'extend', 'note']);

  // A note: empty is refused in the page and nothing is sent.
  await page.click('#act-note');
  await page.locator('#note-dialog[open]').waitFor();
  await page.fill('#note-text', '   ');
  await page.click('#note-submit');
  await expectText(page, '#note-dialog .form-error', en['admin.err_note_empty']);
  assert.equal(await page.getAttribute('#note-text', 'aria-invalid'), 'true');
  await page.fill('#note-text', 'Asked billing to recalculate.');
  await page.click('#note-submit');
  await page.locator('#history-list li.history-note').waitFor();

  // Extend: without a reason nothing changes; a date not later than the deadline gets the
  // server's sentence; then a proper one.
  const before = (await admin.api('GET', `/appeals/${encodeURIComponent(appeal.number)}`)).data;
  await page.click('#act-extend');
  await page.locator('#extend-dialog[open]').waitFor();
  const later = new Date(`${before.due_on}T00:00:00Z`);
  later.setUTCDate(later.getUTCDate() + 5);
  const newDue = later.toISOString().slice(0, 10);
  await page.fill('#extend-date', newDue);
  await page.click('#extend-submit');
  await expectText(page, '#extend-dialog .form-error', en['admin.err_reason_empty']);
  const unchanged = (await admin.api('GET', `/appeals/${encodeURIComponent(appeal.number)}`)).data;
  assert.equal(unchanged.due_on, before.due_on);
  assert.equal(unchanged.history.length, before.history.length);
  await page.fill('#extend-reason', 'Waiting for the meter check.');
  await page.fill('#extend-date', before.due_on);
  await page.click('#extend-submit');
  await expectText(page, '#extend-dialog .form-error',
    en['error.appeal_deadline_not_later'].replace('{due_text}', before.due_on_text));
  await page.fill('#extend-date', newDue);
  await page.click('#extend-submit');
  await page.locator('#history-list li.history-deadline_extended').waitFor();
  await page.locator('#detail-tags .tag-extended').waitFor();
  await shot(page, 'detail-en', true);

  // The answer and the channel used.
  await page.click('#act-answer');
  await page.locator('#answer-dialog[open]').waitFor();
  assert.equal(await page.inputValue('#answer-channel'), 'email'); // the visitor's choice first
  await page.click('#answer-submit');
  await expectText(page, '#answer-dialog .form-error', en['admin.err_answer_empty']);
  await page.fill('#answer-text', 'The bill was recalculated; the difference is returned.');
  await page.selectOption('#answer-channel', 'phone');
  await page.click('#answer-submit');
  await expectText(page, '#detail-status', en['appeal.status.answered']);
  await expectText(page, '#detail-answer', 'The bill was recalculated; the difference is returned.');
  assert.deepEqual(await visibleActions(page), ['close', 'note']);

  // Close after the follow-up call: the satisfaction is required.
  await page.click('#act-close');
  await page.locator('#close-dialog[open]').waitFor();
  await page.click('#close-submit');
  await expectText(page, '#close-dialog .form-error', en['admin.err_satisfaction_missing']);
  await shot(page, 'close-missing-satisfaction-en');
  assert.equal((await admin.api('GET', `/appeals/${encodeURIComponent(appeal.number)}`)).data.status, 'answered');
  await page.click('#scores label:nth-child(4)');
  await page.click('#close-submit');
  await expectText(page, '#detail-status', en['appeal.status.closed']);
  assert.deepEqual(await visibleActions(page), []);
  assert.equal(await page.locator('#no-actions').isVisible(), true);

  // The history: every step, in order, with its author.
  assert.deepEqual(await historyActions(page), ['registered', 'assigned', 'started', 'note', 'deadline_extended', 'answered', 'closed']);
  const authors = await page.$$eval('#history-list .history-author', (xs) => xs.map((x) => x.textContent));
  assert.deepEqual(authors, ['kiosk hall-1', ...Array(6).fill('Администратор (admin)')]);
  const lines = await page.$$eval('#history-list .history-what', (xs) => xs.map((x) => x.textContent));
  assert.equal(lines[1], en['admin.event_assigned'].replace('{to}', 'Петров Б. (clerk2)'));
  assert.equal(lines[5], en['admin.event_answered'].replace('{channel}', en['appeals.channel.phone']));
  assert.equal(lines[6], en['admin.event_closed'].replace('{n}', '4'));
  const notes = await page.$$eval('#history-list .history-quote', (xs) => xs.map((x) => x.textContent));
  assert.deepEqual(notes, ['Asked billing to recalculate.', 'Waiting for the meter check.']);
  const stored = (await admin.api('GET', `/appeals/${encodeURIComponent(appeal.number)}`)).data;
  assert.equal(stored.satisfaction, 4);
  assert.equal(stored.answer_channel, 'phone');
  assert.equal(stored.due_on, newDue);
  assert.equal(stored.assigned_to, 'clerk2');

  // Back to the register: the row shows the new state.
  await page.click('#back');
  await registerShown(page);
  await expectText(page, `#appeal-rows tr[data-number="${appeal.number}"] .badge`, en['appeal.status.closed']);
  assert.deepEqual(page.errors, []);
}));

test('a script in the visitor\'s text is shown as text and never runs', guarded(async () => {
  const appeal = await submit({ category: 'other', text: `Hello ${kScript} bye`, name: 'Test <b>bold</b>' });
  await admin.api('POST', `/appeals/${encodeURIComponent(appeal.number)}/notes`, { text: `note ${kScript}` });
  const page = await openPage();
  await logIn(page);
  await openAppeal(page, appeal.number);
  assert.equal(await page.locator('#detail-text').textContent(), `Hello ${kScript} bye`);
  assert.equal(await page.locator('#detail-text *').count(), 0);
  assert.ok((await page.locator('#detail-contacts').textContent()).includes('Test <b>bold</b>'));
  assert.equal(await page.locator('#detail-contacts b').count(), 0);
  assert.equal(await page.locator('#history-list .history-quote').textContent(), `note ${kScript}`);
  assert.equal(await page.locator('img').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await shot(page, 'script-text-en');
  assert.deepEqual(page.errors, []);
}));

test('the report by category for a period, and the ranking of topics', guarded(async () => {
  const { data: office } = await server.api('GET', '/office');
  const from = seeded.older.registered_on;
  const page = await openPage();
  await logIn(page);
  await page.click('#tab-report');
  await page.locator('body[data-view="report"]').waitFor();
  // By default this month to today.
  assert.equal(await page.inputValue('#report-to'), office.today);
  assert.equal(await page.inputValue('#report-from'), `${office.today.slice(0, 8)}01`);

  await page.fill('#report-from', '2000-01-01');
  await page.fill('#report-to', office.today);
  await page.click('#report-submit');
  const { data: report } = await admin.api('GET', `/appeals/report?from=2000-01-01&to=${office.today}`);
  await expectText(page, '#report-total', `${report.total} received from 1 Jan 2000 to ${new Date(`${office.today}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' })}`);
  for (const c of report.categories) {
    const cells = await page.locator(`#report-rows tr[data-category="${c.category}"] td`).allTextContents();
    assert.deepEqual(cells.slice(0, 7).map(Number),
      [c.total, c.open, c.answered, c.answered_on_time, c.overdue, c.urgent, c.complaints], c.category);
    assert.equal(cells[7], c.satisfaction == null ? '—' : c.satisfaction.toFixed(1));
  }
  const ranked = report.ranking.filter((c) => c.total > 0).map((c) => c.category);
  assert.deepEqual(await page.$$eval('#ranking-list .rank', (xs) => xs.map((x) => x.dataset.category)), ranked);
  assert.equal(await page.locator('#ranking-list .rank-name').first().textContent(), en[`appeals.category.${ranked[0]}`]);
  await shot(page, 'report-en', true);

  // The start after the end: said in the page, nothing fetched.
  await page.fill('#report-from', office.today);
  await page.fill('#report-to', '2000-01-01');
  await page.click('#report-submit');
  await expectText(page, '#report-message', en['admin.err_period']);

  await page.click('.lang-btn[data-lang="ru"]');
  await page.fill('#report-from', from);
  await page.fill('#report-to', office.today);
  await page.click('#report-submit');
  await expectText(page, '#ranking-title', ru['admin.ranking_title']);
  await page.locator('#report-message').waitFor({ state: 'hidden' });
  await expectText(page, '#report-rows tr[data-category="billing"] th', ru['appeals.category.billing']);
  await shot(page, 'report-ru', true);
  assert.deepEqual(page.errors, []);
}));

test('an urgent appeal raises an alert at once, which stays until acknowledged, also after the stream dropped', guarded(async () => {
  const page = await openPage();
  await logIn(page);
  await page.locator('body[data-connection="open"]').waitFor();
  assert.equal(await page.locator('#alerts').isVisible(), false);

  const urgent = await submit({ category: 'safety_hazard', text: 'Open electrical cabinet in the yard.' });
  const alert = page.locator(`#alerts .alert[data-number="${urgent.number}"]`);
  await alert.waitFor();
  assert.equal(await alert.getAttribute('role'), 'alert');
  const due = new Date(`${urgent.due_on}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  await expectText(page, `#alerts .alert[data-number="${urgent.number}"] .alert-line`,
    `${urgent.number} · ${en['appeals.category.safety_hazard']} · due ${due}`);
  // The register shows it too, without a click.
  await page.locator(`#appeal-rows tr[data-number="${urgent.number}"]`).waitFor();
  await shot(page, 'urgent-alert-en');

  // Open: the appeal; the alert stays, also over a reload.
  await alert.locator('.alert-open').click();
  await page.locator('body[data-view="detail"]').waitFor();
  await expectText(page, '#detail-number', urgent.number);
  await page.reload();
  await page.locator('body[data-view="detail"]').waitFor();
  await alert.waitFor();
  await alert.locator('.alert-ack').click();
  await alert.waitFor({ state: 'detached' });
  assert.equal(await page.locator('#alerts').isVisible(), false);

  // The server goes away and comes back: the page says so, reconnects, and alerts again.
  await server.stop();
  await page.locator('#banner').waitFor({ state: 'visible', timeout: 15_000 });
  await server.start();
  await page.locator('body[data-connection="open"]').waitFor({ timeout: 20_000 });
  const second = await submit({ category: 'safety_hazard', text: 'Fallen wire on the pavement.' });
  await page.locator(`#alerts .alert[data-number="${second.number}"]`).waitFor();
  assert.equal(await page.locator(`#alerts .alert[data-number="${urgent.number}"]`).count(), 0);

  await page.click('.lang-btn[data-lang="ru"]');
  await expectText(page, `#alerts .alert[data-number="${second.number}"] .alert-title`, ru['admin.urgent_title']);
  await expectText(page, `#alerts .alert[data-number="${second.number}"] .alert-ack`, ru['admin.urgent_ack']);
  await page.click('#back');
  await registerShown(page);
  await shot(page, 'urgent-alert-ru');
  await page.locator(`#alerts .alert[data-number="${second.number}"] .alert-ack`).click();
  assert.deepEqual(page.errors, []);
}));

test('in Russian: the register, an appeal with the server\'s refusal in Russian, and the page\'s own checks', guarded(async () => {
  const appeal = await submit({ category: 'meters', type: 'request', text: 'Прошу заменить счётчик.', name: 'Орлова Вера', phone: '+7 912 777-88-99' });
  const page = await openPage({ locale: 'ru-RU' });
  await logIn(page);
  await expectText(page, '#register-title', ru['admin.register_title']);
  await expectText(page, '#appeals thead th:nth-child(6)', ru['admin.col_due']);
  const cells = await page.locator(`#appeal-rows tr[data-number="${appeal.number}"] td`).allTextContents();
  assert.equal(cells[2], ru['appeals.type.request']);
  assert.equal(cells[3], ru['appeals.category.meters']);
  assert.equal(cells[4], ru['appeal.status.registered']);
  assert.match(cells[5], /Срок через 2 рабочих дня$/);
  await expectText(page, `#appeal-rows tr[data-number="${seeded.overdue.number}"] .tag-urgent`, ru['admin.tag_urgent']);
  await shot(page, 'register-ru');

  await openAppeal(page, appeal.number);
  await expectText(page, '#act-assign', ru['admin.action_assign']);
  // The server refuses a deadline that is not later: its sentence, in Russian.
  await page.click('#act-extend');
  await page.locator('#extend-dialog[open]').waitFor();
  await page.fill('#extend-date', appeal.due_on);
  await page.fill('#extend-reason', 'Нужна проверка.');
  await page.click('#extend-submit');
  await expectText(page, '#extend-dialog .form-error',
    ru['error.appeal_deadline_not_later'].replace('{due_text}', appeal.due_on_text));
  await page.click('#extend-dialog [data-close]');
  // An empty note: the page's own sentence, in Russian.
  await page.click('#act-note');
  await page.click('#note-submit');
  await expectText(page, '#note-dialog .form-error', ru['admin.err_note_empty']);
  await page.fill('#note-text', 'Позвонить после 18:00.');
  await page.click('#note-submit');
  await page.locator('#history-list li.history-note').waitFor();
  await page.click('#act-assign');
  await page.selectOption('#assign-to', 'clerk3');
  await page.click('#assign-submit');
  await expectText(page, '#detail-status', ru['appeal.status.assigned']);
  await expectText(page, '#history-list li.history-assigned .history-what', 'Назначено: Сидорова В. (clerk3)');
  await shot(page, 'detail-ru', true);

  // An appeal that is not there: the server's sentence.
  await page.goto(`${server.url}/admin/#/appeals/${encodeURIComponent('Ж-1999-000001')}`);
  await page.locator('body[data-view="detail"]').waitFor();
  const { data: missing } = await server.api('GET', `/appeals/${encodeURIComponent('Ж-1999-000001')}`, undefined,
    { Authorization: `Bearer ${admin.token}`, 'Accept-Language': 'ru' });
  await expectText(page, '#detail-message', missing.error.message);
  assert.deepEqual(page.errors, []);
}));

test('logging out ends the session: the register is gone and the API refuses it', guarded(async () => {
  const page = await openPage();
  await logIn(page, 'clerk2', 'demo');
  await page.click('#logout');
  await page.locator('body[data-screen="login"]').waitFor();
  assert.equal(await page.locator('#appeal-rows tr').count(), 0);
  const status = await page.evaluate(async () => (await fetch('/api/v1/appeals')).status);
  assert.equal(status, 401);
  await page.goto(`${server.url}/admin/#/report`);
  await page.locator('body[data-screen="login"]').waitFor();
  assert.deepEqual(page.errors, []);
}));
