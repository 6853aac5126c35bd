// envmon dashboard: plain ES modules, no build step, no external requests. Talks only to the API
// it is served by (/api/v1, bearer JWT in sessionStorage).
import { TEXTS } from './i18n.js';
import { drawMap, markerColour, LEGEND } from './map.js';
import { lineChart } from './chart.js';
import { DEFAULT_ZONE, localTime, zoned } from './time.js';

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
// The Content-Security-Policy allows no inline style: a colour computed at run time is written
// as data-bg="…" in the markup and set here through the CSSOM, for whatever is added to the page.
const paint = (e) => { if (e.dataset?.bg) e.style.background = e.dataset.bg; };
new MutationObserver((changes) => changes.forEach((c) => c.addedNodes.forEach((n) => {
  if (n.nodeType === Node.ELEMENT_NODE) { paint(n); n.querySelectorAll('[data-bg]').forEach(paint); }
}))).observe(document.documentElement, { childList: true, subtree: true });

const state = {
  lang: localStorage.getItem('envmon.lang') || 'zh',
  token: sessionStorage.getItem('envmon.token'),
  user: JSON.parse(sessionStorage.getItem('envmon.user') || 'null'),
  tab: 'map',
  cities: [], points: [], latest: new Map(), alerts: new Map(),
  selected: null, interval: '1h', param: null, view: 'reviewed', reviewSel: null, chartData: null,
  lastEventId: null, streamAbort: null, unseen: 0,
};

export const t = (key) => TEXTS[state.lang][key] ?? key;
const pointName = (p) => (state.lang === 'en' ? p?.nameEn || p?.name : p?.name) ?? '';
const cityName = (id) => {
  const c = state.cities.find((x) => x.id === id);
  if (!c) return id === state.cities[0]?.clusterId ? t('cluster') : id;
  return state.lang === 'en' ? c.nameEn : c.name;
};
// An alert's text in the page's language (messageZh: the stream jobs' Chinese text, when present).
const alertText = (a) => (state.lang === 'zh' && a?.messageZh ? a.messageZh : a?.message) ?? '';
// A city's time zone (GET /cities); for the cluster or an unknown id the first city's, else Shanghai.
const zoneOf = (cityId) => state.cities.find((c) => c.id === cityId)?.timeZone || state.cities[0]?.timeZone || DEFAULT_ZONE;
// Every time shown: the city's local time with its offset, "2026-12-03 00:36 +08:00".
const fmtTime = (iso, cityId) => esc(localTime(iso, zoneOf(cityId)));
// An alert's time(s): its last change (observation time); a delayed alert (its data reached the
// platform late) is marked and shows the observation time and when the platform detected it.
const alertTimes = (a) => {
  const observed = `<time data-observed>${fmtTime(a.updatedAt, a.cityId)}</time>`;
  if (!a.delayed) return observed;
  return `<span class="chip delayed" data-delayed="true" title="${esc(t('delayedHelp'))}">${esc(t('delayed'))}</span>
    <span class="times">${esc(t('observedAt'))} ${observed}<br>${esc(t('detectedAt'))} <time data-detected>${fmtTime(a.detectedAt, a.cityId)}</time></span>`;
};
const fmtNum = (v, d = 1) => (v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(d));

// ---------------------------------------------------------------------------------------------
// API

class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { Accept: 'application/json' };
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json = text ? JSON.parse(text) : null;
  if (res.status === 401 && path !== '/login') {
    signOut();
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

// Every page of a paged list (GET /alerts): follows the Link header's rel="next" to the end.
async function apiAllPages(path) {
  const items = [];
  let next = `/api/v1${path}`;
  while (next) {
    const res = await fetch(next, { headers: { Accept: 'application/json', Authorization: `Bearer ${state.token}` } });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (res.status === 401) signOut();
    if (!res.ok) throw new ApiError(res.status, json);
    items.push(...json);
    next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('Link') ?? '')?.[1];
  }
  return items;
}

// ---------------------------------------------------------------------------------------------
// language

