import { get } from './api.js';
import { h, replace } from './ui.js';

// Charts of the nodes' load over the last hour (GET .../load), drawn by uPlot (served from the bundle's WebJar).
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

export function loadCharts(base) {
  const cpu = chart('cpu-chart', 'CPU (% of one CPU)', s => s.cpuPercent);
  const memory = chart('memory-chart', 'Memory (MB)', s => s.memoryMb);
  const note = h('p', { class: 'info' });
  const el = h('div', { class: 'charts' }, note, cpu.el, memory.el);
  // the service type's own figures (requests/s, transactions/s, free slots...): one chart each, as they appear
  const figures = new Map();
  async function refresh() {
    const load = await get(base + '/load');
    note.textContent = load.periodSeconds > 0
      ? 'Sampled every ' + load.periodSeconds + ' s; the last hour is kept.' : 'Load sampling is switched off.';
    cpu.update(load.nodes);
    memory.update(load.nodes);
    for (const name of figureNames(load.nodes)) {
      if (!figures.has(name)) {
        const added = chart('figure-' + name + '-chart', figureTitle(name), s => s.figures ? s.figures[name] : null);
        figures.set(name, added);
        el.appendChild(added.el);
      }
    }
    // a figure only some nodes report (requests on the proxies) is charted for those nodes only
    figures.forEach((c, name) => c.update(load.nodes.filter(n => n.samples.some(s => s.figures && name in s.figures))));
  }
  return { el, refresh };
}

function figureNames(nodes) {
  const names = new Set();
  nodes.forEach(n => n.samples.forEach(s => Object.keys(s.figures || {}).forEach(k => names.add(k))));
  return [...names].sort();
}

// requests_per_second → "Requests per second"
function figureTitle(name) {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function chart(id, title, value) {
  const el = h('figure', { id, class: 'chart', 'data-points': '0' }, h('figcaption', {}, title));
  const area = h('div', {});
  el.appendChild(area);
  let plot = null;
  let seriesKey = '';
  function update(nodes) {
    const tables = nodes.map(n => [n.samples.map(s => Date.parse(s.time) / 1000), n.samples.map(value)]);
    const points = tables.reduce((sum, t) => sum + t[1].filter(v => v !== null && v !== undefined).length, 0);
    el.setAttribute('data-points', String(points));
    if (!nodes.length || !window.uPlot) {
      if (plot) { plot.destroy(); plot = null; seriesKey = ''; }
      replace(area, h('p', { class: 'empty' }, 'no samples yet'));
      return;
    }
    const data = tables.length === 1 ? [tables[0][0], tables[0][1]] : window.uPlot.join(tables);
    const key = nodes.map(n => n.node).join(',');
    const width = Math.max(280, Math.min(900, (el.parentElement ? el.parentElement.clientWidth : 600) - 16));
    if (plot && key === seriesKey) {
      plot.setData(data);
      return;
    }
    if (plot) plot.destroy();
    replace(area);
    seriesKey = key;
    plot = new window.uPlot({
      width, height: 200,
      // a single sample would make uPlot span years: show at least two minutes around it
      scales: { x: { time: true, range: (u, min, max) => (max - min < 120 ? [max - 120, max + 5] : [min, max]) } },
      series: [{}].concat(nodes.map((n, i) => ({
        label: n.node + ' (' + n.role + ')', stroke: COLORS[i % COLORS.length], spanGaps: true, points: { show: true, size: 4 },
      }))),
      axes: [{}, { size: 60 }],
    }, data, area);
  }
  return { el, update };
}
