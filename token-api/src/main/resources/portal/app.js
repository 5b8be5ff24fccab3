// Tollgate developer portal: a small vanilla-JS client of /portal/api (see /portal/openapi.yaml).
// Every node is built with createElement and text nodes (no HTML strings), so registry data cannot inject markup.
'use strict';

const API = '/portal/api';
let session = null; // {email, admin, csrfToken}

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c.nodeType ? c : String(c));
  return el;
}

// The plan's limits for the whole application (all its users together), or '' when it sets none.
function appLimits(p) {
  const parts = [];
  if (p.appCallsPerMinute > 0) parts.push(p.appCallsPerMinute + ' / min');
  if (p.monthlyQuota > 0) parts.push(p.monthlyQuota + ' / month');
  return parts.length ? 'whole app: ' + parts.join(' · ') : '';
}

async function call(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session) headers['X-CSRF-Token'] = session.csrfToken;
  const res = await fetch(API + path, { method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (!res.ok) {
    const err = new Error((json && (json.error_description || json.error)) || ('HTTP ' + res.status));
    err.status = res.status;
    throw err;
  }
  return json;
}

function show(...nodes) {
  const main = document.getElementById('main');
  main.replaceChildren(...nodes);
  renderNav();
}

function renderNav() {
  const nav = document.getElementById('nav');
  const here = location.hash.split('/')[0] || '#apps';
  const link = (href, label) => h('a', { href, class: here === href ? 'active' : null }, label);
  if (!session) {
    nav.replaceChildren(link('#login', 'Log in'), link('#signup', 'Sign up'));
    return;
  }
  nav.replaceChildren(...[link('#apps', 'My apps'), link('#new', 'New app'), link('#plans', 'APIs & plans'),
    session.admin ? link('#admin', 'Approvals') : null,
    h('button', { id: 'logout', onclick: logout }, 'Log out (' + session.email + ')')].filter(Boolean));
}

function errorBox() { return h('p', { class: 'error', role: 'alert', id: 'error' }); }
function fail(box, e) { box.textContent = e.message; }

function credentialsForm(title, action, submitLabel, other) {
  const box = errorBox();
  const form = h('form', { class: 'card', id: action + '-form' },
    h('label', { for: 'email' }, 'E-mail'), h('input', { id: 'email', type: 'text', autocomplete: 'username', required: true }),
    h('label', { for: 'password' }, 'Password'),
    h('input', { id: 'password', type: 'password', required: true,
      autocomplete: action === 'signup' ? 'new-password' : 'current-password' }),
    box, h('button', { class: 'primary', type: 'submit', id: action + '-submit' }, submitLabel),
    h('p', { class: 'muted' }, other));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const answer = await call('POST', '/' + action, { email: form.email.value, password: form.password.value });
      if (action === 'signup') {
        // No session yet: the account exists once the link mailed to the address is opened.
        return show(h('h1', {}, 'Check your mailbox'), h('div', { class: 'card', id: 'check-mail' },
          h('p', {}, 'We sent a mail to ', h('strong', {}, form.email.value.trim()), '. Open the link in it and enter ' +
            'the password you chose to confirm the address. The link works once, for 24 hours.')));
      }
      session = answer;
      location.hash = '#apps';
    } catch (e) { fail(box, e); }
  });
  show(h('h1', {}, title), form);
}