function applyLanguage() {
  document.documentElement.lang = state.lang === 'en' ? 'en' : 'zh-CN';
  $$('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $$('.lang-toggle').forEach((b) => { b.textContent = state.lang === 'en' ? '中文' : 'English'; });
  document.title = t('appTitle');
  if (state.user && state.cities.length) {
    renderWho();
    fillCitySelects();
    fillReportCities();
    fillAssessCities();
    renderAll();
  }
}

function toggleLanguage() {
  state.lang = state.lang === 'en' ? 'zh' : 'en';
  localStorage.setItem('envmon.lang', state.lang);
  applyLanguage();
}

// ---------------------------------------------------------------------------------------------
// sign in / out

async function signIn(event) {
  event.preventDefault();
  $('#login-error').textContent = '';
  try {
    const answer = await api('/login', { method: 'POST', body: { username: $('#login-username').value, password: $('#login-password').value } });
    state.token = answer.access_token;
    state.user = { username: answer.username, role: answer.role, city: answer.city };
    sessionStorage.setItem('envmon.token', state.token);
    sessionStorage.setItem('envmon.user', JSON.stringify(state.user));
    await start();
  } catch (e) {
    $('#login-error').textContent = e.status === 429 ? t('tooMany') : t('loginFailed');
  }
}

function signOut() {
  state.streamAbort?.abort();
  state.token = null;
  state.user = null;
  sessionStorage.removeItem('envmon.token');
  sessionStorage.removeItem('envmon.user');
  $('#app-view').hidden = true;
  $('#login-view').hidden = false;
}

function renderWho() {
  const u = state.user;
  $('#who').textContent = `${u.username} · ${u.role}${u.city ? ' · ' + cityName(u.city) : ''}`;
}

const canManage = () => state.user && (state.user.role === 'coordinator' || state.user.role === 'bureau');
// Review of data (docs/api.md): the API says, per point, whether the signed-in user may read its
// raw values and marks (PointView.rawVisible) and mark its data (PointView.markable).
const ownsData = (p) => p?.rawVisible === true;
const canMark = (p) => p?.markable === true;
// The API says whether the signed-in user may acknowledge an alert (AlertView.acknowledgeable).
const canAck = (a) => a.acknowledgeable === true;

async function start() {
  $('#login-view').hidden = true;
  $('#app-view').hidden = false;
  $('[data-tab=manage]').hidden = !canManage();
  state.cities = await api('/cities');
  renderWho();
  fillCitySelects();
  fillReportCities();
  fillAssessCities();
  await Promise.all([loadPoints(), loadAlerts()]);
  showTab(state.tab);
  streamAlerts();
  document.body.dataset.ready = 'true';
}

// ---------------------------------------------------------------------------------------------
// tabs

function showTab(tab) {
  state.tab = tab;
  $$('.tab').forEach((b) => b.classList.toggle('active', b.dataset.tab === tab));
  $$('.tab-body').forEach((s) => { s.hidden = s.id !== `tab-${tab}`; });
  if (tab === 'alerts') {
    state.unseen = 0;
    renderBadge();
  }
  if (tab === 'ratios') loadRatios();
  if (tab === 'report') loadReport();
  if (tab === 'assess') loadAssessment();
  renderAll();
}

function renderAll() {
  if (state.tab === 'map') { renderMap(); renderPanel(); }
  if (state.tab === 'ratios') { renderRatios(); renderTrend(); }
  if (state.tab === 'alerts') renderAlerts();
  if (state.tab === 'manage') renderManage();
  if (state.tab === 'report') renderReport();
  if (state.tab === 'assess') renderAssessment();
}

// ---------------------------------------------------------------------------------------------
// map and point panel

async function loadPoints() {
  const [points, latest] = await Promise.all([api('/points'), api('/readings/latest')]);
  state.points = points;
  state.latest = new Map(latest.map((l) => [l.pointId, l]));
}

function renderMap() {
  const kinds = new Set($$('.kind-filter').filter((c) => c.checked).map((c) => c.value));
  const shown = state.points.filter((p) => kinds.has(p.kind) && p.status !== 'DECOMMISSIONED');
  drawMap($('#map'), {
    points: shown, latest: state.latest, selected: state.selected, myCity: state.user?.city,
    lang: state.lang, label: pointName, onSelect: selectPoint,
  });
  $('#point-count').textContent = `${shown.length} ${t('points')}`;
  $('#legend').innerHTML =
    `<span><b>${esc(t('legendAqi'))}</b></span>` +
    LEGEND.aqi.map(([c, zh, en]) => `<span><i data-bg="${c}"></i>${esc(state.lang === 'en' ? en : zh)}</span>`).join('') +
    `<span><b>${esc(t('legendWater'))}</b></span>` +
    LEGEND.water.map(([c, k]) => `<span><i data-bg="${c}"></i>${esc(k)}</span>`).join('') +
    `<span><b>${esc(t('legendNoise'))}</b></span>` +
    `<span><i data-bg="${LEGEND.noise[0]}"></i>${esc(t('compliant'))}</span><span><i data-bg="${LEGEND.noise[1]}"></i>${esc(t('notCompliant'))}</span>` +
    `<span><i data-bg="${LEGEND.none}"></i>${esc(t('unknown'))}</span><span class="muted">${esc(t('private'))}</span>`;
}

function selectPoint(id) {
  state.selected = id;
  state.param = null;
  state.reviewSel = null;
  renderMap();
  renderPanel();
}

// Meteorological factors of air stations (HJ 212 a01001–a01008): named and with their unit in the
// values table; shown only, never part of the AQI.
const MET_UNITS = { air_temp: '°C', rh: '%', pressure: 'kPa', wind_speed: 'm/s', wind_dir: '°' };
const paramCell = (k) => (MET_UNITS[k]
  ? `${esc(k)} <span class="muted" data-met="${esc(k)}">${esc(t('met_' + k))} ${esc(MET_UNITS[k])}</span>`
  : esc(k));

function latestSummary(p, l) {
  if (!l || !l.time) return `<p class="muted">${esc(t('noData'))}</p>`;
  const rows = [];
  if (l.air) {
    // The standard the AQI was computed by (HJ 633-2012 / HJ 633-2026) beside it; an AQI the
    // standard does not publish (HJ 633-2026 5.3.1: a pollutant missing, AQI ≤ 100) shows as NA.
    const standard = l.air.aqiStandard ? ` <span class="muted" data-aqi-standard>${esc(l.air.aqiStandard)}</span>` : '';
    if (l.air.aqiPublished === false) {
      const iaqi = Object.entries(l.air.iaqi || {}).map(([k, v]) => `${esc(k)} ${v}`).join(', ');
      rows.push(`<dt>${t('aqi')}</dt><dd><span class="chip" data-bg="${markerColour(p, l)}">NA</span>${standard} <span class="muted">${fmtTime(l.air.hourStart, p.cityId)}</span><br><span class="muted">${esc(t('aqiNa'))}</span> IAQI: ${iaqi}</dd>`);
    } else {
      rows.push(`<dt>${t('aqi')}</dt><dd><span class="chip" data-bg="${markerColour(p, l)}">${l.air.aqi} ${esc(state.lang === 'en' ? l.air.category : l.air.categoryZh)}</span>${standard} <span class="muted">${fmtTime(l.air.hourStart, p.cityId)}</span></dd>`);
    }
    if (l.air.primaryPollutants?.length) rows.push(`<dt>${t('primary')}</dt><dd>${esc(l.air.primaryPollutants.join(', '))}</dd>`);
  }
  if (l.water) {
    rows.push(`<dt>${t('sectionClass')}</dt><dd><span class="chip" data-bg="${markerColour(p, l)}">${esc(l.water.sectionClass)}</span> (${t('target')} ${esc(l.water.targetClass)}, ${l.water.compliant ? t('compliant') : t('notCompliant')}${l.water.itemsWorseThanTarget?.length ? ': ' + esc(l.water.itemsWorseThanTarget.join(', ')) : ''})</dd>`);
  }
  if (l.noise) {
    rows.push(`<dt>Leq</dt><dd><span class="chip" data-bg="${markerColour(p, l)}">${fmtNum(l.noise.leqDbA)} dB(A)</span> ${t('limit')} ${l.noise.limitDbA} (${t(l.noise.period?.toLowerCase()) || l.noise.period}), ${l.noise.compliant ? t('compliant') : t('notCompliant')}</dd>`);
    // The city's night window the period was read with (a city may move the 8-hour night).
    const city = state.cities.find((c) => c.id === p.cityId);
    const night = l.noise.night || (city?.nightStart ? `${city.nightStart}-${city.nightEnd}` : '22:00-06:00');
    rows.push(`<dt>${t('nightWindow')}</dt><dd data-night-window>${esc(night.replace('-', '–'))}</dd>`);
  }
  const values = Object.entries(l.values || {})
    .map(([k, v]) => `<tr><td>${paramCell(k)}</td><td class="num">${fmtNum(v, 2)}</td><td>${esc(l.flags?.[k] ?? '')}</td></tr>`).join('');
  return `<dl>${rows.join('')}<dt>${t('time')}</dt><dd data-latest-time>${fmtTime(l.time, p.cityId)}</dd></dl>
    <table class="grid"><tr><th>${t('parameter')}</th><th>${t('latest')}</th><th>flag</th></tr>${values}</table>`;
}

async function renderPanel() {
  const panel = $('#point-panel');
  const p = state.points.find((x) => x.id === state.selected);
  if (!p) {
    panel.innerHTML = `<p class="muted">${esc(t('choosePoint'))}</p>`;
    return;
  }
  const l = state.latest.get(p.id);
  const shared = p.sharing === 'CITIES' ? ` → ${p.sharedWith.map(cityName).join(', ')}` : '';
  const alerts = [...state.alerts.values()].filter((a) => a.pointId === p.id);
  panel.innerHTML = `
    <h2 id="panel-title">${esc(pointName(p))}</h2>
    <div class="muted">${esc(p.id)} · ${esc(t('kind' + p.kind))} · ${esc(cityName(p.cityId))}</div>
    <dl>
      <dt>${t('status')}</dt><dd>${esc(p.status)}</dd>
      <dt>${t('sharing')}</dt><dd id="panel-sharing">${esc(t('scope' + p.sharing))}${esc(shared)}</dd>
      ${p.kind === 'WATER' ? `<dt>${t('fRiver')}</dt><dd>${esc(p.river ?? '')} · ${t('target')} ${esc(p.targetClass ?? '')}${p.important ? ' · ' + t('fImportant') : ''}</dd>` : ''}
      ${p.kind === 'NOISE' ? `<dt>${t('zone')}</dt><dd>${esc(p.zone ?? '')}</dd>` : ''}
    </dl>
    <h3>${t('latest')}</h3>${latestSummary(p, l)}
    <h3>${t('history')}</h3>
    <div class="chart-tools">
      <span class="seg">${['raw', '1h', '1d'].map((i) => `<button data-interval="${i}" class="${state.interval === i ? 'on' : ''}">${t({ raw: 'raw', '1h': 'hourly', '1d': 'daily' }[i])}</button>`).join('')}</span>
      <select id="history-param"></select>
      ${ownsData(p) ? `<span class="seg" id="history-view">${['reviewed', 'raw'].map((v) => `<button data-view="${v}" class="${state.view === v ? 'on' : ''}">${esc(t('view_' + v))}</button>`).join('')}</span>` : ''}
      <button type="button" data-export="csv">${esc(t('exportCsv'))}</button>
      <button type="button" data-export="ndjson">${esc(t('exportNdjson'))}</button>
    </div>
    <div id="history-chart" class="chart"><p class="muted loading">…</p></div>
    ${ownsData(p) ? `<p class="review-legend small"><span class="swatch band-invalid"></span>${esc(t('legendInvalid'))} <span class="swatch band-valid"></span>${esc(t('legendValid'))}</p>` : ''}
    ${canMark(p) ? reviewForm() : ''}
    ${ownsData(p) ? `<table id="review-marks" class="grid small"></table>` : ''}
    <h3>${t('pointAlerts')}</h3>
    <ul id="panel-alerts">${alerts.length ? alerts.map((a) => `<li data-alert-id="${esc(a.id)}">${esc(a.type)} · ${esc(a.state)} · ${esc(alertText(a))} <span class="muted">${alertTimes(a)}</span></li>`).join('') : `<li class="muted">${t('none')}</li>`}</ul>`;
  $$('[data-interval]', panel).forEach((b) => b.addEventListener('click', () => { state.interval = b.dataset.interval; renderPanel(); }));
  $$('[data-export]', panel).forEach((b) => b.addEventListener('click', () => exportHistory(p, b.dataset.export)));
  $$('button[data-view]', panel).forEach((b) => b.addEventListener('click', () => { state.view = b.dataset.view; renderPanel(); }));
  if (canMark(p)) wireReviewForm(p);
  await renderHistory(p);
}

async function renderHistory(p) {
  const chart = $('#history-chart');
  const now = new Date();
  const hours = { raw: 24, '1h': 72, '1d': 24 * 30 }[state.interval];
  const from = new Date(now.getTime() - hours * 3600e3);
  state.historyRange = { from, to: now };
  // only the point's city and the coordinator may ask for the raw view and the marks (else 403)
  const owns = ownsData(p);
  const view = owns ? state.view : 'reviewed';
  const range = `from=${from.toISOString()}&to=${now.toISOString()}`;
  const id = encodeURIComponent(p.id);
  // only the newest call draws: a click on another interval or view while one is loading wins
  const call = (state.historyCall = (state.historyCall ?? 0) + 1);
  let series;
  let marks;
  try {
    [series, marks] = await Promise.all([
      api(`/points/${id}/readings?interval=${state.interval}&view=${view}&${range}`),
      owns ? api(`/points/${id}/reviews?${range}`) : Promise.resolve([]),
    ]);
  } catch (e) {
    if (call === state.historyCall) chart.innerHTML = `<p class="error">${esc(t('requestFailed'))}: ${esc(e.message)}</p>`;
    return;
  }
  if (call !== state.historyCall || state.selected !== p.id) return;
  const rows = series.readings ?? series.buckets ?? [];
  const params = [...new Set(rows.flatMap((r) => Object.keys(r.values || {})))].sort();
  const select = $('#history-param');
  if (!select) return;
  const preferred = { AIR: 'pm25', WATER: 'nh3n', NOISE: 'leq' }[p.kind];
  if (!state.param || !params.includes(state.param)) state.param = params.includes(preferred) ? preferred : params[0] ?? null;
  select.innerHTML = params.map((k) => `<option ${k === state.param ? 'selected' : ''}>${esc(k)}</option>`).join('');
  select.onchange = () => { state.param = select.value; renderHistory(p); };
  fillReviewParameters(params);
  state.chartData = { point: p, view, series, marks, from: from.getTime(), to: now.getTime() };
  renderMarks(p, marks);
  drawHistory();
}

// The chart of state.chartData: the chosen parameter's line(s), the review marks that apply to it
// shaded (the mark in force: a later one wins where they overlap), the range being selected.
function drawHistory() {
  const d = state.chartData;
  const chart = $('#history-chart');
  if (!d || !chart || d.point.id !== state.selected) return;
  const p = d.point;
  if (!state.param) {
    chart.innerHTML = `<p class="muted">${esc(t('noData'))}</p>`;
    return;
  }
  const k = state.param;
  const rows = d.series.readings ?? d.series.buckets ?? [];
  const list = [];
  if (d.series.readings) {
    list.push({ name: k, colour: '#0b6bcb', points: rows.filter((r) => r.values[k] != null).map((r) => [Date.parse(r.time), r.values[k]]) });
  } else {
    const b = rows.filter((r) => r.values[k]);
    list.push({ name: 'max', colour: '#ef9a9a', dashed: true, points: b.map((r) => [Date.parse(r.start), r.values[k].max]) });
    list.push({ name: 'mean', colour: '#0b6bcb', points: b.map((r) => [Date.parse(r.start), r.values[k].mean]) });
    list.push({ name: 'min', colour: '#90caf9', dashed: true, points: b.map((r) => [Date.parse(r.start), r.values[k].min]) });
  }
  const bands = reviewBands(d.marks, k).map((b) => ({
    from: b.from, to: b.to, cls: b.mark.verdict === 'INVALID' ? 'band-invalid' : 'band-valid', title: markText(b.mark, p),
    attrs: { 'data-mark-id': b.mark.id, 'data-verdict': b.mark.verdict },
  }));
  // in the reviewed view the invalidated values are left out: the line does not join across them
  const gaps = d.view === 'reviewed' ? bands.filter((b) => b.cls === 'band-invalid').map((b) => [b.from, b.to]) : [];
  lineChart(chart, list, {
    from: d.from, to: d.to, lang: state.lang, zone: zoneOf(p.cityId), bands, gaps,
    selection: canMark(p) ? state.reviewSel : null,
    onRange: canMark(p) ? (a, b) => chooseReviewRange(p, a, b) : null,
  });
  const svg = $('svg', chart);
  if (svg) svg.dataset.view = d.view;
}

// The stretches of time over which one mark is in force for parameter k: marks of k or of every
// value, in the order they were made (GET /points/{id}/reviews), the last one covering wins.
function reviewBands(marks, k) {
  const relevant = marks.filter((m) => m.parameter == null || m.parameter === k)
    .map((m) => ({ mark: m, from: Date.parse(m.from), to: Date.parse(m.to) }));
  const cuts = [...new Set(relevant.flatMap((m) => [m.from, m.to]))].sort((a, b) => a - b);
  const bands = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [a, b] = [cuts[i], cuts[i + 1]];
    const inForce = relevant.findLast((m) => m.from <= a && m.to >= b);
    if (!inForce) continue;
    const last = bands[bands.length - 1];
    if (last && last.mark === inForce.mark && last.to === a) last.to = b;
    else bands.push({ from: a, to: b, mark: inForce.mark });
  }
  return bands;
}

