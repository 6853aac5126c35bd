// The dashboard in a real browser (Debian's chromium, driven by playwright-core), run by
// DashboardBrowserIT against a real API. Talks to the test over stdout lines:
//   STEP <what>          a check passed
//   AWAIT_ALERT          the alert console is open: the test now produces alerts to Kafka
//   ALERT_SEEN <id>      an alert arrived live (SSE) and is highlighted
//   ACKED <id>           it was acknowledged through the button
//   CREATED <id>         a point was created through the form (after a field error was shown)
//   DECOMMISSIONED <id>  ... then made PRIVATE and decommissioned through the page
//   MARKED <id>          a range of qingpu-air-01 marked invalid on its chart (review mark id)
//   REVALIDATED <id>     ... the later half of its pm25 valid again (typed into the inputs)
// Exit code 0 when every check passed; on failure the message on stderr and a screenshot
// failure.png in the working directory.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const BASE = process.env.BASE_URL;
const SHOTS = process.env.SCREENSHOTS;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const NEW_POINT = process.env.NEW_POINT_ID || 'qingpu-air-09';
// the times the page must show, in the city's local time with its offset (LocalTimes in Java)
const LATEST_TIME = process.env.LATEST_TIME;
const DELAYED = process.env.DELAYED_ALERT_ID;
const DELAYED_OBSERVED = process.env.DELAYED_OBSERVED;
const DELAYED_DETECTED = process.env.DELAYED_DETECTED;
const REPORT_DATE = process.env.REPORT_DATE;
const ASSESS_AT = process.env.ASSESS_AT; // the assessment's T, Qingpu's wall clock yyyy-MM-ddTHH:mm
const REVIEW_NOTE = process.env.REVIEW_NOTE; // the note of the mark the bureau makes (unique per run)
mkdirSync(SHOTS, { recursive: true });

const say = (line) => process.stdout.write(line + '\n');
const check = (ok, message) => { if (!ok) throw new Error(message); };

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
// The browser in another zone than the cities' (Asia/Shanghai): the page must not show its own.
const context = await browser.newContext({
  viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, timezoneId: 'America/New_York',
});
const page = await context.newPage();
page.setDefaultTimeout(15_000);
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));
page.on('dialog', (d) => d.accept());
// the Content-Security-Policy must never have to refuse anything the dashboard does
const policyViolations = [];
page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) policyViolations.push(m.text()); });
// nothing but the API's own origin may be asked for: the dashboard works with no internet
const foreign = [];
page.on('request', (r) => { if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) foreign.push(r.url()); });

