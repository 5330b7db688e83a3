// Small DOM helpers: elements are built with textContent only (never innerHTML), so nothing a user or a node wrote
// can become markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.substring(2), value);
    else if (key === 'class') el.className = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function stateBadge(state) {
  return h('span', { class: 'state state-' + String(state).toLowerCase() }, state);
}

export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

// A table: columns are [header, row => cell, key]; the rows keep their order. The optional key (data-key of the
// column's cells) and rowAttrs (row => attributes, e.g. the user or node a row shows) let scripts and tests find a
// cell without relying on its position or on the wording of a header.
export function table(columns, rows, attrs, rowAttrs) {
  return h('div', { class: 'table-wrap' }, h('table', attrs || {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c[0])))),
    h('tbody', {}, rows.length ? rows.map(r => h('tr', rowAttrs ? rowAttrs(r) : {},
      columns.map(c => h('td', { 'data-label': c[0], 'data-key': c[2] }, c[1](r)))))
      : h('tr', {}, h('td', { colspan: columns.length, class: 'empty' }, 'none')))));
}

// A message area for errors, as the API words them.
export function messages() {
  const el = h('div', { class: 'messages', role: 'alert', 'aria-live': 'polite' });
  el.error = text => replace(el, text ? h('p', { class: 'error' }, text) : null);
  el.info = text => replace(el, text ? h('p', { class: 'info' }, text) : null);
  return el;
}

// A button running an async action: disabled meanwhile, errors shown in `out`.
export function action(label, run, out, attrs) {
  const button = h('button', Object.assign({ type: 'button' }, attrs || {}), label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    if (out) out.error(null);
    try { await run(); } catch (e) { if (out) out.error(e.message); else console.warn(e); } finally { button.disabled = false; }
  });
  return button;
}

// A form whose submit runs an async action.
export function form(attrs, children, run, out) {
  const f = h('form', attrs, children);
  f.addEventListener('submit', async event => {
    event.preventDefault();
    const submit = f.querySelector('[type=submit]');
    if (submit) submit.disabled = true;
    if (out) out.error(null);
    try { await run(f); } catch (e) { if (out) out.error(e.message); else console.warn(e); } finally { if (submit) submit.disabled = false; }
  });
  return f;
}

let fieldCount = 0;
export function field(label, input, hint) {
  if (!input.id) input.id = 'f' + (++fieldCount);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input,
    hint ? h('small', {}, hint) : null);
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), children);
}