// A mark in words: verdict, reason (and note), what and when, who and when.
function markText(m, p) {
  const zone = zoneOf(p.cityId);
  return `${t('verdict' + m.verdict)} · ${t('reason' + m.reason)}${m.note ? `: ${m.note}` : ''} · ${m.parameter ?? t('reviewAll')} · ` +
    `${localTime(m.from, zone)} – ${localTime(m.to, zone)} · ${m.createdBy} ${localTime(m.createdAt, zone)}`;
}

function renderMarks(p, marks) {
  const table = $('#review-marks');
  if (!table) return;
  const zone = zoneOf(p.cityId);
  table.innerHTML = `<caption>${esc(t('reviewMarks'))}</caption>` + (marks.length
    ? `<tr><th>${t('reviewFrom')} – ${t('reviewTo')}</th><th>${t('reviewParam')}</th><th>${t('reviewVerdict')}</th><th>${t('reviewReason')}</th><th>${t('reviewBy')}</th></tr>` +
      [...marks].reverse().map((m) => `<tr data-mark-id="${esc(m.id)}" data-verdict="${esc(m.verdict)}">
        <td><time>${esc(localTime(m.from, zone))}</time> – <time>${esc(localTime(m.to, zone))}</time></td><td>${esc(m.parameter ?? t('reviewAll'))}</td>
        <td><span class="chip verdict-${esc(m.verdict)}">${esc(t('verdict' + m.verdict))}</span></td>
        <td>${esc(t('reason' + m.reason))}${m.note ? `<span class="counts">${esc(m.note)}</span>` : ''}</td>
        <td>${esc(m.createdBy)}<span class="counts">${esc(localTime(m.createdAt, zone))}</span></td></tr>`).join('')
    : `<tr><td class="muted">${esc(t('none'))}</td></tr>`);
}

// ---------------------------------------------------------------------------------------------
// marking a range of a point's chart invalid or valid again (POST /points/{id}/reviews)

const REVIEW_REASONS = ['CALIBRATION', 'MAINTENANCE', 'INSTRUMENT_FAULT', 'EXTERNAL_INTERFERENCE', 'OTHER'];

function reviewForm() {
  const option = (value, key) => `<option value="${value}">${esc(t(key))}</option>`;
  return `<form id="review-form" class="review-form" novalidate>
    <h3>${esc(t('reviewTitle'))}</h3>
    <p class="muted small">${esc(t('reviewHelp'))}</p>
    <label data-field="from"><span>${esc(t('reviewFrom'))}</span><input type="datetime-local" name="from" step="60"></label>
    <label data-field="to"><span>${esc(t('reviewTo'))}</span><input type="datetime-local" name="to" step="60"></label>
    <label data-field="parameter"><span>${esc(t('reviewParam'))}</span><select name="parameter">${option('', 'reviewAll')}</select></label>
    <label data-field="verdict"><span>${esc(t('reviewVerdict'))}</span><select name="verdict">${option('INVALID', 'verdictINVALID')}${option('VALID', 'verdictVALID')}</select></label>
    <label data-field="reason"><span>${esc(t('reviewReason'))}</span><select name="reason">${REVIEW_REASONS.map((r) => option(r, 'reason' + r)).join('')}</select></label>
    <label data-field="note" class="wide"><span>${esc(t('reviewNote'))}</span><input name="note" maxlength="500"></label>
    <button type="submit" id="review-submit" class="primary">${esc(t('reviewSubmit'))}</button>
    <p id="review-message" class="error" role="alert"></p>
  </form>`;
}

