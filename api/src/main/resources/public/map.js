// The cluster drawn in SVG from cluster.geojson (shipped with the dashboard: no tile server, works
// offline), with one marker per point: its kind as the shape and letter, its state as the colour.
const NS = 'http://www.w3.org/2000/svg';
const BOUNDS = { lonMin: 120.38, lonMax: 121.34, latMin: 30.72, latMax: 31.31 };
const WIDTH = 1000;
const KX = WIDTH / (BOUNDS.lonMax - BOUNDS.lonMin);
const KY = KX / Math.cos((31 * Math.PI) / 180);
const HEIGHT = Math.round((BOUNDS.latMax - BOUNDS.latMin) * KY);
const project = ([lon, lat]) => [(lon - BOUNDS.lonMin) * KX, (BOUNDS.latMax - lat) * KY];

// AQI category colours (levels 1..6, the same in HJ 633-2012 and HJ 633-2026), GB 3838-2002 class colours, noise compliance.
export const LEGEND = {
  aqi: [['#00e400', '优', 'Good'], ['#ffff00', '良', 'Moderate'], ['#ff7e00', '轻度污染', 'Lightly polluted'],
    ['#ff0000', '中度污染', 'Moderately polluted'], ['#99004c', '重度污染', 'Heavily polluted'], ['#7e0023', '严重污染', 'Severely polluted']],
  water: [['#0095d9', 'I'], ['#33c1f2', 'II'], ['#00b050', 'III'], ['#ffd000', 'IV'], ['#ff8c00', 'V'], ['#e60000', '劣V']],
  noise: ['#43a047', '#e53935'],
  none: '#bdbdbd',
};

export function markerColour(point, latest) {
  if (latest?.air?.aqiPublished === false) return LEGEND.none; // AQI NA (HJ 633-2026 5.3.1)
  if (latest?.air) return LEGEND.aqi[Math.min(Math.max(latest.air.level, 1), 6) - 1][0];
  if (latest?.water) return (LEGEND.water.find(([, k]) => k === latest.water.sectionClass) ?? [LEGEND.none])[0];
  if (latest?.noise) return latest.noise.compliant ? LEGEND.noise[0] : LEGEND.noise[1];
  return LEGEND.none;
}

let geo = null;
async function geometry() {
  if (!geo) geo = await (await fetch('/cluster.geojson')).json();
  return geo;
}

const el = (name, attrs = {}, text) => {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
};
const path = (coords) => coords.map((c, i) => (i ? 'L' : 'M') + project(c).map((x) => x.toFixed(1)).join(',')).join('') ;

function centroid(ring) {
  const xs = ring.map(project);
  return [xs.reduce((s, p) => s + p[0], 0) / xs.length, xs.reduce((s, p) => s + p[1], 0) / xs.length];
}

const ICON = { AIR: { zh: '气', en: 'A' }, WATER: { zh: '水', en: 'W' }, NOISE: { zh: '声', en: 'N' } };

function marker(kind, colour) {
  if (kind === 'WATER') return el('path', { class: 'mark', d: 'M0,-17 C7,-7 13,0 13,6 A13,13 0 0 1 -13,6 C-13,0 -7,-7 0,-17Z', fill: colour });
  if (kind === 'NOISE') return el('rect', { class: 'mark', x: -12, y: -12, width: 24, height: 24, rx: 3, fill: colour });
  return el('circle', { class: 'mark', r: 13, fill: colour });
}

export async function drawMap(svg, { points, latest, selected, myCity, lang, label, onSelect }) {
  const g = await geometry();
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
  svg.replaceChildren();
  const labels = [];
  for (const f of g.features) {
    const p = f.properties;
    const name = lang === 'en' ? p.nameEn : p.name;
    if (f.geometry.type === 'Polygon') {
      const ring = f.geometry.coordinates[0];
      const cls = p.kind === 'city' ? `city city-${p.id}${p.id === myCity ? ' mine' : ''}` : p.kind;
      svg.append(el('path', { d: path(ring) + 'Z', class: cls, 'data-feature': p.id ?? p.name }));
      const [x, y] = p.label ? project(p.label) : centroid(ring);
      labels.push(el('text', { x, y, class: p.kind === 'city' ? 'label' : 'water-label', 'text-anchor': 'middle' }, name));
    } else if (f.geometry.type === 'LineString') {
      const c = f.geometry.coordinates;
      svg.append(el('path', { d: path(c), class: 'river', 'data-feature': p.id }));
      const [x, y] = project(c[1]);
      labels.push(el('text', { x, y: y - 10, class: 'water-label' }, name));
    }
  }
  labels.forEach((l) => svg.append(l));
  // markers closer than 28 px are moved apart downwards so that each stays clickable
  const placed = [];
  const sorted = [...points].sort((a, b) => a.id.localeCompare(b.id));
  for (const point of sorted) {
    let [x, y] = project([point.lon, point.lat]);
    while (placed.some(([px, py]) => Math.hypot(px - x, py - y) < 28)) y += 28;
    placed.push([x, y]);
  }
  // each name goes right, left, below or above its marker, wherever it covers no other name or
  // marker (estimated text width: 13 px per CJK character, 7 px otherwise)
  const boxes = placed.map(([x, y]) => [x - 15, y - 17, x + 15, y + 15]);
  const overlaps = (b) => boxes.some((o) => b[0] < o[2] && o[0] < b[2] && b[1] < o[3] && o[1] < b[3]);
  sorted.forEach((point, i) => {
    const [x, y] = placed[i];
    const w = [...label(point)].reduce((s, ch) => s + (ch.charCodeAt(0) > 255 ? 13 : 7), 0);
    const options = [
      { x: 18, y: 5, anchor: 'start', box: [x + 17, y - 9, x + 19 + w, y + 8] },
      { x: -18, y: 5, anchor: 'end', box: [x - 19 - w, y - 9, x - 17, y + 8] },
      { x: 0, y: 32, anchor: 'middle', box: [x - w / 2, y + 19, x + w / 2, y + 36] },
      { x: 0, y: -22, anchor: 'middle', box: [x - w / 2, y - 35, x + w / 2, y - 18] },
    ];
    const choice = options.find((o) => !overlaps(o.box)) ?? options[0];
    boxes.push(choice.box);
    point._label = choice;
  });
  sorted.forEach((point, i) => {
    const [x, y] = placed[i];
    const spot = point._label;
    const l = latest.get(point.id);
    const cls = ['point', point.sharing === 'PRIVATE' ? 'private' : '', point.status === 'PLANNED' ? 'planned' : '', point.id === selected ? 'selected' : ''].join(' ');
    const grp = el('g', { class: cls, transform: `translate(${x.toFixed(1)},${y.toFixed(1)})`, 'data-point-id': point.id, 'data-kind': point.kind, tabindex: 0, role: 'button' });
    grp.append(el('title', {}, `${label(point)} (${point.id})`));
    grp.append(marker(point.kind, markerColour(point, l)));
    grp.append(el('text', { class: 'icon', 'text-anchor': 'middle', y: point.kind === 'WATER' ? 9 : 5 }, ICON[point.kind][lang === 'en' ? 'en' : 'zh']));
    grp.append(el('text', { x: spot.x, y: spot.y, 'text-anchor': spot.anchor }, label(point)));
    grp.addEventListener('click', () => onSelect(point.id));
    grp.addEventListener('keydown', (e) => { if (e.key === 'Enter') onSelect(point.id); });
    svg.append(grp);
  });
}
