import { api, upload } from './api.js';
import { h, replace, messages, form, field, table } from './ui.js';

// The service type's own operations, rendered from their descriptors (GET .../operations): one form per operation,
// a field per parameter (a file parameter as an upload), and the result as text, a table or JSON. Every service
// type, present or future, gets working forms this way without code of its own here.
export function operationForms(base, operations) {
  return operations.map(op => operationForm(base, op));
}

function input(param) {
  const attrs = { name: param.name, required: param.required, 'data-param': param.name };
  switch (param.type) {
    case 'INTEGER': return h('input', Object.assign(attrs, { type: 'number', step: 1 }));
    case 'BOOLEAN': return h('input', Object.assign(attrs, { type: 'checkbox', required: false }));
    case 'FILE': return h('input', Object.assign(attrs, { type: 'file' }));
    case 'JSON': return h('textarea', Object.assign(attrs, { rows: 3, maxlength: 65536, placeholder: '{ }' }));
    default: return h('input', Object.assign(attrs, { maxlength: 65536 }));
  }
}

function operationForm(base, op) {
  const out = messages();
  const result = h('div', { class: 'result', 'aria-live': 'polite' });
  const inputs = op.parameters.map(p => [p, input(p)]);
  const hasFiles = op.parameters.some(p => p.type === 'FILE');
  const fields = inputs.map(([p, el]) => field(p.name + (p.required ? ' *' : ''), el, p.description));
  return h('details', { class: 'operation', 'data-operation': op.name, open: op.parameters.length === 0 && op.readOnly },
    h('summary', {}, h('code', {}, op.name), ' ', op.description || '', op.readOnly ? ' (read-only)' : ''),
    form({ class: 'operation-form', 'data-operation': op.name }, [fields,
      h('button', { type: 'submit', class: 'run' }, 'Run ' + op.name)], async () => {
      replace(result, h('p', { class: 'info' }, 'Running…'));
      const params = {};
      const data = new FormData();
      for (const [p, el] of inputs) {
        if (p.type === 'FILE') {
          if (el.files.length) data.append(p.name, el.files[0]);
        } else if (p.type === 'BOOLEAN') {
          params[p.name] = el.checked;
        } else if (el.value !== '') {
          params[p.name] = p.type === 'INTEGER' ? Number(el.value) : p.type === 'JSON' ? JSON.parse(el.value) : el.value;
        }
      }
      const path = base + '/operations/' + encodeURIComponent(op.name);
      let answer;
      try {
        if (hasFiles) {
          for (const [k, v] of Object.entries(params)) data.append(k, typeof v === 'string' ? v : JSON.stringify(v));
          answer = await upload(path, data, () => {});
        } else {
          answer = await api('POST', path, params);
        }
      } catch (e) {
        replace(result);
        throw e;
      }
      replace(result, render(answer));
    }, out), out, result);
}

// A result as the user reads it best: text as text (lines kept), a list of records as a table, the rest as JSON.
export function render(value) {
  if (value === null || value === undefined) return h('p', { class: 'empty' }, 'done (no result)');
  if (typeof value === 'string') return h('pre', { class: 'text-result' }, value);
  if (Array.isArray(value) && value.length && value.every(v => v && typeof v === 'object' && !Array.isArray(v))) {
    const keys = [...new Set(value.flatMap(v => Object.keys(v)))];
    return table(keys.map(k => [k, v => scalar(v[k])]), value);
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return h('dl', { class: 'object-result' }, Object.entries(value).flatMap(([k, v]) =>
      [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? h('pre', { class: 'text-result' }, v)
        : v !== null && typeof v === 'object' ? render(v) : String(v))]));
  }
  return h('pre', { class: 'json-result' }, JSON.stringify(value, null, 2));
}

function scalar(v) {
  return v !== null && typeof v === 'object' ? JSON.stringify(v) : v === undefined ? '' : String(v);
}
