// Everyday programs: echo, printf, sleep, date, env, test, seq, expr, id, uname...

import type { Gen } from '../kernel';
import { cEscape } from '../parser';
import { badOption, busy, err, errOut, inputs, out, parseOpts, readFile, stdinText } from '../proc';
import type { Applet, ProcCtx } from '../proc';
import { TestError, evalTest } from '../testexpr';
import { parseDate, strftime, zoneAt } from '../timefmt';
import { baseName, dirName, normPath } from '../paths';
import { hostsLookup } from './netutil';
import { idLookup } from './ids';

export const echo: Applet = function* (c) {
  const args = c.argv.slice(1);
  let nl = true;
  let esc = false;
  let i = 0;
  if (c.builtin && c.flavor === 'dash') {
    // dash's echo knows only -n and always interprets backslashes.
    if (args[0] === '-n') {
      nl = false;
      i = 1;
    }
    esc = true;
  } else {
    for (; i < args.length; i++) {
      const a = args[i];
      if (!/^-[neE]+$/.test(a)) break;
      for (const f of a.slice(1)) {
        if (f === 'n') nl = false;
        else if (f === 'e') esc = true;
        else esc = false;
      }
    }
  }
  let s = args.slice(i).join(' ');
  if (esc) {
    let o = '';
    for (let j = 0; j < s.length; j++) {
      if (s[j] !== '\\') {
        o += s[j];
        continue;
      }
      const e = cEscape(s, j + 1, false);
      if (e.stop) {
        yield* out(c, o);
        return 0;
      }
      o += e.text;
      j += e.len;
    }
    s = o;
  }
  yield* out(c, nl ? s + '\n' : s);
  return 0;
};

export const trueA: Applet = function* () {
  return 0;
};
export const falseA: Applet = function* () {
  return 1;
};

export const test: Applet = function* (c) {
  let args = c.argv.slice(1);
  if (baseName(c.argv[0]) === '[') {
    if (args[args.length - 1] !== ']') {
      yield* err(c, c.flavor === 'bash' ? "missing `]'" : 'missing ]');
      return 2;
    }
    args = args.slice(0, -1);
  }
  try {
    return evalTest(args, {
      flavor: c.flavor,
      stat: (p) => c.k.stat(normPath(c.cwd, p)),
      isVarSet: (n) => n in c.env,
    });
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    yield* err(c, e.message);
    return 2;
  }
};

// Parses a printf numeric argument; `bad` is set when it is not a number.
function numArgRaw(s: string | undefined, strictEmpty = false): { v: number; big?: bigint; bad: boolean; partial?: boolean } {
  if (s === undefined || s === '') return { v: 0, bad: strictEmpty && s === '' };
  if (s[0] === "'" || s[0] === '"') return { v: s.length > 1 ? s.codePointAt(1)! : 0, bad: false };
  const t = s.trim();
  let m = /^([-+]?)0[xX]([0-9a-fA-F]+)$/.exec(t);
  if (m) return { v: (m[1] === '-' ? -1 : 1) * parseInt(m[2], 16), bad: false };
  m = /^([-+]?)0([0-7]+)$/.exec(t);
  if (m) return { v: (m[1] === '-' ? -1 : 1) * parseInt(m[2], 8), bad: false };
  if (/^[-+]?\d+$/.test(t)) return { v: Number(t), big: BigInt(t), bad: false };
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return { v: Number(t), bad: false };
  const p = /^[-+]?\d+/.exec(t);
  return { v: p ? Number(p[0]) : 0, bad: true, partial: !!p };
}