function fillReviewParameters(params) {
  const select = $('#review-form [name=parameter]');
  if (!select) return;
  const keep = select.value;
  select.innerHTML = `<option value="">${esc(t('reviewAll'))}</option>` + params.map((k) => `<option>${esc(k)}</option>`).join('');
  select.value = params.includes(keep) ? keep : '';
}

// "yyyy-MM-ddTHH:mm" of instant ms in zone, as a datetime-local input holds it.
function wallClock(ms, zone) {
  const z = zoned(ms, zone);
  return `${z.year}-${z.month}-${z.day}T${z.hour}:${z.minute}`;
}

// A range chosen on the chart (to the minute, as the inputs hold it) fills the form's inputs.
function chooseReviewRange(p, a, b) {
  const zone = zoneOf(p.cityId);
  const form = $('#review-form');
  const minute = (ms) => Math.round(ms / 60_000) * 60_000;
  state.reviewSel = { from: minute(a), to: minute(b) };
  form.from.value = wallClock(state.reviewSel.from, zone);
  form.to.value = wallClock(state.reviewSel.to, zone);
  drawHistory();
}

function wireReviewForm(p) {
  const form = $('#review-form');
  const zone = zoneOf(p.cityId);
  if (state.reviewSel) {
    form.from.value = wallClock(state.reviewSel.from, zone);
    form.to.value = wallClock(state.reviewSel.to, zone);
  }
  // typed times (the keyboard's way) show on the chart as the selection
  const typed = () => {
    if (!form.from.value || !form.to.value) return;
    state.reviewSel = { from: Date.parse(instantOf(form.from.value, zone)), to: Date.parse(instantOf(form.to.value, zone)) };
    drawHistory();
  };
  form.from.addEventListener('change', typed);
  form.to.addEventListener('change', typed);
  form.addEventListener('submit', (event) => submitReview(event, p));
}

async function submitReview(event, p) {
  event.preventDefault();
  const form = $('#review-form');
  const message = $('#review-message');
  $$('#review-form [data-field]').forEach((l) => l.classList.remove('invalid'));
  message.className = 'error';
  message.textContent = '';
  const zone = zoneOf(p.cityId);
  // the API checks everything (and names each wrong field): nothing is refused here
  const body = { verdict: form.verdict.value, reason: form.reason.value };
  if (form.from.value) body.from = instantOf(form.from.value, zone);
  if (form.to.value) body.to = instantOf(form.to.value, zone);
  if (form.parameter.value) body.parameter = form.parameter.value;
  if (form.note.value.trim()) body.note = form.note.value.trim();
  form.querySelector('button[type=submit]').disabled = true;
  try {
    const mark = await api(`/points/${encodeURIComponent(p.id)}/reviews`, { method: 'POST', body });
    state.reviewSel = null;
    form.from.value = '';
    form.to.value = '';
    form.note.value = '';
    message.className = 'saved';
    message.innerHTML = `<span data-marked="${esc(mark.id)}">${esc(t('reviewSaved'))} #${esc(mark.id)}: ${esc(markText(mark, p))}</span>`;
    await renderHistory(p);
  } catch (e) {
    message.textContent = problemText(e);
    for (const err of e.problem?.errors || []) {
      $(`#review-form [data-field="${CSS.escape(String(err.field))}"]`)?.classList.add('invalid');
    }
  } finally {
    form.querySelector('button[type=submit]').disabled = false;
  }
}

// A problem+json answer in words: its detail and every field it names with the reason.
function problemText(e) {
  const errors = (e.problem?.errors || []).map((err) => `${err.field}: ${err.message}`);
  return [e.problem?.detail || e.message, ...errors].filter(Boolean).join(' · ');
}

// ---------------------------------------------------------------------------------------------
// sharing ratios

async function loadRatios() {
  try {
    state.ratios = await api('/sharing-ratios');
  } catch (e) {
    state.ratios = { error: e.message };
  }
  renderRatios();
  renderTrend();
}

function part(r, key) {
  const x = r?.[key];
  if (!x) return '<td class="num">–</td>';
  const v = x.value == null ? '–' : `${(x.value * 100).toFixed(1)}%`;
  return `<td class="num">${v}<span class="counts">(${x.numerator}/${x.denominator}${x.conditional ? ', +' + x.conditional : ''})${x.nullReason ? ' ' + esc(x.nullReason) : ''}</span></td>`;
}

function renderRatios() {
  const table = $('#ratios-table');
  const data = state.ratios;
  if (!data) return;
  if (data.error) {
    table.innerHTML = `<tr><td class="error">${esc(data.error)}</td></tr>`;
    return;
  }
  const row = (r, cls, id) => `<tr class="${cls}" data-ratio-city="${esc(id)}"><td>${esc(cityName(id))}</td>${part(r, 'air')}${part(r, 'water')}${part(r, 'noise')}
      <td class="num"><b>${r?.score == null ? '–' : fmtNum(r.score)}</b>${r?.scoreNullReason ? `<span class="counts">${esc(r.scoreNullReason)}</span>` : ''}</td><td class="muted">${r ? fmtTime(r.time, id) : t('noData')}</td></tr>`;
  const byCity = new Map((data.cities || []).map((r) => [r.city, r]));
  const cluster = (data.cluster || [])[0];
  table.innerHTML = `<tr><th>${t('city')}</th><th>${t('b1')}</th><th>${t('b2')}</th><th>${t('b3')}</th><th>${t('score')}</th><th>${t('at')}</th></tr>` +
    state.cities.map((c) => row(byCity.get(c.id), '', c.id)).join('') + row(cluster, 'cluster', cluster?.city ?? state.cities[0]?.clusterId);
}

async function renderTrend() {
  const select = $('#trend-city');
  const city = select.value || state.cities[0]?.clusterId;
  const hours = Number($('#trend-hours').value);
  const to = new Date();
  const from = new Date(to.getTime() - hours * 3600e3);
  const chart = $('#trend-chart');
  let rows;
  try {
    rows = await api(`/sharing-ratios/history?city=${encodeURIComponent(city)}&from=${from.toISOString()}&to=${to.toISOString()}`);
  } catch (e) {
    chart.innerHTML = `<p class="error">${esc(e.message)}</p>`;
    return;
  }
  const pct = (k) => rows.filter((r) => r[k]?.value != null).map((r) => [Date.parse(r.time), r[k].value * 100]);
  lineChart(chart, [
    { name: t('score'), colour: '#14324f', width: 3, points: rows.filter((r) => r.score != null).map((r) => [Date.parse(r.time), r.score]) },
    { name: t('b1'), colour: '#43a047', points: pct('air') },
    { name: t('b2'), colour: '#1e88e5', points: pct('water') },
    { name: t('b3'), colour: '#fb8c00', points: pct('noise') },
  ], { from: from.getTime(), to: to.getTime(), lang: state.lang, yMin: 0, yMax: 100, legend: true, zone: zoneOf(city) });
}

function fillCitySelects() {
  const clusterId = state.cities[0]?.clusterId;
  const trend = $('#trend-city');
  const keep = trend.value;
  trend.innerHTML = [clusterId, ...state.cities.map((c) => c.id)].map((id) => `<option value="${esc(id)}">${esc(cityName(id))}</option>`).join('');
  if (keep) trend.value = keep;
  const formCity = $('#point-form [name=cityId]');
  const cities = state.user.role === 'coordinator' ? state.cities : state.cities.filter((c) => c.id === state.user.city);
  formCity.innerHTML = cities.map((c) => `<option value="${esc(c.id)}">${esc(cityName(c.id))}</option>`).join('');
}

// ---------------------------------------------------------------------------------------------
// alerts: list, live stream (fetch streaming: EventSource cannot send the bearer token), ack

