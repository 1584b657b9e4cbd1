// Talon admin console: the appeals register and its filters, one appeal with its history and
// steps, the report with the ranking of topics, and an alert per urgent appeal from the stream.
// `state` changes only in intent and event functions; render() draws it and never calls the
// network (the clerk console's split). Visitors' words are only ever written with textContent.
'use strict';

(() => {
  const { $, setText, el, fillSelect, storageGet, storageSet, errorMessage, errorCode } = Talon;
  // Per tab: the stream's last event id (a reload resumes there and misses no urgent appeal) and
  // the urgent alerts nobody has acknowledged yet.
  const kEventKey = 'talon.admin.last_event';
  const kAlertsKey = 'talon.admin.alerts';
  const kSessionPingMs = 120_000;
  const kListLimit = 500;
  const kTextMax = 2000; // the server's limits, in characters
  const kReasonMax = 500;
  const kStatuses = ['registered', 'assigned', 'in_progress', 'answered', 'closed'];
  const kOpen = new Set(['registered', 'assigned', 'in_progress']);
  const kChannels = ['phone', 'sms', 'email', 'letter'];
  // The server's default categories, until it has told us its configured ones.
  const kDefaultCategories = ['service_staff', 'billing', 'supply_quality', 'meters', 'connection_contracts',
    'safety_hazard', 'other'];
  // Which step may be taken from which status (the server's lifecycle; it refuses the rest).
  const kAllowed = {
    assign: (s) => kOpen.has(s),
    start: (s) => s === 'assigned',
    answer: (s) => s === 'in_progress',
    close: (s) => s === 'answered',
    note: (s) => s !== 'closed',
    extend: (s) => kOpen.has(s),
  };
  // The stream's other event types (docs/api.md): not shown here, but their ids are the resume point.
  const kOtherEvents = ['ticket.issued', 'ticket.called', 'ticket.recalled', 'ticket.started', 'ticket.done',
    'ticket.no_show', 'ticket.returned', 'ticket.transferred', 'ticket.cancelled', 'window.paused', 'window.resumed',
    'day.started', 'device.status', 'announcement.created', 'announcement.updated', 'announcement.deleted'];
  const kStepPath = { assign: 'assign', start: 'start', note: 'notes', answer: 'answer', extend: 'extend', close: 'close' };
  const emptyFilters = () => ({ status: '', category: '', overdue: false, dueSoon: false, from: '', to: '' });

  const state = {
    screen: 'loading', // 'loading' | 'login' | 'work'
    me: null, // GET /me
    view: 'register', // 'register' | 'detail' | 'report'
    today: null, // the office's local date, YYYY-MM-DD (GET /office)
    timeZone: undefined, // the office's, so times agree with its dates; undefined: the browser's
    categories: [...kDefaultCategories],
    categoryNames: {}, // id → {lang: name} from the server's config (GET /office)
    staff: [], // [{login, name, role}]
    filters: emptyFilters(),
    appeals: [],
    dueSoon: new Set(), // numbers the server counts as due soon
    listLoaded: false,
    listError: null,
    listSeq: 0,
    number: null, // the appeal open in the detail view
    appeal: null,
    detailError: null,
    detailMessage: null,
    busy: null, // the step in flight
    reportFrom: '',
    reportTo: '',
    report: null,
    reportError: null,
    reportBusy: false,
    dialog: null, // 'assign' | 'note' | 'answer' | 'extend' | 'close'
    dialogError: null,
    dialogBusy: false,
    alerts: [], // urgent appeals not yet acknowledged: {number, category, due_on}
    acknowledged: [],
  };

  // The language, the login card and the event stream keep their own few fields (common/talon.js).
  const i18n = new Talon.I18n('admin', 'Admin console');
  const t = i18n.t;
  // An answer saying the session is gone, or is not staff's, sends the page to the login screen.
  const api = Talon.apiClient(i18n, (result, res, path) => {
    if (path === '/login') return;
    if (res.status === 401) sessionLost(errorCode(result));
    else if (res.status === 403 && errorCode(result) === 'staff_only') notStaff(result);
  });
  const loginCard = new Talon.LoginCard({
    api,
    i18n,
    enter: enterSession,
    none: () => {
      if (state.screen !== 'login') showLogin(null);
    },
    render,
    // Any account may log in, but only staff may use the console: another is logged out again.
    accept: async (answer) => {
      if (answer.data && isStaff(answer.data.user)) return null;
      await api('POST', '/logout');
      return { kind: 'error', key: 'error.staff_only' };
    },
  });
  const stream = new Talon.EventStream({
    types: [...kOtherEvents, 'appeal.urgent'],
    onChange: render,
    onOpen: (wasLost) => {
      // Back after a drop: what changed meanwhile is fetched again.
      if (wasLost && state.screen === 'work') {
        if (state.view === 'register') loadList();
        else if (state.view === 'detail') loadAppeal();
      } else if (wasLost && state.screen === 'loading') {
        loginCard.restore();
      }
    },
    // Every event moves the resume point on, whatever its type (a reload resumes after the last
    // one seen and so misses no urgent appeal); only urgent appeals are shown.
    onEvent: (e) => {
      if (e.lastEventId) storageSet(sessionStorage, kEventKey, e.lastEventId);
      if (e.type === 'appeal.urgent') {
        const data = Talon.parseEvent(e.data);
        if (data) onUrgent(data);
      }
    },
  });

  let drawnRows = null; // what the register table was last drawn from
  let focusDetail = false;

  // ---------------------------------------------------------------- names

  /// The server's name for a category (its [appeals] config), else the catalog's, else the id.
  function categoryName(id) {
    const names = state.categoryNames[id];
    if (names && typeof names[i18n.lang] === 'string' && names[i18n.lang]) return names[i18n.lang];
    const key = `appeals.category.${id}`;
    const text = t(key);
    if (text !== key) return text;
    return names && typeof names.en === 'string' && names.en ? names.en : id;
  }

  function typeName(id) {
    return t(`appeals.type.${id}`);
  }

  function channelName(id) {
    return t(`appeals.channel.${id}`);
  }

  function statusName(id) {
    return t(`appeal.status.${id}`);
  }

  /// A staff login as people know it: "Иванова А. (clerk1)", or the login alone.
  function staffLabel(login) {
    if (!login) return '';
    const user = state.staff.find((u) => u.login === login);
    return user && user.name && user.name !== login ? `${user.name} (${login})` : login;
  }

  /// Who made a change: staff by name, a kiosk (the server writes "kiosk NAME") or the visitor.
  function authorLabel(author) {
    if (author === 'visitor') return t('admin.author_visitor');
    if (typeof author === 'string' && author.startsWith('kiosk ')) return t('admin.author_kiosk', { name: author.slice(6) });
    return staffLabel(author);
  }

  // ---------------------------------------------------------------- HTTP

  function appealPath(number) {
    return `/appeals/${encodeURIComponent(number)}`;
  }

  // ---------------------------------------------------------------- session

  function isStaff(user) {
    return Boolean(user) && (user.role === 'clerk' || user.role === 'admin');
  }

  async function enterSession(me) {
    if (!isStaff(me.user)) {
      showLogin(null);
      loginCard.error = { kind: 'error', key: 'error.staff_only' };
      return render();
    }
    state.me = me;
    loginCard.notice = null;
    state.screen = 'work';
    render();
    await Promise.all([loadOffice(), loadStaff()]);
    if (!state.reportFrom && state.today) {
      state.reportFrom = `${state.today.slice(0, 8)}01`;
      state.reportTo = state.today;
    }
    route();
  }

  function sessionLost(code) {
    if (state.screen === 'login') return;
    const notice = code === 'session_expired' ? { kind: 'info', key: 'admin.session_expired' }
      : state.me ? { kind: 'info', key: 'admin.session_ended' } : null;
    showLogin(notice);
  }

  /// A session that is not a clerk's or an administrator's: the server's own sentence.
  function notStaff(result) {
    showLogin(errorMessage(result));
  }

  function showLogin(notice) {
    closeDialog();
    state.me = null;
    state.screen = 'login';
    loginCard.reset(notice);
    state.appeal = null;
    state.appeals = [];
    state.listLoaded = false;
    state.report = null;
    drawnRows = null;
    // Nothing personal stays in the page once the session is gone.
    for (const id of ['appeal-rows', 'detail-facts', 'detail-contacts', 'history-list', 'report-rows', 'ranking-list']) {
      $(id).replaceChildren();
    }
    for (const id of ['detail-text', 'detail-answer', 'detail-number']) $(id).textContent = '';
    render();
    loginCard.focus();
  }

  async function logout() {
    const result = await api('POST', '/logout');
    if (result.status === 204 || result.status === 401) return showLogin(null);
    state.detailMessage = errorMessage(result);
    render();
  }

  async function pingSession() {
    if (state.screen !== 'work') return;
    const result = await api('GET', '/me');
    if (result.status === 200 && result.data) state.me = result.data;
  }

  // ---------------------------------------------------------------- reference data

  async function loadOffice() {
    const result = await api('GET', '/office');
    if (result.status !== 200 || !result.data) return;
    if (typeof result.data.today === 'string') state.today = result.data.today;
    // The configured categories, in their order, with the names the config gives them.
    if (Array.isArray(result.data.appeal_categories)) {
      const cats = result.data.appeal_categories.filter((c) => c && typeof c.id === 'string' && c.id);
      if (cats.length > 0) {
        state.categories = cats.map((c) => c.id);
        state.categoryNames = Object.fromEntries(cats.map((c) => [c.id, c.names && typeof c.names === 'object' ? c.names : {}]));
      }
    }
    try {
      new Intl.DateTimeFormat('en', { timeZone: result.data.timezone });
      state.timeZone = result.data.timezone;
    } catch {
      state.timeZone = undefined; // a name this browser does not know: its own zone
    }
  }

  async function loadStaff() {
    const result = await api('GET', '/staff');
    if (result.status === 200 && result.data && Array.isArray(result.data.staff)) {
      state.staff = result.data.staff;
      drawnRows = null;
    }
  }

  // ---------------------------------------------------------------- routing

  /// The view follows the address: #/appeals, #/appeals/{number}, #/report.
  function route() {
    if (state.screen !== 'work') return render();
    const hash = location.hash.replace(/^#\/?/, '');
    closeDialog();
    if (hash.startsWith('appeals/')) {
      let number;
      try {
        number = decodeURIComponent(hash.slice('appeals/'.length));
      } catch {
        number = '';
      }
      openAppeal(number);
    } else if (hash === 'report') {
      state.view = 'report';
      render();
      if (!state.report) loadReport();
    } else {
      state.view = 'register';
      render();
      loadList();
    }
  }

  // ---------------------------------------------------------------- the register

  function listQuery(f) {
    const q = new URLSearchParams();
    if (f.status) q.set('status', f.status);
    if (f.category) q.set('category', f.category);
    if (f.overdue) q.set('overdue', '1');
    if (f.dueSoon) q.set('due_soon', 'true');
    if (f.from) q.set('from', f.from);
    if (f.to) q.set('to', f.to);
    q.set('limit', String(kListLimit));
    return q.toString();
  }

  /// Fetches the register for the current filters; an answer to an older request is dropped.
  async function loadList() {
    const seq = ++state.listSeq;
    // The office's today as well: a console left open overnight marks deadlines against it.
    const [list, soon] = await Promise.all([
      api('GET', `/appeals?${listQuery(state.filters)}`),
      api('GET', '/appeals?due_soon=true&limit=1000'),
      loadOffice(),
    ]);
    if (seq !== state.listSeq || state.screen !== 'work') return;
    if (list.status === 200 && list.data && Array.isArray(list.data.appeals)) {
      state.appeals = list.data.appeals;
      state.listError = null;
      for (const a of state.appeals) {
        if (!state.categories.includes(a.category)) state.categories.push(a.category);
      }
    } else if (list.status !== 401 && list.status !== 403) {
      state.appeals = [];
      state.listError = errorMessage(list);
    }
    if (soon.status === 200 && soon.data && Array.isArray(soon.data.appeals)) {
      state.dueSoon = new Set(soon.data.appeals.map((a) => a.number));
    }
    state.listLoaded = true;
    drawnRows = null;
    render();
  }

  function readFilters() {
    state.filters = {
      status: $('filter-status').value,
      category: $('filter-category').value,
      overdue: $('filter-overdue').checked,
      dueSoon: $('filter-due-soon').checked,
      from: $('filter-from').value,
      to: $('filter-to').value,
    };
    loadList();
  }

  function resetFilters() {
    state.filters = emptyFilters();
    drawFilters(true);
    loadList();
  }

  // ---------------------------------------------------------------- one appeal

  async function openAppeal(number) {
    const changed = state.number !== number;
    state.view = 'detail';
    state.number = number;
    if (changed) {
      state.appeal = null;
      state.detailError = null;
      state.detailMessage = null;
      focusDetail = true;
    }
    render();
    await loadAppeal();
  }

  async function loadAppeal() {
    const number = state.number;
    if (!number) return;
    const result = await api('GET', appealPath(number));
    if (state.number !== number || state.view !== 'detail') return;
    if (result.status === 200 && result.data) {
      state.appeal = result.data;
      state.detailError = null;
    } else if (result.status !== 401 && result.status !== 403) {
      state.appeal = null;
      state.detailError = errorMessage(result);
    }
    render();
  }

  function allowed(action) {
    return Boolean(state.appeal) && kAllowed[action](state.appeal.status) && state.busy === null;
  }

  /// Runs a staff step on the open appeal. From a dialog its errors show in the dialog, which
  /// closes on success; a refused step (someone changed the appeal meanwhile) reloads it.
  async function step(action, body) {
    const a = state.appeal;
    if (!a || state.busy !== null) return;
    const number = a.number;
    state.busy = action;
    if (state.dialog) {
      state.dialogBusy = true;
      state.dialogError = null;
    } else {
      state.detailMessage = null;
    }
    render();
    const result = await api('POST', `${appealPath(number)}/${kStepPath[action]}`, body);
    state.busy = null;
    state.dialogBusy = false;
    if (state.number !== number) return render();
    if (result.status === 200 && result.data) {
      state.appeal = result.data;
      closeDialog();
      state.detailMessage = { kind: 'info', key: `admin.done_${action}`, params: { number } };
      state.listLoaded = false; // the register is fetched again on the way back
    } else if (result.status !== 401 && result.status !== 403) {
      const message = errorMessage(result);
      if (state.dialog) state.dialogError = message;
      else state.detailMessage = message;
      if (result.status === 409 || result.status === 404) loadAppeal();
    }
    render();
  }

  function openAction(action) {
    if (!allowed(action)) return;
    if (action === 'start') return step('start', {});
    openDialog(action);
  }

  function dialogFail(key, params) {
    state.dialogError = { kind: 'error', key, params };
    drawDialog();
    const invalid = $(`${state.dialog}-dialog`).querySelector('[aria-invalid="true"]');
    const target = invalid && invalid.id === 'scores' ? invalid.querySelector('input') : invalid;
    if (target) target.focus();
  }

  function chars(text) {
    return [...text].length;
  }

  /// Checks the open dialog's fields and runs its step; a missing or overlong field is marked
  /// and explained in the dialog, and nothing is sent.
  function submitDialog() {
    const name = state.dialog;
    if (!name || state.dialogBusy) return;
    for (const node of $(`${name}-dialog`).querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
    const fail = (id, key, params) => {
      $(id).setAttribute('aria-invalid', 'true');
      dialogFail(key, params);
    };
    const tooLong = (id, text, max) => {
      if (chars(text) <= max) return false;
      fail(id, 'admin.err_too_long', { max });
      return true;
    };
    if (name === 'assign') {
      const to = $('assign-to').value;
      const note = $('assign-note').value.trim();
      if (!to) return fail('assign-to', 'admin.err_pick_staff');
      if (tooLong('assign-note', note, kTextMax)) return;
      step('assign', note ? { to, note } : { to });
    } else if (name === 'note') {
      const text = $('note-text').value.trim();
      if (!text) return fail('note-text', 'admin.err_note_empty');
      if (tooLong('note-text', text, kTextMax)) return;
      step('note', { text });
    } else if (name === 'answer') {
      const text = $('answer-text').value.trim();
      if (!text) return fail('answer-text', 'admin.err_answer_empty');
      if (tooLong('answer-text', text, kTextMax)) return;
      step('answer', { text, channel: $('answer-channel').value });
    } else if (name === 'extend') {
      const dueOn = $('extend-date').value;
      const reason = $('extend-reason').value.trim();
      if (!dueOn) return fail('extend-date', 'admin.err_date_missing');
      if (!reason) return fail('extend-reason', 'admin.err_reason_empty');
      if (tooLong('extend-reason', reason, kReasonMax)) return;
      step('extend', { due_on: dueOn, reason });
    } else if (name === 'close') {
      const picked = document.querySelector('#close-form input[name="satisfaction"]:checked');
      const note = $('close-note').value.trim();
      if (!picked) return fail('scores', 'admin.err_satisfaction_missing');
      if (tooLong('close-note', note, kTextMax)) return;
      const body = { satisfaction: Number(picked.value) };
      if (note) body.note = note;
      step('close', body);
    }
  }

  // ---------------------------------------------------------------- dialogs

  function openDialog(name) {
    const focus = { assign: '#assign-to', note: '#note-text', answer: '#answer-text', extend: '#extend-date',
      close: 'input[name="satisfaction"]' }[name];
    Talon.openDialog(state, name, prepareDialog, render, focus);
  }

  function closeDialog() {
    Talon.closeDialog(state);
  }

  function addDays(iso, n) {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + n);
    return d.toISOString().slice(0, 10);
  }

  function prepareDialog(name) {
    const a = state.appeal;
    const el = $(`${name}-dialog`);
    for (const field of el.querySelectorAll('textarea, input[type="date"]')) field.value = '';
    for (const field of el.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
    if (name === 'assign') {
      const options = [['', t('admin.assign_pick')]];
      for (const u of state.staff) {
        if (a && u.login === a.assigned_to) continue; // handing over means to somebody else
        options.push([u.login, `${staffLabel(u.login)} — ${t(`admin.role_${u.role}`)}`]);
      }
      fillSelect($('assign-to'), options);
    } else if (name === 'answer') {
      fillSelect($('answer-channel'), kChannels.map((c) => [c, channelName(c)]));
      $('answer-channel').value = a && kChannels.includes(a.reply_channel) ? a.reply_channel : 'phone';
    } else if (name === 'extend') {
      const after = a ? addDays(a.due_on, 1) : '';
      const min = state.today && state.today > after ? state.today : after;
      $('extend-date').min = min;
    } else if (name === 'close') {
      for (const r of el.querySelectorAll('input[name="satisfaction"]')) r.checked = false;
      $('scores').removeAttribute('aria-invalid');
    }
  }

  function wireDialogs() {
    Talon.wireDialogs({
      current: () => state.dialog,
      busy: () => state.dialogBusy,
      dismiss: () => {
        closeDialog();
        render();
      },
    });
    for (const dialog of document.querySelectorAll('dialog')) {
      dialog.querySelector('form').addEventListener('submit', (e) => {
        e.preventDefault();
        submitDialog();
      });
    }
  }

  // ---------------------------------------------------------------- report

  async function loadReport() {
    const from = state.reportFrom;
    const to = state.reportTo;
    if (!from || !to || from > to) {
      state.reportError = { kind: 'error', key: 'admin.err_period' };
      return render();
    }
    state.reportBusy = true;
    state.reportError = null;
    render();
    const result = await api('GET', `/appeals/report?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    state.reportBusy = false;
    if (result.status === 200 && result.data) {
      state.report = result.data;
    } else if (result.status !== 401 && result.status !== 403) {
      state.report = null;
      state.reportError = errorMessage(result);
    }
    render();
  }

  // ---------------------------------------------------------------- urgent alerts

  function loadAlerts() {
    try {
      const saved = JSON.parse(storageGet(sessionStorage, kAlertsKey) || '{}');
      if (Array.isArray(saved.alerts)) state.alerts = saved.alerts.filter((a) => a && typeof a.number === 'string');
      if (Array.isArray(saved.acknowledged)) state.acknowledged = saved.acknowledged.filter((n) => typeof n === 'string');
    } catch {
      // Nothing saved, or from an older page: start empty.
    }
  }

  function saveAlerts() {
    storageSet(sessionStorage, kAlertsKey, JSON.stringify({ alerts: state.alerts, acknowledged: state.acknowledged }));
  }

  function onUrgent(data) {
    if (!data || typeof data.number !== 'string' || !data.number) return;
    if (state.alerts.some((a) => a.number === data.number) || state.acknowledged.includes(data.number)) return;
    state.alerts.push({
      number: data.number,
      category: typeof data.category === 'string' ? data.category : '',
      due_on: typeof data.due_on === 'string' ? data.due_on : '',
    });
    saveAlerts();
    if (state.screen === 'work' && state.view === 'register') loadList();
    render();
  }

  function acknowledge(number) {
    state.alerts = state.alerts.filter((a) => a.number !== number);
    state.acknowledged = [...state.acknowledged.filter((n) => n !== number), number].slice(-200);
    saveAlerts();
    render();
  }

  // ---------------------------------------------------------------- drawing

  const messageText = (m) => i18n.message(m);
  const locale = () => i18n.locale();

  function drawMessage(el, m) {
    el.hidden = !m;
    el.dataset.kind = m ? m.kind : '';
    setText(el, messageText(m));
  }

  // Dates as people write them: "30.11.2026" in Russian, "30 Nov 2026" in English.
  function dateOptions() {
    return i18n.lang === 'ru' ? { day: '2-digit', month: '2-digit', year: 'numeric' }
      : { day: 'numeric', month: 'short', year: 'numeric' };
  }

  /// An office-local date (YYYY-MM-DD).
  function formatDate(iso) {
    if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(iso)) return '';
    const d = new Date(`${iso}T00:00:00Z`);
    if (Number.isNaN(d.getTime())) return iso;
    return d.toLocaleDateString(locale(), { ...dateOptions(), timeZone: 'UTC' });
  }

  /// A moment (ISO time), on the office's clock.
  function formatDateTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return d.toLocaleString(locale(), { ...dateOptions(), hour: '2-digit', minute: '2-digit', timeZone: state.timeZone });
  }

  function formatTime(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit', timeZone: state.timeZone });
  }

  function tag(kind, text) {
    return el('span', `tag tag-${kind}`, text);
  }

  /// The deadline's mark for an open appeal: overdue, due today or due soon; null otherwise.
  function dueMark(a) {
    if (!kOpen.has(a.status)) return null;
    if (a.overdue) return ['overdue', t('admin.tag_overdue', { days: i18n.plural('admin.wd', Math.max(1, -a.working_days_left)) })];
    if (state.dueSoon.has(a.number) || a.working_days_left === 0) {
      if (a.working_days_left <= 0) return ['soon', t('admin.tag_due_today')];
      return ['soon', t('admin.tag_due_in', { days: i18n.plural('admin.wd', a.working_days_left) })];
    }
    return null;
  }

  function render() {
    const body = document.body;
    body.classList.remove('is-loading');
    body.dataset.screen = state.screen;
    body.dataset.view = state.screen === 'work' ? state.view : '';
    body.dataset.busy = state.busy || '';
    i18n.apply();
    stream.draw(t('admin.live'));

    const working = state.screen === 'work';
    const user = state.me && state.me.user;
    $('topbar-user').hidden = !working || !user;
    $('user-name').textContent = user ? user.name || user.login : '';
    $('tabs').hidden = !working;
    $('tab-register').setAttribute('aria-current', String(working && state.view !== 'report' ? 'page' : false));
    $('tab-report').setAttribute('aria-current', String(working && state.view === 'report' ? 'page' : false));
    for (const id of ['tab-register', 'tab-report']) {
      if ($(id).getAttribute('aria-current') === 'false') $(id).removeAttribute('aria-current');
    }

    let title = t('admin.title');
    if (working && state.view === 'detail' && state.number) title = `${state.number} — ${title}`;
    else if (working && state.view === 'report') title = `${t('admin.nav_report')} — ${title}`;
    document.title = title;

    loginCard.draw(state.screen === 'login');
    drawAlerts();
    $('register').hidden = !(working && state.view === 'register');
    $('detail').hidden = !(working && state.view === 'detail');
    $('report').hidden = !(working && state.view === 'report');
    if (working && state.view === 'register') drawRegister();
    if (working && state.view === 'detail') drawDetail();
    if (working && state.view === 'report') drawReport();
    drawDialog();
  }

  function drawAlerts() {
    const list = $('alerts');
    const show = state.screen === 'work' && state.alerts.length > 0;
    list.hidden = !show;
    if (!show) {
      list.replaceChildren();
      return;
    }
    // Kept element by element, so an alert already announced is not announced again.
    const wanted = state.alerts.map((a) => a.number);
    for (const node of [...list.children]) {
      if (!wanted.includes(node.dataset.number)) node.remove();
    }
    for (const a of state.alerts) {
      let item = [...list.children].find((n) => n.dataset.number === a.number);
      if (!item) {
        item = el('div', 'alert');
        item.dataset.number = a.number;
        item.setAttribute('role', 'alert');
        const icon = el('span', 'alert-icon', '!');
        icon.setAttribute('aria-hidden', 'true');
        const text = el('div', 'alert-text');
        const head = el('strong', 'alert-title');
        const line = el('span', 'alert-line');
        text.append(head, line);
        const link = el('a', 'btn btn-alert alert-open');
        link.href = `#/appeals/${encodeURIComponent(a.number)}`;
        const ack = el('button', 'btn btn-alert-ghost alert-ack');
        ack.type = 'button';
        ack.addEventListener('click', () => acknowledge(a.number));
        item.append(icon, text, link, ack);
        list.append(item);
      }
      setText(item.querySelector('.alert-title'), t('admin.urgent_title'));
      setText(item.querySelector('.alert-line'), t('admin.urgent_text', {
        number: a.number, category: categoryName(a.category), due: formatDate(a.due_on) || a.due_on,
      }));
      setText(item.querySelector('.alert-open'), t('admin.urgent_open'));
      setText(item.querySelector('.alert-ack'), t('admin.urgent_ack'));
    }
  }

  function drawFilters(force) {
    const f = state.filters;
    const status = $('filter-status');
    const category = $('filter-category');
    fillSelect(status, [['', t('admin.filter_any')], ...kStatuses.map((s) => [s, statusName(s)])]);
    fillSelect(category, [['', t('admin.filter_any')], ...state.categories.map((c) => [c, categoryName(c)])]);
    status.value = f.status;
    category.value = f.category;
    if (force) {
      $('filter-overdue').checked = f.overdue;
      $('filter-due-soon').checked = f.dueSoon;
      $('filter-from').value = f.from;
      $('filter-to').value = f.to;
    }
  }

  function drawRegister() {
    const key = `${i18n.lang}|${state.categories.join(',')}`;
    if (drawnRows !== null && drawnRows.key === key && drawnRows.appeals === state.appeals) return;
    drawFilters(false);
    drawMessage($('register-message'), state.listError);
    const n = state.appeals.length;
    setText($('register-count'), !state.listLoaded ? t('admin.loading')
      : n >= kListLimit ? t('admin.count_limited', { n }) : t('admin.count', { n }));
    const rows = state.appeals.map((a) => {
      const tr = el('tr', 'appeal-row');
      tr.dataset.number = a.number;
      tr.dataset.status = a.status;
      const mark = dueMark(a);
      if (mark) tr.classList.add(mark[0] === 'overdue' ? 'is-overdue' : 'is-due-soon');
      const num = el('td', 'cell-number');
      const link = el('a', 'appeal-link', a.number);
      link.href = `#/appeals/${encodeURIComponent(a.number)}`;
      num.append(link);
      if (a.urgent) num.append(tag('urgent', t('admin.tag_urgent')));
      const reg = el('td', 'cell-date', formatDate(a.registered_on));
      reg.append(el('span', 'cell-sub', formatTime(a.registered_at)));
      const status = el('td');
      status.append(el('span', `badge badge-${a.status}`, statusName(a.status)));
      const due = el('td', 'cell-date', formatDate(a.due_on));
      if (mark) due.append(tag(mark[0], mark[1]));
      const visitor = el('td', 'cell-visitor');
      visitor.append(el('span', '', a.initials || '—'));
      if (a.phone_last4) visitor.append(el('span', 'cell-sub', a.phone_last4));
      const assignee = el('td', a.assigned_to ? '' : 'cell-none', a.assigned_to ? staffLabel(a.assigned_to) : '—');
      tr.append(num, reg, el('td', '', typeName(a.type)), el('td', '', categoryName(a.category)), status, due,
        visitor, assignee);
      return tr;
    });
    $('appeal-rows').replaceChildren(...rows);
    $('register-empty').hidden = !state.listLoaded || n > 0 || Boolean(state.listError);
    setText($('register-empty'), t('admin.none'));
    drawnRows = { key, appeals: state.appeals };
  }

  function fact(dl, label, value, extra) {
    const wrap = el('div', 'fact');
    const dt = el('dt', '', label);
    const dd = el('dd', '', value);
    if (extra) dd.append(...extra);
    wrap.append(dt, dd);
    dl.append(wrap);
  }

  function historyLine(h) {
    const d = h.detail && typeof h.detail === 'object' ? h.detail : {};
    switch (h.action) {
      case 'registered':
        return t('admin.event_registered', { due: formatDate(d.due_on) });
      case 'assigned':
        return d.from ? t('admin.event_reassigned', { from: staffLabel(d.from), to: staffLabel(d.to) })
          : t('admin.event_assigned', { to: staffLabel(d.to) });
      case 'started':
        return t('admin.event_started');
      case 'note':
        return t('admin.event_note');
      case 'answered':
        return t('admin.event_answered', { channel: channelName(d.channel) });
      case 'deadline_extended':
        return t('admin.event_extended', { from: formatDate(d.from), to: formatDate(d.to) });
      case 'closed':
        return t('admin.event_closed', { n: d.satisfaction ?? '—' });
      default:
        return String(h.action || '');
    }
  }

  function drawDetail() {
    const a = state.appeal;
    drawMessage($('detail-message'), state.detailError || state.detailMessage);
    $('detail-body').hidden = !a;
    if (!a) return;
    setText($('detail-number'), a.number);
    const badge = $('detail-status');
    badge.className = `badge badge-${a.status}`;
    setText(badge, statusName(a.status));
    const tags = [];
    if (a.urgent) tags.push(tag('urgent', t('admin.tag_urgent')));
    const mark = kOpen.has(a.status) && a.due_on < (state.today || '') ? ['overdue', t('admin.tag_overdue_plain')]
      : kOpen.has(a.status) && a.due_on === state.today ? ['soon', t('admin.tag_due_today')] : null;
    if (mark) tags.push(tag(mark[0], mark[1]));
    if (a.extended) tags.push(tag('extended', t('admin.tag_extended')));
    $('detail-tags').replaceChildren(...tags);
    setText($('detail-kind'), `${typeName(a.type)} · ${categoryName(a.category)}`);

    const facts = $('detail-facts');
    facts.replaceChildren();
    fact(facts, t('admin.detail_registered'), formatDateTime(a.registered_at));
    fact(facts, t('admin.detail_due'), formatDate(a.due_on),
      a.extended ? [el('span', 'fact-sub', t('admin.detail_due_was', { date: formatDate(a.original_due_on) }))] : null);
    fact(facts, t('admin.detail_assignee'), a.assigned_to ? staffLabel(a.assigned_to) : t('admin.unassigned'));
    if (a.satisfaction != null) fact(facts, t('admin.detail_satisfaction'), t('admin.score', { n: a.satisfaction }));

    const text = $('detail-text');
    setText(text, a.personal_data_removed ? t('admin.detail_removed') : a.text || '');
    text.classList.toggle('is-removed', Boolean(a.personal_data_removed));
    $('detail-answer-block').hidden = !a.answer && !a.answered_at;
    setText($('detail-answer'), a.answer || '');
    setText($('detail-answer-meta'), a.answered_at ? t('admin.detail_answer_meta', {
      channel: channelName(a.answer_channel), time: formatDateTime(a.answered_at),
    }) : '');

    $('detail-removed').hidden = !a.personal_data_removed;
    const contacts = $('detail-contacts');
    contacts.replaceChildren();
    if (!a.personal_data_removed) {
      fact(contacts, t('admin.detail_name'), a.name || '—');
      if (a.phone) fact(contacts, t('admin.detail_phone'), a.phone);
      if (a.email) fact(contacts, t('admin.detail_email'), a.email);
      if (a.address) fact(contacts, t('admin.detail_address'), a.address);
      if (a.account) fact(contacts, t('admin.detail_account'), a.account);
    }
    fact(contacts, t('admin.detail_reply'), channelName(a.reply_channel));
    if (a.local_code) fact(contacts, t('admin.detail_local_code'), a.local_code);

    let any = false;
    for (const b of $('actions').querySelectorAll('[data-action]')) {
      const action = b.dataset.action;
      const can = kAllowed[action](a.status);
      b.hidden = !can;
      b.disabled = state.busy !== null;
      any = any || can;
    }
    setText($('act-assign'), t(a.status === 'registered' ? 'admin.action_assign' : 'admin.action_reassign'));
    $('no-actions').hidden = any;

    const items = (a.history || []).map((h) => {
      const li = el('li', `history-item history-${h.action}`);
      const time = el('time', 'history-time', formatDateTime(h.at));
      time.dateTime = h.at;
      const what = el('span', 'history-what', historyLine(h));
      const who = el('span', 'history-author', authorLabel(h.author));
      li.append(time, what, who);
      if (typeof h.note === 'string' && h.note) li.append(el('q', 'history-quote', h.note));
      return li;
    });
    $('history-list').replaceChildren(...items);
    if (focusDetail) {
      focusDetail = false;
      $('detail-number').focus({ preventScroll: true });
    }
  }

  function drawReport() {
    if (document.activeElement !== $('report-from')) $('report-from').value = state.reportFrom;
    if (document.activeElement !== $('report-to')) $('report-to').value = state.reportTo;
    $('report-submit').disabled = state.reportBusy;
    drawMessage($('report-message'), state.reportError);
    const r = state.report;
    $('report-body').hidden = !r;
    setText($('report-total'), r ? t('admin.report_total', { n: r.total, from: formatDate(r.from), to: formatDate(r.to) }) : '');
    if (!r) return;
    const num = (v) => el('td', 'num', String(v ?? 0));
    const score = (v) => (v == null ? '—' : Number(v).toLocaleString(locale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
    const sums = { total: 0, open: 0, answered: 0, answered_on_time: 0, overdue: 0, urgent: 0, complaints: 0 };
    const rows = (r.categories || []).map((c) => {
      const tr = el('tr');
      tr.dataset.category = c.category;
      if (!c.total) tr.className = 'is-zero';
      const name = el('th', '', categoryName(c.category));
      name.scope = 'row';
      for (const k of Object.keys(sums)) sums[k] += c[k] || 0;
      const overdue = num(c.overdue);
      if (c.overdue > 0) overdue.classList.add('is-bad');
      tr.append(name, num(c.total), num(c.open), num(c.answered), num(c.answered_on_time), overdue, num(c.urgent),
        num(c.complaints), el('td', 'num', score(c.satisfaction)));
      return tr;
    });
    const total = el('tr', 'total-row');
    const label = el('th', '', t('admin.rep_all'));
    label.scope = 'row';
    total.append(label, ...['total', 'open', 'answered', 'answered_on_time', 'overdue', 'urgent', 'complaints'].map((k) => num(sums[k])),
      el('td', 'num', ''));
    $('report-rows').replaceChildren(...rows, total);

    const ranked = (r.ranking || []).filter((c) => c.total > 0);
    const max = ranked.reduce((m, c) => Math.max(m, c.total), 0);
    $('ranking-list').replaceChildren(...ranked.map((c, i) => {
      const li = el('li', 'rank');
      li.dataset.category = c.category;
      const share = r.total > 0 ? Math.round((c.total * 100) / r.total) : 0;
      const head = el('div', 'rank-head');
      head.append(el('span', 'rank-place', String(i + 1)), el('span', 'rank-name', categoryName(c.category)),
        el('span', 'rank-count', t('admin.ranking_count', { n: c.total, share })));
      const bar = el('div', 'rank-bar');
      bar.setAttribute('aria-hidden', 'true');
      const fill = el('span', 'rank-fill');
      fill.style.width = `${max > 0 ? Math.max(2, (c.total * 100) / max) : 0}%`;
      bar.append(fill);
      li.append(head, bar);
      return li;
    }));
    $('ranking-empty').hidden = ranked.length > 0;
  }

  function drawDialog() {
    const name = state.dialog;
    if (!name) return;
    const dialog = $(`${name}-dialog`);
    const err = dialog.querySelector('.form-error');
    setText(err, messageText(state.dialogError));
    for (const b of dialog.querySelectorAll('button')) b.disabled = state.dialogBusy;
    const number = state.appeal ? state.appeal.number : '';
    const titles = { assign: 'admin.assign_title', note: 'admin.note_title', answer: 'admin.answer_title',
      extend: 'admin.extend_title', close: 'admin.close_title' };
    setText($(`${name}-title`), t(titles[name], { number }));
    if (name === 'extend' && state.appeal) {
      setText($('extend-current'), t('admin.extend_current', { date: formatDate(state.appeal.due_on) }));
    }
  }

  // ---------------------------------------------------------------- wiring

  function onLangChanged() {
    drawnRows = null;
    if (state.dialog) prepareLabels(state.dialog);
    render();
  }

  /// Option labels of an open dialog follow a language switch; what was typed stays.
  function prepareLabels(name) {
    if (name === 'answer') {
      const keep = $('answer-channel').value;
      fillSelect($('answer-channel'), kChannels.map((c) => [c, channelName(c)]));
      $('answer-channel').value = keep;
    } else if (name === 'assign') {
      const keep = $('assign-to').value;
      const a = state.appeal;
      fillSelect($('assign-to'), [['', t('admin.assign_pick')], ...state.staff
        .filter((u) => !a || u.login !== a.assigned_to)
        .map((u) => [u.login, `${staffLabel(u.login)} — ${t(`admin.role_${u.role}`)}`])]);
      $('assign-to').value = keep;
    }
  }

  async function start() {
    Talon.mountChrome('admin', { loginLead: true });
    loadAlerts();
    await i18n.start();

    loginCard.wire();
    $('logout').addEventListener('click', logout);
    i18n.wireSwitch(onLangChanged);
    $('filters').addEventListener('change', readFilters);
    $('filters').addEventListener('submit', (e) => e.preventDefault());
    $('filter-reset').addEventListener('click', resetFilters);
    $('refresh').addEventListener('click', () => {
      loadStaff();
      loadList();
    });
    $('appeal-rows').addEventListener('click', (e) => {
      if (!(e.target instanceof Element) || e.target.closest('a')) return;
      const row = e.target.closest('tr[data-number]');
      if (row) location.hash = `#/appeals/${encodeURIComponent(row.dataset.number)}`;
    });
    $('actions').addEventListener('click', (e) => {
      const b = e.target instanceof Element ? e.target.closest('[data-action]') : null;
      if (b && !b.disabled) openAction(b.dataset.action);
    });
    $('report-form').addEventListener('submit', (e) => {
      e.preventDefault();
      state.reportFrom = $('report-from').value;
      state.reportTo = $('report-to').value;
      loadReport();
    });
    wireDialogs();
    window.addEventListener('hashchange', route);
    setInterval(pingSession, kSessionPingMs);

    stream.connect(storageGet(sessionStorage, kEventKey));
    render();
    await loginCard.restore();
  }

  start();
})();