function fmtG(v: number, prec: number, alt: boolean): string {
  if (!Number.isFinite(v)) return String(v).toLowerCase().replace('infinity', 'inf');
  const P = prec === 0 ? 1 : prec;
  if (v === 0) return alt ? (0).toFixed(P - 1) : '0';
  const exp = Math.floor(Math.log10(Math.abs(Number(v.toPrecision(P)))));
  let s: string;
  if (exp < -4 || exp >= P) {
    s = v.toExponential(P - 1);
    if (!alt) s = s.replace(/\.?0+e/, 'e');
    s = s.replace(/e([+-])(\d)$/, 'e$10$2');
  } else {
    s = v.toFixed(Math.max(0, P - 1 - exp));
    if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

function fmtE(v: number, prec: number): string {
  return v.toExponential(prec).replace(/e([+-])(\d)$/, 'e$10$2');
}

// The printf format language, shared by the printf builtin/applet and awk.
export function formatPrintf(
  fmt: string,
  args: string[],
  onBad: (a: string, partial: boolean) => void,
  escapes = true,
  dialect: 'busybox' | 'gnu' = 'gnu',
): { text: string; stop: boolean } {
  let outS = '';
  let ai = 0;
  let stop = false;
  // busybox reads a missing argument of a reused format as an invalid empty number
  // and a partly numeric one as 0.
  const bb = dialect === 'busybox';
  const next = (): string | undefined => (bb && ai >= args.length && ai > 0 ? (ai++, '') : args[ai++]);
  const numArg = (s: string | undefined): ReturnType<typeof numArgRaw> => {
    const r = numArgRaw(s, bb);
    if (bb && r.bad) return { ...r, v: 0, big: 0n };
    return r;
  };
  const loop = (): void => {
    for (let i = 0; i < fmt.length; i++) {
      const ch = fmt[i];
      if (ch === '\\' && escapes) {
        const e = cEscape(fmt, i + 1, true);
        if (fmt[i + 1] === 'c') {
          stop = true;
          return;
        }
        outS += e.text;
        i += e.len;
        continue;
      }
      if (ch !== '%') {
        outS += ch;
        continue;
      }
      const m = /^%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([diouxXcsbfFeEgGaA%])/.exec(fmt.slice(i));
      if (!m) {
        outS += ch;
        continue;
      }
      i += m[0].length - 1;
      const flags = m[1];
      let width = m[2] === '*' ? Number(numArg(next()).v) : m[2] ? Number(m[2]) : 0;
      let left = flags.includes('-');
      if (width < 0) {
        left = true;
        width = -width;
      }
      const precRaw = m[3] === '*' ? String(numArg(next()).v) : m[3];
      const prec = precRaw === undefined ? undefined : Number(precRaw || '0');
      const conv = m[4];
      if (conv === '%') {
        outS += '%';
        continue;
      }
      let s: string;
      const padNum = (body: string, neg: boolean): string => {
        let sign = neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
        if (flags.includes('0') && !left && prec === undefined) {
          return sign + body.padStart(width - sign.length, '0');
        }
        s = sign + body;
        sign = '';
        return s;
      };
      switch (conv) {
        case 's': {
          let a = next() ?? '';
          if (prec !== undefined) a = a.slice(0, prec);
          s = a;
          break;
        }
        case 'b': {
          const a = next() ?? '';
          let o = '';
          for (let j = 0; j < a.length; j++) {
            if (a[j] !== '\\') {
              o += a[j];
              continue;
            }
            const e = cEscape(a, j + 1, false);
            if (e.stop) {
              stop = true;
              break;
            }
            o += e.text;
            j += e.len;
          }
          s = o;
          break;
        }
        case 'c':
          s = (next() ?? '').slice(0, 1);
          break;
        case 'd':
        case 'i': {
          const raw = next();
          const n = numArg(raw);
          if (n.bad) onBad(raw ?? '', !!n.partial);
          let big = n.big ?? BigInt(Math.trunc(n.v));
          if (n.bad && n.partial && !bb) big = BigInt(Math.trunc(n.v));
          const neg = big < 0n;
          if (neg) big = -big;
          let body = big.toString();
          if (prec !== undefined) body = body.padStart(prec, '0');
          s = padNum(body, neg);
          break;
        }
        case 'o':
        case 'u':
        case 'x':
        case 'X': {
          const raw = next();
          const n = numArg(raw);
          if (n.bad) onBad(raw ?? '', !!n.partial);
          let big = n.big ?? BigInt(Math.trunc(n.v));
          if (big < 0n) big = BigInt.asUintN(64, big);
          let body = big.toString(conv === 'o' ? 8 : conv === 'u' ? 10 : 16);
          if (conv === 'X') body = body.toUpperCase();
          if (prec !== undefined) body = body.padStart(prec, '0');
          if (flags.includes('#') && big !== 0n) body = (conv === 'o' ? '0' : conv === 'x' ? '0x' : conv === 'X' ? '0X' : '') + body;
          s = padNum(body, false);
          break;
        }
        default: {
          const raw = next();
          const n = numArg(raw);
          if (n.bad) onBad(raw ?? '', !!n.partial);
          const v = n.v;
          const neg = v < 0 || Object.is(v, -0);
          const a = Math.abs(v);
          let body: string;
          const p = prec ?? 6;
          if (conv === 'f' || conv === 'F') body = a.toFixed(Math.min(p, 100));
          else if (conv === 'e' || conv === 'E') body = fmtE(a, Math.min(p, 100));
          else if (conv === 'g' || conv === 'G') body = fmtG(a, Math.min(p, 100), flags.includes('#'));
          else body = a.toString(16);
          if (conv === 'E' || conv === 'G' || conv === 'F') body = body.toUpperCase();
          s = padNum(body, neg);
        }
      }
      if (s.length < width) s = left ? s.padEnd(width) : s.padStart(width);
      outS += s;
      if (stop) return;
    }
  };
  loop();
  let guard = 0;
  while (!stop && ai > 0 && ai < args.length && guard++ < 100000) loop();
  return { text: outS, stop };
}

export const printf: Applet = function* (c) {
  const args = c.argv.slice(1);
  if (args[0] === '--') args.shift();
  if (args.length === 0) {
    yield* err(c, c.flavor === 'bash' ? 'usage: printf [-v var] format [arguments]' : 'usage: printf format [arguments]');
    return c.flavor === 'bash' ? 2 : 1;
  }
  let bad = false;
  const msgs: string[] = [];
  const dialect = c.builtin ? (c.flavor === 'ash' ? 'busybox' : 'gnu') : c.profile.gnu ? 'gnu' : 'busybox';
  const r = formatPrintf(
    args[0],
    args.slice(1),
    (a, partial) => {
      bad = true;
      if (c.builtin && c.flavor === 'dash') msgs.push(`${a}: ${partial ? 'not completely converted' : 'expected numeric value'}`);
      else if (dialect === 'gnu') msgs.push(`${a}: invalid number`);
      else msgs.push(`invalid number '${a}'`);
    },
    true,
    dialect,
  );
  yield* out(c, r.text);
  for (const m of msgs) yield* err(c, m);
  return bad ? 1 : 0;
};

// "5", "1.5m", "2h", "infinity": milliseconds, Infinity, or undefined if invalid.
export function parseDuration(s: string): number | undefined {
  if (/^inf(inity)?$/i.test(s)) return Infinity;
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1000, s: 1000, m: 60000, h: 3600000, d: 86400000 }[m[2]] ?? 1000;
  return Math.round(Number(m[1]) * mult);
}

export const sleep: Applet = function* (c) {
  const args = c.argv.slice(1);
  if (args.length === 0) {
    if (c.profile.gnu) {
      yield* err(c, 'missing operand');
      yield* errOut(c, "Try 'sleep --help' for more information.\n");
    } else yield* errOut(c, 'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n');
    return 1;
  }
  let total = 0;
  for (const a of args) {
    const d = parseDuration(a);
    if (d === undefined) {
      if (c.profile.gnu) {
        yield* err(c, `invalid time interval ‘${a}’`);
        yield* errOut(c, "Try 'sleep --help' for more information.\n");
      } else yield* err(c, `invalid number '${a}'`);
      return 1;
    }
    total += d;
  }
  if (!Number.isFinite(total)) {
    for (;;) yield { k: 'block' };
  }
  if (total > 0) yield { k: 'time', ms: total };
  return 0;
};

export const usleep: Applet = function* (c) {
  const n = Number(c.argv[1] ?? '0');
  if (n > 0) yield { k: 'time', ms: Math.round(n / 1000) };
  return 0;
};

export const date: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), {
    flags: 'uRIn',
    withArg: 'dsrD',
    long: { utc: ['u', false], date: ['d', true], rfc: ['R', false], 'rfc-2822': ['R', false], 'rfc-email': ['R', false], universal: ['u', false], reference: ['r', true], 'iso-8601': ['I', false], set: ['s', true] },
  });
  // -I takes an optional attached argument (-Iseconds).
  let iso: string | undefined;
  const rest: string[] = [];
  for (const a of o.rest) rest.push(a);
  for (const a of c.argv.slice(1)) {
    const m = /^(?:-I|--iso-8601=?)(\w*)$/.exec(a);
    if (m) iso = m[1] || 'date';
  }
  if (o.bad && !/^I/.test(o.bad)) return yield* badOption(c, o);
  if (o.o.s !== undefined) {
    yield* err(c, c.profile.gnu ? 'cannot set date: Operation not permitted' : "can't set date: Operation not permitted");
    return 1;
  }
  const tz = o.o.u ? 'UTC' : c.env.TZ;
  const zone = (ms: number): ReturnType<typeof zoneAt> => zoneAt(tz, ms);
  let t = c.k.clock;
  if (typeof o.o.r === 'string') {
    const st = c.k.stat(normPath(c.cwd, o.o.r));
    if (!st) {
      yield* err(c, `${o.o.r}: No such file or directory`);
      return 1;
    }
    t = st.mtimeMs ?? c.k.clock;
  }
  if (typeof o.o.d === 'string') {
    const p = parseDate(o.o.d, c.k.clock, zone);
    if (p === undefined) {
      yield* err(c, c.profile.gnu ? `invalid date ‘${o.o.d}’` : `invalid date '${o.o.d}'`);
      return 1;
    }
    t = p;
  }
  let fmt = '%a %b %e %H:%M:%S %Z %Y';
  const plus = rest.find((a) => a.startsWith('+'));
  if (plus) fmt = plus.slice(1);
  else if (o.o.R) fmt = '%a, %d %b %Y %H:%M:%S %z';
  else if (iso) {
    const gnu = c.profile.gnu;
    if (iso === 'date' || iso === 'd') fmt = '%Y-%m-%d';
    else if (iso.startsWith('h')) fmt = gnu ? '%Y-%m-%dT%H%:z' : '%Y-%m-%dT%H%z';
    else if (iso.startsWith('m')) fmt = gnu ? '%Y-%m-%dT%H:%M%:z' : '%Y-%m-%dT%H:%M%z';
    else if (iso.startsWith('n')) fmt = '%Y-%m-%dT%H:%M:%S,%N%:z';
    else fmt = gnu ? '%Y-%m-%dT%H:%M:%S%:z' : '%Y-%m-%dT%H:%M:%S%z';
  }
  if (!plus && rest.some((a) => !a.startsWith('+'))) {
    yield* err(c, c.profile.gnu ? `invalid date ‘${rest[0]}’` : "can't set date: Operation not permitted");
    return 1;
  }
  let s = strftime(fmt, t, zone(t), { gnu: c.profile.gnu || fmt.includes('%:z') });
  if (!c.profile.gnu) s = s.replace(/([+-]\d\d)(\d\d)$/, iso && !plus ? '$1:$2' : '$1$2');
  yield* out(c, s + '\n');
  return 0;
};