async function loadAlerts() {
  const status = $('#alert-status').value || 'active';
  const list = await apiAllPages(`/alerts?status=${status}&size=1000`);
  const live = new Map([...state.alerts].filter(([, a]) => a._live));
  state.alerts = new Map(list.map((a) => [a.id, { ...a, _live: live.get(a.id)?._live }]));
  renderAlerts();
}

function setStreamState(live) {
  const dot = $('#stream-state');
  dot.className = `dot ${live ? 'live' : 'down'}`;
  dot.title = t(live ? 'live' : 'offline');
  dot.dataset.state = live ? 'live' : 'down';
}

async function streamAlerts() {
  state.streamAbort?.abort();
  const abort = new AbortController();
  state.streamAbort = abort;
  while (!abort.signal.aborted && state.token) {
    try {
      const headers = { Authorization: `Bearer ${state.token}`, Accept: 'text/event-stream' };
      if (state.lastEventId) headers['Last-Event-ID'] = state.lastEventId;
      const res = await fetch('/api/v1/alerts/stream', { headers, signal: abort.signal, cache: 'no-store' });
      if (res.status === 401) { signOut(); return; }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setStreamState(true);
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      let event = { data: [] };
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let nl;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (event.data.length) onStreamEvent(event);
            event = { data: [] };
          } else if (!line.startsWith(':')) {
            const colon = line.indexOf(':');
            const field = colon < 0 ? line : line.slice(0, colon);
            const v = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') event.data.push(v);
            else if (field === 'id') event.id = v;
            else if (field === 'event') event.event = v;
          }
        }
      }
    } catch (e) {
      if (abort.signal.aborted) return;
    }
    setStreamState(false);
    await new Promise((r) => setTimeout(r, 2000)); // reconnect, resuming after lastEventId
  }
}

function onStreamEvent(event) {
  if (event.id) state.lastEventId = event.id;
  let alert;
  try { alert = JSON.parse(event.data.join('\n')); } catch { return; }
  const before = state.alerts.get(alert.id);
  state.alerts.set(alert.id, { ...before, ...alert, _live: Date.now() });
  if (state.tab !== 'alerts') {
    state.unseen += 1;
    renderBadge();
  }
  if ($('#alert-sound').checked && alert.state !== 'CLEARED' && event.event !== 'acknowledged') beep(alert.severity);
  if (state.tab === 'alerts') renderAlerts();
  else if (state.tab === 'map' && alert.pointId === state.selected) renderPanel();
}

function renderBadge() {
  const b = $('#alert-badge');
  b.hidden = state.unseen === 0;
  b.textContent = state.unseen;
}

function beep(severity) {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = severity === 'CRITICAL' ? 1320 : 880;
    osc.connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.25);
  } catch { /* no audio device */ }
}

function renderAlerts() {
  const table = $('#alerts-table');
  const list = [...state.alerts.values()].sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt));
  const pointLabel = (id) => pointName(state.points.find((p) => p.id === id)) || id;
  table.innerHTML = `<tr><th>${t('updated')}</th><th>${t('type')}</th><th>${t('severity')}</th><th>${t('state')}</th><th>${t('city')}</th><th>${t('point')}</th><th>${t('message')}</th><th>${t('ack')}</th></tr>` +
    (list.length ? '' : `<tr><td colspan="8" class="muted">${t('none')}</td></tr>`) +
    list.map((a) => {
      const fresh = a._live && Date.now() - a._live < 60_000;
      const joint = a.type === 'JOINT' ? ` <span class="chip joint" data-origin="${esc(a.originCityId)}" title="${esc((a.path || []).map(pointLabel).join(' → '))}">${t('origin')}: ${esc(cityName(a.originCityId))}${a.originPointId ? ' · ' + esc(pointLabel(a.originPointId)) : ''}</span>` : '';
      const ack = a.acknowledgedBy
        ? `<span class="muted">${t('acked')} · ${esc(a.acknowledgedBy)} ${fmtTime(a.acknowledgedAt, a.cityId)}</span>`
        : canAck(a) && a.state !== 'CLEARED' ? `<button class="ack" data-ack="${esc(a.id)}">${t('ack')}</button>` : '';
      return `<tr data-alert-id="${esc(a.id)}" data-state="${esc(a.state)}" class="${fresh ? 'new' : ''}" ${a._live ? 'data-live="true"' : ''}>
        <td>${alertTimes(a)}</td><td>${esc(a.type)}${joint}</td><td><span class="chip sev-${esc(a.severity)}">${esc(a.severity)}</span></td>
        <td>${esc(a.state)}</td><td>${esc(cityName(a.cityId))}</td><td>${esc(pointLabel(a.pointId))}</td><td>${esc(alertText(a))}</td><td>${ack}</td></tr>`;
    }).join('');
  $$('[data-ack]', table).forEach((b) => b.addEventListener('click', () => acknowledge(b.dataset.ack, b)));
}

