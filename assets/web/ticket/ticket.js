// Talon ticket status page: shows one ticket's place and wait and refreshes itself, so a
// visitor can step out and watch their turn come on the phone.
'use strict';

(() => {
  const kRefreshMs = 15000;
  const lang = (navigator.language || 'ru').toLowerCase().startsWith('ru') ? 'ru' : 'en';
  const id = (location.pathname.match(/\/t\/(\d+)/) || [])[1];
  let catalog = {};
  let names = {};

  const tr = (key, params = {}) =>
    (catalog[key] || key).replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m));
  const text = (el, value) => { document.getElementById(el).textContent = value; };
  const waitText = (s) => (s < 60 ? tr('time.under_minute') : tr('time.minutes', { n: Math.ceil(s / 60) }));

  function render(t) {
    text('caption', tr('ticket_page.caption'));
    text('number', t.number);
    const svc = names[t.service];
    text('service', svc ? (svc[lang] || svc.en || Object.values(svc)[0]) : '');
    let state = 'waiting', status = '', detail = '';
    if (t.status === 'waiting') {
      status = t.ahead ? tr('kiosk.ahead', { n: t.ahead }) : tr('kiosk.ahead_none');
      if (t.ewt_seconds != null) detail = tr('kiosk.ewt', { time: waitText(t.ewt_seconds) });
    } else if (t.status === 'called' || t.status === 'serving') {
      state = 'called';
      status = tr('ticket_page.called', { window: t.window });
    } else {
      state = 'finished';
      status = tr('ticket_page.finished');
    }
    document.body.dataset.state = state;
    text('status', status);
    text('detail', detail);
    text('updated', tr('ticket_page.updated', { time: new Date().toLocaleTimeString(lang) }));
  }

  async function refresh() {
    try {
      const res = await fetch(`/api/v1/tickets/${id}`, { headers: { 'Accept-Language': lang } });
      const body = await res.json();
      if (!res.ok) {
        document.body.dataset.state = 'error';
        text('status', body.error ? body.error.message : tr('error.internal'));
      } else {
        render(body);
        if (body.status !== 'waiting' && body.status !== 'called' && body.status !== 'serving') return;
      }
    } catch (e) {
      text('updated', tr('error.unreachable'));
    }
    setTimeout(refresh, kRefreshMs);
  }

  async function start() {
    document.documentElement.lang = lang;
    try { catalog = await (await fetch(`/i18n/${lang}.json`)).json(); } catch (e) { catalog = {}; }
    try {
      const services = (await (await fetch('/api/v1/services')).json()).services || [];
      for (const s of services) names[s.letter] = s.names;
    } catch (e) { /* names are a nicety; the number and place still show */ }
    document.title = tr('ticket_page.caption');
    if (!id) {
      document.body.dataset.state = 'error';
      text('status', tr('error.not_found'));
      return;
    }
    refresh();
  }

  start();
})();
