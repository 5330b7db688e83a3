import { get, post, del, api, seg } from './api.js';
import { h, replace, messages, form, field, stateBadge, section, action, table, when } from './ui.js';
import { operationForms } from './operations.js';
import { loadCharts } from './charts.js';
import { codeSection, startupScriptSection, volumesSection } from './service-files.js';
import { nodeLogs } from './logs.js';

// A service: state and history, nodes per role, its URL, load charts, the type's operations, code versions,
// startup script, volumes and node logs. Everything live parts show is refreshed every poll.
export async function servicePage(view, [appRef, svcRef]) {
  const appBase = '/applications/' + seg(appRef);
  const base = appBase + '/services/' + seg(svcRef);
  // a service whose type is not installed (any more) has no operations to offer: its page still shows the rest
  const [app, svc, types, operations] = await Promise.all([get(appBase), get(base), get('/service-types'),
    get(base + '/operations').catch(e => (e.status === 409 ? [] : Promise.reject(e)))]);
  const type = types.find(t => t.name === svc.type) || { roles: [], defaultRole: null };
  const out = messages();
  const title = h('span', {}, svc.name);
  const state = h('span', { id: 'service-state' });
  const progress = h('div', { id: 'service-progress', class: 'progress-line' });
  const link = h('p', { id: 'service-url' });
  const nodes = h('div', { id: 'nodes' });
  const history = h('div', { id: 'history' });
  const charts = loadCharts(base);
  const code = codeSection(base);
  const volumes = volumesSection(base);
  const logs = nodeLogs(base);

  const counts = type.roles.map(role => [role, h('input', { type: 'number', min: 1, max: 100, value: 1, id: 'count-' + role,
    'aria-label': 'nodes of role ' + role })]);
  const roleForms = counts.map(([role, input]) => h('div', { class: 'role-row', 'data-role': role },
    h('label', { for: input.id }, role), input,
    action('Add', async () => {
      await post(base + '/nodes', { roles: { [role]: Number(input.value) } });
      await refresh();
    }, out, { class: 'add-nodes', 'data-role': role }),
    action('Remove', async () => {
      await post(base + '/nodes/remove', { roles: { [role]: Number(input.value) } });
      await refresh();
    }, out, { class: 'remove-nodes', 'data-role': role })));

  replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Applications'), ' / ',
    h('a', { href: '#/app/' + seg(app.id) }, app.name), ' / '),
    h('h1', {}, title, ' ', h('small', {}, svc.type), ' ', state), progress, link, out,
    h('div', { class: 'buttons' },
      action('Start', () => post(base + '/start').then(refresh), out, { id: 'service-start' }),
      action('Stop', () => post(base + '/stop').then(refresh), out, { id: 'service-stop' }),
      action('Remove service', async () => {
        if (!confirm('Remove service ' + svc.name + '?')) return;
        await del(base);
        location.hash = '#/app/' + seg(app.id);
      }, out, { id: 'service-remove', class: 'danger' })),
    section('Nodes', nodes, h('div', { class: 'roles' }, roleForms)),
    section('Load', charts.el),
    operations.length ? section('Operations', operationForms(base, operations)) : null,
    section('Code versions', code.el),
    section('Startup script', startupScriptSection(base)),
    section('Volumes', volumes.el),
    section('Node logs', logs.el),
    section('History', history));

  async function refresh() {
    const [current, list, changes] = await Promise.all([get(base), get(base + '/nodes'), get(base + '/history')]);
    title.textContent = current.name;
    replace(state, stateBadge(current.state));
    const last = changes.length ? changes[changes.length - 1] : null;
    if (['PROLOGUE', 'ADAPTING', 'EPILOGUE'].includes(current.state)) {
      replace(progress, h('progress', { 'aria-label': 'working' }), ' ', current.state.toLowerCase() + '… ',
        current.stateReason || '');
    } else if (current.state === 'ERROR') {
      replace(progress, h('p', { class: 'error' }, 'Error: ' + (current.stateReason || (last && last.reason) || 'see the history')));
    } else {
      replace(progress);
    }
    replace(link, current.url ? ['Service URL: ', h('a', { href: current.url, target: '_blank', rel: 'noopener', id: 'service-link' }, current.url)] : null);
    const byRole = {};
    list.forEach(n => (byRole[n.role] = byRole[n.role] || []).push(n));
    replace(nodes, Object.keys(byRole).length === 0 ? h('p', { class: 'empty' }, 'no node') :
      Object.entries(byRole).map(([role, ns]) => h('div', { class: 'role', 'data-role': role },
        h('h3', {}, role + ' (' + ns.length + ')'),
        table([
          ['Node', n => n.id], ['Address', n => n.address], ['Status', n => stateBadge(n.status)],
          ['Reason', n => n.statusReason || ''], ['Machine', n => n.machine || ''], ['Code', n => n.codeVersion || ''],
          ['Created', n => when(n.created)],
          ['Logs', n => h('button', { type: 'button', class: 'node-logs', 'data-node': n.id, onclick: () => logs.show(n.id) }, 'logs')],
        ], ns, { class: 'nodes-table' }, n => ({ 'data-node': n.id })))));
    logs.nodes(list.map(n => n.id));
    volumes.nodes(list.map(n => n.id));
    replace(history, table([['Time', c => when(c.time)], ['State', c => stateBadge(c.state)], ['Reason', c => c.reason || '']],
      changes.slice().reverse().slice(0, 50)));
    await Promise.all([charts.refresh(), code.refresh(), volumes.refresh(), logs.refresh()].map(p => p.catch(e => out.error(e.message))));
  }
  await refresh();
  return refresh;
}
