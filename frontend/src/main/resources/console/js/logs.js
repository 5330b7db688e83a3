import { get, seg } from './api.js';
import { h, replace, messages, field } from './ui.js';

// A node's log files (agent.log is the agent's own; service types write theirs next to it), with follow: while it
// is on, each poll reads the tail again and keeps the view at the bottom.
export function nodeLogs(base) {
  const out = messages();
  const node = h('select', { id: 'log-node' });
  const file = h('input', { id: 'log-file', value: 'agent.log', maxlength: 128 });
  const tail = h('input', { id: 'log-tail', type: 'number', min: 1, max: 10000, value: 200 });
  const follow = h('input', { id: 'log-follow', type: 'checkbox' });
  const text = h('pre', { id: 'log-text', class: 'log', tabindex: 0 });
  let shownNodes = '';
  async function read() {
    if (!node.value) return;
    const content = await get(base + '/nodes/' + seg(node.value) + '/logs/' + seg(file.value) + '?tail=' + Number(tail.value));
    const atBottom = text.scrollTop + text.clientHeight >= text.scrollHeight - 4;
    text.textContent = content;
    if (atBottom || follow.checked) text.scrollTop = text.scrollHeight;
  }
  const show = h('button', { type: 'button', id: 'log-show', onclick: () => read().catch(e => out.error(e.message)) }, 'Show');
  const el = h('div', {}, out, h('div', { class: 'inline' }, field('Node', node), field('File', file), field('Lines', tail),
    h('div', { class: 'field check' }, follow, h('label', { for: follow.id }, 'Follow')), show), text);
  return {
    el,
    nodes(ids) {
      const key = ids.join(',');
      if (key === shownNodes) return;
      shownNodes = key;
      const chosen = node.value;
      replace(node, ids.map(id => h('option', { value: id }, id)));
      if (ids.includes(chosen)) node.value = chosen;
    },
    show(id) {
      node.value = id;
      read().catch(e => out.error(e.message));
      text.scrollIntoView({ block: 'nearest' });
    },
    async refresh() { if (follow.checked) await read(); },
  };
}
