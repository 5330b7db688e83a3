import { get, post, del, put, putText, upload, seg } from './api.js';
import { h, replace, messages, form, field, action, table, when } from './ui.js';

// Code versions: upload with progress, list, activate, download, delete.
export function codeSection(base) {
  const out = messages();
  const file = h('input', { type: 'file', id: 'code-file', required: true });
  const description = h('input', { id: 'code-description', maxlength: 256 });
  const bar = h('progress', { id: 'code-progress', max: 1, value: 0, hidden: true });
  const list = h('div', { id: 'code-versions' });
  async function refresh() {
    const versions = await get(base + '/code');
    replace(list, table([
      ['Version', v => v.id], ['File', v => v.fileName], ['Description', v => v.description || ''],
      ['Size', v => Math.round(v.sizeBytes / 1024) + ' KB'], ['Uploaded', v => when(v.uploaded)],
      ['Active', v => v.active ? 'active' : ''],
      ['', v => h('span', { class: 'buttons' },
        v.active ? null : action('Activate', async () => { await put(base + '/code/active', { version: v.id }); await refresh(); }, out,
          { class: 'activate-code', 'data-version': v.id }),
        h('a', { href: '/api/v1' + base + '/code/' + seg(v.id), download: v.fileName, class: 'button download-code',
          'data-version': v.id }, 'Download'),
        v.active ? null : action('Delete', async () => { await del(base + '/code/' + seg(v.id)); await refresh(); }, out,
          { class: 'danger delete-code', 'data-version': v.id }))],
    ], versions, { id: 'code-table' }, v => ({ 'data-version': v.id })));
  }
  const el = h('div', {}, out, form({ id: 'code-form', class: 'inline' }, [field('Archive (zip, tar, tar.gz, tar.bz2)', file),
    field('Description', description), h('button', { type: 'submit', id: 'code-upload' }, 'Upload'), bar], async () => {
    const data = new FormData();
    data.append('file', file.files[0]);
    if (description.value) data.append('description', description.value);
    bar.hidden = false;
    bar.value = 0;
    try {
      await upload(base + '/code', data, fraction => { bar.value = fraction; });
      out.info('Uploaded ' + file.files[0].name + '.');
      file.value = '';
      description.value = '';
    } finally {
      bar.hidden = true;
    }
    await refresh();
  }, out), list);
  return { el, refresh };
}

export function startupScriptSection(base) {
  const out = messages();
  const text = h('textarea', { id: 'startup-script', rows: 6, maxlength: 65536, spellcheck: false });
  get(base + '/startup-script', { accept: 'application/json' }).then(s => { text.value = s.script || ''; })
    .catch(e => out.error(e.message));
  return h('div', {}, out, form({ id: 'startup-script-form' }, [field('Runs on each new node before its agent starts', text),
    h('button', { type: 'submit', id: 'startup-script-save' }, 'Save')], async () => {
    await putText(base + '/startup-script', text.value);
    out.info('Saved; it applies to the nodes started from now on.');
  }, out));
}

export function volumesSection(base) {
  const out = messages();
  const name = h('input', { id: 'volume-name', required: true, maxlength: 64, pattern: '[A-Za-z0-9_-]+' });
  const size = h('input', { id: 'volume-size', type: 'number', min: 1, required: true, value: 256 });
  const node = h('select', { id: 'volume-node', required: true });
  const list = h('div', { id: 'volumes' });
  let shownNodes = '';
  async function refresh() {
    const volumes = await get(base + '/volumes');
    replace(list, table([
      ['Name', v => v.name], ['Size', v => v.sizeMb + ' MB'], ['Node', v => v.node || ''], ['Path', v => v.path || ''],
      ['Created', v => when(v.created)],
      ['', v => action('Delete', async () => { await del(base + '/volumes/' + seg(v.name)); await refresh(); }, out,
        { class: 'danger delete-volume', 'data-volume': v.name })],
    ], volumes, { id: 'volumes-table' }, v => ({ 'data-volume': v.name })));
  }
  function nodes(ids) {
    const key = ids.join(',');
    if (key === shownNodes) return;
    shownNodes = key;
    const chosen = node.value;
    replace(node, ids.map(id => h('option', { value: id }, id)));
    if (ids.includes(chosen)) node.value = chosen;
  }
  const el = h('div', {}, out, list, form({ id: 'volume-form', class: 'inline' }, [field('Name', name), field('Size (MB)', size),
    field('Node', node), h('button', { type: 'submit', id: 'volume-create' }, 'Create volume')], async () => {
    await post(base + '/volumes', { name: name.value, sizeMb: Number(size.value), node: node.value });
    name.value = '';
    await refresh();
  }, out));
  return { el, refresh, nodes };
}