const views = {
  async login() {
    credentialsForm('Log in', 'login', 'Log in', h('span', {}, 'No account? ', h('a', { href: '#signup' }, 'Sign up')));
  },
  async verify(token) {
    // The token stays in the fragment (never sent to a server, never in a Referer) until it is posted here.
    const box = errorBox();
    const form = h('form', { class: 'card', id: 'verify-form' },
      h('p', {}, 'Confirm your e-mail address: enter the password you chose when you signed up.'),
      h('label', { for: 'password' }, 'Password'),
      h('input', { id: 'password', type: 'password', required: true, autocomplete: 'current-password' }),
      box, h('button', { class: 'primary', type: 'submit', id: 'verify-submit' }, 'Confirm'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        session = await call('POST', '/verify', { token: token || '', password: form.password.value });
        history.replaceState(null, '', '#apps');
        await views.apps();
      } catch (e) { fail(box, e); }
    });
    show(h('h1', {}, 'Confirm your account'), form);
  },
  async signup() {
    credentialsForm('Create a developer account', 'signup', 'Sign up',
      h('span', {}, 'At least 10 characters. Already registered? ', h('a', { href: '#login' }, 'Log in')));
  },
  async apps() {
    const { apps } = await call('GET', '/apps');
    const list = apps.length === 0 ? h('p', { class: 'muted' }, 'No applications yet.')
      : h('ul', { class: 'apps' }, apps.map(a => h('li', { class: 'card' }, h('a', { href: '#app/' + encodeURIComponent(a.clientId) },
        h('strong', {}, a.name), ' ', h('span', { class: 'muted' }, a.type), h('br'),
        h('span', { class: 'mono app-client-id' }, a.clientId), ' ',
        a.subscriptions.map(s => h('span', { class: 'badge ' + s.status }, s.api + ' · ' + s.planId + ' · ' + s.status))))));
    show(h('h1', {}, 'My applications'), list, h('a', { href: '#new', class: 'button primary', id: 'register-link' }, 'Register an application'));
  },
  async new() {
    const box = errorBox();
    const form = h('form', { class: 'card', id: 'new-app-form' },
      h('label', { for: 'name' }, 'Name'), h('input', { id: 'name', required: true, maxlength: 80 }),
      h('label', { for: 'type' }, 'Type'),
      h('select', { id: 'type' }, h('option', { value: 'public' }, 'Public (mobile app, no secret)'),
        h('option', { value: 'confidential' }, 'Confidential (server, with a secret)')),
      box, h('button', { class: 'primary', type: 'submit', id: 'create-app' }, 'Register'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        const app = await call('POST', '/apps', { name: form.name.value, type: form.type.value });
        await views.app(app.clientId, app.clientSecret);
        history.replaceState(null, '', '#app/' + encodeURIComponent(app.clientId));
      } catch (e) { fail(box, e); }
    });
    show(h('h1', {}, 'Register an application'), form);
  },
  async app(clientId, secretOnce) {
    const [app, { plans }, usage] = await Promise.all([call('GET', '/apps/' + encodeURIComponent(clientId)),
      call('GET', '/plans'), call('GET', '/apps/' + encodeURIComponent(clientId) + '/usage')]);
    const box = errorBox();
    const secret = secretOnce ? h('div', { class: 'notice', id: 'secret-once' }, h('strong', {}, 'Client secret (shown only now): '),
      h('code', { id: 'client-secret' }, secretOnce)) : null;
    const creds = h('div', { class: 'card' }, h('h2', {}, app.name),
      h('p', {}, 'Client id: ', h('code', { id: 'client-id' }, app.clientId)),
      h('p', { class: 'muted' }, 'Type: ' + app.type + ' · created ' + app.createdAt.slice(0, 16).replace('T', ' ') + ' UTC'), secret,
      app.type === 'confidential' ? h('button', { class: 'secondary', id: 'rotate', onclick: async () => {
        try { const r = await call('POST', '/apps/' + encodeURIComponent(clientId) + '/secret'); await views.app(clientId, r.clientSecret); }
        catch (e) { fail(box, e); } } }, 'Rotate secret') : null,
      ' ', h('button', { class: 'danger', id: 'delete', onclick: async () => {
        if (!confirm('Delete ' + app.name + ' and its subscriptions?')) return;
        try { await call('DELETE', '/apps/' + encodeURIComponent(clientId)); location.hash = '#apps'; } catch (e) { fail(box, e); } } }, 'Delete'));
    const subs = h('div', { class: 'card' }, h('h2', {}, 'Subscriptions'),
      app.subscriptions.length === 0 ? h('p', { class: 'muted' }, 'Not subscribed to any API yet.')
        : h('table', { id: 'subscriptions' }, h('tr', {}, h('th', {}, 'API'), h('th', {}, 'Plan'), h('th', {}, 'Status')),
          app.subscriptions.map(s => {
            const plan = plans.find(p => p.api === s.api && p.planId === s.planId);
            const shared = plan ? appLimits(plan) : '';
            return h('tr', { 'data-api': s.api }, h('td', {}, s.api), h('td', {}, s.planId,
              shared ? [h('br'), h('span', { class: 'muted', 'data-app-limits': '' }, shared)] : null),
              h('td', {}, h('span', { class: 'badge ' + s.status }, s.status)));
          })));
    const planSelect = h('select', { id: 'plan' }, plans.map(p => h('option', { value: p.api + '|' + p.planId },
      p.api + ' · ' + p.name + (p.requiresApproval ? ' (needs approval)' : ''))));
    const subscribe = h('form', { class: 'row', id: 'subscribe-form' }, h('div', {}, h('label', { for: 'plan' }, 'Subscribe to'), planSelect),
      h('div', {}, h('button', { class: 'primary', type: 'submit', id: 'subscribe' }, 'Subscribe')));
    subscribe.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const [api, planId] = planSelect.value.split('|');
      try { await call('POST', '/apps/' + encodeURIComponent(clientId) + '/subscriptions', { api, planId }); await views.app(clientId); }
      catch (e) { fail(box, e); }
    });
    subs.append(subscribe, box);
    show(h('h1', {}, 'Application'), creds, grantsCard(app, box), subs, redirectCard(app), usageCard(usage));
  },
  async plans() {
    const { plans } = await call('GET', '/plans');
    const num = (n) => n === 0 ? '∞' : String(n);
    const secs = (n, none) => n === 0 ? none : n + ' s';
    show(h('h1', {}, 'APIs & plans'), h('div', { class: 'card' }, h('table', { id: 'plans' },
      h('tr', {}, h('th', {}, 'API'), h('th', {}, 'Plan'), h('th', {}, 'Scopes · grants'), h('th', { title: 'Per user of the app; the whole app\'s limits below, when the plan sets them' }, 'Calls / min · h · day'),
        h('th', { class: 'opt' }, 'Devices'), h('th', { class: 'opt' }, 'Approval'),
        h('th', { class: 'opt', title: 'How long a refresh token just rotated may be sent again for the same answer' }, 'Refresh retry'),
        h('th', { class: 'opt', title: 'Absolute lifetime of a login, whatever its refreshes' }, 'Session')),
      plans.map(p => h('tr', { 'data-plan': p.planId }, h('td', {}, p.api), h('td', {}, p.name, h('br'), h('span', { class: 'muted mono' }, p.planId)),
        h('td', {}, p.scopes.join(' '), h('br'), h('span', { class: 'muted mono' }, (p.grantTypes || []).join(' '))), h('td', {}, num(p.callsPerMinute) + ' · ' + num(p.callsPerHour) + ' · ' + num(p.callsPerDay),
          appLimits(p) ? [h('br'), h('span', { class: 'muted', 'data-app-limits': '' }, appLimits(p))] : null),
        h('td', { class: 'opt' }, String(p.maxDevices)), h('td', { class: 'opt' }, p.requiresApproval ? 'required' : 'automatic'),
        h('td', { class: 'opt', 'data-refresh-reuse': String(p.refreshReuseSeconds) }, secs(p.refreshReuseSeconds, 'off')),
        h('td', { class: 'opt', 'data-session-lifetime': String(p.sessionLifetimeSeconds) }, secs(p.sessionLifetimeSeconds, 'none')))))));
  },
  async admin() {
    const { subscriptions } = await call('GET', '/admin/subscriptions?status=PENDING');
    const box = errorBox();
    // The decision names the plan and version shown here; token-api answers 409 if the subscription changed since.
    const decide = (s, d) => async () => {
      try {
        await call('POST', '/admin/subscriptions/' + encodeURIComponent(s.subscriptionId) + '/' + d,
          { planId: s.planId, version: s.version });
        await views.admin();
      }
      catch (e) { fail(box, e); }
    };
    show(h('h1', {}, 'Pending subscriptions'), box, subscriptions.length === 0 ? h('p', { class: 'muted' }, 'Nothing to approve.')
      : h('div', { class: 'card' }, h('table', { id: 'pending' }, h('tr', {}, h('th', {}, 'Client'), h('th', {}, 'API · plan'), h('th', {}, '')),
        subscriptions.map(s => h('tr', {}, h('td', { class: 'mono' }, s.clientId), h('td', {}, s.api + ' · ' + s.planId + ' ', h('span', { class: 'muted' }, 'v' + s.version)),
          h('td', {}, h('button', { class: 'primary', onclick: decide(s, 'approve') }, 'Approve'), ' ',
            h('button', { class: 'danger', onclick: decide(s, 'reject') }, 'Reject')))))));
  },
};

