// strftime over simulated time, with TZ support: UTC by default, POSIX "NAME[+-]h[:mm]"
// strings, and IANA names through Intl (the images are assumed to ship tzdata).

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export interface Zone {
  // Minutes east of UTC at the instant asked.
  offset: number;
  name: string;
}

const dtfCache = new Map<string, Intl.DateTimeFormat | null>();

function dtf(tz: string, locale: string): Intl.DateTimeFormat | null {
  const key = locale + ' ' + tz;
  if (!dtfCache.has(key)) {
    try {
      dtfCache.set(
        key,
        new Intl.DateTimeFormat(locale, {
          timeZone: tz,
          hourCycle: 'h23',
          year: 'numeric',
          month: 'numeric',
          day: 'numeric',
          hour: 'numeric',
          minute: 'numeric',
          second: 'numeric',
          timeZoneName: 'short',
        }),
      );
    } catch {
      dtfCache.set(key, null);
    }
  }
  return dtfCache.get(key) ?? null;
}

export function zoneAt(tz: string | undefined, ms: number): Zone {
  if (!tz || tz === 'UTC' || tz === 'UTC0' || tz === ':UTC' || tz === 'Etc/UTC' || tz === 'Z') return { offset: 0, name: 'UTC' };
  if (tz === 'GMT' || tz === 'GMT0') return { offset: 0, name: 'GMT' };
  const posix = /^:?([A-Za-z]{3,})([+-]?)(\d{1,2})(?::(\d{2}))?$/.exec(tz);
  if (posix) {
    const mins = Number(posix[3]) * 60 + Number(posix[4] ?? 0);
    return { offset: posix[2] === '-' ? mins : -mins, name: posix[1] };
  }
  const f = dtf(tz.replace(/^:/, ''), 'en-US');
  if (!f) return { offset: 0, name: 'UTC' };
  const parts = f.formatToParts(new Date(ms));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour') % 24, get('minute'), get('second'));
  const offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
  let name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
  if (/^GMT[+-]/.test(name)) {
    const g = dtf(tz.replace(/^:/, ''), 'en-GB')?.formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value;
    if (g && !/^GMT[+-]/.test(g)) name = g;
    else {
      const a = Math.abs(offset);
      name = `${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60), 2)}${a % 60 ? pad(a % 60, 2) : ''}`;
    }
  }
  return { offset, name };
}

function pad(n: number, w: number, c = '0'): string {
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + (s.length >= w ? s : c.repeat(w - s.length) + s);
}

// ISO 8601 week number and week-based year.
function isoWeek(d: Date): { week: number; year: number } {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const y0 = new Date(Date.UTC(t.getUTCFullYear(), 0, 1));
  return { week: Math.ceil(((t.getTime() - y0.getTime()) / 86400000 + 1) / 7), year: t.getUTCFullYear() };
}

export interface StrftimeOpts {
  // GNU date supports %N and the - _ 0 ^ # flags; busybox passes the format to libc.
  gnu: boolean;
}

