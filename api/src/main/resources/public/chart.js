// A small SVG line chart: time on x, one or more series; enough for readings and ratio history.
// The time axis is in the zone given (the city's), its offset written under the last label.
import { DEFAULT_ZONE, offsetText, zoned } from './time.js';

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

export function lineChart(container, series, { from, to, lang, yMin, yMax, legend = false, zone = DEFAULT_ZONE }) {
  const W = Math.max(320, Math.round(container.clientWidth || 640)), H = 252, L = 48, R = 12, T = legend ? 26 : 10, B = 40;
  const values = series.flatMap((s) => s.points.map((p) => p[1]));
  container.replaceChildren();
  if (!values.length) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = lang === 'en' ? 'No data in this range' : '该时段暂无数据';
    container.append(p);
    return;
  }
  let lo = yMin ?? Math.min(...values);
  let hi = yMax ?? Math.max(...values);
  if (hi === lo) { hi += 1; lo -= 1; }
  const pad = yMin == null ? (hi - lo) * 0.08 : 0;
  lo -= pad; hi += pad;
  const x = (t) => L + ((t - from) / (to - from)) * (W - L - R);
  const y = (v) => T + (1 - (v - lo) / (hi - lo)) * (H - T - B);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H });
  svg.append(el('line', { class: 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
  svg.append(el('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    svg.append(el('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), stroke: '#eef1f4' }));
    svg.append(el('text', { x: L - 4, y: y(v) + 4, 'text-anchor': 'end' }, hi - lo >= 20 ? v.toFixed(0) : hi - lo >= 2 ? v.toFixed(1) : v.toFixed(2)));
  }
  const span = to - from;
  const label = (t) => {
    const z = zoned(t, zone);
    return span > 3 * 864e5 ? `${z.month}-${z.day}` : `${z.hour}:${z.minute}`;
  };
  for (let i = 0; i <= 5; i++) {
    const t = from + (span * i) / 5;
    svg.append(el('text', { x: x(t), y: H - 22, 'text-anchor': i === 0 ? 'start' : i === 5 ? 'end' : 'middle' }, label(t)));
  }
  svg.append(el('text', { x: x(to), y: H - 6, 'text-anchor': 'end', 'data-axis-zone': zone }, offsetText(zoned(to, zone).offsetMinutes)));
  let lx = L;
  for (const s of series) {
    if (!s.points.length) continue;
    const d = s.points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(el('path', { d, fill: 'none', stroke: s.colour, 'stroke-width': s.width ?? 2, 'stroke-dasharray': s.dashed ? '4 3' : 'none', 'vector-effect': 'non-scaling-stroke' }));
    if (s.points.length < 40) s.points.forEach(([t, v]) => svg.append(el('circle', { cx: x(t), cy: y(v), r: 2.5, fill: s.colour })));
    if (legend) {
      svg.append(el('rect', { x: lx, y: 6, width: 12, height: 12, fill: s.colour }));
      svg.append(el('text', { x: lx + 16, y: 16 }, s.name));
      lx += 28 + [...s.name].reduce((w, ch) => w + (ch.charCodeAt(0) > 255 ? 12 : 6.5), 0);
    }
  }
  container.append(svg);
}