// Redirect URIs of the authorization code flow, one per line; token-api checks each (https, a reverse-domain
// private-use scheme, or a loopback IP literal, which matches on any port) and answers 400 naming the problem.
function redirectCard(app) {
  const box = errorBox();
  const uris = app.redirectUris || [];
  const area = h('textarea', { id: 'redirect-uris', rows: 3, spellcheck: 'false',
    placeholder: 'io.example.app:/oauth2redirect\nhttp://127.0.0.1/callback' }, uris.join('\n'));
  const form = h('form', { id: 'redirect-form' }, h('label', { for: 'redirect-uris' }, 'Redirect URIs (one per line)'), area,
    h('div', {}, h('button', { class: 'primary', type: 'submit', id: 'save-redirects' }, 'Save redirect URIs')), box);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const list = area.value.split('\n').map(u => u.trim()).filter(u => u.length > 0);
    try { await call('PUT', '/apps/' + encodeURIComponent(app.clientId) + '/redirect-uris', { redirectUris: list }); await views.app(app.clientId); }
    catch (e) { fail(box, e); }
  });
  return h('div', { class: 'card', id: 'redirects' }, h('h2', {}, 'Sign-in redirect URIs'),
    uris.length === 0 ? h('p', { class: 'muted' }, 'None: the app cannot use the authorization code flow.')
      : h('ul', { id: 'redirect-list' }, uris.map(u => h('li', { class: 'mono' }, u))), form);
}

