// procps-ng's ps, pkill and pgrep (Debian and Ubuntu images), over the
// container's process tree (ShellWorld.processes) and the caller itself.
// busybox images keep busybox's ps (basic.ts).

import { signalName } from '../kernel';
import { err, out } from '../proc';
import type { Applet, ProcCtx } from '../proc';
import { strftime, zoneAt } from '../timefmt';
import { baseName } from '../paths';
import type { ProcInfo, SignalName } from '../types';
import { ps as busyboxPs } from './basic';
import { idName } from './ids';
import { safeRegExp } from '../regex';

interface Proc extends ProcInfo {
  self: boolean;
}

// The container's processes and the caller (an exec'd process: parent 0).
function allProcs(c: ProcCtx): Proc[] {
  const tree = c.k.processes().map((p) => ({ ...p, self: false }));
  const self = c.k.current.pid;
  if (tree.some((p) => p.pid === self)) return tree;
  return [...tree, { pid: self, ppid: 0, uid: c.user.uid, argv: c.argv, startedAt: c.k.clock, self: true }];
}

// The kernel's command name: the program's base name, 15 characters at most.
const comm = (p: ProcInfo) => baseName(p.argv[0] ?? '').slice(0, 15);

// CPU time used: a JVM works at start and a little all along; the rest idle.
function cpuSeconds(p: Proc, now: number): number {
  if (comm(p) !== 'java') return 0;
  return 2 + Math.floor((now - p.startedAt) / 120_000);
}

// Virtual size in pages: a JVM's is its heap plus about 2.4 GiB.
function sizePages(p: Proc): number {
  const name = comm(p);
  if (name === 'java') {
    const m = /^-Xmx(\d+)([kmg])$/i.exec(p.argv.find((a) => a.startsWith('-Xmx')) ?? '');
    const heap = m ? Number(m[1]) * 1024 ** 'kmg'.indexOf(m[2].toLowerCase()) * 1024 : 2 ** 30;
    return 631_268 + heap / 4096;
  }
  if (p.self) return 8598;
  return name === 'bash' ? 4627 : 1127;
}

function cpuTime(s: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const d = Math.floor(s / 86400);
  const hms = `${two(Math.floor((s % 86400) / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}`;
  return d > 0 ? `${d}-${hms}` : hms;
}

// STIME: the time today, the day this year, else the year.
function startTime(c: ProcCtx, at: number): string {
  const zone = (ms: number) => zoneAt(c.env.TZ, ms);
  const now = c.k.clock;
  if (strftime('%Y%m%d', at, zone(at)) === strftime('%Y%m%d', now, zone(now))) return strftime('%H:%M', at, zone(at));
  if (strftime('%Y', at, zone(at)) === strftime('%Y', now, zone(now))) return strftime('%b%d', at, zone(at));
  return strftime('%Y', at, zone(at));
}

interface Column {
  head: string;
  width: number;
  right: boolean;
  value: (p: Proc) => string;
}

// One line: columns separated by a blank, padded to their width; a value
// wider than its column pushes the line right until a later column's padding
// takes the excess back, as procps does.
function line(cells: { text: string; width: number; right: boolean }[]): string {
  let debt = 0;
  const parts = cells.map((cell, i) => {
    if (i === cells.length - 1) return cell.text;
    const room = cell.width - debt;
    debt = Math.max(0, cell.text.length - room);
    const pad = Math.max(0, room - cell.text.length);
    return cell.right ? ' '.repeat(pad) + cell.text : cell.text + ' '.repeat(pad);
  });
  return `${parts.join(' ')}\n`;
}

function columns(c: ProcCtx, full: boolean, long: boolean): Column[] {
  const col = (head: string, width: number, right: boolean, value: (p: Proc) => string): Column => ({ head, width, right, value });
  const uidName = (p: Proc) => {
    const n = idName(c, '/etc/passwd', p.uid);
    return n.length > 8 ? `${n.slice(0, 7)}+` : n;
  };
  const tty = (p: Proc) => (p.self && c.tty ? 'pts/0' : '?');
  const cols: Column[] = [];
  if (long) cols.push(col('F', 1, true, (p) => (p.ppid === 0 ? '4' : '0')), col('S', 1, false, (p) => (p.self ? 'R' : 'S')));
  if (full) cols.push(col('UID', 8, false, uidName));
  else if (long) cols.push(col('UID', 5, true, (p) => String(p.uid)));
  cols.push(col('PID', 5, true, (p) => String(p.pid)));
  if (full || long) cols.push(col('PPID', 5, true, (p) => String(p.ppid)), col('C', 2, true, () => '0'));
  if (long) {
    cols.push(col('PRI', 3, true, () => '80'), col('NI', 3, true, () => '0'), col('ADDR', 1, false, () => '-'));
    cols.push(col('SZ', 5, true, (p) => String(sizePages(p))), col('WCHAN', 6, false, () => '-'));
  }
  if (full) cols.push(col('STIME', 5, false, (p) => startTime(c, p.startedAt)));
  cols.push(col('TTY', 8, false, tty), col('TIME', 8, true, (p) => cpuTime(cpuSeconds(p, c.k.clock))));
  cols.push(col('CMD', 0, false, (p) => (full ? p.argv.join(' ') : comm(p))));
  return cols;
}