async function acknowledge(id, button) {
  button.disabled = true;
  try {
    const answer = await api(`/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST', body: {} });
    state.alerts.set(id, { ...state.alerts.get(id), ...answer });
  } catch (e) {
    if (e.status === 409) {
      state.alerts.set(id, { ...state.alerts.get(id), ...(await api(`/alerts/${encodeURIComponent(id)}`)) });
    } else {
      button.disabled = false;
      button.title = e.message;
      return;
    }
  }
  renderAlerts();
}

// ---------------------------------------------------------------------------------------------
// point management (bureau of the city, or coordinator)

function renderManage() {
  const mine = state.points.filter((p) => state.user.role === 'coordinator' || p.cityId === state.user.city);
  $('#manage-table').innerHTML = `<tr><th>${t('fId')}</th><th>${t('fName')}</th><th>${t('fKind')}</th><th>${t('status')}</th><th>${t('sharing')}</th><th>${t('actions')}</th></tr>` +
    mine.map((p) => `<tr data-manage-id="${esc(p.id)}"><td>${esc(p.id)}</td><td>${esc(pointName(p))}</td><td>${esc(t('kind' + p.kind))}</td><td>${esc(p.status)}</td>
      <td>${esc(t('scope' + p.sharing))}${p.sharing === 'CITIES' ? ' → ' + esc(p.sharedWith.map(cityName).join(', ')) : ''}</td>
      <td>${p.status === 'DECOMMISSIONED' ? '' : `<button data-edit="${esc(p.id)}">${t('edit')}</button> <button data-decommission="${esc(p.id)}">${t('decommission')}</button>`}</td></tr>`).join('');
  $$('[data-edit]').forEach((b) => b.addEventListener('click', () => editPoint(b.dataset.edit)));
  $$('[data-decommission]').forEach((b) => b.addEventListener('click', () => decommission(b.dataset.decommission)));
  showKindFields();
}

function showKindFields() {
  const kind = $('#point-form [name=kind]').value;
  $$('#point-form .kind-only').forEach((f) => { f.hidden = f.dataset.kind !== kind; });
}

function clearFieldErrors() {
  $$('#point-form [data-field]').forEach((l) => { l.classList.remove('invalid'); $('.field-error', l).textContent = ''; });
  $('#point-form-message').textContent = '';
}

function resetForm() {
  const form = $('#point-form');
  form.reset();
  form.editing.value = '';
  form.id.disabled = false;
  form.cityId.disabled = false;
  form.kind.disabled = false;
  $('#point-form-title').textContent = t('newPoint');
  clearFieldErrors();
  showKindFields();
}

function editPoint(id) {
  const p = state.points.find((x) => x.id === id);
  const form = $('#point-form');
  resetForm();
  form.editing.value = id;
  $('#point-form-title').textContent = `${t('editPoint')} ${id}`;
  for (const name of ['id', 'cityId', 'kind', 'name', 'nameEn', 'lat', 'lon', 'sharing', 'river', 'targetClass', 'waterBody', 'zone']) {
    if (p[name] != null) form[name].value = p[name];
  }
  if (!['PLANNED', 'ACTIVE'].includes(p.status)) form.status.insertAdjacentHTML('beforeend', `<option>${esc(p.status)}</option>`);
  form.status.value = p.status;
  form.sharedWith.value = (p.sharedWith || []).join(',');
  form.downstream.value = (p.downstream || []).join(',');
  form.important.checked = !!p.important;
  form.id.disabled = true;
  form.cityId.disabled = true;
  form.kind.disabled = true;
  showKindFields();
}

function formBody(form) {
  const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
  const num = (s) => (s.trim() === '' ? null : Number.isNaN(Number(s)) ? s : Number(s));
  const body = {
    id: form.id.value.trim() || null, cityId: form.cityId.value, kind: form.kind.value,
    name: form.name.value, nameEn: form.nameEn.value || null, lat: num(form.lat.value), lon: num(form.lon.value),
    status: form.status.value, sharing: form.sharing.value, sharedWith: list(form.sharedWith.value),
  };
  if (body.kind === 'WATER') Object.assign(body, { river: form.river.value || null, targetClass: form.targetClass.value, waterBody: form.waterBody.value, important: form.important.checked, downstream: list(form.downstream.value) });
  if (body.kind === 'NOISE') body.zone = form.zone.value;
  return body;
}

async function savePoint(event) {
  event.preventDefault();
  const form = $('#point-form');
  clearFieldErrors();
  const editing = form.editing.value;
  const body = formBody(form);
  try {
    if (editing) await api(`/points/${encodeURIComponent(editing)}`, { method: 'PUT', body });
    else await api('/points', { method: 'POST', body });
    resetForm();
    $('#point-form-message').textContent = '';
    await loadPoints();
    renderManage();
    $('#point-form-message').textContent = '';
    $('#point-form-message').insertAdjacentHTML('beforeend', `<span class="saved" data-saved="${esc(editing || body.id || '')}">${esc(t('saved'))}: ${esc(editing || body.id || '')}</span>`);
  } catch (e) {
    showProblem(e);
  }
}

function showProblem(e) {
  const errors = e.problem?.errors || [];
  const unplaced = [];
  for (const err of errors) {
    const field = String(err.field || '').split('.').pop().replace(/\[\d+\]$/, '');
    const label = $(`#point-form [data-field="${CSS.escape(field)}"]`);
    if (label) {
      label.classList.add('invalid');
      const small = $('.field-error', label);
      small.textContent = small.textContent ? `${small.textContent}; ${err.message}` : err.message;
    } else {
      unplaced.push(`${err.field}: ${err.message}`);
    }
  }
  $('#point-form-message').textContent = errors.length ? unplaced.join('; ') : e.problem?.detail || e.message;
}

async function decommission(id) {
  if (!confirm(`${t('confirmDecommission')} ${id}`)) return;
  try {
    await api(`/points/${encodeURIComponent(id)}`, { method: 'DELETE' });
  } catch (e) {
    $('#point-form-message').textContent = e.message;
  }
  await loadPoints();
  renderManage();
}

// ---------------------------------------------------------------------------------------------
// daily air report (日报): GET /reports/air/daily, printable (style.css @media print)

const REPORT_POLLUTANTS = [['so2', 'SO2'], ['no2', 'NO2'], ['pm10', 'PM10'], ['co', 'CO'], ['o3', 'O3 8h'], ['pm25', 'PM2.5']];

// Yesterday in the city's time: the last complete day.
function yesterdayIn(zone) {
  const z = zoned(Date.now() - 86400e3, zone);
  return `${z.year}-${z.month}-${z.day}`;
}

// The tab holds three reports: the daily air report, the monthly water report and the daily
// noise report (docs/api.md); the water report asks for a month, the others for a day.
function reportQuery(format) {
  const city = $('#report-city').value;
  const rest = `${city ? `&city=${encodeURIComponent(city)}` : ''}${format ? `&format=${format}` : ''}`;
  switch ($('#report-kind').value) {
    case 'water': return `/reports/water/monthly?month=${encodeURIComponent($('#report-month').value)}${rest}`;
    case 'noise': return `/reports/noise/daily?date=${encodeURIComponent($('#report-date').value)}${rest}`;
    default: return `/reports/air/daily?date=${encodeURIComponent($('#report-date').value)}${rest}`;
  }
}

function showReportKind() {
  const water = $('#report-kind').value === 'water';
  $('#report-month-label').hidden = !water;
  $('#report-date-label').hidden = water;
}

async function loadReport(event) {
  event?.preventDefault();
  if (!$('#report-date').value) $('#report-date').value = yesterdayIn(zoneOf(state.user.city));
  if (!$('#report-month').value) $('#report-month').value = $('#report-date').value.slice(0, 7);
  const kind = $('#report-kind').value;
  // only the newest call shows: the tab's first report (yesterday) may answer after the one asked for
  const call = (state.reportCall = (state.reportCall ?? 0) + 1);
  let report;
  try {
    report = { kind, data: await api(reportQuery()) };
  } catch (e) {
    report = { kind, error: e.message };
  }
  if (call !== state.reportCall) return;
  state.report = report;
  renderReport();
}

function reportCell(row, key) {
  const p = row.pollutants[key];
  if (p.value == null) return `<td class="num missing" data-missing="${esc(key)}" title="${esc(p.missingReason)}">–</td>`;
  const digits = key === 'co' ? 1 : 0;
  return `<td class="num${p.exceeds ? ' exceeds' : ''}" data-pollutant="${esc(key)}"${p.exceeds ? ` title="${esc(t('limit'))} ${p.limit} (+${p.exceedanceMultiple})"` : ''}>${fmtNum(p.value, digits)}<span class="counts">${p.iaqi ?? ''}</span></td>`;
}

function renderReport() {
  const table = $('#report-table');
  const report = state.report;
  if (!report) return;
  $('#report-title').textContent = t({ air: 'reportTitle', water: 'reportTitleWater', noise: 'reportTitleNoise' }[report.kind]);
  if (report.error) {
    table.innerHTML = `<tr><td class="error">${esc(report.error)}</td></tr>`;
    return;
  }
  if (report.kind === 'water') return renderWaterReport(report.data);
  if (report.kind === 'noise') return renderNoiseReport(report.data);
  const data = report.data;
  const rows = data.rows;
  const standards = [...new Set(rows.map((r) => `${r.aqiStandard}|${r.limitsStandard}`))].map((x) => {
    const [aqi, limits] = x.split('|');
    return t('reportStandards').replace('{aqi}', aqi).replace('{limits}', limits);
  });
  $('#report-heading').textContent = `${data.from} ${$('#report-city').selectedOptions[0]?.textContent ?? ''}`;
  $('#report-standards').innerHTML = standards.map(esc).join('; ') + (rows.some((r) => !r.complete) ? ` · <span class="error">${esc(t('reportIncomplete'))}</span>` : '');
  const name = (r) => (r.scope === 'POINT' ? pointName(state.points.find((p) => p.id === r.id)) || r.name : r.scope === 'CITY' ? cityName(r.id) : r.name);
  table.innerHTML = `<tr><th>${t('point')}</th><th>${t('aqi')}</th><th>${t('category')}</th><th>${t('primary')}</th>${REPORT_POLLUTANTS.map(([, label]) => `<th class="num">${label}</th>`).join('')}<th>${t('exceedances')}</th></tr>` +
    rows.map((r) => {
      const colour = r.aqi != null && r.aqiPublished ? LEGEND.aqi[r.level - 1][0] : LEGEND.none;
      return `<tr class="${r.scope === 'POINT' ? '' : 'cluster'}" data-report-row="${esc(r.scope)}:${esc(r.id)}">
        <td>${esc(name(r))}<span class="counts">${esc(t(r.scope === 'CLUSTER' ? 'scopeCLUSTER_ROW' : `scope${r.scope}`))}</span></td>
        <td class="num" data-aqi><b>${esc(r.aqiText ?? '–')}</b></td>
        <td><span class="chip" data-bg="${colour}">${esc(r.aqi == null ? t('noData') : r.aqiPublished ? (state.lang === 'en' ? LEGEND.aqi[r.level - 1][2] : r.categoryZh) : 'NA')}</span></td>
        <td>${esc(r.primaryPollutants.join(', ') || '–')}</td>
        ${REPORT_POLLUTANTS.map(([key]) => reportCell(r, key)).join('')}
        <td data-exceedances>${esc(r.exceedances.join(', ') || '–')}</td></tr>`;
    }).join('');
  $('#report-notes').innerHTML = rows.filter((r) => r.points).map((r) =>
    `${esc(name(r))}: ${esc(t('usedPoints'))} ${esc(r.points.join(', ') || '–')}; ${esc(t('withoutData'))} ${esc(r.pointsWithoutData.join(', ') || '–')}`).join('<br>') +
    `<br>${esc(t('reportUnits'))}`;
}

const WATER_ITEMS = [['nh3n', 'NH3-N'], ['codmn', 'CODMn'], ['tp', 'TP'], ['do', 'DO'], ['cod', 'COD'], ['bod5', 'BOD5'], ['tn', 'TN'], ['ph', 'pH']];

function renderWaterReport(data) {
  const city = $('#report-city').selectedOptions[0]?.textContent ?? '';
  $('#report-heading').textContent = `${data.month} ${city}`;
  $('#report-standards').innerHTML = esc('GB 3838-2002') + (data.rows.some((r) => !r.complete) ? ` · <span class="error">${esc(t('reportIncomplete'))}</span>` : '');
  const items = WATER_ITEMS.filter(([key]) => data.rows.some((r) => r.items[key]));
  $('#report-table').innerHTML = `<tr><th>${t('section')}</th><th>${t('river')}</th><th>${t('targetClass')}</th><th>${t('sectionClass')}</th><th>${t('meetsTarget')}</th><th>${t('determining')}</th><th>${t('worseThanTarget')}</th>${items.map(([, label]) => `<th class="num">${label}</th>`).join('')}</tr>` +
    data.rows.map((r) => {
      const worse = r.itemsWorseThanTarget.map((key) => `${key}${r.items[key]?.exceedanceMultiple != null ? ` (${r.items[key].exceedanceMultiple})` : ''}`);
      return `<tr data-report-row="SECTION:${esc(r.pointId)}">
        <td>${esc(pointName(state.points.find((p) => p.id === r.pointId)) || r.name)}</td>
        <td>${esc(r.river ?? '–')}</td><td>${esc(r.targetClass)}</td>
        <td data-class><b>${esc(r.sectionClass == null ? t('noData') : state.lang === 'en' ? r.sectionClass : r.sectionClassZh)}</b></td>
        <td class="${r.compliant === false ? 'exceeds' : ''}">${esc(r.compliant == null ? '–' : t(r.compliant ? 'yes' : 'no'))}</td>
        <td>${esc(r.determiningItems.join(', ') || '–')}</td><td>${esc(worse.join(', ') || '–')}</td>
        ${items.map(([key]) => {
          const item = r.items[key];
          return item ? `<td class="num${item.exceedanceMultiple != null ? ' exceeds' : ''}">${fmtNum(item.mean, 3)}<span class="counts">${item.samples}</span></td>` : '<td class="num missing">–</td>';
        }).join('')}</tr>`;
    }).join('');
  $('#report-notes').textContent = t('waterUnits');
}

function renderNoiseReport(data) {
  const city = $('#report-city').selectedOptions[0]?.textContent ?? '';
  $('#report-heading').textContent = `${data.from} ${city}`;
  $('#report-standards').innerHTML = esc('GB 3096-2008') + (data.rows.some((r) => !r.complete) ? ` · <span class="error">${esc(t('reportIncomplete'))}</span>` : '');
  const level = (value, limit, ok, hours) => (value == null ? '<td class="num missing">–</td>'
    : `<td class="num${ok ? '' : ' exceeds'}">${fmtNum(value, 1)} / ${limit}<span class="counts">${hours}</span></td>`);
  const rate = (value, compliant, evaluated) => `<td class="num">${value == null ? '–' : `${fmtNum(value, 1)} %`}<span class="counts">${compliant ?? 0}/${evaluated ?? 0}</span></td>`;
  $('#report-table').innerHTML = `<tr><th>${t('point')}</th><th>${t('zone')}</th><th class="num">${t('ldLimit')}</th><th class="num">${t('lnLimit')}</th><th class="num">${t('dayRate')}</th><th class="num">${t('nightRate')}</th></tr>` +
    data.rows.map((r) => (r.scope === 'POINT'
      ? `<tr data-report-row="POINT:${esc(r.id)}"><td>${esc(pointName(state.points.find((p) => p.id === r.id)) || r.name)}</td><td>${esc(r.zone)}</td>
          ${level(r.ldDbA, r.dayLimitDbA, r.dayCompliant, r.dayHours)}${level(r.lnDbA, r.nightLimitDbA, r.nightCompliant, r.nightHours)}<td></td><td></td></tr>`
      : `<tr class="cluster" data-report-row="ZONE:${esc(r.id)}:${esc(r.zone)}"><td>${esc(cityName(r.cityId))} · ${esc(r.zone)}</td><td>${esc(r.zone)}</td><td></td><td></td>
          ${rate(r.dayComplianceRate, r.dayCompliantPoints, r.dayEvaluated)}${rate(r.nightComplianceRate, r.nightCompliantPoints, r.nightEvaluated)}</tr>`)).join('');
  $('#report-notes').textContent = t('noiseUnits');
}

// Exports need the bearer token, so they are fetched and handed to the browser as a download.
async function download(path, fileName) {
  const res = await fetch(`/api/v1${path}`, { headers: { Authorization: `Bearer ${state.token}` } });
  if (!res.ok) throw new Error(`${t('requestFailed')} ${res.status}`);
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await res.blob());
  link.download = fileName;
  link.click();
  URL.revokeObjectURL(link.href);
}