// The OAuth grants the app may use. A grant works on a subscription only where its plan allows it too (operators
// decide per plan; the password grant in particular); client credentials are for confidential apps only.
const GRANTS = [
  ['authorization_code', 'Authorization code + PKCE (users log in through the browser)'],
  ['refresh_token', 'Refresh tokens'],
  ['client_credentials', 'Client credentials (the app calls APIs for itself, no user)'],
  ['password', 'Password (only on plans whose operators allow it)'],
];
function grantsCard(app, box) {
  const form = h('form', { id: 'grants-form' }, GRANTS.map(([g, label]) => {
    const publicApp = app.type === 'public' && g === 'client_credentials';
    return h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'grant', value: g, id: 'grant-' + g,
      checked: app.grantTypes.includes(g), disabled: publicApp }), ' ', label,
      publicApp ? h('span', { class: 'muted' }, ' (confidential apps only)') : null);
  }), h('button', { class: 'secondary', type: 'submit', id: 'save-grants' }, 'Save grants'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const grantTypes = [...form.querySelectorAll('input[name=grant]:checked')].map(i => i.value);
    try { await call('PUT', '/apps/' + encodeURIComponent(app.clientId) + '/grants', { grantTypes }); await views.app(app.clientId); }
    catch (e) { fail(box, e); }
  });
  const usable = app.subscriptions.map(s => h('li', {}, s.api + ' · ' + s.planId + ': ',
    h('span', { class: 'mono usable-grants' }, (s.usableGrantTypes || []).join(' ') || 'no grant usable on this plan')));
  return h('div', { class: 'card', id: 'grants' }, h('h2', {}, 'Grants'),
    h('p', { class: 'muted' }, 'Current: ', h('span', { class: 'mono', id: 'grant-types' }, app.grantTypes.join(' '))), form,
    usable.length ? h('ul', {}, usable) : null);
}

