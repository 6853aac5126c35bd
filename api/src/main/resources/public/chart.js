// A small SVG line chart: time on x, one or more series; enough for readings and ratio history.
// The time axis is in the zone given (the city's), its offset written under the last label.
// Optionally: shaded time bands under the lines (review marks, with their title on hover), gaps
// where a line must not join its points across (invalidated values), and a time range the user
// selects by dragging or by two clicks (onRange), drawn as the selection.
import { DEFAULT_ZONE, offsetText, zoned } from './time.js';

const NS = 'http://www.w3.org/2000/svg';

function el(name, attrs = {}, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

export function lineChart(container, series, {
  from, to, lang, yMin, yMax, legend = false, zone = DEFAULT_ZONE, bands = [], gaps = [], selection = null, onRange = null,
}) {
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
  const clamp = (t) => Math.min(to, Math.max(from, t));
  // a band at least 2 px wide, so that a mark of one reading (1 ms) is still seen
  const span2 = (a, b) => ({ x: x(clamp(a)), width: Math.max(2, x(clamp(b)) - x(clamp(a))) });
  for (const band of bands) {
    if (band.to <= from || band.from >= to) continue;
    const rect = el('rect', { ...span2(band.from, band.to), y: T, height: H - T - B, class: `band ${band.cls ?? ''}`, ...(band.attrs ?? {}) });
    if (band.title) rect.append(el('title', {}, band.title));
    svg.append(rect);
  }
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
    // a new stroke after a gap: the line does not join values across a range left out
    const across = (a, b) => gaps.some(([g0, g1]) => g0 < b && g1 > a);
    const d = s.points.map(([t, v], i) => `${i && !across(s.points[i - 1][0], t) ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(el('path', { d, fill: 'none', stroke: s.colour, 'stroke-width': s.width ?? 2, 'stroke-dasharray': s.dashed ? '4 3' : 'none', 'vector-effect': 'non-scaling-stroke', 'data-series': s.name, 'data-count': s.points.length }));
    if (s.points.length < 40) s.points.forEach(([t, v]) => svg.append(el('circle', { cx: x(t), cy: y(v), r: 2.5, fill: s.colour })));
    if (legend) {
      svg.append(el('rect', { x: lx, y: 6, width: 12, height: 12, fill: s.colour }));
      svg.append(el('text', { x: lx + 16, y: 16 }, s.name));
      lx += 28 + [...s.name].reduce((w, ch) => w + (ch.charCodeAt(0) > 255 ? 12 : 6.5), 0);
    }
  }
  if (selection) {
    svg.append(el('rect', { ...span2(selection.from, selection.to), y: T, height: H - T - B, class: 'selection' }));
  }
  if (onRange) selectable(svg, { left: L, right: W - R, top: T, bottom: H - B, width: W, from, to, onRange });
  container.append(svg);
}

// Choosing a time range on the chart: drag across it, or click its start and then its end. The
// times are those under the pointer (the SVG scales with the page, so measured from its box). The
// events are the whole chart's, so that a band under the pointer still shows its title.
function selectable(svg, { left, right, top, bottom, width, from, to, onRange }) {
  svg.insertBefore(el('rect', { x: left, y: top, width: right - left, height: bottom - top, class: 'select-area' }), svg.firstChild);
  svg.classList.add('selectable');
  const timeAt = (clientX) => {
    const box = svg.getBoundingClientRect();
    const px = ((clientX - box.left) / box.width) * width;
    return from + ((Math.min(right, Math.max(left, px)) - left) / (right - left)) * (to - from);
  };
  let down = null;
  let firstClick = null;
  let cursor = null;
  const draw = (a, b) => {
    cursor ??= svg.appendChild(el('rect', { y: top, height: bottom - top, class: 'selection' }));
    const xa = left + ((Math.min(a, b) - from) / (to - from)) * (right - left);
    const xb = left + ((Math.max(a, b) - from) / (to - from)) * (right - left);
    cursor.setAttribute('x', xa);
    cursor.setAttribute('width', Math.max(2, xb - xa));
  };
  svg.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    down = { x: e.clientX, t: timeAt(e.clientX) };
    svg.setPointerCapture?.(e.pointerId);
  });
  svg.addEventListener('pointermove', (e) => { if (down && Math.abs(e.clientX - down.x) > 3) draw(down.t, timeAt(e.clientX)); });
  svg.addEventListener('pointerup', (e) => {
    if (!down) return;
    const start = down;
    down = null;
    const t = timeAt(e.clientX);
    if (Math.abs(e.clientX - start.x) > 3) {
      firstClick = null;
      onRange(Math.min(start.t, t), Math.max(start.t, t));
    } else if (firstClick == null) {
      firstClick = t; // the start; the next click gives the end
      draw(t, t);
    } else {
      const a = firstClick;
      firstClick = null;
      onRange(Math.min(a, t), Math.max(a, t));
    }
  });
}