export function strftime(fmt: string, ms: number, zone: Zone, opts: StrftimeOpts = { gnu: true }): string {
  // A Date whose UTC fields are the local time.
  const d = new Date(ms + zone.offset * 60000);
  const Y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const H = d.getUTCHours();
  const M = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const wd = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86400000);
  const offAbs = Math.abs(zone.offset);
  const z = `${zone.offset < 0 ? '-' : '+'}${pad(Math.floor(offAbs / 60), 2)}${pad(offAbs % 60, 2)}`;
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%' || i + 1 >= fmt.length) {
      out += c;
      continue;
    }
    let j = i + 1;
    let flag = '';
    if (opts.gnu && /[-_0^#]/.test(fmt[j])) flag = fmt[j++];
    let width = '';
    while (opts.gnu && /[0-9]/.test(fmt[j] ?? '')) width += fmt[j++];
    let colon = false;
    if (fmt[j] === ':' && fmt[j + 1] === 'z') {
      colon = true;
      j++;
    }
    const conv = fmt[j];
    i = j;
    const num = (n: number, w: number, padc = '0'): string => {
      if (flag === '-') return String(n);
      if (flag === '_') padc = ' ';
      if (flag === '0') padc = '0';
      return pad(n, width ? Number(width) : w, padc);
    };
    const str = (s: string): string => {
      if (flag === '^') s = s.toUpperCase();
      if (flag === '#') s = s === s.toUpperCase() ? s.toLowerCase() : s.toUpperCase();
      return width ? s.padStart(Number(width), flag === '0' ? '0' : ' ') : s;
    };
    switch (conv) {
      case 'a':
        out += str(DAYS[wd].slice(0, 3));
        break;
      case 'A':
        out += str(DAYS[wd]);
        break;
      case 'b':
      case 'h':
        out += str(MONTHS[m].slice(0, 3));
        break;
      case 'B':
        out += str(MONTHS[m]);
        break;
      case 'c':
        out += str(`${DAYS[wd].slice(0, 3)} ${MONTHS[m].slice(0, 3)} ${pad(day, 2, ' ')} ${pad(H, 2)}:${pad(M, 2)}:${pad(S, 2)} ${Y}`);
        break;
      case 'C':
        out += num(Math.floor(Y / 100), 2);
        break;
      case 'd':
        out += num(day, 2);
        break;
      case 'D':
        out += `${pad(m + 1, 2)}/${pad(day, 2)}/${pad(Y % 100, 2)}`;
        break;
      case 'e':
        out += num(day, 2, ' ');
        break;
      case 'F':
        out += `${pad(Y, 4)}-${pad(m + 1, 2)}-${pad(day, 2)}`;
        break;
      case 'G':
        out += num(isoWeek(d).year, 4);
        break;
      case 'g':
        out += num(isoWeek(d).year % 100, 2);
        break;
      case 'H':
        out += num(H, 2);
        break;
      case 'I':
        out += num(H % 12 || 12, 2);
        break;
      case 'j':
        out += num(yday + 1, 3);
        break;
      case 'k':
        out += num(H, 2, ' ');
        break;
      case 'l':
        out += num(H % 12 || 12, 2, ' ');
        break;
      case 'm':
        out += num(m + 1, 2);
        break;
      case 'M':
        out += num(M, 2);
        break;
      case 'n':
        out += '\n';
        break;
      case 'N':
        if (!opts.gnu) {
          out += '%N';
          break;
        }
        {
          const ns = pad((((ms % 1000) + 1000) % 1000) * 1000000, 9);
          out += width ? ns.slice(0, Number(width)) : ns;
        }
        break;
      case 'p':
        out += str(H < 12 ? 'AM' : 'PM');
        break;
      case 'P':
        out += H < 12 ? 'am' : 'pm';
        break;
      case 'r':
        out += `${pad(H % 12 || 12, 2)}:${pad(M, 2)}:${pad(S, 2)} ${H < 12 ? 'AM' : 'PM'}`;
        break;
      case 'R':
        out += `${pad(H, 2)}:${pad(M, 2)}`;
        break;
      case 's':
        out += String(Math.floor(ms / 1000));
        break;
      case 'S':
        out += num(S, 2);
        break;
      case 't':
        out += '\t';
        break;
      case 'T':
        out += `${pad(H, 2)}:${pad(M, 2)}:${pad(S, 2)}`;
        break;
      case 'u':
        out += String(wd || 7);
        break;
      case 'U':
        out += num(Math.floor((yday + 7 - wd) / 7), 2);
        break;
      case 'V':
        out += num(isoWeek(d).week, 2);
        break;
      case 'w':
        out += String(wd);
        break;
      case 'W':
        out += num(Math.floor((yday + 7 - ((wd + 6) % 7)) / 7), 2);
        break;
      case 'x':
        out += `${pad(m + 1, 2)}/${pad(day, 2)}/${pad(Y % 100, 2)}`;
        break;
      case 'X':
        out += `${pad(H, 2)}:${pad(M, 2)}:${pad(S, 2)}`;
        break;
      case 'y':
        out += num(Y % 100, 2);
        break;
      case 'Y':
        out += flag || width ? num(Y, 4) : String(Y);
        break;
      case 'z':
        out += colon ? `${z.slice(0, 3)}:${z.slice(3)}` : z;
        break;
      case 'Z':
        out += str(zone.name);
        break;
      case '%':
        out += '%';
        break;
      default:
        out += '%' + (flag ?? '') + width + (conv ?? '');
    }
  }
  return out;
}

// Parses `date -d` input: @epoch, ISO-like dates, times of today, now/today/
// yesterday/tomorrow and "N unit(s) ago"/"+N unit". undefined when invalid.
export function parseDate(s: string, now: number, zone: (ms: number) => Zone): number | undefined {
  const t = s.trim();
  if (t === '' || t === 'now' || t === 'today') return now;
  if (t === 'yesterday') return now - 86400000;
  if (t === 'tomorrow') return now + 86400000;
  let m = /^@(-?\d+(?:\.\d+)?)$/.exec(t);
  if (m) return Math.round(Number(m[1]) * 1000);
  m = /^([-+]?\d+)\s*(sec|second|min|minute|hour|day|week|month|year)s?(\s+ago)?$/i.exec(t);
  if (m) {
    const unit: Record<string, number> = { sec: 1e3, second: 1e3, min: 6e4, minute: 6e4, hour: 36e5, day: 864e5, week: 6048e5, month: 2592e6, year: 31536e6 };
    const n = Number(m[1]) * unit[m[2].toLowerCase()];
    return m[3] ? now - n : now + n;
  }
  const local = (y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: number, tz?: string): number => {
    const base = Date.UTC(y, mo - 1, d, h, mi, sec) + frac;
    if (tz !== undefined) {
      if (tz === 'Z' || tz === 'z') return base;
      const tm = /^([+-])(\d{2}):?(\d{2})$/.exec(tz);
      if (tm) return base - (tm[1] === '-' ? -1 : 1) * (Number(tm[2]) * 60 + Number(tm[3])) * 60000;
    }
    return base - zone(base).offset * 60000;
  };
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (m) {
    const frac = m[7] ? Math.round(Number('0.' + m[7]) * 1000) : 0;
    return local(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), frac, m[8]);
  }
  m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(t);
  if (m) {
    const zn = zone(now);
    const d = new Date(now + zn.offset * 60000);
    return local(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), +m[1], +m[2], +(m[3] ?? 0), 0);
  }
  const p = Date.parse(t);
  return Number.isNaN(p) ? undefined : p;
}