try {
  // 1. login
  await page.goto(BASE + '/');
  await page.locator('#login-form').waitFor();
  await page.screenshot({ path: join(SHOTS, 'login.png') });
  await page.fill('#login-username', 'qingpu-bureau');
  await page.fill('#login-password', 'wrong-password');
  await page.click('#login-submit');
  await page.locator('#login-error:not(:empty)').waitFor();
  await page.fill('#login-password', 'demo-qingpu-bureau');
  await page.click('#login-submit');
  await page.locator('body[data-ready=true]').waitFor();
  say('STEP signed in as qingpu-bureau');

  // 2. map: another city's shared point, not its private one; own private point shown
  await page.locator('[data-point-id="wujiang-air-01"]').waitFor();
  await page.locator('[data-point-id="jiashan-water-taipu-01"]').waitFor(); // CITIES: shared with qingpu
  await page.locator('[data-point-id="qingpu-noise-01"]').waitFor(); // own PRIVATE point
  check(await page.locator('[data-point-id="wujiang-air-02"]').count() === 0, 'wujiang-air-02 (PRIVATE) is on the map');
  check(await page.locator('[data-point-id="jiashan-air-02"]').count() === 0, 'jiashan-air-02 (PRIVATE) is on the map');
  say('STEP map shows wujiang-air-01 and not wujiang-air-02');
  await page.click('[data-point-id="qingpu-air-01"] .mark');
  await page.locator('#panel-title').waitFor();
  await page.locator('#history-chart svg path[stroke="#0b6bcb"]').waitFor({ state: 'attached' });
  const aqiChip = await page.locator('#point-panel .chip').first().textContent();
  check(/\d+/.test(aqiChip), `no AQI in the point panel: ${aqiChip}`);
  // the standard the AQI was computed by, beside it (the hour is after 2026-03-01 00:00 +08:00)
  const aqiStandard = await page.locator('#point-panel [data-aqi-standard]').textContent();
  check(aqiStandard === 'HJ 633-2026', `AQI standard in the point panel: ${aqiStandard}`);
  const latestTime = await page.locator('#point-panel [data-latest-time]').textContent();
  check(latestTime === LATEST_TIME, `latest reading time ${latestTime}, expected ${LATEST_TIME} (Qingpu's local time)`);
  const axisZone = await page.locator('#history-chart svg text[data-axis-zone]').textContent();
  check(axisZone === '+08:00', `chart axis not in Qingpu's time: ${axisZone}`);
  say(`STEP point panel time in the city's local time: ${latestTime}`);
  await page.click('[data-point-id="wujiang-water-taipu-02"] .mark');
  await page.locator('#panel-title', { hasText: '黎里' }).waitFor();
  await page.locator('#point-panel .chip', { hasText: 'III' }).waitFor();
  await page.locator('#history-chart svg path[stroke="#0b6bcb"]').waitFor({ state: 'attached' });
  await page.screenshot({ path: join(SHOTS, 'map.png') });
  say('STEP point panel with latest values and history chart');

  // 2b. review of data: the bureau drags across its point's raw chart, marks the range invalid
  // with reason "other" — first without the note it needs (the API's reason is shown), then with
  // it; the range is shaded with its reason, the reviewed line has fewer values than the raw one
  await page.click('[data-point-id="qingpu-air-01"] .mark');
  await page.locator('#review-form').waitFor();
  await page.click('#point-panel [data-interval=raw]');
  await page.locator('#history-chart svg[data-view=reviewed] path[data-series=pm25]').waitFor({ state: 'attached' });
  const area = await page.locator('#history-chart svg .select-area').boundingBox();
  const midY = area.y + area.height / 2;
  // two clicks (start, then end) choose a range as well ...
  await page.mouse.click(area.x + area.width * 0.1, midY);
  await page.mouse.click(area.x + area.width * 0.2, midY);
  const clickedFrom = await page.inputValue('#review-form [name=from]');
  const clickedTo = await page.inputValue('#review-form [name=to]');
  check(clickedFrom && clickedTo && clickedFrom < clickedTo, `clicked range: ${clickedFrom} – ${clickedTo}`);
  // ... and a drag replaces it
  await page.mouse.move(area.x + area.width * 0.3, midY);
  await page.mouse.down();
  await page.mouse.move(area.x + area.width * 0.38, midY, { steps: 4 });
  await page.mouse.move(area.x + area.width * 0.45, midY, { steps: 4 });
  await page.mouse.up();
  const chosenFrom = await page.inputValue('#review-form [name=from]');
  const chosenTo = await page.inputValue('#review-form [name=to]');
  check(chosenFrom && chosenTo && chosenFrom < chosenTo && chosenFrom > clickedTo, `dragged range: ${chosenFrom} – ${chosenTo}`);
  check(await page.locator('#history-chart rect.selection').count() === 1, 'the dragged range is not drawn');
  await page.selectOption('#review-form [name=verdict]', 'INVALID');
  await page.selectOption('#review-form [name=reason]', 'OTHER');
  await page.click('#review-submit');
  const refused = await page.locator('#review-message', { hasText: 'note' }).textContent();
  check(/required when reason is OTHER/.test(refused), `the API's reason not shown: ${refused}`);
  check(await page.locator('#review-form [data-field=note].invalid').count() === 1, 'the note field not marked');
  await page.fill('#review-form [name=note]', REVIEW_NOTE);
  await page.click('#review-submit');
  const markId = await page.locator('#review-message [data-marked]').getAttribute('data-marked');
  const band = page.locator(`#history-chart rect.band-invalid[data-mark-id="${markId}"]`);
  await band.waitFor({ state: 'attached' });
  const bandTitle = await band.locator('title').textContent();
  check(bandTitle.includes(REVIEW_NOTE) && bandTitle.includes('其他'), `the shaded range's title: ${bandTitle}`);
  await page.locator(`#review-marks tr[data-mark-id="${markId}"]`, { hasText: REVIEW_NOTE }).waitFor();
  const count = async (view) => Number(await page.locator(`#history-chart svg[data-view=${view}] path[data-series=pm25]`).getAttribute('data-count'));
  const reviewedCount = await count('reviewed');
  await page.click('#point-panel button[data-view=raw]');
  await page.locator(`#history-chart svg[data-view=raw] rect.band-invalid[data-mark-id="${markId}"]`).waitFor({ state: 'attached' });
  const rawCount = await count('raw');
  check(rawCount > reviewedCount && reviewedCount > 0, `raw ${rawCount} values, reviewed ${reviewedCount}`);
  await page.click('#point-panel button[data-view=reviewed]');
  await page.locator(`#history-chart svg[data-view=reviewed] rect.band-invalid[data-mark-id="${markId}"]`).waitFor({ state: 'attached' });
  say(`MARKED ${markId}`);
  say(`STEP review: ${chosenFrom} – ${chosenTo} marked invalid, shaded; raw ${rawCount} values, reviewed ${reviewedCount}`);

  // 2c. the later half of that range's PM2.5 valid again, typed (the keyboard's way): shaded in
  // the other style beside what stays invalid, its values back in the reviewed line
  const wall = (text) => Date.parse(`${text}:00Z`); // the inputs' wall-clock times, as if UTC
  const midpoint = new Date(Math.round((wall(chosenFrom) + wall(chosenTo)) / 120_000) * 60_000).toISOString().slice(0, 16);
  await page.fill('#review-form [name=from]', midpoint);
  await page.fill('#review-form [name=to]', chosenTo);
  await page.locator('#history-chart rect.selection').waitFor({ state: 'attached' });
  await page.selectOption('#review-form [name=parameter]', 'pm25');
  await page.selectOption('#review-form [name=verdict]', 'VALID');
  await page.selectOption('#review-form [name=reason]', 'CALIBRATION');
  await page.click('#review-submit');
  const validId = await page.locator(`#review-message [data-marked]:not([data-marked="${markId}"])`).getAttribute('data-marked');
  const validBand = page.locator(`#history-chart svg[data-view=reviewed] rect.band-valid[data-mark-id="${validId}"]`);
  await validBand.waitFor({ state: 'attached' });
  check((await validBand.locator('title').textContent()).includes('校准'), 'the valid-again range\'s title');
  check(await page.locator(`#history-chart rect.band-invalid[data-mark-id="${markId}"]`).count() === 1, 'the invalid part is no longer shaded');
  const revalidatedCount = await count('reviewed');
  check(revalidatedCount > reviewedCount && revalidatedCount < rawCount, `reviewed ${revalidatedCount} values after re-validating, before ${reviewedCount}, raw ${rawCount}`);
  await page.locator('#point-panel').screenshot({ path: join(SHOTS, 'review.png') });
  say(`REVALIDATED ${validId}`);
  say(`STEP review: ${midpoint} – ${chosenTo} pm25 valid again, typed; reviewed ${revalidatedCount} values`);

  // 3. scoreboard
  await page.click('[data-tab=ratios]');
  await page.locator('tr[data-ratio-city="qingpu"] td', { hasText: '(1/2' }).waitFor();
  await page.locator('tr.cluster td b', { hasText: /\d/ }).waitFor();
  await page.locator('#trend-chart svg').waitFor();
  await page.screenshot({ path: join(SHOTS, 'ratios.png') });
  say('STEP sharing-ratio scoreboard and trend');

  // 3b. daily air report (日报) of a past day for Qingpu: rated by HJ 633-2026, PM2.5 over its
  // GB 3095-2026 limit; as CSV; and as it prints
  await page.click('[data-tab=report]');
  await page.fill('#report-date', REPORT_DATE);
  await page.selectOption('#report-city', 'qingpu');
  await page.click('#report-form button[type=submit]');
  const reportRow = page.locator('tr[data-report-row="POINT:qingpu-air-01"]');
  await reportRow.locator('[data-aqi]', { hasText: '110' }).waitFor();
  check(await reportRow.locator('td.exceeds[data-pollutant=pm25]').count() === 1, 'PM2.5 not marked as exceeding');
  await page.locator('tr[data-report-row="CITY:qingpu"] [data-aqi]', { hasText: '110' }).waitFor();
  const standards = await page.locator('#report-standards').textContent();
  check(standards.includes('HJ 633-2026') && standards.includes('GB 3095-2026'), `report standards: ${standards}`);
  check(await page.locator('tr[data-report-row="POINT:wujiang-air-01"]').count() === 0, 'another city in the Qingpu report');
  await page.screenshot({ path: join(SHOTS, 'report.png') });
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-csv')]);
  const csv = readFileSync(await download.path(), 'utf8');
  check(download.suggestedFilename().endsWith('.csv') && /\r\n[^\r]*qingpu-air-01[^\r]*HJ 633-2026/.test(csv), `report CSV: ${csv.slice(0, 300)}`);
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('header.top').isVisible()), 'the header is printed');
  check(!(await page.locator('#report-form').isVisible()), 'the report controls are printed');
  await page.screenshot({ path: join(SHOTS, 'report-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  say('STEP daily report: 110 by HJ 633-2026, PM2.5 exceeding, CSV, print layout');

  // 3b'. the same tab's monthly water report and daily noise report for Qingpu
  await page.selectOption('#report-kind', 'water');
  check(await page.locator('#report-month').isVisible() && !(await page.locator('#report-date').isVisible()), 'the water report asks for a month');
  await page.locator('tr[data-report-row="SECTION:qingpu-water-taipu-01"]').waitFor();
  check((await page.locator('#report-standards').textContent()).includes('GB 3838-2002'), 'water report standard');
  await page.selectOption('#report-kind', 'noise');
  await page.locator('tr[data-report-row="POINT:qingpu-noise-01"]').waitFor();
  await page.locator('tr[data-report-row^="ZONE:qingpu:"]').first().waitFor();
  check((await page.locator('#report-standards').textContent()).includes('GB 3096-2008'), 'noise report standard');
  await page.selectOption('#report-kind', 'air');
  say('STEP water and noise reports: a row per Qingpu section, per noise point and zone');

  // 3c. the L3P1-A1 assessment (考核) of Qingpu now, with every point's reason; as it prints
  // T a minute or two ahead: the API registered the demo points when it started, moments ago, and
  // the assessment reads the registry as it was at T
  await page.click('[data-tab=assess]');
  await page.fill('#assess-at', ASSESS_AT);
  await page.click('#assess-form button[type=submit]');
  // the tab's first answer (now) may still be shown: wait for the one of the T asked for
  const assessT = ASSESS_AT.replace('T', ' ');
  await page.locator('#assess-heading', { hasText: `· T ${assessT}` }).waitFor();
  await page.locator('tr[data-assess-point="qingpu-air-01"][data-reason="COUNTED"]').waitFor();
  for (const [point, reason] of [['qingpu-noise-01', 'PRIVATE'], ['qingpu-air-02', 'NOT_ACTIVE'], ['qingpu-water-dianshan-01', 'NOT_IMPORTANT_SECTION']]) {
    check(await page.locator(`tr[data-assess-point="${point}"][data-reason="${reason}"]`).count() === 1, `${point} not listed as ${reason}`);
  }
  check(await page.locator('tr[data-assess-point^="wujiang-"]').count() === 0, 'another city in the Qingpu assessment');
  check(await page.locator('#assess-city option').count() === 1, 'a bureau may pick only its own city');
  const privateReason = await page.locator('tr[data-assess-point="qingpu-noise-01"] td.reason').textContent();
  check(privateReason.includes('未共享'), `PRIVATE reason in Chinese: ${privateReason}`);
  const assessHeading = await page.locator('#assess-heading').textContent();
  check(assessHeading.includes('青浦') && assessHeading.includes(`· T ${assessT}`), `the city and T not in the heading: ${assessHeading}`);
  check(/^生成于 \d{4}-\d\d-\d\d \d\d:\d\d \+08:00$/.test(await page.locator('#assess-generated').textContent()), 'no generated-at time in the heading');
  check(!(await page.locator('#assess-table tr.print-only').isVisible()), 'the print heading shown on screen');
  await page.emulateMedia({ media: 'print' });
  check(!(await page.locator('header.top nav').isVisible()), 'the navigation is printed');
  check(!(await page.locator('#assess-form').isVisible()), 'the assessment controls are printed');
  check(await page.locator('#assess-table').isVisible(), 'the assessment table is not printed');
  check(await page.locator('#assess-generated').isVisible(), 'the generated-at time is not printed');
  // the head that repeats on every printed page names the city, T and when it was generated
  const running = await page.locator('#assess-table thead tr.print-only th').textContent();
  check(running.includes(`T ${assessT}`) && running.includes('生成于'), `the printed table's running head: ${running}`);
  await page.screenshot({ path: join(SHOTS, 'assessment-print.png'), fullPage: true });
  await page.pdf({ path: 'assessment.pdf', format: 'A4', printBackground: true }); // in target/browser-test
  await page.emulateMedia({ media: 'screen' });
  say('STEP assessment: every Qingpu point with its reason, print layout (city, T, generated at)');

  // 4. live alert console: a delayed alert (its data arrived late) marked, with its observation
  // and detection times in Qingpu's local time; then the test produces alerts to Kafka once we
  // say so
  await page.click('[data-tab=alerts]');
  const delayedRow = page.locator(`tr[data-alert-id="${DELAYED}"]`);
  await delayedRow.locator('[data-delayed]', { hasText: '迟到' }).waitFor();
  const observed = await delayedRow.locator('[data-observed]').textContent();
  const detected = await delayedRow.locator('[data-detected]').textContent();
  check(observed === DELAYED_OBSERVED, `delayed alert observed ${observed}, expected ${DELAYED_OBSERVED}`);
  check(detected === DELAYED_DETECTED, `delayed alert detected ${detected}, expected ${DELAYED_DETECTED}`);
  say(`STEP delayed alert marked, observed ${observed}, detected ${detected}`);
  say('AWAIT_ALERT');
  // a new episode closes the point's previous one (cleared, also shown live): take the raised one
  const live = page.locator('tr[data-live=true].new[data-state=RAISED]').first();
  await live.waitFor({ timeout: Number(process.env.ALERT_TIMEOUT_MS || 60_000) });
  const alertId = await live.getAttribute('data-alert-id');
  await page.locator(`tr[data-alert-id="${alertId}"] [data-origin="wujiang"]`).waitFor();
  say(`ALERT_SEEN ${alertId}`);
  await page.screenshot({ path: join(SHOTS, 'alerts.png') });
  await page.click(`[data-ack="${alertId}"]`);
  await page.locator(`tr[data-alert-id="${alertId}"]`, { hasText: 'qingpu-bureau' }).waitFor();
  say(`ACKED ${alertId}`);

  // 5. point management: a field error from the API next to its field, then a good create
  await page.click('[data-tab=manage]');
  await page.fill('#point-form [name=id]', NEW_POINT);
  await page.selectOption('#point-form [name=kind]', 'AIR');
  await page.fill('#point-form [name=name]', '测试空气站');
  await page.fill('#point-form [name=nameEn]', 'Test air station');
  await page.fill('#point-form [name=lat]', '95');
  await page.fill('#point-form [name=lon]', '121.2');
  await page.selectOption('#point-form [name=sharing]', 'CLUSTER');
  await page.click('#point-save');
  const latError = page.locator('#point-form [data-field=lat].invalid .field-error');
  await latError.waitFor();
  const latMessage = await latError.textContent();
  check(/90/.test(latMessage), `lat error: ${latMessage}`);
  await page.screenshot({ path: join(SHOTS, 'manage.png') });
  await page.fill('#point-form [name=lat]', '31.2');
  await page.click('#point-save');
  await page.locator(`#point-form-message [data-saved="${NEW_POINT}"]`).waitFor();
  await page.locator(`tr[data-manage-id="${NEW_POINT}"]`).waitFor();
  say(`CREATED ${NEW_POINT}`);
  // change its sharing, then decommission it (the confirmation dialog is accepted)
  await page.click(`[data-edit="${NEW_POINT}"]`);
  await page.selectOption('#point-form [name=sharing]', 'PRIVATE');
  await page.click('#point-save');
  await page.locator(`#point-form-message [data-saved="${NEW_POINT}"]`).waitFor();
  await page.locator(`tr[data-manage-id="${NEW_POINT}"]`, { hasText: '不共享' }).waitFor();
  await page.click(`[data-decommission="${NEW_POINT}"]`);
  await page.locator(`tr[data-manage-id="${NEW_POINT}"]`, { hasText: 'DECOMMISSIONED' }).waitFor();
  say(`DECOMMISSIONED ${NEW_POINT}`);

  // 6. language
  check((await page.locator('header.top h1').textContent()).includes('环境监测'), 'not Chinese at first');
  await page.click('#lang-toggle');
  await page.locator('header.top h1', { hasText: 'Environmental Monitoring' }).waitFor();
  await page.locator('[data-tab=map]', { hasText: 'Map' }).waitFor();
  await page.click('[data-tab=map]');
  await page.click('[data-point-id="jiashan-water-taipu-01"] .mark');
  await page.locator('#panel-title', { hasText: 'Yaozhuang' }).waitFor();
  await page.locator('#panel-sharing', { hasText: 'Named cities' }).waitFor();
  await page.locator('#history-chart > :not(.loading)').first().waitFor({ state: 'attached' });
  await page.screenshot({ path: join(SHOTS, 'map-en.png') });
  say('STEP switched to English');

  // 7. a control-room screen
  await page.setViewportSize({ width: 2560, height: 1440 });
  await page.click('[data-tab=alerts]');
  await page.locator(`tr[data-alert-id="${alertId}"]`).waitFor();
  await page.locator(`tr[data-alert-id="${DELAYED}"] [data-delayed]`, { hasText: 'delayed' }).waitFor();
  await page.screenshot({ path: join(SHOTS, 'alerts-large-screen.png') });
  say('STEP large screen');

  // 7b. a viewer of another city: Qingpu's shared point's reviewed chart, without marking controls,
  // raw view or marks (the API would answer 403 to each)
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.click('#logout');
  await page.fill('#login-username', 'wujiang-viewer');
  await page.fill('#login-password', 'demo-wujiang-viewer');
  await page.click('#login-submit');
  await page.locator('#who', { hasText: 'wujiang-viewer' }).waitFor();
  await page.click('[data-tab=map]');
  await page.click('[data-point-id="qingpu-air-01"] .mark');
  await page.locator('#history-chart svg[data-view=reviewed] path[data-series=pm25]').waitFor({ state: 'attached' });
  for (const control of ['#review-form', '#point-panel button[data-view]', '#review-marks', '#history-chart rect.band', '#history-chart svg.selectable']) {
    check(await page.locator(control).count() === 0, `${control} shown to another city's viewer`);
  }
  say('STEP another city\'s viewer: the reviewed chart, no marking controls');

  // the legend's colours came through the CSSOM, not inline styles
  const legendColour = await page.locator('#legend i').first().evaluate((e) => getComputedStyle(e).backgroundColor);
  check(legendColour !== 'rgba(0, 0, 0, 0)', `the legend has no colour: ${legendColour}`);

  // 8. Swagger UI under its own policy (its one inline script allowed by hash)
  await page.goto(BASE + '/swagger-ui/index.html');
  await page.locator('.swagger-ui .info .title').waitFor();
  say('STEP swagger ui');

  check(policyViolations.length === 0, `Content-Security-Policy violations: ${policyViolations.join('; ')}`);
  check(pageErrors.length === 0, `errors in the page: ${pageErrors.join('; ')}`);
  check(foreign.length === 0, `requests outside the API: ${foreign.join(', ')}`);
  say('DONE');
} catch (e) {
  await page.screenshot({ path: 'failure.png' }).catch(() => {}); // in target/browser-test
  process.stderr.write(`dashboard check failed: ${e.stack || e}\npage errors: ${pageErrors.join('; ')}\n`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
