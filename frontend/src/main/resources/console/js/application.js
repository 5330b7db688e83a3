import { get, post, patch, del, seg } from './api.js';
import { h, replace, messages, form, field, stateBadge, section, action, table, when } from './ui.js';

// One application: start, stop, rename, delete, its services, and adding a service of any installed type (the
// list comes from /service-types, so a type deployed while the page is open appears at the next refresh).
export async function applicationPage(view, [appRef]) {
  const base = '/applications/' + seg(appRef);
  const app = await get(base);
  const out = messages();
  const title = h('span', {}, app.name);
  const state = h('span', {});
  const services = h('div', { id: 'services' });
  const typeSelect = h('select', { id: 'new-service-type', required: true });
  const typeHelp = h('small', {});
  const serviceName = h('input', { id: 'new-service-name', maxlength: 64, placeholder: 'optional' });
  const newName = h('input', { id: 'rename-app', maxlength: 64, value: app.name, required: true });
  let typesShown = '';

  replace(view, h('p', { class: 'crumbs' }, h('a', { href: '#/' }, 'Applications'), ' / '),
    h('h1', {}, title, ' ', state), out,
    h('div', { class: 'buttons' },
      action('Start', () => post(base + '/start').then(refresh), out, { id: 'app-start' }),
      action('Stop', () => post(base + '/stop').then(refresh), out, { id: 'app-stop' }),
      action('Delete', async () => {
        if (!confirm('Delete application ' + app.name + ' and all its services?')) return;
        await del(base);
        location.hash = '#/';
      }, out, { id: 'app-delete', class: 'danger' })),
    section('Services', services),
    section('Add a service', form({ id: 'new-service-form', class: 'inline' }, [field('Type', typeSelect), typeHelp,
      field('Name', serviceName), h('button', { type: 'submit', id: 'new-service-submit' }, 'Add')], async () => {
      const body = { type: typeSelect.value };
      if (serviceName.value) body.name = serviceName.value;
      const svc = await post(base + '/services', body);
      location.hash = '#/app/' + seg(app.id) + '/service/' + seg(svc.id);
    }, out)),
    section('Rename', form({ id: 'rename-form', class: 'inline' }, [field('New name', newName),
      h('button', { type: 'submit', id: 'rename-submit' }, 'Rename')],
      async () => { await patch(base, { name: newName.value }); await refresh(); }, out)));

  typeSelect.addEventListener('change', () => {
    const option = typeSelect.selectedOptions[0];
    typeHelp.textContent = option ? option.title : '';
  });

  async function refresh() {
    const [current, list, types] = await Promise.all([get(base), get(base + '/services'), get('/service-types')]);
    title.textContent = current.name;
    replace(state, stateBadge(current.state));
    replace(services, table([
      ['Name', s => h('a', { href: '#/app/' + seg(current.id) + '/service/' + seg(s.id) }, s.name)],
      ['Type', s => s.type + (s.typeInstalled ? '' : ' (not installed)')],
      ['State', s => stateBadge(s.state)],
      ['Nodes', s => Object.entries(s.nodes || {}).map(([r, n]) => r + ': ' + n).join(', ')],
      ['Created', s => when(s.created)],
    ], list, { id: 'services-table' }, s => ({ 'data-service': s.id })));
    const names = types.map(t => t.name).join(',');
    if (names !== typesShown) {
      const chosen = typeSelect.value;
      replace(typeSelect, types.map(t => h('option', { value: t.name, title: t.description || '' }, t.name)));
      if (chosen && types.some(t => t.name === chosen)) typeSelect.value = chosen;
      typesShown = names;
    }
  }
  await refresh();
  return refresh;
}
