import { get, post, seg } from './api.js';
import { h, replace, messages, form, field, stateBadge, section } from './ui.js';

// The user's applications with their services and states; creating an application.
export async function dashboardPage(view) {
  const out = messages();
  const list = h('div', { id: 'applications' });
  const name = h('input', { id: 'new-app-name', required: true, maxlength: 64, placeholder: 'my-application' });
  replace(view, h('h1', {}, 'Applications'), out,
    section('New application', form({ id: 'new-app-form', class: 'inline' }, [field('Name', name),
      h('button', { type: 'submit', id: 'new-app-submit' }, 'Create')], async () => {
      const app = await post('/applications', { name: name.value });
      location.hash = '#/app/' + seg(app.id);
    }, out)),
    list);

  async function refresh() {
    const apps = await get('/applications');
    const services = await Promise.all(apps.map(a => get('/applications/' + seg(a.id) + '/services').catch(() => [])));
    replace(list, apps.length === 0 ? h('p', { class: 'empty' }, 'No application yet.') :
      apps.map((app, i) => h('article', { class: 'card app', 'data-app': app.name },
        h('h2', {}, h('a', { href: '#/app/' + seg(app.id) }, app.name), ' ', stateBadge(app.state)),
        services[i].length === 0 ? h('p', { class: 'empty' }, 'no service') :
          h('ul', { class: 'services' }, services[i].map(s => h('li', {},
            h('a', { href: '#/app/' + seg(app.id) + '/service/' + seg(s.id) }, s.name), ' (' + s.type + ') ',
            stateBadge(s.state)))))));
  }
  await refresh();
  return refresh;
}