export const env: Applet = function* (c) {
  const args = c.argv.slice(1);
  let e: Record<string, string> = { ...c.env };
  let i = 0;
  let nul = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-i' || a === '-' || a === '--ignore-environment') e = {};
    else if (a === '-0' || a === '--null') nul = true;
    else if (a === '-u' || a === '--unset') delete e[args[++i] ?? ''];
    else if (a.startsWith('-u')) delete e[a.slice(2)];
    else if (a === '--') {
      i++;
      break;
    } else break;
  }
  for (; i < args.length && /^[^=]+=/.test(args[i]); i++) {
    const eq = args[i].indexOf('=');
    e[args[i].slice(0, eq)] = args[i].slice(eq + 1);
  }
  if (i >= args.length) {
    yield* out(c, Object.entries(e).map(([k, v]) => `${k}=${v}${nul ? '\0' : '\n'}`).join(''));
    return 0;
  }
  return yield* c.run(args.slice(i), c.fds, e, c.top);
};

export const printenv: Applet = function* (c) {
  const names = c.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (!names.length) {
    yield* out(c, Object.entries(c.env).map(([k, v]) => `${k}=${v}\n`).join(''));
    return 0;
  }
  let st = 0;
  for (const n of names) {
    if (n in c.env) yield* out(c, c.env[n] + '\n');
    else st = 1;
  }
  return st;
};