// ps [-e|-A] [-f] [-l]: every process with -e, else those of the caller's terminal (itself).
export const ps: Applet = function* (c) {
  if (!c.profile.gnu) return yield* busyboxPs(c);
  let all = false;
  let full = false;
  let long = false;
  for (const a of c.argv.slice(1)) {
    if (!/^-[eAflaxwy]+$/.test(a)) {
      yield* err(c, `error: unsupported option (BSD syntax)\n\nUsage:\n ps [options]\n\n Try 'ps --help <simple|list|output|threads|misc|all>'\n  or 'ps --help <s|l|o|t|m|a>'\n for additional help text.\n\nFor more details see ps(1).`);
      return 1;
    }
    all ||= /[eA]/.test(a);
    full ||= a.includes('f');
    long ||= a.includes('l');
  }
  const procs = allProcs(c)
    .filter((p) => all || p.self)
    .sort((a, b) => a.pid - b.pid);
  const cols = columns(c, full, long);
  let text = line(cols.map((x) => ({ text: x.head, width: x.width, right: x.right })));
  for (const p of procs) text += line(cols.map((x) => ({ text: x.value(p), width: x.width, right: x.right })));
  yield* out(c, text);
  return 0;
};

// The signals the simulated processes tell apart.
const SIGNALS: readonly SignalName[] = ['TERM', 'KILL', 'INT', 'HUP', 'QUIT', 'USR1', 'USR2'];

interface Match {
  sig: SignalName;
  full: boolean;
  exact: boolean;
  pattern: RegExp;
  listing: 'none' | 'name' | 'full';
}

function parseMatch(c: ProcCtx, killing: boolean): Match | string {
  let sig: SignalName = 'TERM';
  let full = false;
  let exact = false;
  let listing: Match['listing'] = 'none';
  const rest: string[] = [];
  const args = c.argv.slice(1);
  const setSig = (name: string) => {
    const s = signalName(name);
    const known: readonly string[] = SIGNALS;
    if (!s || !known.includes(s)) return false;
    sig = s as SignalName;
    return true;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--signal' && killing) {
      if (!setSig(args[++i] ?? '')) return `Unknown signal "${args[i] ?? ''}".`;
    } else if (a === '-f' || a === '--full') full = true;
    else if (a === '-x' || a === '--exact') exact = true;
    else if (a === '-l' && !killing) listing = 'name';
    else if (a === '-a' && !killing) listing = 'full';
    else if (killing && /^-[A-Za-z0-9]+$/.test(a) && setSig(a.slice(1))) continue;
    else if (a.startsWith('-') && a.length > 1) return `invalid option -- '${a.slice(1, 2)}'`;
    else rest.push(a);
  }
  if (rest.length !== 1) return rest.length === 0 ? 'no matching criteria specified' : 'only one pattern can be provided';
  let pattern: RegExp;
  try {
    pattern = safeRegExp(exact ? `^(?:${rest[0]})$` : rest[0]);
  } catch {
    return `invalid regular expression`;
  }
  return { sig, full, exact, pattern, listing };
}

function* matching(c: ProcCtx, killing: boolean) {
  const m = parseMatch(c, killing);
  if (typeof m === 'string') {
    yield* err(c, `${m}\nTry \`${c.name} --help' for more information.`);
    return { m: undefined, procs: [] as Proc[] };
  }
  const procs = allProcs(c).filter((p) => !p.self && m.pattern.test(m.full ? p.argv.join(' ') : comm(p)));
  return { m, procs };
}

// pkill [-signal] [-f] [-x] pattern: signals the matching processes; 1 when none matched.
export const pkill: Applet = function* (c) {
  const { m, procs } = yield* matching(c, true);
  if (!m) return 2;
  for (const p of procs) c.k.signalProcess(p.pid, m.sig);
  return procs.length > 0 ? 0 : 1;
};

// pgrep [-l|-a] [-f] [-x] pattern: the matching pids.
export const pgrep: Applet = function* (c) {
  const { m, procs } = yield* matching(c, false);
  if (!m) return 2;
  for (const p of procs) yield* out(c, m.listing === 'none' ? `${p.pid}\n` : `${p.pid} ${m.listing === 'full' ? p.argv.join(' ') : comm(p)}\n`);
  return procs.length > 0 ? 0 : 1;
};