// The chart's point, interval, range and view (reviewed or raw) as CSV or NDJSON (GET /export/readings).
async function exportHistory(p, format) {
  const { from, to } = state.historyRange ?? {};
  if (!from) return;
  const view = ownsData(p) ? state.view : 'reviewed';
  try {
    await download(`/export/readings?kind=${p.kind}&points=${encodeURIComponent(p.id)}&interval=${state.interval}&view=${view}&from=${from.toISOString()}&to=${to.toISOString()}&format=${format}`,
      `${p.id}-${state.interval}-${from.toISOString().slice(0, 10)}.${format}`);
  } catch (e) {
    $('#history-chart').insertAdjacentHTML('beforeend', `<p class="error">${esc(e.message)}</p>`);
  }
}

// The map's points (of the one kind shown, or all) with their latest values (GET /export/points).
async function exportMap() {
  const kinds = $$('.kind-filter').filter((c) => c.checked).map((c) => c.value);
  const kind = kinds.length === 1 ? kinds[0] : null;
  try {
    await download(`/export/points${kind ? `?kind=${kind}` : ''}`, `points${kind ? '-' + kind.toLowerCase() : ''}.geojson`);
  } catch (e) {
    $('#point-count').textContent = e.message;
  }
}

// The report's CSV, fetched with the token (download above).
async function downloadReportCsv() {
  const kind = $('#report-kind').value;
  const when = kind === 'water' ? $('#report-month').value : $('#report-date').value;
  try {
    await download(reportQuery('csv'), `${{ air: 'air-daily', water: 'water-monthly', noise: 'noise-daily' }[kind]}-${when}${$('#report-city').value ? '-' + $('#report-city').value : ''}.csv`);
  } catch (e) {
    $('#report-table').innerHTML = `<tr><td class="error">${esc(e.message)}</td></tr>`;
  }
}

function fillReportCities() {
  const select = $('#report-city');
  const keep = select.value || state.user.city || '';
  select.innerHTML = `<option value="">${esc(t('reportAll'))}</option>` +
    state.cities.map((c) => `<option value="${esc(c.id)}">${esc(cityName(c.id))}</option>`).join('');
  select.value = keep;
}

// ---------------------------------------------------------------------------------------------
// the L3P1-A1 assessment (考核) as of T with every point's evidence: GET /assessments/l3p1-a1,
// printable (style.css @media print) for a bureau to hand to the assessor

// The instant of a wall-clock time "yyyy-MM-ddTHH:mm" in zone.
function instantOf(local, zone) {
  const [date, time] = local.split('T');
  const [y, mo, d] = date.split('-').map(Number);
  const [h, mi] = time.split(':').map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let ms = wall - zoned(wall, zone).offsetMinutes * 60_000;
  ms = wall - zoned(ms, zone).offsetMinutes * 60_000;
  return new Date(ms).toISOString();
}

function assessCity() {
  return $('#assess-city').value || state.user.city || state.cities[0]?.clusterId;
}

