// Times as the people of a city read them: the city's local time with its offset,
// "2026-12-03 00:36 +08:00" (as io.envmon.domain.time.LocalTimes writes them), never the
// browser's zone or UTC. The zone is the city's (GET /cities timeZone).
export const DEFAULT_ZONE = 'Asia/Shanghai';

const formats = new Map();

function partsFormat(zone) {
  let format = formats.get(zone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone: zone, hourCycle: 'h23',
        year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
      });
    } catch {
      format = partsFormat(DEFAULT_ZONE); // a zone this browser does not know
    }
    formats.set(zone, format);
  }
  return format;
}

/** The wall-clock fields of instant ms in zone, and the zone's offset then in minutes. */
export function zoned(ms, zone = DEFAULT_ZONE) {
  const p = Object.fromEntries(partsFormat(zone).formatToParts(ms).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  const offsetMinutes = Math.round((wall - Math.floor(ms / 1000) * 1000) / 60_000);
  return { ...p, offsetMinutes };
}

/** "+08:00", "-05:00", "+00:00" */
export function offsetText(minutes) {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** An ISO-8601 instant (or epoch ms) as "yyyy-MM-dd HH:mm ±hh:mm" in zone; '–' when absent. */
export function localTime(instant, zone = DEFAULT_ZONE) {
  if (instant == null || instant === '') return '–';
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  if (Number.isNaN(ms)) return '–';
  const z = zoned(ms, zone);
  return `${z.year}-${z.month}-${z.day} ${z.hour}:${z.minute} ${offsetText(z.offsetMinutes)}`;
}