export const hostname: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'isfdIF', long: { 'ip-address': ['i', false], short: ['s', false], fqdn: ['f', false], 'all-ip-addresses': ['I', false] } });
  if (o.rest.length && !o.o.F) {
    yield* err(c, c.profile.gnu ? 'you must be root to change the host name' : 'sethostname: Operation not permitted');
    return 1;
  }
  const h = c.hostname;
  if (o.o.i || o.o.I) {
    const ips = hostsLookup(c, h) ?? [];
    if (!ips.length) {
      yield* err(c, `${h}: Name or service not known`);
      return 1;
    }
    yield* out(c, ips.join(' ') + (o.o.I ? ' ' : '') + '\n');
    return 0;
  }
  if (o.o.f) {
    const hosts = readFile(c, '/etc/hosts');
    let fq = h;
    if ('data' in hosts) {
      for (const l of hosts.data.split('\n')) {
        const f = l.replace(/#.*/, '').trim().split(/\s+/);
        if (f.slice(1).includes(h)) {
          fq = f[1];
          break;
        }
      }
    }
    yield* out(c, fq + '\n');
    return 0;
  }
  if (o.o.d) {
    yield* out(c, '\n');
    return 0;
  }
  yield* out(c, (o.o.s ? h.split('.')[0] : h) + '\n');
  return 0;
};

export const id: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'ugGnr' });
  const u = c.user;
  const uname = u.name ?? idLookup(c, '/etc/passwd', u.uid);
  const gname = idLookup(c, '/etc/group', u.gid);
  const nm = (n: number, name: string | undefined): string => (name ? `${n}(${name})` : String(n));
  if (o.o.u) {
    yield* out(c, (o.o.n ? (uname ?? String(u.uid)) : String(u.uid)) + '\n');
    return 0;
  }
  if (o.o.g || o.o.G) {
    yield* out(c, (o.o.n ? (gname ?? String(u.gid)) : String(u.gid)) + '\n');
    return 0;
  }
  // GNU id lists the primary group first; busybox the kernel's sorted list.
  const ids = [...new Set([u.gid, ...(u.groups ?? [])])];
  if (!c.profile.gnu) ids.sort((a, b) => a - b);
  let groups = `groups=${ids.map((g) => nm(g, idLookup(c, '/etc/group', g))).join(',')}`;
  if (u.uid === 0 && !c.profile.gnu) groups = 'groups=0(root),10(wheel)';
  yield* out(c, `uid=${nm(u.uid, uname)} gid=${nm(u.gid, gname)} ${groups}\n`);
  return 0;
};

export const whoami: Applet = function* (c) {
  const u = c.user;
  const n = u.name ?? idLookup(c, '/etc/passwd', u.uid);
  if (!n) {
    yield* err(c, c.profile.gnu ? `cannot find name for user ID ${u.uid}` : `unknown uid ${u.uid}`);
    return 1;
  }
  yield* out(c, n + '\n');
  return 0;
};

