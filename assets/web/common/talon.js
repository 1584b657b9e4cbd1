// Talon web consoles' shared pieces (the clerk's and the admin's): translations, the API call,
// the login card and the top bar's end, the live event stream, dialogs and small DOM helpers.
// A classic script defining one global, `Talon`; each console's own script runs after it.
'use strict';

const Talon = (() => {
  const kApi = '/api/v1';
  const kLangs = ['ru', 'en'];
  // A stream the browser gave up on (it does so on a non-200 answer) is reopened by us after this.
  const kReopenMs = 3000;
  // The first connection gets this long before the "connection lost" banner shows, so a
  // normal page load does not flash it.
  const kConnectGraceMs = 1500;
  // While the server cannot be reached at start-up, how often to ask again who is logged in.
  const kRetryMs = 3000;
  // Last resort only: used when neither the chosen catalog nor /i18n/en.json could be loaded.
  const kFallback = {
    'error.internal': 'Something went wrong on the server. Nothing was changed; please try again.',
    'error.unreachable': 'The server cannot be reached. Check the network; retrying.',
  };

  // ---------------------------------------------------------------- DOM

  const $ = (id) => document.getElementById(id);

  /// Writes text only when it changed, so live regions are announced once per change.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /// Replaces a <select>'s options with [value, label] pairs.
  function fillSelect(select, options) {
    select.replaceChildren(...options.map(([value, label]) => {
      const o = document.createElement('option');
      o.value = value;
      o.textContent = label;
      return o;
    }));
  }

  /// localStorage or sessionStorage that may be disabled (private mode): reads give null,
  /// writes are dropped and the value is just not remembered.
  function storageGet(store, key) {
    try {
      return store.getItem(key);
    } catch {
      return null;
    }
  }

  function storageSet(store, key, value) {
    try {
      store.setItem(key, value);
    } catch {
      // Storage disabled: not remembered.
    }
  }

  // ---------------------------------------------------------------- i18n

  /// A console's language and catalogs (/i18n/{ru,en}.json); its own keys start with `prefix`
  /// ('clerk.title'). The choice is remembered per console; a key missing from the language's
  /// catalog falls back to English, then to a few English texts here (`title` among them),
  /// then to the key itself.
  class I18n {
    constructor(prefix, title) {
      this.prefix = prefix;
      this.lang = 'en';
      this.catalogs = {}; // lang -> flat key/text map
      this.storageKey = `talon.${prefix}.lang`;
      this.fallback = {
        ...kFallback,
        [`${prefix}.title`]: title,
        [`${prefix}.disconnected`]: 'Connection to the server lost. Reconnecting…',
      };
      this.t = this.t.bind(this);
    }

    t(key, params) {
      const own = this.catalogs[this.lang] || {};
      const en = this.catalogs.en || {};
      let text = own[key] ?? en[key] ?? this.fallback[key] ?? key;
      if (params) {
        text = text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
      }
      return text;
    }

    /// "3 working days" with the language's plural form (catalog keys base.one/few/many/other).
    plural(base, n) {
      const rule = new Intl.PluralRules(this.locale()).select(n);
      return this.t(`${base}.${rule}`, { n });
    }

    locale() {
      return this.lang === 'ru' ? 'ru-RU' : 'en-GB';
    }

    /// The text of a message {kind, key?, params?, text?}: its own text (the server's
    /// sentence) or its key translated; '' for none.
    message(m) {
      if (!m) return '';
      return m.text !== undefined ? m.text : this.t(m.key, m.params);
    }

    async load(lang) {
      if (this.catalogs[lang]) return;
      try {
        const res = await fetch(`/i18n/${lang}.json`, { cache: 'no-cache' });
        if (res.ok) this.catalogs[lang] = await res.json();
      } catch {
        // Missing catalog: t() falls back to English, then to the fallback texts.
      }
    }

    /// Picks the remembered language, else the browser's, and loads it with English.
    async start() {
      const stored = storageGet(localStorage, this.storageKey);
      if (kLangs.includes(stored)) {
        this.lang = stored;
      } else {
        const nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
        this.lang = nav.toLowerCase().startsWith('ru') ? 'ru' : 'en';
      }
      await Promise.all([this.load('en'), this.load(this.lang)]);
    }

    /// Switches to `lang` and remembers it; false when it is unknown or already in use.
    async use(lang) {
      if (!kLangs.includes(lang) || lang === this.lang) return false;
      await this.load(lang);
      this.lang = lang;
      storageSet(localStorage, this.storageKey, lang);
      return true;
    }

    /// The language switch's buttons (.lang-btn): onChange() runs after a switch.
    wireSwitch(onChange) {
      for (const b of document.querySelectorAll('.lang-btn')) {
        b.addEventListener('click', async () => {
          if (await this.use(b.dataset.lang)) onChange();
        });
      }
    }

    /// Translates the page's fixed texts: data-i18n (text), data-i18n-aria (aria-label) and
    /// data-i18n-title (title), the page's lang and the switch's pressed button.
    apply() {
      document.documentElement.lang = this.lang;
      for (const node of document.querySelectorAll('[data-i18n]')) setText(node, this.t(node.dataset.i18n));
      for (const node of document.querySelectorAll('[data-i18n-aria]')) node.setAttribute('aria-label', this.t(node.dataset.i18nAria));
      for (const node of document.querySelectorAll('[data-i18n-title]')) node.title = this.t(node.dataset.i18nTitle);
      for (const b of document.querySelectorAll('.lang-btn')) b.setAttribute('aria-pressed', String(b.dataset.lang === this.lang));
    }
  }

  // ---------------------------------------------------------------- HTTP

  /// A function that calls the API in the page's language (the session travels in its HttpOnly
  /// cookie). It resolves to {status, data} for any HTTP answer and {status: 0, data: null}
  /// when the server could not be reached; it never rejects. onAnswer(result, response, path)
  /// sees every HTTP answer before the caller does (an ended session, the server's clock).
  function apiClient(i18n, onAnswer) {
    return async (method, path, body) => {
      let res;
      const headers = { Accept: 'application/json', 'Accept-Language': i18n.lang };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      try {
        res = await fetch(kApi + path, {
          method,
          headers,
          body: body === undefined ? (method === 'POST' ? '{}' : undefined) : JSON.stringify(body),
          cache: 'no-store',
          credentials: 'same-origin',
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
      const result = { status: res.status, data };
      onAnswer(result, res, path);
      return result;
    };
  }

  /// The message to show for a failed answer: the server's own sentence (in the page's
  /// language) when it sent one.
  function errorMessage(result) {
    if (result.status === 0) return { kind: 'error', key: 'error.unreachable' };
    const text = result.data && result.data.error && result.data.error.message;
    if (typeof text === 'string' && text) return { kind: 'error', text };
    return { kind: 'error', key: 'error.internal' };
  }

  function errorCode(result) {
    return (result.data && result.data.error && result.data.error.code) || null;
  }

  // ---------------------------------------------------------------- the shared markup

  /// Fills in what both consoles' pages have, worded with the `prefix` keys ('clerk.logout' …):
  /// the top bar's end (#topbar-end: connection, user and Log out, language switch), the
  /// connection banner (#banner) and the login card (#login; `loginLead` adds a line under its
  /// title). Runs before anything draws; the texts come with the first I18n.apply().
  function mountChrome(prefix, { loginLead = false } = {}) {
    $('topbar-end').innerHTML = `
      <span class="conn" id="conn" role="status">
        <span class="conn-dot" aria-hidden="true"></span>
        <span class="conn-text" id="conn-text"></span>
      </span>
      <span class="topbar-user" id="topbar-user" hidden>
        <span class="topbar-user-name" id="user-name"></span>
        <button type="button" class="btn btn-ghost btn-small" id="logout" data-i18n="${prefix}.logout"></button>
      </span>
      <div class="lang-switch" role="group" data-i18n-aria="${prefix}.language" aria-label="Language">
        <button type="button" class="lang-btn" data-lang="ru" lang="ru" title="Русский">RU</button>
        <button type="button" class="lang-btn" data-lang="en" lang="en" title="English">EN</button>
      </div>`;
    $('banner').innerHTML = `
      <span class="banner-spinner" aria-hidden="true"></span>
      <span data-i18n="${prefix}.disconnected"></span>`;
    $('login').innerHTML = `
      <form class="card login-card" id="login-form" novalidate>
        <h2 class="login-title" data-i18n="${prefix}.login_title"></h2>
        ${loginLead ? `<p class="login-lead" data-i18n="${prefix}.login_lead"></p>` : ''}
        <p class="login-notice" id="login-notice" role="status" hidden></p>
        <label class="field">
          <span class="field-label" data-i18n="${prefix}.login_name"></span>
          <input class="input" id="login-name" name="login" type="text" autocomplete="username"
                 autocapitalize="none" spellcheck="false" maxlength="64" required>
        </label>
        <label class="field">
          <span class="field-label" data-i18n="${prefix}.password"></span>
          <input class="input" id="login-password" name="password" type="password"
                 autocomplete="current-password" maxlength="1024" required>
        </label>
        <p class="form-error" id="login-error" role="alert" aria-live="assertive"></p>
        <button type="submit" class="btn btn-primary btn-wide" id="login-submit" data-i18n="${prefix}.login_submit"></button>
      </form>`;
  }

  // ---------------------------------------------------------------- logging in

  /// The login card (#login) and the way into a session. restore() asks the server who is
  /// logged in and asks again while it cannot be reached; the card's form runs logIn().
  /// Hooks: enter(me) with the session (GET /me); none() when there is none; render() when
  /// the card changed or the server is unreachable; accept(answer), optional, may refuse a
  /// login that worked by resolving to the message to show (after logging out again).
  class LoginCard {
    constructor({ api, i18n, enter, none, render, accept = null }) {
      Object.assign(this, { api, i18n, enter, none, render, accept });
      this.busy = false;
      this.error = null; // message: {kind, key?, params?, text?}
      this.notice = null; // why the card shows (the session ended)
      this.retryTimer = null;
    }

    wire() {
      $('login-form').addEventListener('submit', (e) => {
        e.preventDefault();
        this.logIn($('login-name').value, $('login-password').value);
      });
    }

    /// Where the page starts and returns to after an outage: the session decides the screen.
    async restore() {
      clearTimeout(this.retryTimer);
      const result = await this.api('GET', '/me');
      if (result.status === 200 && result.data) {
        await this.enter(result.data);
      } else if (result.status === 0 || result.status >= 500) {
        // Not reachable yet: the banner says so; try again.
        this.retryTimer = setTimeout(() => this.restore(), kRetryMs);
        this.render();
      } else {
        this.none();
      }
    }

    async logIn(name, password) {
      if (this.busy) return;
      if (!name.trim() || !password) {
        this.error = { kind: 'error', key: `${this.i18n.prefix}.login_missing` };
        return this.render();
      }
      this.busy = true;
      this.error = null;
      this.render();
      const result = await this.api('POST', '/login', { login: name.trim(), password });
      $('login-password').value = '';
      if (result.status === 200) {
        const refusal = this.accept ? await this.accept(result) : null;
        if (refusal) {
          this.busy = false;
          this.error = refusal;
          return this.render();
        }
        const me = await this.api('GET', '/me');
        this.busy = false;
        if (me.status === 200 && me.data) return this.enter(me.data);
        this.error = errorMessage(me);
      } else {
        this.busy = false;
        this.error = errorMessage(result);
      }
      this.render();
      $('login-password').focus();
    }

    /// A fresh card saying `notice` (or nothing); the page draws it, then calls focus().
    reset(notice) {
      this.notice = notice;
      this.error = null;
      this.busy = false;
    }

    focus() {
      const name = $('login-name');
      (name.value ? $('login-password') : name).focus();
    }

    draw(shown) {
      $('login').hidden = !shown;
      if (!shown) return;
      $('login-notice').hidden = !this.notice;
      $('login-notice').textContent = this.i18n.message(this.notice);
      $('login-error').textContent = this.i18n.message(this.error);
      $('login-submit').disabled = this.busy;
      for (const id of ['login-name', 'login-password']) $(id).setAttribute('aria-invalid', String(Boolean(this.error)));
    }
  }

  // ---------------------------------------------------------------- live events

  /// /api/v1/events as an EventSource that resumes where it left off: the browser reconnects by
  /// itself with Last-Event-ID, and a stream it gave up on is reopened from the last id seen.
  /// status: 'connecting' | 'open' | 'lost'. Hooks: onChange() when status or the start-up
  /// grace changed (draw again); onOpen(wasLost) after each (re)connection; onEvent(e) for each
  /// event of `types` (e.type, e.data, e.lastEventId).
  class EventStream {
    constructor({ types, onChange, onOpen, onEvent }) {
      Object.assign(this, { types, onChange, onOpen, onEvent });
      this.status = 'connecting';
      this.graceOver = false;
      this.es = null;
      this.lastId = '';
      this.reopenTimer = null;
    }

    connect(lastEventId) {
      setTimeout(() => {
        this.graceOver = true;
        this.onChange();
      }, kConnectGraceMs);
      this.open(lastEventId || '');
    }

    open(lastEventId) {
      clearTimeout(this.reopenTimer);
      const query = lastEventId ? `?last_event_id=${encodeURIComponent(lastEventId)}` : '';
      const es = new EventSource(`${kApi}/events${query}`);
      this.es = es;
      this.lastId = lastEventId;
      es.addEventListener('open', () => {
        if (this.es !== es) return;
        const wasLost = this.status === 'lost';
        this.status = 'open';
        this.onChange();
        this.onOpen(wasLost);
      });
      es.addEventListener('error', () => {
        if (this.es !== es) return;
        this.status = 'lost';
        this.onChange();
        // CONNECTING: the browser retries by itself and sends Last-Event-ID. CLOSED: it gave up.
        if (es.readyState === EventSource.CLOSED) {
          es.close();
          this.reopenTimer = setTimeout(() => this.open(this.lastId), kReopenMs);
        }
      });
      const onEvent = (e) => {
        if (this.es !== es) return;
        if (e.lastEventId) this.lastId = e.lastEventId;
        this.onEvent(e);
      };
      for (const type of this.types) es.addEventListener(type, onEvent);
    }

    /// The top bar's live mark (#conn, with `liveText`), the banner (#banner) once the grace is
    /// over, and body[data-connection].
    draw(liveText) {
      const open = this.status === 'open';
      document.body.dataset.connection = this.status;
      $('conn').hidden = !open;
      $('conn-text').textContent = open ? liveText : '';
      $('banner').hidden = open || (this.status === 'connecting' && !this.graceOver);
    }
  }

  /// An event's JSON object; null when it is not one.
  function parseEvent(raw) {
    try {
      const data = JSON.parse(raw);
      return data && typeof data === 'object' ? data : null;
    } catch {
      return null;
    }
  }

  // ---------------------------------------------------------------- dialogs

  /// Wires every <dialog id="NAME-dialog">. Escape, a [data-close] button or the browser
  /// closing it (and with `backdrop`, a click beside it) end in dismiss(), the page's Cancel;
  /// all but the browser's close wait while busy(): the step's answer on its way closes it.
  /// current() names the dialog the page has open, or null.
  function wireDialogs({ current, busy, dismiss, backdrop = false }) {
    for (const dialog of document.querySelectorAll('dialog')) {
      dialog.addEventListener('cancel', (e) => {
        e.preventDefault();
        if (!busy()) dismiss();
      });
      // However it closed (the browser may close it on Escape without a cancel event), the
      // page's state follows.
      dialog.addEventListener('close', () => {
        const name = current();
        if (name !== null && $(`${name}-dialog`) === dialog) dismiss();
      });
      if (backdrop) {
        dialog.addEventListener('click', (e) => {
          if (e.target === dialog && !busy()) dismiss();
        });
      }
      for (const b of dialog.querySelectorAll('[data-close]')) {
        b.addEventListener('click', () => {
          if (!busy()) dismiss();
        });
      }
    }
  }

  /// Opens a dialog as modal and focuses its field matching `focus`.
  function showDialog(dialog, focus) {
    if (!dialog.open) dialog.showModal();
    const target = focus ? dialog.querySelector(focus) : null;
    if (target) target.focus();
  }

  function hideDialog(dialog) {
    // Focus must not stay on a field of the closed dialog (where keys are text, not shortcuts).
    if (document.activeElement instanceof HTMLElement && dialog.contains(document.activeElement)) document.activeElement.blur();
    if (dialog.open) dialog.close();
  }

  /// A page's dialogs live in `state.dialog` (the open one's name; its element is `${name}-dialog`),
  /// `state.dialogBusy` and `state.dialogError`. Opening resets them, lets the page fill the dialog
  /// (`prepare(name)`) and redraw (`render()`), then focuses the field matching `focus`.
  function openDialog(state, name, prepare, render, focus) {
    state.dialog = name;
    state.dialogError = null;
    state.dialogBusy = false;
    prepare(name);
    render();
    showDialog($(`${name}-dialog`), focus);
  }

  function closeDialog(state) {
    const name = state.dialog;
    state.dialog = null;
    state.dialogBusy = false;
    state.dialogError = null;
    if (name) hideDialog($(`${name}-dialog`));
  }

  return Object.freeze({
    $, setText, el, fillSelect, storageGet, storageSet, I18n, apiClient, errorMessage, errorCode, mountChrome,
    LoginCard, EventStream, parseEvent, wireDialogs, showDialog, hideDialog, openDialog, closeDialog,
  });
})();