function assessQuery(format) {
  const city = assessCity();
  const zone = zoneOf(city);
  if (!$('#assess-at').value) {
    const z = zoned(Date.now(), zone);
    $('#assess-at').value = `${z.year}-${z.month}-${z.day}T${z.hour}:${z.minute}`;
  }
  return `/assessments/l3p1-a1?city=${encodeURIComponent(city)}&at=${encodeURIComponent(instantOf($('#assess-at').value, zone))}${format ? `&format=${format}` : ''}`;
}

async function loadAssessment(event) {
  event?.preventDefault();
  const call = (state.assessmentCall = (state.assessmentCall ?? 0) + 1); // the newest call shows
  let assessment;
  try {
    assessment = await api(assessQuery());
    assessment.fetchedAt = Date.now(); // "generated at" on the printed page
  } catch (e) {
    assessment = { error: e.message };
  }
  if (call !== state.assessmentCall) return;
  state.assessment = assessment;
  renderAssessment();
}

function assessPart(part) {
  if (!part) return '–';
  const value = part.value == null ? '–' : `${fmtNum(part.value * 100, 1)}%`;
  return `${value}<span class="counts">${part.numerator}/${part.denominator}${part.conditional ? ` +${part.conditional}` : ''}${part.nullReason ? ` ${esc(part.nullReason)}` : ''}</span>`;
}

function renderAssessment() {
  const data = state.assessment;
  if (!data) return;
  const table = $('#assess-table');
  if (data.error) {
    $('#assess-summary').innerHTML = '';
    $('#assess-agreement').textContent = '';
    $('#assess-sources').textContent = '';
    table.innerHTML = `<tr><td class="error">${esc(data.error)}</td></tr>`;
    return;
  }
  const zoneCity = data.scope === 'cluster' ? state.cities[0]?.id : data.id;
  const heading = `${cityName(data.id)} · T ${localTime(data.at, zoneOf(zoneCity))}`;
  const generated = `${t('assessGenerated')} ${localTime(data.fetchedAt, zoneOf(zoneCity))}`;
  $('#assess-heading').textContent = heading;
  $('#assess-generated').textContent = generated;
  $('#assess-summary').innerHTML = `<tr><th>${t('score')}</th><th>${t('b1')}</th><th>${t('b2')}</th><th>${t('b3')}</th></tr>
    <tr data-assess-summary><td class="num" data-score><b>${data.score == null ? '–' : fmtNum(data.score, 2)}</b>${data.scoreNullReason ? `<span class="counts">${esc(data.scoreNullReason)}</span>` : ''}</td>
    <td class="num">${assessPart(data.air)}</td><td class="num">${assessPart(data.water)}</td><td class="num">${assessPart(data.noise)}</td></tr>`;
  const board = data.scoreboard;
  $('#assess-agreement').textContent = data.agreesWithScoreboard == null ? t('assessNoBoard')
    : `${t(data.agreesWithScoreboard ? 'assessAgrees' : 'assessDiffers')}: ${localTime(board.time, zoneOf(zoneCity))} ${t('score')} ${board.score == null ? '–' : fmtNum(board.score, 2)}` +
      ` (b1 ${board.air.numerator}/${board.air.denominator}, b2 ${board.water.numerator}/${board.water.denominator}, b3 ${board.noise.numerator}/${board.noise.denominator})`;
  const yesNo = (b) => t(b ? 'yes' : 'no');
  // the head repeats on every printed page, with the city, T and when it was generated above it
  table.innerHTML = `<thead><tr class="print-only"><th colspan="8" data-print-heading>${esc(t('assessTitle'))} · ${esc(heading)} · ${esc(generated)}</th></tr>
    <tr><th>${t('point')}</th><th>${t('city')}</th><th>${t('status')}</th><th>${t('sharing')}</th><th>${t('assessInDen')}</th><th>${t('assessCounted')}</th><th>${t('assessReason')}</th><th>${t('assessLast')}</th></tr></thead><tbody>` +
    data.points.map((p) => `<tr class="${p.counted ? 'counted' : 'not-counted'}" data-assess-point="${esc(p.id)}" data-reason="${esc(p.reason.code)}">
      <td>${esc(state.lang === 'en' ? p.nameEn || p.name : p.name)}<span class="counts">${esc(p.id)} · ${esc(t(`kind${p.kind}`))}</span></td>
      <td>${esc(cityName(p.cityId))}</td>
      <td>${esc(p.status)}</td>
      <td>${esc(t(`scope${p.sharing}`))}${p.sharedWith.length ? `<span class="counts">${esc(p.sharedWith.map(cityName).join(', '))}</span>` : ''}</td>
      <td>${yesNo(p.inDenominator)}</td>
      <td><b>${yesNo(p.counted)}</b>${p.conditional ? `<span class="counts">${esc(t('scopeCITIES'))}</span>` : ''}</td>
      <td class="reason"><code>${esc(p.reason.code)}</code> ${esc(state.lang === 'en' ? p.reason.text : p.reason.textZh)}</td>
      <td>${p.lastValidReading ? fmtTime(p.lastValidReading.observedAt, p.cityId) : '–'}</td></tr>`).join('') + '</tbody>';
  const s = data.sources;
  $('#assess-sources').innerHTML = [[t('assessPlanned'), s.plannedTotals], [t('assessRegistry'), s.registry + (s.pointsWithoutHistory.length ? `: ${s.pointsWithoutHistory.join(', ')}` : '')],
    [t('assessReadings'), s.readings], [t('assessWindows'), s.freshnessWindows]].map(([k, v]) => `${esc(k)}: ${esc(v)}`).join('<br>');
}

async function downloadAssessmentCsv() {
  try {
    await download(assessQuery('csv'), `l3p1-a1-${assessCity()}.csv`);
  } catch (e) {
    $('#assess-table').innerHTML = `<tr><td class="error">${esc(e.message)}</td></tr>`;
  }
}

// A city's users see their own city's assessment; the coordinator every city's and the cluster's.
function fillAssessCities() {
  const select = $('#assess-city');
  const keep = select.value || state.user.city || '';
  const cities = state.user.role === 'coordinator' ? state.cities : state.cities.filter((c) => c.id === state.user.city);
  const clusterId = state.cities[0]?.clusterId;
  select.innerHTML = cities.map((c) => `<option value="${esc(c.id)}">${esc(cityName(c.id))}</option>`).join('') +
    (state.user.role === 'coordinator' && clusterId ? `<option value="${esc(clusterId)}">${esc(t('cluster'))}</option>` : '');
  if (keep) select.value = keep;
}

// ---------------------------------------------------------------------------------------------
// wiring

function wire() {
  $('#login-form').addEventListener('submit', signIn);
  $$('.lang-toggle').forEach((b) => b.addEventListener('click', toggleLanguage));
  $('#logout').addEventListener('click', signOut);
  $$('.tab').forEach((b) => b.addEventListener('click', () => showTab(b.dataset.tab)));
  $$('.kind-filter').forEach((c) => c.addEventListener('change', renderMap));
  $('#map-geojson').addEventListener('click', exportMap);
  $('#trend-city').addEventListener('change', renderTrend);
  $('#trend-hours').addEventListener('change', renderTrend);
  $('#alert-status').addEventListener('change', loadAlerts);
  $('#report-form').addEventListener('submit', loadReport);
  $('#report-kind').addEventListener('change', () => { showReportKind(); loadReport(); });
  $('#report-csv').addEventListener('click', downloadReportCsv);
  $('#report-print').addEventListener('click', () => window.print());
  $('#assess-form').addEventListener('submit', loadAssessment);
  $('#assess-csv').addEventListener('click', downloadAssessmentCsv);
  $('#assess-print').addEventListener('click', () => window.print());
  $('#point-form').addEventListener('submit', savePoint);
  $('#point-reset').addEventListener('click', resetForm);
  $('#point-form [name=kind]').addEventListener('change', showKindFields);
  setInterval(() => { if (state.user && state.tab === 'alerts') renderAlerts(); }, 15_000); // fade "new"
  setInterval(async () => { // latest readings and ratios change every minute
    if (!state.user) return;
    await loadPoints().catch(() => {});
    if (state.tab === 'map') renderMap();
    if (state.tab === 'ratios') loadRatios();
  }, 60_000);
}

wire();
applyLanguage();
if (state.token && state.user) {
  start().catch(() => signOut());
} else {
  $('#login-view').hidden = false;
}
