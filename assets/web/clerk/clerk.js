// Talon clerk console: log in, take a window and its services, call and serve tickets, watch
// the queue and the day's figures live over SSE. State lives in `state` and changes only in the
// intent and event functions; render() draws it and never talks to the network (the same split
// as the kiosk and board models).
'use strict';

(() => {
  const { $, setText, fillSelect, errorMessage, errorCode } = Talon;
  // The session is checked this often, so an ended one is noticed before the clerk's next click.
  const kSessionPingMs = 120_000;
  const kStatsRefreshMs = 60_000;
  const kNoteBytes = 500; // the server's limits, in UTF-8 bytes
  const kReasonBytes = 200;
  const kPauseReasons = ['lunch', 'break', 'paperwork', 'technical', 'other'];
  const kOutcomes = ['resolved', 'follow_up', 'referred'];
  const kTicketEvents = ['ticket.issued', 'ticket.called', 'ticket.recalled', 'ticket.started', 'ticket.done',
    'ticket.no_show', 'ticket.returned', 'ticket.transferred', 'ticket.cancelled'];
  // Statuses after which a ticket never comes back to a window.
  const kFinal = new Set(['done', 'no_show', 'cancelled']);

  const state = {
    screen: 'loading', // 'loading' | 'login' | 'setup' | 'work'
    me: null, // GET /me: {user, window, services, expires_at, idle_timeout_seconds}
    windows: [], // every window, from GET /windows
    setupWindow: null, // window number picked on the setup screen
    setupServices: new Set(), // letters ticked there
    setupBusy: false,
    setupError: null,
    setupCancellable: false, // the setup screen was opened from work and can go back to it
    windowNumber: null, // the session's window (work screen)
    window: null, // that window as the server reports it
    services: [], // GET /services, kept live by the event stream
    current: null, // ticket the window holds, or null
    history: [], // transitions of the current ticket
    historyFor: null, // ticket id `history` belongs to
    stats: null, // GET /me/stats
    busy: null, // name of the step in flight, or null
    message: null, // {kind: 'info'|'error', key?, params?, text?}
    dialog: null, // 'done' | 'transfer' | 'specific' | 'pause'
    dialogError: null,
    dialogBusy: false,
    specificList: [], // next waiting tickets offered in the call-a-ticket dialog
    pauseReason: 'lunch',
    loggingOut: false,
    eventSeq: 0, // bumps on every event; a snapshot fetched across an event is re-fetched
    finished: new Set(), // ids seen done / no-show, so a late "called" event cannot revive them
  };

  // The language, the login card and the event stream keep their own few fields (common/talon.js).
  const i18n = new Talon.I18n('clerk', 'Clerk console');
  const t = i18n.t;
  // An answer saying the session is gone sends the page to the login screen.
  const api = Talon.apiClient(i18n, (result, res, path) => {
    noteServerClock(res.headers.get('Date'));
    if (res.status === 401 && path !== '/login') sessionLost(errorCode(result));
  });
  const loginCard = new Talon.LoginCard({
    api,
    i18n,
    enter: enterSession,
    none: () => {
      if (state.screen !== 'login') showLogin(null);
    },
    render,
  });
  const stream = new Talon.EventStream({
    types: [...kTicketEvents, 'window.paused', 'window.resumed', 'day.started'],
    onChange: render,
    onOpen: (wasLost) => {
      if (wasLost || state.screen !== 'loading') resync();
    },
    onEvent: (e) => onServerEvent(e.type, e.data),
  });

  let historyTimer = null;
  let statsTimer = null;
  let endTimer = null;
  // Server clock minus ours, from answers' Date headers; used only when the PC's clock is off
  // by more than a few seconds (the header has whole seconds).
  let clockOffsetMs = 0;

  // ---------------------------------------------------------------- server clock

  function noteServerClock(header) {
    const server = Date.parse(header || '');
    if (Number.isNaN(server)) return;
    const offset = server + 500 - Date.now();
    clockOffsetMs = Math.abs(offset) > 3000 ? offset : 0;
  }

  /// Now on the server's clock, which the times in answers and events are on.
  function serverNow() {
    return Date.now() + clockOffsetMs;
  }

  function utf8Bytes(text) {
    return new TextEncoder().encode(text).length;
  }

  // ---------------------------------------------------------------- session

  /// The session's absolute end is known: check right after it, so the login screen shows then
  /// rather than at the clerk's next click.
  function watchSessionEnd() {
    clearTimeout(endTimer);
    const end = state.me ? Date.parse(state.me.expires_at) : NaN;
    if (Number.isNaN(end)) return;
    const wait = end - serverNow() + 1000;
    if (wait > 0 && wait < 2 ** 31 - 1) endTimer = setTimeout(pingSession, wait);
  }

  async function enterSession(me) {
    state.me = me;
    watchSessionEnd();
    loginCard.notice = null;
    if (me.window != null) {
      openWork(me.window);
    } else {
      await openSetup();
    }
  }

  function sessionLost(code) {
    if (state.screen === 'login') return;
    // Past its end the browser drops the cookie too, so the server only sees no session.
    const end = state.me ? Date.parse(state.me.expires_at) : NaN;
    const expired = code === 'session_expired' || (!Number.isNaN(end) && end <= serverNow() + 5000);
    const notice = expired ? { kind: 'info', key: 'clerk.session_expired' }
      : state.me ? { kind: 'info', key: 'clerk.session_ended' } : null;
    showLogin(notice);
  }

  function showLogin(notice) {
    closeDialog();
    state.me = null;
    state.screen = 'login';
    loginCard.reset(notice);
    leaveWork();
    render();
    loginCard.focus();
  }

  async function logout() {
    // The button is disabled while a ticket is held (finish or return it first) or a step runs.
    if (state.current || state.busy !== null || state.loggingOut) return;
    state.loggingOut = true;
    const result = await api('POST', '/logout');
    state.loggingOut = false;
    if (result.status === 204 || result.status === 401) return showLogin(null);
    // Not logged out (the cookie still opens the console): say so rather than pretend.
    state.message = errorMessage(result);
    render();
  }

  async function pingSession() {
    if (state.screen !== 'work' && state.screen !== 'setup') return;
    const result = await api('GET', '/me');
    if (result.status === 200 && result.data) {
      state.me = result.data;
      watchSessionEnd();
      // Another device of this clerk took the window, or it was given up elsewhere.
      if (state.screen === 'work' && result.data.window !== state.windowNumber) {
        if (result.data.window == null) await openSetup();
        else openWork(result.data.window);
      }
    }
  }

  // ---------------------------------------------------------------- window and services

  function allowedWindows() {
    const user = state.me && state.me.user;
    if (!user) return [];
    const all = state.windows;
    if (user.role === 'admin' && (!user.windows || user.windows.length === 0)) return all;
    return all.filter((w) => (user.windows || []).includes(w.number));
  }

  function windowLettersOf(win) {
    if (!win || !Array.isArray(win.services)) return [];
    return win.services.map((s) => (typeof s === 'string' ? s : s.service));
  }

  async function openSetup({ cancellable = false } = {}) {
    closeDialog();
    state.screen = 'setup';
    state.setupError = null;
    state.setupCancellable = cancellable;
    render();
    const [wins] = await Promise.all([api('GET', '/windows'), refreshServices()]);
    if (state.screen !== 'setup') return;
    if (wins.status === 200 && wins.data && Array.isArray(wins.data.windows)) {
      state.windows = wins.data.windows;
    } else if (wins.status !== 401) {
      state.setupError = errorMessage(wins);
    }
    const allowed = allowedWindows();
    const keep = state.windowNumber ?? (state.me && state.me.window);
    const pick = allowed.find((w) => w.number === keep) || (allowed.length === 1 ? allowed[0] : null);
    pickSetupWindow(pick ? pick.number : null, pick && keep === pick.number ? state.me.services : null);
    render();
  }

  function pickSetupWindow(n, services) {
    state.setupWindow = n;
    const win = state.windows.find((w) => w.number === n);
    const letters = windowLettersOf(win);
    const chosen = Array.isArray(services) && services.length > 0 ? services.filter((s) => letters.includes(s)) : letters;
    state.setupServices = new Set(chosen);
    state.setupError = null;
  }

  async function submitSetup() {
    if (state.setupBusy) return;
    if (state.setupWindow === null) {
      state.setupError = { kind: 'error', key: 'clerk.pick_window' };
      return render();
    }
    if (state.setupServices.size === 0) {
      state.setupError = { kind: 'error', key: 'clerk.pick_service' };
      return render();
    }
    const win = state.windows.find((w) => w.number === state.setupWindow);
    const letters = windowLettersOf(win);
    // All of the window's services: an empty list, which also follows later changes to it.
    const services = letters.every((l) => state.setupServices.has(l)) ? [] : letters.filter((l) => state.setupServices.has(l));
    state.setupBusy = true;
    state.setupError = null;
    render();
    const result = await api('POST', '/session/window', { window: state.setupWindow, services });
    state.setupBusy = false;
    if (state.screen !== 'setup') return;
    if (result.status === 200 && result.data) {
      state.me = result.data;
      openWork(result.data.window);
      return;
    }
    state.setupError = errorMessage(result);
    render();
  }

  function openWork(n) {
    if (state.windowNumber !== n) {
      state.message = null;
      state.finished.clear();
      state.current = null;
      state.window = state.windows.find((w) => w.number === n) || null;
      state.history = [];
      state.historyFor = null;
    }
    state.windowNumber = n;
    state.screen = 'work';
    if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
    render();
    refreshWindow();
    refreshServices();
    refreshStats();
  }

  function leaveWork() {
    state.windowNumber = null;
    state.window = null;
    state.current = null;
    state.history = [];
    state.historyFor = null;
    state.stats = null;
    state.busy = null;
    state.message = null;
  }

  function mySessionLetters() {
    const chosen = state.me && Array.isArray(state.me.services) ? state.me.services : [];
    return chosen.length > 0 ? chosen : windowLettersOf(state.window);
  }

  // ---------------------------------------------------------------- window steps

  function working() {
    return state.screen === 'work' && state.window !== null && state.busy === null && state.dialog === null;
  }

  function isPaused() {
    return Boolean(state.window && state.window.state === 'paused');
  }

  const can = {
    callNext: () => working() && !isPaused() && state.current === null,
    callSpecific: () => working() && !isPaused() && state.current === null,
    recall: () => working() && state.current !== null && state.current.status === 'called',
    start: () => working() && state.current !== null && state.current.status === 'called',
    done: () => working() && state.current !== null,
    noShow: () => working() && state.current !== null && state.current.status === 'called',
    returnToQueue: () => working() && state.current !== null,
    transfer: () => working() && state.current !== null,
    pause: () => working() && state.current === null,
  };

  /// Runs one window step. `busy` is set before the first await, so a second click or key
  /// press while it is in flight does nothing; the server's window_busy stops other tabs.
  async function step(name, path, body, onOk) {
    const n = state.windowNumber;
    state.busy = name;
    state.message = null;
    render();
    const result = await api('POST', `/windows/${n}/${path}`, body);
    state.busy = null;
    if (state.windowNumber !== n || state.screen !== 'work') return render();
    if (result.status === 200 && result.data) {
      onOk(result.data);
    } else if (result.status === 204) {
      state.message = { kind: 'info', key: 'clerk.nobody_waiting' };
    } else if (result.status === 401) {
      return; // the login screen is showing
    } else {
      state.message = errorMessage(result);
      // Another tab or device changed the window meanwhile: show what it holds now.
      if (result.status === 409 || result.status === 403 || result.status === 404) refreshWindow();
      if (result.status === 403 && errorCode(result) === 'not_your_window') pingSession();
    }
    render();
    return result;
  }

  function holdTicket(ticket) {
    if (!ticket || kFinal.has(ticket.status) || ticket.window !== state.windowNumber) {
      return releaseTicket(ticket);
    }
    const changed = !state.current || state.current.id !== ticket.id;
    state.current = ticket;
    if (changed) {
      state.history = [];
      state.historyFor = null;
    }
    scheduleHistory();
  }

  function releaseTicket(ticket) {
    if (ticket && kFinal.has(ticket.status)) rememberFinished(ticket.id);
    if (!ticket || (state.current && state.current.id === ticket.id)) {
      state.current = null;
      state.history = [];
      state.historyFor = null;
    }
  }

  /// A called ticket: held, and the day's average wait has changed.
  function called(ticket) {
    holdTicket(ticket);
    scheduleStats();
  }

  function callNext() {
    if (!can.callNext()) return;
    return step('call', 'call-next', undefined, called);
  }

  function recall() {
    if (!can.recall()) return;
    return step('recall', 'recall', undefined, holdTicket);
  }

  function startServing() {
    if (!can.start()) return;
    return step('start', 'start', undefined, holdTicket);
  }

  function openDone() {
    if (!can.done()) return;
    openDialog('done');
  }

  async function finish(outcome) {
    if (state.dialog !== 'done' || state.dialogBusy || !kOutcomes.includes(outcome)) return;
    closeDialog();
    if (!can.done()) return;
    const number = state.current.number;
    await step('done', 'done', { outcome }, letGo('clerk.finished', { number, outcome: t(`clerk.outcome_${outcome}`) }));
  }

  /// What a step that lets the ticket go does with the answer: the window is free, the clerk
  /// is told what happened to the ticket, and the day's figures have changed.
  function letGo(key, params) {
    return (ticket) => {
      releaseTicket(ticket);
      state.message = { kind: 'info', key, params };
      scheduleStats();
    };
  }

  function noShow() {
    if (!can.noShow()) return;
    return step('no_show', 'no-show', undefined, letGo('clerk.no_show_done', { number: state.current.number }));
  }

  function returnToQueue() {
    if (!can.returnToQueue()) return;
    return step('return', 'return', undefined, letGo('clerk.returned', { number: state.current.number }));
  }

  function openTransfer() {
    if (!can.transfer()) return;
    openDialog('transfer');
  }

  async function submitTransfer() {
    if (state.dialog !== 'transfer' || state.dialogBusy || !state.current) return;
    const target = document.querySelector('#transfer-form input[name="target"]:checked').value;
    const note = $('transfer-note').value.trim();
    const body = {};
    if (target === 'service') {
      body.service = $('transfer-service').value;
      if (!body.service) return dialogFail({ kind: 'error', key: 'clerk.pick_service' });
    } else {
      body.window = Number($('transfer-window').value);
      if (!body.window) return dialogFail({ kind: 'error', key: 'clerk.pick_window' });
    }
    if (utf8Bytes(note) > kNoteBytes) return dialogFail({ kind: 'error', key: 'clerk.note_too_long' });
    if (note) body.note = note;
    const number = state.current.number;
    const where = target === 'service' ? serviceLabel(body.service) : `${t('clerk.window')} ${body.window}`;
    await dialogStep('transfer', 'transfer', body, letGo('clerk.transferred', { number, target: where }));
  }

  async function openSpecific() {
    if (!can.callSpecific()) return;
    state.specificList = [];
    openDialog('specific');
    const letters = mySessionLetters();
    const query = letters.map((l) => `service=${encodeURIComponent(l)}`).join('&');
    const result = await api('GET', `/queue?${query}${query ? '&' : ''}window=${state.windowNumber}&limit=8`);
    if (state.dialog !== 'specific') return;
    if (result.status === 200 && result.data && Array.isArray(result.data.tickets)) {
      state.specificList = result.data.tickets;
      drawSpecificList();
    }
  }

  async function callSpecific(ticketId, number) {
    if (state.dialog !== 'specific' || state.dialogBusy) return;
    let id = ticketId;
    if (id == null) {
      const wanted = String(number || '').trim().toUpperCase();
      if (!/^[A-ZА-ЯЁ]{1,3}[0-9]{1,4}$/u.test(wanted)) return dialogFail({ kind: 'error', key: 'clerk.bad_number' });
      state.dialogBusy = true;
      state.dialogError = null;
      drawDialog();
      const found = await api('GET', `/queue?number=${encodeURIComponent(wanted)}&limit=1`);
      state.dialogBusy = false;
      if (state.dialog !== 'specific') return;
      if (found.status !== 200 || !found.data) return dialogFail(errorMessage(found));
      if (!Array.isArray(found.data.tickets) || found.data.tickets.length === 0) {
        return dialogFail({ kind: 'error', key: 'clerk.not_waiting', params: { number: wanted } });
      }
      id = found.data.tickets[0].id;
    }
    await dialogStep('call', `call/${id}`, undefined, called);
  }

  function openPause() {
    if (isPaused()) return resume();
    if (!can.pause()) return;
    state.pauseReason = 'lunch';
    $('pause-other').value = '';
    openDialog('pause');
  }

  async function submitPause() {
    if (state.dialog !== 'pause' || state.dialogBusy) return;
    let reason = t(`clerk.reason_${state.pauseReason}`);
    if (state.pauseReason === 'other') {
      reason = $('pause-other').value.trim();
      if (!reason) return dialogFail({ kind: 'error', key: 'clerk.reason_missing' });
    }
    if (utf8Bytes(reason) > kReasonBytes) return dialogFail({ kind: 'error', key: 'clerk.reason_too_long' });
    await dialogStep('pause', 'pause', { reason }, applyWindow);
  }

  function resume() {
    if (!(working() && isPaused())) return;
    return step('resume', 'resume', undefined, applyWindow);
  }

  /// A step started from a dialog: its errors show in the dialog, which closes on success.
  async function dialogStep(name, path, body, onOk) {
    state.dialogBusy = true;
    state.dialogError = null;
    drawDialog();
    const n = state.windowNumber;
    const result = await api('POST', `/windows/${n}/${path}`, body);
    state.dialogBusy = false;
    if (state.windowNumber !== n || state.screen !== 'work') return render();
    if (result.status === 200 && result.data) {
      closeDialog();
      state.message = null;
      onOk(result.data);
    } else if (result.status !== 401) {
      state.dialogError = errorMessage(result);
      if (result.status === 409) refreshWindow();
    }
    render();
  }

  function dialogFail(message) {
    state.dialogError = message;
    drawDialog();
  }

  // ---------------------------------------------------------------- dialogs

  function openDialog(name) {
    const focus = { done: '[data-outcome="resolved"]', transfer: '#transfer-service', specific: '#specific-number', pause: '#pause-submit' }[name];
    Talon.openDialog(state, name, prepareDialog, render, focus);
  }

  function closeDialog() {
    Talon.closeDialog(state);
  }

  function prepareDialog(name) {
    if (name === 'transfer') {
      $('transfer-note').value = '';
      document.querySelector('#transfer-form input[value="service"]').checked = true;
      const cur = state.current;
      const services = state.services.filter((s) => !cur || s.letter !== cur.service);
      fillSelect($('transfer-service'), services.map((s) => [s.letter, serviceLabel(s.letter)]));
      const wins = state.windows.filter((w) => w.number !== state.windowNumber);
      fillSelect($('transfer-window'), wins.map((w) => [String(w.number), w.name || `${t('clerk.window')} ${w.number}`]));
    } else if (name === 'specific') {
      $('specific-number').value = '';
      drawSpecificList();
    }
  }

  // ---------------------------------------------------------------- snapshots

  function applyWindow(win) {
    if (!win || win.number !== state.windowNumber) return;
    state.window = win;
    const cur = win.current || null;
    if (cur && !state.finished.has(cur.id)) holdTicket(cur);
    else if (!cur) releaseTicket(null);
    const i = state.windows.findIndex((w) => w.number === win.number);
    if (i >= 0) state.windows[i] = win;
  }

  // Snapshots are re-fetched when an event arrived while they were in flight, so an older
  // snapshot never overwrites newer live data.
  async function refreshWindow() {
    const n = state.windowNumber;
    if (n === null) return;
    if (state.windows.length === 0) {
      const all = await api('GET', '/windows');
      if (all.status === 200 && all.data && Array.isArray(all.data.windows)) state.windows = all.data.windows;
    }
    for (let attempt = 0; attempt < 3; ++attempt) {
      const seq = state.eventSeq;
      const result = await api('GET', `/windows/${n}`);
      if (state.windowNumber !== n) return;
      if (result.status !== 200 || !result.data) return;
      if (seq !== state.eventSeq && attempt < 2) continue;
      applyWindow(result.data);
      render();
      return;
    }
  }

  async function refreshServices() {
    for (let attempt = 0; attempt < 3; ++attempt) {
      const seq = state.eventSeq;
      const result = await api('GET', '/services');
      if (result.status !== 200 || !result.data || !Array.isArray(result.data.services)) return;
      if (seq !== state.eventSeq && attempt < 2) continue;
      state.services = result.data.services;
      render();
      return;
    }
  }

  function scheduleHistory() {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(refreshHistory, 120);
  }

  async function refreshHistory() {
    const cur = state.current;
    if (!cur) return;
    const result = await api('GET', `/tickets/${cur.id}/history`);
    if (!state.current || state.current.id !== cur.id) return;
    if (result.status === 200 && result.data && Array.isArray(result.data.history)) {
      state.history = result.data.history;
      state.historyFor = cur.id;
      drawCurrent();
    }
  }

  function scheduleStats() {
    clearTimeout(statsTimer);
    statsTimer = setTimeout(refreshStats, 300);
  }

  async function refreshStats() {
    if (state.screen !== 'work') return;
    const result = await api('GET', '/me/stats');
    if (result.status === 200 && result.data) {
      state.stats = result.data;
      drawStats();
    }
  }

  function resync() {
    if (state.screen === 'work') {
      refreshWindow();
      refreshServices();
      refreshStats();
      pingSession();
    } else if (state.screen === 'loading') {
      loginCard.restore();
    } else {
      refreshServices();
    }
  }

  // ---------------------------------------------------------------- live events

  function onServerEvent(type, raw) {
    state.eventSeq += 1;
    const data = Talon.parseEvent(raw);
    if (!data) return;
    applyQueueFigures(data);
    if (type === 'day.started') {
      refreshServices();
      refreshWindow();
      refreshStats();
    } else if (type === 'window.paused' || type === 'window.resumed') {
      if (state.window && data.window === state.windowNumber) {
        state.window = { ...state.window, state: data.state, pause_reason: data.reason ?? null };
      }
    } else if (data.ticket && typeof data.ticket === 'object') {
      onTicketEvent(type, data.ticket);
    }
    render();
  }

  function applyQueueFigures(data) {
    let unknown = false;
    for (const [field, key] of [['waiting', 'waiting'], ['ewt', 'ewt_seconds'], ['oldest', 'oldest_issued_at']]) {
      const map = data[field];
      if (!map || typeof map !== 'object') continue;
      for (const [letter, value] of Object.entries(map)) {
        const service = state.services.find((s) => s.letter === letter);
        if (service) service[key] = value;
        else unknown = true;
      }
    }
    if (unknown) refreshServices();
  }

  function onTicketEvent(type, ticket) {
    if (state.screen !== 'work') return;
    if (type === 'ticket.issued' && state.message && state.message.key === 'clerk.nobody_waiting' &&
        mySessionLetters().includes(ticket.service)) {
      state.message = null; // somebody is waiting now
    }
    const mine = state.current && state.current.id === ticket.id;
    if (kFinal.has(ticket.status) || (mine && (ticket.status === 'waiting' || ticket.window !== state.windowNumber))) {
      releaseTicket(ticket);
    } else if (ticket.window === state.windowNumber && (ticket.status === 'called' || ticket.status === 'serving') &&
               !state.finished.has(ticket.id)) {
      holdTicket(ticket);
    }
    if (mine) scheduleHistory();
  }

  // ---------------------------------------------------------------- drawing

  const messageText = (m) => i18n.message(m);

  function serviceName(letter) {
    const s = state.services.find((x) => x.letter === letter);
    if (!s || !s.names) return '';
    return s.names[i18n.lang] || s.names.en || s.names.ru || '';
  }

  function serviceLabel(letter) {
    const name = serviceName(letter);
    return name ? `${letter} — ${name}` : letter;
  }

  function formatClock(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    return d.toLocaleTimeString(i18n.locale(), { hour: '2-digit', minute: '2-digit' });
  }

  function secondsSince(iso) {
    const start = new Date(iso).getTime();
    if (Number.isNaN(start)) return null;
    return Math.max(0, Math.floor((serverNow() - start) / 1000));
  }

  function formatDuration(total) {
    if (total == null || Number.isNaN(total)) return '—';
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const two = (x) => String(x).padStart(2, '0');
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
  }

  /// Minutes for the queue columns: "<1 min", "7 min", "1 h 05 min".
  function formatMinutes(seconds) {
    if (seconds == null) return '—';
    const m = Math.round(seconds / 60);
    if (m < 1) return t('clerk.under_minute');
    if (m < 60) return t('clerk.minutes', { m });
    return t('clerk.hours_minutes', { h: Math.floor(m / 60), m: String(m % 60).padStart(2, '0') });
  }

  function render() {
    const body = document.body;
    body.classList.remove('is-loading');
    body.dataset.screen = state.screen;
    i18n.apply();

    const working = state.screen === 'work';
    document.title = working ? `${t('clerk.window')} ${state.windowNumber} — ${t('clerk.title')}` : t('clerk.title');

    stream.draw(t('clerk.live'));

    const user = state.me && state.me.user;
    $('topbar-user').hidden = !user || state.screen === 'login';
    $('user-name').textContent = user ? user.name || user.login : '';
    $('logout').disabled = Boolean(state.current) || state.busy !== null || Boolean(state.loggingOut);
    $('logout').title = state.current ? t('clerk.finish_first') : '';

    loginCard.draw(state.screen === 'login');
    drawSetup();

    $('work').hidden = !working;
    $('topbar-window').hidden = !working;
    $('window-number').textContent = state.windowNumber ?? '';
    $('topbar-services').textContent = working ? mySessionLetters().join(' · ') : '';
    $('change-window').disabled = Boolean(state.current) || state.busy !== null;
    $('change-window').title = state.current ? t('clerk.finish_first') : '';
    if (working) {
      drawCurrent();
      drawActions();
      drawQueue();
      drawStats();
    }
    drawDialog();
  }

  function drawSetup() {
    $('setup').hidden = state.screen !== 'setup';
    if (state.screen !== 'setup') return;
    const user = state.me && state.me.user;
    $('setup-title').textContent = t('clerk.hello', { name: user ? user.name || user.login : '' });
    const allowed = allowedWindows();
    const grid = $('window-grid');
    grid.replaceChildren(...allowed.map((w) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'window-pick';
      b.setAttribute('role', 'radio');
      b.setAttribute('aria-checked', String(w.number === state.setupWindow));
      b.dataset.window = String(w.number);
      const num = document.createElement('span');
      num.className = 'window-pick-number';
      num.textContent = String(w.number);
      const name = document.createElement('span');
      name.className = 'window-pick-name';
      name.textContent = w.name || `${t('clerk.window')} ${w.number}`;
      const letters = document.createElement('span');
      letters.className = 'window-pick-services';
      letters.textContent = windowLettersOf(w).join(' · ');
      b.append(num, name, letters);
      return b;
    }));
    $('window-none').hidden = allowed.length > 0 || state.windows.length === 0;
    const win = state.windows.find((w) => w.number === state.setupWindow);
    $('service-group').hidden = !win;
    const picks = $('service-picks');
    picks.replaceChildren(...windowLettersOf(win).map((letter) => {
      const label = document.createElement('label');
      label.className = 'service-pick';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = letter;
      box.checked = state.setupServices.has(letter);
      const text = document.createElement('span');
      text.textContent = serviceLabel(letter);
      label.append(box, text);
      return label;
    }));
    $('setup-error').textContent = messageText(state.setupError);
    $('setup-submit').disabled = state.setupBusy;
    $('setup-cancel').hidden = !(state.setupCancellable && state.me && state.me.window != null);
  }

  function statusLabel(ticket) {
    return ticket ? t(`clerk.status_${ticket.status}`) : '';
  }

  function lastTransfer() {
    if (!state.current || state.historyFor !== state.current.id) return null;
    for (let i = state.history.length - 1; i >= 0; --i) {
      if (state.history[i].action === 'transfer') return state.history[i];
    }
    return null;
  }

  function drawCurrent() {
    const cur = state.current;
    const paused = isPaused() && !cur;
    $('ticket-card').dataset.state = cur ? cur.status : paused ? 'paused' : 'empty';
    $('ticket-body').hidden = !cur;
    setText($('current-status'), statusLabel(cur));
    $('current-status').hidden = !cur;
    setText($('current-number'), cur ? cur.number : '');
    $('current-service').textContent = cur ? serviceLabel(cur.service) : '';
    const tags = [];
    if (cur && cur.priority && cur.priority !== 'normal') tags.push(['priority', t(`clerk.priority_${cur.priority}`)]);
    if (cur && cur.recalls > 0) tags.push(['recall', t('clerk.recalled_times', { n: cur.recalls })]);
    const moved = lastTransfer();
    if (moved && moved.detail && moved.detail.to_window && moved.window) {
      tags.push(['transfer', t('clerk.transferred_from_window', { window: moved.window })]);
    } else if (moved && moved.detail && moved.detail.from_service) {
      tags.push(['transfer', t('clerk.transferred_from', { service: moved.detail.from_service })]);
    }
    $('current-tags').replaceChildren(...tags.map(([kind, text]) => {
      const s = document.createElement('span');
      s.className = `tag tag-${kind}`;
      s.textContent = text;
      return s;
    }));
    let meta = '';
    if (cur && cur.status === 'serving' && cur.started_at) meta = t('clerk.serving_since', { time: formatClock(cur.started_at) });
    else if (cur && cur.called_at) meta = t('clerk.called_at', { time: formatClock(cur.called_at) });
    $('current-called').textContent = meta;
    const note = moved && moved.detail && moved.detail.note;
    $('current-note').hidden = !note;
    $('current-note').textContent = note ? t('clerk.note_from', { note }) : '';
    $('current-none').hidden = Boolean(cur) || paused;
    $('current-none').textContent = t('clerk.none');
    $('paused').hidden = !paused;
    $('paused-reason').textContent = paused && state.window.pause_reason ? state.window.pause_reason : '';
    drawHistory();
    drawElapsed();
  }

  function historyLine(h) {
    const d = h.detail && typeof h.detail === 'object' ? h.detail : {};
    let what = t(`clerk.action_${h.action}`);
    if (h.action === 'done' && d.outcome) what += ` · ${t(`clerk.outcome_${d.outcome}`)}`;
    if (h.action === 'transfer') {
      if (d.to_window) what += ` → ${t('clerk.window')} ${d.to_window}`;
      else if (d.to_service) what += ` → ${d.to_service}`;
    }
    const parts = [what];
    if (h.window && h.action !== 'issue' && h.action !== 'transfer') parts.push(`${t('clerk.window')} ${h.window}`);
    if (h.clerk_name || h.clerk) parts.push(h.clerk_name || h.clerk);
    return parts.join(' · ');
  }

  function drawHistory() {
    const show = Boolean(state.current) && state.historyFor === state.current.id && state.history.length > 0;
    $('history').hidden = !show;
    if (!show) return;
    const items = state.history.map((h) => {
      const li = document.createElement('li');
      li.className = `history-item history-${h.action}`;
      const time = document.createElement('time');
      time.textContent = formatClock(h.at);
      const what = document.createElement('span');
      what.textContent = historyLine(h);
      li.append(time, what);
      if (h.detail && typeof h.detail.note === 'string' && h.detail.note) {
        const note = document.createElement('q');
        note.textContent = h.detail.note;
        li.append(note);
      }
      return li;
    });
    $('history-list').replaceChildren(...items);
  }

  function drawElapsed() {
    const cur = state.current;
    const since = cur && (cur.status === 'serving' && cur.started_at ? cur.started_at : cur.called_at);
    $('current-elapsed').hidden = !since;
    $('current-elapsed-text').textContent = since ? formatDuration(secondsSince(since)) : '';
  }

  function drawActions() {
    const buttons = {
      'call-next': can.callNext, recall: can.recall, start: can.start, done: can.done, 'no-show': can.noShow,
      return: can.returnToQueue, transfer: can.transfer, 'call-specific': can.callSpecific,
    };
    for (const [id, allowed] of Object.entries(buttons)) $(id).disabled = !allowed();
    const paused = isPaused();
    $('pause-label').textContent = t(paused ? 'clerk.resume' : 'clerk.pause');
    $('pause').classList.toggle('is-resume', paused);
    $('pause').disabled = paused ? !working() : !can.pause();
    document.body.classList.toggle('is-busy', state.busy !== null);
    document.body.dataset.busy = state.busy || '';
    const msg = $('message');
    msg.hidden = !state.message;
    msg.dataset.kind = state.message ? state.message.kind : '';
    msg.textContent = messageText(state.message);
  }

  function drawQueue() {
    const mine = mySessionLetters();
    const windowLetters = windowLettersOf(state.window);
    const rows = [...state.services].sort((a, b) => {
      const ia = mine.indexOf(a.letter);
      const ib = mine.indexOf(b.letter);
      if ((ia < 0) !== (ib < 0)) return ia < 0 ? 1 : -1;
      if (ia >= 0) return ia - ib;
      return a.letter.localeCompare(b.letter);
    });
    const items = rows.map((s) => {
      const li = document.createElement('li');
      const isMine = mine.includes(s.letter);
      li.className = 'queue-row' + (isMine ? ' is-mine' : windowLetters.includes(s.letter) ? ' is-window' : '') +
        (s.waiting > 0 ? '' : ' is-empty');
      li.dataset.service = s.letter;
      const cell = (cls, text) => {
        const span = document.createElement('span');
        span.className = cls;
        span.textContent = text;
        return span;
      };
      const name = cell('queue-name', (s.names && (s.names[i18n.lang] || s.names.en)) || '');
      if (s.open === false) name.append(cell('queue-closed', t('clerk.service_closed')));
      const longest = s.waiting > 0 && s.oldest_issued_at ? formatMinutes(secondsSince(s.oldest_issued_at)) : '—';
      const ewt = s.waiting > 0 || s.ewt_seconds ? formatMinutes(s.ewt_seconds ?? null) : '—';
      li.append(cell('queue-letter', s.letter), name, cell('queue-count', String(s.waiting ?? 0)),
        cell('queue-longest', longest), cell('queue-ewt', ewt));
      return li;
    });
    $('queue-list').replaceChildren(...items);
    const myWaiting = state.services.filter((s) => mine.includes(s.letter)).reduce((sum, s) => sum + (s.waiting || 0), 0);
    $('queue-note').hidden = !(state.window && state.services.length > 0 && myWaiting === 0);
  }

  function drawStats() {
    const s = state.stats;
    $('stat-served').textContent = s ? String(s.served ?? 0) : '—';
    $('stat-avg').textContent = s && s.avg_service_seconds != null ? formatDuration(s.avg_service_seconds) : '—';
    $('stat-wait').textContent = s && s.avg_wait_seconds != null ? formatDuration(s.avg_wait_seconds) : '—';
    $('stat-noshow').textContent = s ? String(s.no_shows ?? 0) : '—';
  }

  function drawDialog() {
    const name = state.dialog;
    if (!name) return;
    const el = $(`${name}-dialog`);
    const err = el.querySelector('.form-error');
    if (err) err.textContent = messageText(state.dialogError);
    for (const b of el.querySelectorAll('button')) b.disabled = state.dialogBusy;
    if (name === 'transfer') {
      const cur = state.current;
      $('transfer-title').textContent = t('clerk.transfer_title', { number: cur ? cur.number : '' });
      const byWindow = document.querySelector('#transfer-form input[name="target"]:checked').value === 'window';
      $('transfer-service-field').hidden = byWindow;
      $('transfer-window-field').hidden = !byWindow;
      const bytes = utf8Bytes($('transfer-note').value);
      $('transfer-count').textContent = t('clerk.note_left', { n: Math.max(0, kNoteBytes - bytes) });
      $('transfer-count').classList.toggle('is-over', bytes > kNoteBytes);
    } else if (name === 'pause') {
      drawReasons();
    }
  }

  function drawReasons() {
    const list = $('reason-list');
    list.replaceChildren(...kPauseReasons.map((key) => {
      const label = document.createElement('label');
      label.className = 'reason';
      const radio = document.createElement('input');
      radio.type = 'radio';
      radio.name = 'reason';
      radio.value = key;
      radio.checked = key === state.pauseReason;
      const text = document.createElement('span');
      text.textContent = t(`clerk.reason_${key}`);
      label.append(radio, text);
      return label;
    }));
    $('pause-other-field').hidden = state.pauseReason !== 'other';
  }

  function drawSpecificList() {
    const items = state.specificList.map((tk) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'waiting-item';
      b.dataset.ticket = String(tk.id);
      const num = document.createElement('strong');
      num.textContent = tk.number;
      const info = document.createElement('span');
      info.textContent = `${serviceName(tk.service)} · ${formatMinutes(secondsSince(tk.issued_at))}`;
      b.append(num, info);
      if (tk.priority && tk.priority !== 'normal') {
        const tag = document.createElement('span');
        tag.className = 'tag tag-priority';
        tag.textContent = t(`clerk.priority_${tk.priority}`);
        b.append(tag);
      }
      li.append(b);
      return li;
    });
    if (items.length === 0) {
      const li = document.createElement('li');
      li.className = 'waiting-none';
      li.textContent = t('clerk.nobody_waiting');
      items.push(li);
    }
    $('specific-list').replaceChildren(...items);
  }

  // ---------------------------------------------------------------- wiring

  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    return target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
  }

  // e.code is the physical key, so the shortcuts also work with the Russian layout.
  const kShortcuts = {
    KeyN: callNext, KeyR: recall, KeyS: startServing, KeyD: openDone, KeyX: noShow, KeyB: returnToQueue,
    KeyT: openTransfer, KeyC: openSpecific, KeyP: openPause,
  };

  function onKeyDown(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat) return;
    if (state.dialog === 'done') {
      const i = ['1', '2', '3'].indexOf(e.code.replace(/^(Digit|Numpad)/, ''));
      if (i >= 0) {
        e.preventDefault();
        finish(kOutcomes[i]);
      }
      return;
    }
    if (state.dialog !== null || isTyping(e.target) || state.screen !== 'work') return;
    const action = kShortcuts[e.code];
    if (action) {
      e.preventDefault();
      action();
    }
  }

  function wireDialogs() {
    // Escape, Cancel or a click on the backdrop closes a dialog; the page's state follows
    // however it closed, so the shortcuts work again.
    Talon.wireDialogs({
      current: () => state.dialog,
      busy: () => state.dialogBusy,
      dismiss: () => {
        closeDialog();
        render();
      },
      backdrop: true,
    });
    for (const b of document.querySelectorAll('[data-outcome]')) b.addEventListener('click', () => finish(b.dataset.outcome));
    $('transfer-form').addEventListener('submit', (e) => {
      e.preventDefault();
      submitTransfer();
    });
    $('transfer-form').addEventListener('input', drawDialog);
    $('transfer-form').addEventListener('change', drawDialog);
    $('specific-form').addEventListener('submit', (e) => {
      e.preventDefault();
      callSpecific(null, $('specific-number').value);
    });
    $('specific-list').addEventListener('click', (e) => {
      const b = e.target instanceof Element ? e.target.closest('[data-ticket]') : null;
      if (b) callSpecific(Number(b.dataset.ticket));
    });
    $('pause-form').addEventListener('submit', (e) => {
      e.preventDefault();
      submitPause();
    });
    $('reason-list').addEventListener('change', (e) => {
      if (e.target instanceof HTMLInputElement && e.target.name === 'reason') {
        state.pauseReason = e.target.value;
        drawReasons();
        if (state.pauseReason === 'other') $('pause-other').focus();
      }
    });
  }

  function onLangChanged() {
    render();
    if (state.screen === 'work') refreshServices(); // closed-service reasons are worded per language
  }

  function rememberFinished(id) {
    if (state.finished.size > 5000) state.finished.clear();
    state.finished.add(id);
  }

  async function start() {
    Talon.mountChrome('clerk');
    await i18n.start();

    loginCard.wire();
    $('window-grid').addEventListener('click', (e) => {
      const b = e.target instanceof Element ? e.target.closest('[data-window]') : null;
      if (!b) return;
      pickSetupWindow(Number(b.dataset.window), null);
      render();
    });
    $('service-picks').addEventListener('change', (e) => {
      if (!(e.target instanceof HTMLInputElement)) return;
      if (e.target.checked) state.setupServices.add(e.target.value);
      else state.setupServices.delete(e.target.value);
      state.setupError = null;
      render();
    });
    $('setup-form').addEventListener('submit', (e) => {
      e.preventDefault();
      submitSetup();
    });
    $('setup-cancel').addEventListener('click', () => openWork(state.me.window));
    $('change-window').addEventListener('click', () => {
      if (!state.current) openSetup({ cancellable: true });
    });
    $('logout').addEventListener('click', logout);
    $('call-next').addEventListener('click', callNext);
    $('recall').addEventListener('click', recall);
    $('start').addEventListener('click', startServing);
    $('done').addEventListener('click', openDone);
    $('no-show').addEventListener('click', noShow);
    $('return').addEventListener('click', returnToQueue);
    $('transfer').addEventListener('click', openTransfer);
    $('call-specific').addEventListener('click', openSpecific);
    $('pause').addEventListener('click', openPause);
    i18n.wireSwitch(onLangChanged);
    wireDialogs();
    document.addEventListener('keydown', onKeyDown);
    setInterval(() => {
      if (state.screen !== 'work') return;
      drawElapsed();
      drawQueue();
    }, 1000);
    setInterval(pingSession, kSessionPingMs);
    setInterval(refreshStats, kStatsRefreshMs);

    stream.connect(null);
    render();
    await loginCard.restore();
  }

  start();
})();