export const uname: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'asnrvmpio', long: { all: ['a', false], 'kernel-name': ['s', false], nodename: ['n', false], 'kernel-release': ['r', false], machine: ['m', false] } });
  const f = {
    s: 'Linux',
    n: c.hostname,
    r: '6.6.0-kubemu',
    v: '#1 SMP PREEMPT_DYNAMIC Mon Jan  1 00:00:00 UTC 2024',
    m: 'x86_64',
    p: c.profile.gnu ? 'unknown' : 'unknown',
    i: 'unknown',
    o: 'GNU/Linux',
  };
  let keys: (keyof typeof f)[];
  if (o.o.a) keys = ['s', 'n', 'r', 'v', 'm', 'o'];
  else {
    keys = (['s', 'n', 'r', 'v', 'm', 'p', 'i', 'o'] as const).filter((k) => o.o[k]);
    if (!keys.length) keys = ['s'];
  }
  yield* out(c, keys.map((k) => f[k]).join(' ') + '\n');
  return 0;
};

export const yes: Applet = function* (c) {
  const word = c.argv.length > 1 ? c.argv.slice(1).join(' ') : 'y';
  const chunk = (word + '\n').repeat(Math.max(1, Math.floor(4096 / (word.length + 1))));
  for (;;) {
    yield* out(c, chunk);
    yield { k: 'time', ms: c.k.limits.stepMs };
  }
};

function fmtNum(v: number, decimals: number): string {
  return decimals > 0 ? v.toFixed(decimals) : String(Math.round(v));
}

export const seq: Applet = function* (c) {
  const args = c.argv.slice(1);
  let sep = '\n';
  let width = false;
  let format: string | undefined;
  const nums: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-s') sep = args[++i] ?? '\n';
    else if (a.startsWith('-s') && a.length > 2) sep = a.slice(2);
    else if (a === '-w') width = true;
    else if (a === '-f') format = args[++i];
    else nums.push(a);
  }
  if (nums.length < 1 || nums.length > 3) {
    yield* err(c, c.profile.gnu ? 'missing operand' : 'usage: seq [-w] [-s SEP] [FIRST [INC]] LAST');
    return 1;
  }
  for (const n of nums) {
    if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(n)) {
      yield* err(c, c.profile.gnu ? `invalid floating point argument: ‘${n}’` : `invalid number '${n}'`);
      return 1;
    }
  }
  const first = nums.length > 1 ? Number(nums[0]) : 1;
  const inc = nums.length > 2 ? Number(nums[1]) : 1;
  const last = Number(nums[nums.length - 1]);
  const dec = Math.max(...nums.map((n) => (n.includes('.') ? n.length - n.indexOf('.') - 1 : 0)));
  if (inc === 0) {
    yield* err(c, 'invalid Zero increment value: ‘0’');
    return 1;
  }
  const max = c.k.limits.maxStringBytes;
  const wlen = width ? Math.max(fmtNum(first, dec).length, fmtNum(last, dec).length) : 0;
  let buf = '';
  let firstOut = true;
  for (let i = 0; ; i++) {
    const v = first + i * inc;
    if (inc > 0 ? v > last + 1e-9 : v < last - 1e-9) break;
    let s = format ? formatPrintf(format, [String(v)], () => undefined, false).text : fmtNum(v, dec);
    if (wlen) s = s.startsWith('-') ? '-' + s.slice(1).padStart(wlen - 1, '0') : s.padStart(wlen, '0');
    buf += (firstOut ? '' : sep) + s;
    firstOut = false;
    if (buf.length >= 65536) {
      yield* out(c, buf);
      buf = '';
      yield* busy(c.k.limits.stepMs);
      c.k.charge(1);
    }
    if (i > max) break;
  }
  if (!firstOut) buf += '\n';
  yield* out(c, buf);
  return 0;
};

