import { get, post, del, seg } from './api.js';
import { h, replace, messages, form, field, section, action, table, when } from './ui.js';

// The caller's credit and ledger.
export async function creditPage(view) {
  const credit = h('p', { id: 'credit' });
  const ledger = h('div', { id: 'charges' });
  replace(view, h('h1', {}, 'Credit'), credit, section('Charges, newest first', ledger));
  async function refresh() {
    const [me, charges] = await Promise.all([get('/users/me'), get('/users/me/charges')]);
    replace(credit, 'Credit left: ', h('strong', { id: 'credit-amount' }, String(me.credit)),
      ' (one credit per node and charged period)');
    replace(ledger, table([['Time', c => when(c.time), 'time'], ['Amount', c => String(c.amount), 'amount'],
      ['Balance', c => String(c.balance), 'balance'], ['Reason', c => c.reason || '', 'reason'],
      ['Node', c => c.nodeId || '', 'node']], charges.slice(0, 200), { id: 'charges-table' }, () => ({ class: 'charge' })));
  }
  await refresh();
  return refresh;
}

// Administrators: every user, create, add or remove credit, delete.
export async function usersPage(view, params, session) {
  if (!session.admin) {
    replace(view, h('h1', {}, 'Users'), h('p', { class: 'error' }, 'Only administrators manage users.'));
    return null;
  }
  const out = messages();
  const list = h('div', { id: 'users' });
  const inputs = {
    username: h('input', { id: 'new-user-username', required: true, maxlength: 64 }),
    email: h('input', { id: 'new-user-email', type: 'email', required: true, maxlength: 256 }),
    password: h('input', { id: 'new-user-password', type: 'password', required: true, maxlength: 1024, autocomplete: 'new-password' }),
    credit: h('input', { id: 'new-user-credit', type: 'number', min: 0 }),
  };
  replace(view, h('h1', {}, 'Users'), out, list,
    section('New user', form({ id: 'new-user-form', class: 'inline' }, [field('User name', inputs.username),
      field('E-mail', inputs.email), field('Password', inputs.password), field('Credit', inputs.credit),
      h('button', { type: 'submit', id: 'new-user-submit' }, 'Create')], async () => {
      const body = { username: inputs.username.value, email: inputs.email.value, password: inputs.password.value };
      if (inputs.credit.value) body.credit = Number(inputs.credit.value);
      await post('/users', body);
      Object.values(inputs).forEach(i => { i.value = ''; });
      await refresh();
    }, out)));
  async function refresh() {
    const users = await get('/users');
    replace(list, table([
      ['User', u => u.username, 'username'], ['E-mail', u => u.email || '', 'email'],
      ['Roles', u => (u.roles || []).join(', '), 'roles'], ['Credit', u => String(u.credit), 'credit'],
      ['Created', u => when(u.created), 'created'],
      ['', u => {
        const delta = h('input', { type: 'number', value: 10, 'aria-label': 'credit to add for ' + u.username,
          class: 'short credit-delta', 'data-user': u.username });
        return h('span', { class: 'buttons' }, delta,
          action('Add credit', async () => { await post('/users/' + seg(u.username) + '/credit', { delta: Number(delta.value) }); await refresh(); }, out,
            { class: 'add-credit', 'data-user': u.username }),
          u.username === session.username ? null : action('Delete', async () => {
            if (!confirm('Delete user ' + u.username + '?')) return;
            await del('/users/' + seg(u.username));
            await refresh();
          }, out, { class: 'danger delete-user', 'data-user': u.username }));
      }, 'actions'],
    ], users, { id: 'users-table' }, u => ({ 'data-user': u.username })));
  }
  await refresh();
  return null; // not polled: the credit fields would lose what an administrator is typing
}