// Usage per subscribed API (and for the whole app), per minute / hour / day; the chart carries its numbers as
// data-* attributes so tests and assistive tools read the same figures the bars show.
function usageCard(usage) {
  const card = h('div', { class: 'card', id: 'usage' }, h('h2', {}, 'Usage'));
  const labels = { m: 'Last 60 minutes', h: 'Last 24 hours', d: 'Last 7 days' };
  const series = usage.apis.map(a => ({ key: a.api, label: a.api + ' API', windows: a.windows }))
    .concat([{ key: '*', label: 'All APIs', windows: usage.windows }]);
  let current = { series: series[0], w: 'm' };
  const chartBox = h('div', { id: 'usage-chart' });
  const pick = (name, options, selected, onchange) => {
    const select = h('select', { id: name, onchange: (ev) => onchange(ev.target.value) },
      options.map(([value, label]) => h('option', { value, selected: value === selected }, label)));
    return h('div', {}, h('label', { for: name }, name === 'usage-api' ? 'API' : 'Period'), select);
  };
  const draw = () => {
    const points = current.series.windows[current.w];
    const total = points.reduce((a, p) => a + p.calls, 0);
    chartBox.replaceChildren(h('p', { class: 'muted' }, current.series.label + ' · ' + labels[current.w] + ' · total ',
      h('strong', { class: 'usage-total', 'data-total': total }, String(total)), ' calls'),
      chart(points, current.w, current.series.key));
  };
  card.append(h('div', { class: 'row' },
    pick('usage-api', series.map(s => [s.key, s.label]), current.series.key,
      (v) => { current.series = series.find(s => s.key === v); draw(); }),
    pick('usage-window', Object.entries(labels), current.w, (v) => { current.w = v; draw(); })), chartBox);
  draw();
  // A window without a limit has nothing to stand against: only limited windows are shown.
  const limited = usage.rateLimits.filter(r => r.limit > 0);
  if (usage.rateLimits.length && !limited.length) {
    card.append(h('h2', {}, 'Rate-limit standing'), h('p', { class: 'muted', id: 'rate-limits' }, 'The plan sets no rate limit.'));
  }
  if (limited.length) {
    const limit = (n) => String(n);
    const names = { m: 'this minute', h: 'this hour', d: 'today' };
    card.append(h('h2', {}, 'Rate-limit standing'),
      h('p', { class: 'muted' }, 'The gateway limits each user of the app separately: the busiest users of the current window against the plan\'s limit. Refused calls count too, so a user above the limit is being refused.'),
      h('table', { id: 'rate-limits' },
        h('tr', {}, h('th', {}, 'API · plan'), h('th', {}, 'Window'), h('th', {}, 'Busiest users (calls / limit)')),
        limited.map(r => h('tr', { 'data-api': r.api, 'data-window': r.window },
          h('td', {}, r.api + ' · ' + r.planId), h('td', {}, names[r.window]),
          h('td', {}, r.topUsers.length === 0 ? h('span', { class: 'muted' }, 'no calls · limit ' + limit(r.limit))
            : h('ul', { class: 'top-users' }, r.topUsers.map(u => h('li', { 'data-user': u.user, 'data-calls': u.calls },
              h('span', { class: 'mono' }, u.user), ' ', u.calls + ' / ' + limit(r.limit),
              u.calls >= r.limit ? h('span', { class: 'badge REJECTED' }, 'limited') : null))))))));
  }
  return card;
}

function chart(points, w, api) {
  const ns = 'http://www.w3.org/2000/svg';
  const W = 600, H = 180, pad = 20;
  const max = Math.max(1, ...points.map(p => p.calls));
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('data-api', api);
  svg.setAttribute('data-window', w);
  svg.setAttribute('data-total', points.reduce((a, p) => a + p.calls, 0));
  svg.setAttribute('aria-label', 'calls per ' + ({ m: 'minute', h: 'hour', d: 'day' })[w]);
  const bw = (W - pad) / points.length;
  points.forEach((p, i) => {
    const r = document.createElementNS(ns, 'rect');
    const bh = (H - 2 * pad) * p.calls / max;
    r.setAttribute('x', pad + i * bw + 1); r.setAttribute('width', Math.max(1, bw - 2));
    r.setAttribute('y', H - pad - bh); r.setAttribute('height', bh);
    r.setAttribute('data-start', p.start); r.setAttribute('data-calls', p.calls);
    const t = document.createElementNS(ns, 'title');
    t.textContent = new Date(p.start * 1000).toISOString().slice(0, w === 'd' ? 10 : 16).replace('T', ' ') + ': ' + p.calls;
    r.append(t); svg.append(r);
  });
  const axis = document.createElementNS(ns, 'line');
  axis.setAttribute('x1', pad); axis.setAttribute('x2', W); axis.setAttribute('y1', H - pad); axis.setAttribute('y2', H - pad);
  axis.setAttribute('stroke', '#b8c3cf');
  svg.append(axis);
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('x', 2); label.setAttribute('y', 12); label.textContent = 'max ' + max;
  svg.append(label);
  return svg;
}

async function logout() {
  try { await call('POST', '/logout'); } catch (e) { /* already gone */ }
  session = null;
  location.hash = '#login';
}

async function route() {
  const [name, arg] = location.hash.slice(1).split('/');
  if (!session) {
    try { session = await call('GET', '/session'); } catch (e) { session = null; }
  }
  const view = name || (session ? 'apps' : 'login');
  if (!session && view !== 'signup' && view !== 'verify') {
    return views.login();
  }
  try {
    await (views[view] || views.apps)(arg ? decodeURIComponent(arg) : undefined);
  } catch (e) {
    if (e.status === 401) { session = null; return views.login(); }
    show(h('h1', {}, 'Something went wrong'), h('p', { class: 'error' }, e.message));
  }
}

window.addEventListener('hashchange', route);
route();