// expr: a recursive-descent evaluator over its arguments.
export const expr: Applet = function* (c) {
  const a = c.argv.slice(1);
  let i = 0;
  class ExprErr extends Error {}
  const isNum = (s: string): boolean => /^[-+]?\d+$/.test(s);
  const toNum = (s: string): bigint => {
    if (!isNum(s)) throw new ExprErr('non-numeric argument');
    return BigInt(s);
  };
  const truthy = (s: string): boolean => s !== '' && !(isNum(s) && BigInt(s) === 0n);
  const primary = (): string => {
    const t = a[i++];
    if (t === undefined) throw new ExprErr('syntax error');
    if (t === '(') {
      const v = or();
      if (a[i++] !== ')') throw new ExprErr('syntax error');
      return v;
    }
    if (t === 'length') return String([...(a[i++] ?? '')].length);
    if (t === 'substr') {
      const s = a[i++] ?? '';
      const p = Number(a[i++]);
      const l = Number(a[i++]);
      return p < 1 || l < 1 ? '' : s.substr(p - 1, l);
    }
    if (t === 'index') {
      const s = a[i++] ?? '';
      const chars = a[i++] ?? '';
      for (let j = 0; j < s.length; j++) if (chars.includes(s[j])) return String(j + 1);
      return '0';
    }
    if (t === 'match') {
      const s = a[i++] ?? '';
      return matchRe(s, a[i++] ?? '');
    }
    if (t === 'quote' || t === '+') return a[i++] ?? '';
    return t;
  };
  const matchRe = (s: string, re: string): string => {
    let r: RegExp;
    try {
      r = safeRegExp('^(?:' + breToJs(re) + ')');
    } catch {
      throw new ExprErr('Invalid regular expression');
    }
    const m = r.exec(s);
    if (!m) return /\\\(/.test(re) ? '' : '0';
    return m.length > 1 ? (m[1] ?? '') : String(m[0].length);
  };
  const colon = (): string => {
    let l = primary();
    while (a[i] === ':') {
      i++;
      l = matchRe(l, primary());
    }
    return l;
  };
  const mul = (): string => {
    let l = colon();
    while (a[i] === '*' || a[i] === '/' || a[i] === '%') {
      const op = a[i++];
      const r = colon();
      const x = toNum(l);
      const y = toNum(r);
      if (op !== '*' && y === 0n) throw new ExprErr('division by zero');
      l = String(op === '*' ? x * y : op === '/' ? x / y : x % y);
    }
    return l;
  };
  const add = (): string => {
    let l = mul();
    while (a[i] === '+' || a[i] === '-') {
      const op = a[i++];
      const r = mul();
      l = String(op === '+' ? toNum(l) + toNum(r) : toNum(l) - toNum(r));
    }
    return l;
  };
  const cmp = (): string => {
    let l = add();
    while (['<', '<=', '=', '==', '!=', '>=', '>'].includes(a[i] ?? '')) {
      const op = a[i++];
      const r = add();
      const n = isNum(l) && isNum(r);
      const x = n ? BigInt(l) : l;
      const y = n ? BigInt(r) : r;
      const res = op === '<' ? x < y : op === '<=' ? x <= y : op === '=' || op === '==' ? x === y : op === '!=' ? x !== y : op === '>=' ? x >= y : x > y;
      l = res ? '1' : '0';
    }
    return l;
  };
  const and = (): string => {
    let l = cmp();
    while (a[i] === '&') {
      i++;
      const r = cmp();
      l = truthy(l) && truthy(r) ? l : '0';
    }
    return l;
  };
  const or = (): string => {
    let l = and();
    while (a[i] === '|') {
      i++;
      const r = and();
      l = truthy(l) ? l : truthy(r) ? r : '0';
    }
    return l;
  };
  try {
    if (!a.length) throw new ExprErr('syntax error');
    const v = or();
    if (i < a.length) throw new ExprErr('syntax error');
    yield* out(c, v + '\n');
    return truthy(v) ? 0 : 1;
  } catch (e) {
    if (!(e instanceof ExprErr)) throw e;
    yield* err(c, e.message);
    return 2;
  }
};

// POSIX basic regular expression to a JavaScript one (\( \) \{ \} groups, literal + ? | ( ) { }).
export function breToJs(re: string): string {
  let o = '';
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '\\' && i + 1 < re.length) {
      const n = re[++i];
      if ('(){}|+?'.includes(n)) o += n;
      else if (/[1-9]/.test(n)) o += '\\' + n;
      else if (n === '<' || n === '>') o += '\\b';
      else o += '\\' + n;
      continue;
    }
    if ('(){}|+?'.includes(ch)) o += '\\' + ch;
    else if (ch === '[') {
      const end = findBracketEnd(re, i);
      o += bracketToJs(re.slice(i, end + 1));
      i = end;
    } else o += ch;
  }
  return o;
}

// The index of the "]" closing a bracket expression starting at `i`.
export function findBracketEnd(re: string, i: number): number {
  let j = i + 1;
  if (re[j] === '^') j++;
  if (re[j] === ']') j++;
  while (j < re.length && re[j] !== ']') {
    if (re[j] === '[' && (re[j + 1] === ':' || re[j + 1] === '.' || re[j + 1] === '=')) {
      const close = re.indexOf(re[j + 1] + ']', j + 2);
      j = close < 0 ? j + 1 : close + 2;
      continue;
    }
    j++;
  }
  return j >= re.length ? re.length - 1 : j;
}

const CLASS_JS: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  cntrl: '\\x00-\\x1f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

export function bracketToJs(b: string): string {
  let body = b.slice(1, -1);
  let neg = '';
  if (body.startsWith('^')) {
    neg = '^';
    body = body.slice(1);
  }
  let o = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '[' && body[i + 1] === ':') {
      const e = body.indexOf(':]', i);
      if (e > 0) {
        o += CLASS_JS[body.slice(i + 2, e)] ?? '';
        i = e + 1;
        continue;
      }
    }
    const ch = body[i];
    o += ch === '\\' || ch === ']' || ch === '[' || (ch === '^' && i === 0) ? '\\' + ch : ch;
  }
  return `[${neg}${o}]`;
}

