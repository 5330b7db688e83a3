import { get, post, del, setCsrfToken, onUnauthorized } from './api.js';
import { h, replace, messages, form, field } from './ui.js';
import { dashboardPage } from './dashboard.js';
import { applicationPage } from './application.js';
import { servicePage } from './service.js';
import { creditPage, usersPage } from './accounts.js';

// Live pages poll the API every 2 s (docs/decisions.md "Web console"): each page returns a refresh function that
// the router calls until another page is shown.
const POLL_MS = 2000;
const view = document.getElementById('view');
const session = { username: null, admin: false, selfRegistration: false };
let pollTimer = null;
let generation = 0;
let expiredNotice = null;

const routes = [
  [/^#\/app\/([^/]+)\/service\/([^/]+)$/, servicePage],
  [/^#\/app\/([^/]+)$/, applicationPage],
  [/^#\/credit$/, creditPage],
  [/^#\/users$/, usersPage],
  [/^#\/register$/, registerPage],
  [/^(#\/?)?$/, dashboardPage],
];

onUnauthorized(detail => {
  // the session ended (expired, or logged out elsewhere): back to the login page, saying why
  if (session.username) {
    session.username = null;
    setCsrfToken(null);
    expiredNotice = detail || 'your session has ended; log in again';
    render();
  }
});

function stopPolling() {
  generation++;
  if (pollTimer) clearTimeout(pollTimer);
  pollTimer = null;
}

function poll(refresh, gen) {
  pollTimer = setTimeout(async () => {
    if (gen !== generation) return;
    try { await refresh(); } catch (e) { console.warn('refresh failed:', e.message); }
    if (gen === generation) poll(refresh, gen);
  }, POLL_MS);
}

function navigation() {
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!session.username) {
    replace(nav);
    replace(who);
    return;
  }
  replace(nav, h('a', { href: '#/', id: 'nav-applications' }, 'Applications'),
    h('a', { href: '#/credit', id: 'nav-credit' }, 'Credit'),
    session.admin ? h('a', { href: '#/users', id: 'nav-users' }, 'Users') : null, h('a', { href: 'api', id: 'nav-api' }, 'API'));
  replace(who, h('span', { id: 'username' }, session.username), ' ',
    h('button', { type: 'button', id: 'logout', onclick: logout }, 'Log out'));
}

async function logout() {
  try { await del('/session'); } catch (e) { /* the session may have ended already */ }
  session.username = null;
  setCsrfToken(null);
  location.hash = '#/';
  render();
}

async function render() {
  stopPolling();
  navigation();
  const gen = generation;
  if (!session.username) {
    if (location.hash === '#/register' && session.selfRegistration) registerPage(view);
    else loginPage(view);
    return;
  }
  const hash = location.hash;
  for (const [pattern, page] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    const params = match.slice(1).map(decodeURIComponent);
    try {
      const refresh = await page(view, params, session);
      if (refresh && gen === generation) poll(refresh, gen);
    } catch (e) {
      if (gen === generation) {
        replace(view, h('h1', {}, e.status === 404 ? 'Not found' : 'Error'),
          h('p', { class: 'error', role: 'alert' }, e.message), h('p', {}, h('a', { href: '#/' }, 'Back to the applications')));
      }
    }
    view.focus();
    return;
  }
  replace(view, h('h1', {}, 'Not found'), h('p', {}, 'No such page. ', h('a', { href: '#/' }, 'Applications')));
}

function loginPage(el) {
  const out = messages();
  const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true, maxlength: 256 });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, maxlength: 1024 });
  replace(el, h('h1', {}, 'Log in'), out,
    form({ id: 'login-form', class: 'narrow' }, [field('User name', username), field('Password', password),
      h('button', { type: 'submit', id: 'login-submit' }, 'Log in')], async () => {
      const answer = await post('/session', { username: username.value, password: password.value });
      password.value = '';
      expiredNotice = null;
      loggedIn(answer);
      render();
    }, out),
    session.selfRegistration ? h('p', {}, 'No account yet? ', h('a', { href: '#/register', id: 'register-link' }, 'Register')) : null);
  if (expiredNotice) out.info(expiredNotice);
  username.focus();
}

function registerPage(el) {
  const out = messages();
  const inputs = {
    username: h('input', { id: 'register-username', required: true, maxlength: 64, autocomplete: 'username' }),
    email: h('input', { id: 'register-email', type: 'email', required: true, maxlength: 256, autocomplete: 'email' }),
    password: h('input', { id: 'register-password', type: 'password', required: true, maxlength: 1024, autocomplete: 'new-password' }),
    firstName: h('input', { id: 'register-first-name', maxlength: 256 }),
    lastName: h('input', { id: 'register-last-name', maxlength: 256 }),
    affiliation: h('input', { id: 'register-affiliation', maxlength: 256 }),
  };
  replace(el, h('h1', {}, 'Register'), out,
    form({ id: 'register-form', class: 'narrow' }, [field('User name', inputs.username), field('E-mail', inputs.email),
      field('Password', inputs.password), field('First name', inputs.firstName), field('Last name', inputs.lastName),
      field('Affiliation', inputs.affiliation), h('button', { type: 'submit', id: 'register-submit' }, 'Create my account')], async () => {
      const body = {};
      for (const [k, input] of Object.entries(inputs)) if (input.value) body[k] = input.value;
      await post('/users/register', body);
      const answer = await post('/session', { username: body.username, password: body.password });
      loggedIn(answer);
      location.hash = '#/';
      render();
    }, out),
    h('p', {}, h('a', { href: '#/', id: 'login-link' }, 'Back to the login')));
}

function loggedIn(answer) {
  session.username = answer.username;
  session.admin = !!answer.admin;
  setCsrfToken(answer.csrfToken || null);
}

async function start() {
  const current = await get('/session', { quiet: true });
  session.selfRegistration = !!current.selfRegistration;
  if (current.authenticated && current.csrfToken) loggedIn(current);
  window.addEventListener('hashchange', render);
  render();
}

start().catch(e => replace(view, h('p', { class: 'error', role: 'alert' }, 'The director does not answer: ' + e.message)));
