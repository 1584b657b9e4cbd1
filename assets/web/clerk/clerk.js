// Talon clerk console: choose a window, call and finish tickets, watch the queue live over SSE.
// State lives in `state` and changes only in the intent functions; render() draws it and
// never talks to the network (the same split as the kiosk and board models).
'use strict';

(() => {
  const kApi = '/api/v1';
  const kLangKey = 'talon.clerk.lang';
  const kWindowKey = 'talon.clerk.window';
  const kLangs = ['ru', 'en'];
  // A stream the browser gave up on (it does so on a non-200 answer) is reopened by us after this.
  const kReopenMs = 3000;
  // The first connection gets this long before the "connection lost" banner shows, so a
  // normal page load does not flash it.
  const kConnectGraceMs = 1500;
  // Last resort only: used when neither the chosen catalog nor /i18n/en.json could be loaded.
  const kFallback = {
    'clerk.title': 'Clerk console',
    'clerk.window': 'Window',
    'clerk.choose_window': 'Enter your window number',
    'clerk.open': 'Open',
    'clerk.change_window': 'Change window',
    'clerk.call_next': 'Call next',
    'clerk.done': 'Done',
    'clerk.current': 'Current ticket',
    'clerk.none': 'No current ticket',
    'clerk.called_at': 'Called at {time}',
    'clerk.queue': 'Queue',
    'clerk.waiting': 'Waiting',
    'clerk.nobody_waiting': 'Nobody is waiting for your services.',
    'clerk.live': 'Live',
    'clerk.disconnected': 'Connection to the server lost. Reconnecting…',
    'clerk.unknown_window': 'There is no window with this number.',
    'clerk.shortcuts': 'Keys: N — call next, D — done',
    'error.internal': 'Something went wrong on the server. Nothing was changed; please try again.',
    'error.unreachable': 'The server cannot be reached. Check the network; retrying.',
  };

  const state = {
    lang: 'en',
    catalogs: {}, // lang -> flat key/text map
    screen: 'loading', // 'loading' | 'chooser' | 'work'
    windowNumber: null, // the window in use (work screen)
    window: null, // window object from the server
    pendingWindow: null, // a window we could not check because the server was unreachable
    services: [], // from GET /services, with live `waiting`
    current: null, // ticket the window holds, or null
    busy: false, // call-next or done in flight
    message: null, // {kind: 'info'|'error', key?, params?, text?}
    chooserBusy: false,
    chooserError: null, // same shape as message
    chooserValue: '',
    connection: 'connecting', // 'connecting' | 'open' | 'lost'
    graceOver: false,
    eventSeq: 0, // bumps on every event; a snapshot fetched across an event is re-fetched
    finished: new Set(), // ids of tickets seen done, so a late "called" event cannot revive them
  };

  let events = null;
  let reopenTimer = null;

  // ---------------------------------------------------------------- i18n

  function t(key, params) {
    const own = state.catalogs[state.lang] || {};
    const en = state.catalogs.en || {};
    let text = own[key] ?? en[key] ?? kFallback[key] ?? key;
    if (params) {
      text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
    }
    return text;
  }

  async function loadCatalog(lang) {
    if (state.catalogs[lang]) return;
    try {
      const res = await fetch(`/i18n/${lang}.json`, { cache: 'no-cache' });
      if (res.ok) state.catalogs[lang] = await res.json();
    } catch {
      // Missing catalog: t() falls back to English, then to kFallback.
    }
  }

  function initialLang() {
    const stored = storageGet(kLangKey);
    if (kLangs.includes(stored)) return stored;
    const nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
    return nav.toLowerCase().startsWith('ru') ? 'ru' : 'en';
  }

  function storageGet(key) {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  }

  function storageSet(key, value) {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      // Storage disabled (private mode): the choice just is not remembered.
    }
  }

  // ---------------------------------------------------------------- HTTP

  /// Calls the API. Resolves to {status, data} for any HTTP answer and {status: 0} when the
  /// server could not be reached; never rejects. `data` is the parsed JSON body or null.
  async function api(method, path) {
    let res;
    try {
      res = await fetch(kApi + path, {
        method,
        headers: { Accept: 'application/json', 'Accept-Language': state.lang },
        cache: 'no-store',
      });
    } catch {
      return { status: 0, data: null };
    }
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch {
        data = null;
      }
    }
    return { status: res.status, data };
  }

  /// The message to show for a failed answer: the server's own sentence when it sent one.
  function errorMessage(result) {
    if (result.status === 0) return { kind: 'error', key: 'error.unreachable' };
    const text = result.data && result.data.error && result.data.error.message;
    if (typeof text === 'string' && text) return { kind: 'error', text };
    return { kind: 'error', key: 'error.internal' };
  }

  function errorCode(result) {
    return (result.data && result.data.error && result.data.error.code) || null;
  }

  // ---------------------------------------------------------------- intents

  async function chooseWindow(raw, { fromStorage = false } = {}) {
    const text = String(raw).trim();
    state.chooserValue = text;
    if (!/^[0-9]{1,4}$/.test(text) || Number(text) < 1) {
      state.chooserError = { kind: 'error', key: 'clerk.unknown_window' };
      showChooser();
      return;
    }
    const n = Number(text);
    state.chooserBusy = true;
    state.chooserError = null;
    render();
    const result = await api('GET', `/windows/${n}`);
    state.chooserBusy = false;
    if (result.status === 200 && result.data) {
      state.pendingWindow = null;
      if (state.windowNumber !== n) {
        state.message = null;
        state.finished.clear();
      }
      state.windowNumber = n;
      applyWindow(result.data);
      state.screen = 'work';
      // The number field is about to hide; keys must reach the page's shortcuts, not it.
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      storageSet(kWindowKey, String(n));
      setUrlWindow(n);
      render();
      refreshServices();
      return;
    }
    if (result.status === 404) {
      state.chooserError = { kind: 'error', key: 'clerk.unknown_window' };
      if (fromStorage) storageSet(kWindowKey, null);
    } else {
      state.chooserError = errorMessage(result);
      // Unreachable: try again by itself once the event stream is back.
      if (result.status === 0) state.pendingWindow = text;
    }
    showChooser();
  }

  function showChooser() {
    state.screen = 'chooser';
    render();
    const input = document.getElementById('window-input');
    input.focus();
    input.select();
  }

  function changeWindow() {
    state.chooserValue = state.windowNumber != null ? String(state.windowNumber) : '';
    state.chooserError = null;
    showChooser();
  }

  function canCallNext() {
    return state.screen === 'work' && state.window !== null && state.current === null && !state.busy;
  }

  function canFinish() {
    return state.screen === 'work' && state.current !== null && !state.busy;
  }

  async function callNext() {
    if (!canCallNext()) return;
    const n = state.windowNumber;
    state.busy = true;
    state.message = null;
    render();
    const result = await api('POST', `/windows/${n}/call-next`);
    state.busy = false;
    if (state.windowNumber !== n) return render();
    if (result.status === 200 && result.data) {
      state.current = result.data;
    } else if (result.status === 204) {
      state.message = { kind: 'info', key: 'clerk.nobody_waiting' };
    } else if (result.status === 404 && errorCode(result) === 'unknown_window') {
      return windowVanished();
    } else {
      state.message = errorMessage(result);
      // window_busy means another tab or device called meanwhile: show what the window holds.
      if (result.status === 409) refreshWindow();
    }
    render();
  }

  async function finish() {
    if (!canFinish()) return;
    const n = state.windowNumber;
    state.busy = true;
    state.message = null;
    render();
    const result = await api('POST', `/windows/${n}/done`);
    state.busy = false;
    if (state.windowNumber !== n) return render();
    if (result.status === 200 && result.data) {
      rememberFinished(result.data.id);
      if (state.current && state.current.id === result.data.id) state.current = null;
    } else if (result.status === 404 && errorCode(result) === 'unknown_window') {
      return windowVanished();
    } else {
      state.message = errorMessage(result);
      if (result.status === 409) refreshWindow();
    }
    render();
  }

  function windowVanished() {
    state.chooserValue = String(state.windowNumber);
    state.chooserError = { kind: 'error', key: 'clerk.unknown_window' };
    storageSet(kWindowKey, null);
    showChooser();
  }

  async function setLang(lang) {
    if (!kLangs.includes(lang) || lang === state.lang) return;
    await loadCatalog(lang);
    state.lang = lang;
    storageSet(kLangKey, lang);
    render();
  }

  function applyWindow(win) {
    state.window = win;
    const cur = win.current || null;
    state.current = cur && !state.finished.has(cur.id) ? cur : null;
  }

  function rememberFinished(id) {
    if (state.finished.size > 5000) state.finished.clear();
    state.finished.add(id);
  }

  // Snapshots are re-fetched when an event arrived while they were in flight, so an older
  // snapshot never overwrites newer live data.
  async function refreshWindow() {
    const n = state.windowNumber;
    if (n === null) return;
    for (let attempt = 0; attempt < 3; ++attempt) {
      const seq = state.eventSeq;
      const result = await api('GET', `/windows/${n}`);
      if (state.windowNumber !== n) return;
      if (result.status === 404) return windowVanished();
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

  function resync() {
    if (state.screen === 'work' && state.windowNumber !== null) {
      refreshWindow();
      refreshServices();
    } else if (state.pendingWindow !== null && !state.chooserBusy) {
      chooseWindow(state.pendingWindow);
    } else {
      refreshServices();
    }
  }

  // ---------------------------------------------------------------- live events

  function connectEvents(lastEventId) {
    clearTimeout(reopenTimer);
    const query = lastEventId ? `?last_event_id=${encodeURIComponent(lastEventId)}` : '';
    const es = new EventSource(`${kApi}/events${query}`);
    events = es;
    let lastId = lastEventId || '';
    es.addEventListener('open', () => {
      if (events !== es) return;
      state.connection = 'open';
      render();
      resync();
    });
    es.addEventListener('error', () => {
      if (events !== es) return;
      state.connection = 'lost';
      render();
      // CONNECTING: the browser retries by itself and sends Last-Event-ID. CLOSED: it gave up.
      if (es.readyState === EventSource.CLOSED) {
        es.close();
        reopenTimer = setTimeout(() => connectEvents(lastId), kReopenMs);
      }
    });
    const onEvent = (e) => {
      if (events !== es) return;
      if (e.lastEventId) lastId = e.lastEventId;
      onTicketEvent(e.type, e.data);
    };
    for (const type of ['ticket.issued', 'ticket.called', 'ticket.done']) es.addEventListener(type, onEvent);
  }

  function onTicketEvent(type, raw) {
    state.eventSeq += 1;
    let data;
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    if (data && data.waiting && typeof data.waiting === 'object') {
      let unknown = false;
      for (const [letter, count] of Object.entries(data.waiting)) {
        const service = state.services.find((s) => s.letter === letter);
        if (service) service.waiting = count;
        else unknown = true;
      }
      if (unknown) refreshServices();
    }
    const ticket = data && data.ticket;
    if (ticket && typeof ticket === 'object') {
      if (type === 'ticket.issued' && state.message && state.message.key === 'clerk.nobody_waiting' &&
          windowLetters().includes(ticket.service)) {
        state.message = null; // somebody is waiting now
      }
      if (type === 'ticket.done') {
        rememberFinished(ticket.id);
        if (state.current && state.current.id === ticket.id) state.current = null;
      } else if (type === 'ticket.called' && state.windowNumber !== null &&
                 ticket.window === state.windowNumber && !state.finished.has(ticket.id)) {
        state.current = ticket;
      }
    }
    render();
  }

  // ---------------------------------------------------------------- drawing

  const $ = (id) => document.getElementById(id);

  function messageText(m) {
    if (!m) return '';
    return m.text !== undefined ? m.text : t(m.key, m.params);
  }

  function serviceName(letter) {
    const s = state.services.find((x) => x.letter === letter);
    if (!s || !s.names) return '';
    return s.names[state.lang] || s.names.en || s.names.ru || '';
  }

  function formatClock(iso) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return '';
    const locale = state.lang === 'ru' ? 'ru-RU' : 'en-GB';
    return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  }

  function formatElapsed(iso) {
    const start = new Date(iso).getTime();
    if (Number.isNaN(start)) return '';
    const total = Math.max(0, Math.floor((Date.now() - start) / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const two = (x) => String(x).padStart(2, '0');
    return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
  }

  function windowLetters() {
    if (!state.window || !Array.isArray(state.window.services)) return [];
    return state.window.services.map((s) => (typeof s === 'string' ? s : s.service));
  }

  function render() {
    const body = document.body;
    document.documentElement.lang = state.lang;
    body.classList.remove('is-loading');
    body.dataset.screen = state.screen;
    body.dataset.connection = state.connection;

    for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
    for (const el of document.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
    for (const b of document.querySelectorAll('.lang-btn')) {
      b.setAttribute('aria-pressed', String(b.dataset.lang === state.lang));
    }

    const working = state.screen === 'work';
    document.title = working
      ? `${t('clerk.window')} ${state.windowNumber} — ${t('clerk.title')}`
      : t('clerk.title');

    // Connection
    const open = state.connection === 'open';
    $('conn').hidden = !open;
    $('conn-text').textContent = open ? t('clerk.live') : '';
    $('banner').hidden = open || (state.connection === 'connecting' && !state.graceOver);

    // Chooser
    $('chooser').hidden = state.screen !== 'chooser';
    const input = $('window-input');
    if (document.activeElement !== input || input.value === '') input.value = state.chooserValue;
    input.setAttribute('aria-label', t('clerk.choose_window'));
    input.setAttribute('aria-invalid', String(Boolean(state.chooserError)));
    $('window-open').disabled = state.chooserBusy;
    $('chooser-error').textContent = messageText(state.chooserError);

    // Work area
    $('work').hidden = !working;
    $('topbar-window').hidden = !working;
    $('window-number').textContent = state.windowNumber ?? '';

    const cur = state.current;
    $('ticket-card').dataset.state = cur ? 'current' : 'empty';
    $('current-number').textContent = cur ? cur.number : '';
    $('current-service').textContent = cur ? serviceName(cur.service) : '';
    $('current-called').textContent = cur && cur.called_at ? t('clerk.called_at', { time: formatClock(cur.called_at) }) : '';
    $('current-none').hidden = Boolean(cur);
    drawElapsed();

    $('call-next').disabled = !canCallNext();
    $('done').disabled = !canFinish();
    body.classList.toggle('is-busy', state.busy);

    const msg = $('message');
    msg.hidden = !state.message;
    msg.dataset.kind = state.message ? state.message.kind : '';
    msg.textContent = messageText(state.message);

    drawQueue();
  }

  function drawElapsed() {
    const cur = state.current;
    const show = Boolean(cur && cur.called_at);
    $('current-elapsed').hidden = !show;
    $('current-elapsed-text').textContent = show ? formatElapsed(cur.called_at) : '';
  }

  function drawQueue() {
    const mine = windowLetters();
    const rows = [...state.services].sort((a, b) => {
      const ia = mine.indexOf(a.letter);
      const ib = mine.indexOf(b.letter);
      if ((ia < 0) !== (ib < 0)) return ia < 0 ? 1 : -1;
      if (ia >= 0) return ia - ib;
      return a.letter.localeCompare(b.letter);
    });
    const list = $('queue-list');
    const items = rows.map((s) => {
      const li = document.createElement('li');
      const isMine = mine.includes(s.letter);
      li.className = 'queue-row' + (isMine ? ' is-mine' : '') + (s.waiting > 0 ? '' : ' is-empty');
      li.dataset.service = s.letter;
      const letter = document.createElement('span');
      letter.className = 'queue-letter';
      letter.textContent = s.letter;
      const name = document.createElement('span');
      name.className = 'queue-name';
      name.textContent = (s.names && (s.names[state.lang] || s.names.en)) || '';
      const count = document.createElement('span');
      count.className = 'queue-count';
      count.textContent = String(s.waiting ?? 0);
      li.append(letter, name, count);
      return li;
    });
    list.replaceChildren(...items);
    const myWaiting = state.services
      .filter((s) => mine.includes(s.letter))
      .reduce((sum, s) => sum + (s.waiting || 0), 0);
    $('queue-note').hidden = !(state.window && state.services.length > 0 && myWaiting === 0);
  }

  // ---------------------------------------------------------------- wiring

  function setUrlWindow(n) {
    const url = new URL(window.location.href);
    if (url.searchParams.get('window') === String(n)) return;
    url.searchParams.set('window', String(n));
    history.replaceState(null, '', url);
  }

  function isTyping(target) {
    if (!(target instanceof Element)) return false;
    return target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"]') !== null;
  }

  function onKeyDown(e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.repeat || isTyping(e.target)) return;
    if (state.screen !== 'work') return;
    // e.code is the physical key, so N and D also work with the Russian layout (Т, В).
    if (e.code === 'KeyN') {
      e.preventDefault();
      callNext();
    } else if (e.code === 'KeyD') {
      e.preventDefault();
      finish();
    }
  }

  async function start() {
    state.lang = initialLang();
    await Promise.all([loadCatalog('en'), loadCatalog(state.lang)]);

    $('chooser-form').addEventListener('submit', (e) => {
      e.preventDefault();
      chooseWindow($('window-input').value);
    });
    $('window-input').addEventListener('input', (e) => {
      state.chooserValue = e.target.value;
    });
    $('change-window').addEventListener('click', changeWindow);
    $('call-next').addEventListener('click', callNext);
    $('done').addEventListener('click', finish);
    for (const b of document.querySelectorAll('.lang-btn')) {
      b.addEventListener('click', () => setLang(b.dataset.lang));
    }
    document.addEventListener('keydown', onKeyDown);
    setInterval(drawElapsed, 1000);
    setTimeout(() => {
      state.graceOver = true;
      render();
    }, kConnectGraceMs);

    connectEvents(null);

    const fromUrl = new URL(window.location.href).searchParams.get('window');
    const stored = storageGet(kWindowKey);
    if (fromUrl) await chooseWindow(fromUrl);
    else if (stored) await chooseWindow(stored, { fromStorage: true });
    else showChooser();
  }

  start();
})();