export const basename: Applet = function* (c) {
  const args = c.argv.slice(1);
  if (args[0] === '-s' || args[0] === '-a') {
    const suffix = args[0] === '-s' ? args[1] : undefined;
    const names = args[0] === '-s' ? args.slice(2) : args.slice(1);
    for (const n of names) {
      let b = baseName(n);
      if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
      yield* out(c, b + '\n');
    }
    return 0;
  }
  if (!args.length) {
    yield* err(c, 'missing operand');
    return 1;
  }
  let b = baseName(args[0]);
  const suffix = args[1];
  if (suffix && b.endsWith(suffix) && b !== suffix) b = b.slice(0, -suffix.length);
  yield* out(c, b + '\n');
  return 0;
};

export const dirname: Applet = function* (c) {
  const args = c.argv.slice(1);
  if (!args.length) {
    yield* err(c, 'missing operand');
    return 1;
  }
  for (const a of args) yield* out(c, dirName(a) + '\n');
  return 0;
};

export const which: Applet = function* (c) {
  let st = 0;
  for (const n of c.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const p = c.lookup(n);
    if (p && p.startsWith('/')) yield* out(c, p + '\n');
    else st = 1;
  }
  return st;
};

export const timeout: Applet = function* (c) {
  const args = c.argv.slice(1);
  let i = 0;
  let sig = 'TERM';
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-s' || a === '--signal') sig = args[++i] ?? 'TERM';
    else if (a.startsWith('--signal=')) sig = a.slice(9);
    else if (a === '-k' || a === '--kill-after') i++;
    else if (a === '--preserve-status' || a === '--foreground' || a === '-v') continue;
    else if (a === '-t') continue;
    else break;
  }
  const d = parseDuration(args[i] ?? '');
  if (d === undefined || i + 1 >= args.length) {
    yield* err(c, d === undefined ? `invalid time interval '${args[i] ?? ''}'` : 'missing operand');
    return c.profile.gnu ? 125 : 1;
  }
  const cmd = args.slice(i + 1);
  const task = c.k.spawn(c.run(cmd, c.fds, c.env));
  const r = Number.isFinite(d) ? yield* c.k.waitTaskUntil(task, c.k.clock + d) : yield* c.k.waitTask(task);
  if (r === 'timeout' || r === 'signal') {
    const n = sig.toUpperCase().replace(/^SIG/, '') === 'KILL' ? 9 : 15;
    c.k.kill(task, 128 + n);
    return c.profile.gnu ? 124 : 128 + n;
  }
  return r;
};

export const nohup: Applet = function* (c) {
  if (c.argv.length < 2) {
    yield* err(c, 'missing operand');
    return 125;
  }
  return yield* c.run(c.argv.slice(1), c.fds, c.env, c.top);
};

export const nice: Applet = function* (c) {
  const args = c.argv.slice(1);
  let i = 0;
  if (args[0] === '-n') i = 2;
  else if (/^-\d+$/.test(args[0] ?? '')) i = 1;
  if (i >= args.length) {
    yield* out(c, '0\n');
    return 0;
  }
  return yield* c.run(args.slice(i), c.fds, c.env, c.top);
};

// tini / dumb-init: run the program as a child that gets forwarded signals.
export const initWrapper: Applet = function* (c) {
  const args = c.argv.slice(1);
  let i = 0;
  while (i < args.length && args[i].startsWith('-')) {
    if (args[i] === '--') {
      i++;
      break;
    }
    if (args[i] === '-e' || args[i] === '-p' || args[i] === '-r') i++;
    i++;
  }
  if (i >= args.length) {
    yield* err(c, 'no command given');
    return 1;
  }
  c.becomeInit();
  return yield* c.run(args.slice(i), c.fds, c.env, true);
};

export const xargs: Applet = function* (c) {
  const args = c.argv.slice(1);
  let n = Infinity;
  let rep: string | undefined;
  let nul = false;
  let delim: string | undefined;
  let noEmpty = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-n') n = Number(args[++i]);
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2));
    else if (a === '-I' || a === '-i') rep = a === '-i' ? '{}' : args[++i];
    else if (a === '-0' || a === '--null') nul = true;
    else if (a === '-d') delim = args[++i];
    else if (a === '-r' || a === '--no-run-if-empty') noEmpty = true;
    else if (a === '-t' || a === '-x' || a === '-P') {
      if (a === '-P') i++;
    } else if (a === '--') {
      i++;
      break;
    } else if (a.startsWith('-') && a.length > 1) continue;
    else break;
  }
  const cmd = args.length > i ? args.slice(i) : ['echo'];
  const text = yield* stdinText(c);
  let items: string[];
  if (nul) items = text.split('\0').filter((x) => x !== '');
  else if (delim !== undefined) items = text.split(delim).filter((x) => x !== '');
  else if (rep !== undefined) items = text.split('\n').map((l) => l.trim()).filter((x) => x !== '');
  else items = [...text.matchAll(/"([^"]*)"|'([^']*)'|((?:\\.|[^\s'"])+)/g)].map((m) => m[1] ?? m[2] ?? m[3].replace(/\\(.)/g, '$1'));
  if (!items.length) {
    if (noEmpty || rep !== undefined || !c.profile.gnu) return 0;
    return yield* c.run(cmd, c.fds, c.env);
  }
  let st = 0;
  if (rep !== undefined) {
    for (const it of items) {
      const r = yield* c.run(
        cmd.map((x) => x.split(rep!).join(it)),
        c.fds,
        c.env,
      );
      if (r !== 0) st = 123;
    }
    return st;
  }
  for (let j = 0; j < items.length; j += Number.isFinite(n) ? n : items.length) {
    const r = yield* c.run([...cmd, ...items.slice(j, Number.isFinite(n) ? j + n : items.length)], c.fds, c.env);
    if (r === 255) return 124;
    if (r !== 0) st = 123;
  }
  return st;
};

export const killA: Applet = function* (c) {
  const args = c.argv.slice(1);
  let sig = 'TERM';
  let i = 0;
  if (args[0] === '-l') {
    yield* out(c, 'HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n');
    return 0;
  }
  if (args[0] === '-s') {
    sig = args[1] ?? 'TERM';
    i = 2;
  } else if (args[0]?.startsWith('-')) {
    sig = args[0].slice(1);
    i = 1;
  }
  sig = sig.toUpperCase().replace(/^SIG/, '');
  if (sig === '9') sig = 'KILL';
  if (sig === '15') sig = 'TERM';
  if (sig === '2') sig = 'INT';
  let st = 0;
  for (const p of args.slice(i)) {
    if (p === '1' || p === '-1') {
      if (sig !== '0') c.k.deliver(sig);
      continue;
    }
    yield* err(c, c.profile.gnu ? `(${p}) - No such process` : `can't kill pid ${p}: No such process`);
    st = 1;
  }
  return st;
};

export const ps: Applet = function* (c) {
  const cmd = c.mainArgv.join(' ');
  const up = Math.floor((c.k.clock - c.startedAt) / 60000);
  const t = `${Math.floor(up / 60)}:${String(up % 60).padStart(2, '0')}`;
  const user = c.user.name ?? (c.user.uid === 0 ? 'root' : String(c.user.uid));
  yield* out(c, `PID   USER     TIME  COMMAND\n${'1'.padStart(5)} ${user.padEnd(8)} ${t.padStart(5)} ${cmd}\n${'7'.padStart(5)} ${user.padEnd(8)} ${'0:00'.padStart(5)} ${c.argv.join(' ')}\n`);
  return 0;
};

export const uptime: Applet = function* (c) {
  const now = strftime('%H:%M:%S', c.k.clock, zoneAt(c.env.TZ, c.k.clock));
  const mins = Math.floor((c.k.clock - c.startedAt) / 60000);
  const up = mins >= 60 ? `${Math.floor(mins / 60)}:${String(mins % 60).padStart(2, '0')}` : `${mins} min`;
  yield* out(c, ` ${now} up ${up},  0 users,  load average: 0.00, 0.00, 0.00\n`);
  return 0;
};

export const free: Applet = function* (c) {
  yield* out(
    c,
    '              total        used        free      shared  buff/cache   available\nMem:        8048576     1000000     6048576           0     1000000     7048576\nSwap:             0           0           0\n',
  );
  return 0;
};

export const nproc: Applet = function* (c) {
  yield* out(c, '2\n');
  return 0;
};

export const tty: Applet = function* (c) {
  yield* out(c, 'not a tty\n');
  return 1;
};

export const nothing: Applet = function* () {
  return 0;
};

export const logger: Applet = function* () {
  return 0;
};

export const getent: Applet = function* (c) {
  const [db, ...keys] = c.argv.slice(1);
  if (db === 'hosts' || db === 'ahosts' || db === 'ahostsv4') {
    let st = 0;
    for (const k of keys) {
      const ips = hostsLookup(c, k) ?? resolveAll(c, k);
      if (!ips || !ips.length) {
        st = 2;
        continue;
      }
      if (db === 'hosts') yield* out(c, `${ips[0].padEnd(15)} ${k}\n`);
      else for (const ip of ips) yield* out(c, `${ip.padEnd(15)} STREAM ${k}\n${ip.padEnd(15)} DGRAM\n${ip.padEnd(15)} RAW\n`);
    }
    return st;
  }
  if (db === 'passwd') {
    yield* out(c, 'root:x:0:0:root:/root:/bin/sh\n');
    return 0;
  }
  yield* err(c, `Unknown database: ${db}`);
  return 1;
};

// The A records of a name with the resolver rules (search list, ndots), or undefined.
function resolveAll(c: ProcCtx, name: string): string[] | undefined {
  return resolveName(c, name);
}

import { resolveName } from './netutil';
import { safeRegExp } from '../regex';

export function* catFiles(c: ProcCtx, files: string[]): Gen<number> {
  const r = yield* inputs(c, files);
  for (const t of r.texts) yield* out(c, t);
  return r.failed ? 1 : 0;
}
