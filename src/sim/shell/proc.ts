// What a simulated program (an "applet") gets when it runs, and helpers for writing
// applets: output, error messages, option parsing, file access through the journal
// (with /dev and /proc handled here).

import type { Gen, Kernel } from './kernel';
import { put, readAll } from './io';
import type { Fds } from './io';
import type { Flavor } from './parser';
import { normPath } from './paths';
import type { Profile } from './profile';
import type { FsError } from './types';

export interface ProcCtx {
  k: Kernel;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  fds: Fds;
  profile: Profile;
  // The shell that started it (echo's and test's dialects depend on it).
  flavor: Flavor;
  // Prefix of error messages: the program's name, or "sh" for an ash builtin.
  name: string;
  builtin: boolean;
  hostname: string;
  // When the process started (for /proc/uptime and ps).
  startedAt: number;
  user: { uid: number; gid: number; name?: string; groups?: number[] };
  // The container's main command (for ps).
  mainArgv: string[];
  // The process's original stdout is a terminal.
  tty: boolean;
  // Runs another program in this process's place (env, timeout, nohup, xargs...).
  // `top`: the program is the process's main one (tini, dumb-init forward signals).
  run(argv: string[], fds: Fds, env: Record<string, string>, top?: boolean): Gen<number>;
  // Where a command would be found (`which`), undefined when it would not.
  lookup(name: string): string | undefined;
  // For init wrappers (tini, dumb-init): the program they start is not PID 1 and
  // gets the signals they forward.
  becomeInit(): void;
  // This program is the process's main one (env, nohup, nice pass that on to the
  // program they exec, which then gets the signals).
  top: boolean;
}

export type Applet = (c: ProcCtx) => Gen<number>;

export const ERRNO_TEXT: Record<FsError, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  EROFS: 'Read-only file system',
  EACCES: 'Permission denied',
  ENOTEMPTY: 'Directory not empty',
  EINVAL: 'Invalid argument',
};

export function* out(c: ProcCtx, s: string): Gen<void> {
  yield* put(c.fds.get(1), s);
}

export function* errOut(c: ProcCtx, s: string): Gen<void> {
  yield* put(c.fds.get(2), s);
}

// "name: msg\n" on stderr.
export function* err(c: ProcCtx, msg: string): Gen<void> {
  yield* put(c.fds.get(2), `${c.name}: ${msg}\n`);
}

export function* stdinText(c: ProcCtx): Gen<string> {
  const i = c.fds.get(0);
  if (!i || i.kind !== 'in') return '';
  return yield* readAll(i, c.k.limits.maxStringBytes);
}

export function abs(c: ProcCtx, p: string): string {
  return normPath(c.cwd, p);
}

// Simulated time spent computing.
export function* busy(ms: number): Gen<void> {
  if (ms > 0) yield { k: 'time', ms };
}

// A file's content, /dev and /proc included.
export function readFile(c: ProcCtx, path: string): { data: string } | { err: FsError } {
  const p = abs(c, path);
  const v = virtualRead(c, p);
  if (v !== undefined) return { data: v };
  const d = c.k.read(p);
  if (d !== null) return { data: d };
  const st = c.k.stat(p);
  if (st && st.type === 'dir') return { err: 'EISDIR' };
  return { err: 'ENOENT' };
}

function randomBytes(k: Kernel, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(k.random() & 0xff);
  return s;
}

export function virtualRead(c: ProcCtx, p: string): string | undefined {
  switch (p) {
    case '/dev/null':
      return '';
    case '/dev/zero':
      return '\0'.repeat(4096);
    case '/dev/urandom':
    case '/dev/random':
      return randomBytes(c.k, 4096);
    case '/proc/uptime': {
      const up = Math.max(0, (c.k.clock - c.startedAt) / 1000);
      return `${up.toFixed(2)} ${(up * 0.9).toFixed(2)}\n`;
    }
    case '/proc/loadavg':
      return '0.00 0.00 0.00 1/1 1\n';
    case '/proc/sys/kernel/hostname':
      return c.hostname + '\n';
    case '/proc/version':
      return 'Linux version 6.6.0-kubemu (kubemu@kubemu) #1 SMP\n';
    case '/proc/cpuinfo':
      return 'processor\t: 0\nmodel name\t: kubemu virtual CPU\n\nprocessor\t: 1\nmodel name\t: kubemu virtual CPU\n';
    case '/proc/meminfo':
      return 'MemTotal:        8048576 kB\nMemFree:         6048576 kB\nMemAvailable:    7048576 kB\n';
  }
  if (/^\/proc\/(self|1|\d+)\/cmdline$/.test(p)) return '';
  const status = /^\/proc\/(self|\d+)\/status$/.exec(p);
  if (status) return procStatus(c, status[1]);
  if (c.k.world.apparmorLabel !== undefined && /^\/proc\/(self|\d+)\/attr\/(current|apparmor\/current)$/.test(p)) return `${c.k.world.apparmorLabel}\n`;
  return undefined;
}

// /proc/<pid>/status, the lines scripts grep for (ids, no_new_privs, seccomp).
function procStatus(c: ProcCtx, which: string): string {
  const pid = which === 'self' ? 2 : Number(which);
  const argv0 = pid === 1 ? (c.mainArgv[0] ?? 'sh') : (c.argv[0] ?? 'sh');
  const sec = c.k.world.seccomp;
  const ids = (n: number) => `${n}\t${n}\t${n}\t${n}`;
  return [
    `Name:\t${argv0.slice(argv0.lastIndexOf('/') + 1).slice(0, 15)}`,
    'Umask:\t0022',
    `State:\t${pid === 1 ? 'S (sleeping)' : 'R (running)'}`,
    `Tgid:\t${pid}`,
    'Ngid:\t0',
    `Pid:\t${pid}`,
    `PPid:\t${pid === 1 ? 0 : 1}`,
    'TracerPid:\t0',
    `Uid:\t${ids(c.user.uid)}`,
    `Gid:\t${ids(c.user.gid)}`,
    `NoNewPrivs:\t${sec?.noNewPrivs ? 1 : 0}`,
    `Seccomp:\t${sec?.filtered ? 2 : 0}`,
    `Seccomp_filters:\t${sec?.filtered ? 1 : 0}`,
    '',
  ].join('\n');
}

export function isVirtual(p: string): boolean {
  return p === '/dev' || p.startsWith('/dev/') || p === '/proc' || p.startsWith('/proc/');
}

export interface OptSpec {
  // Single-letter flags, and those taking a value.
  flags?: string;
  withArg?: string;
  // Long options: name -> [key, takes a value].
  long?: Record<string, [string, boolean]>;
  // Stop at the first operand (POSIX) instead of permuting (GNU).
  posix?: boolean;
}

export interface Opts {
  o: Record<string, string | true>;
  // Every value given to a repeatable option, in order.
  all: Record<string, string[]>;
  rest: string[];
  // The first bad option, for "invalid option -- 'x'" messages.
  bad?: string;
  missing?: string;
}

export function parseOpts(args: string[], spec: OptSpec): Opts {
  const r: Opts = { o: {}, all: {}, rest: [] };
  const set = (k: string, v: string | true): void => {
    r.o[k] = v;
    (r.all[k] ??= []).push(v === true ? '' : v);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') {
      r.rest.push(...args.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && spec.long) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
      const def = spec.long[name] ?? Object.entries(spec.long).find(([n]) => n.startsWith(name))?.[1];
      if (!def) {
        r.bad ??= a;
        continue;
      }
      if (def[1]) {
        const v = eq > 0 ? a.slice(eq + 1) : args[++i];
        if (v === undefined) {
          r.missing ??= name;
          continue;
        }
        set(def[0], v);
      } else set(def[0], true);
      continue;
    }
    if (a.length > 1 && a[0] === '-') {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        if (spec.withArg?.includes(f)) {
          const v = j + 1 < a.length ? a.slice(j + 1) : args[++i];
          if (v === undefined) r.missing ??= f;
          else set(f, v);
          break;
        }
        if (spec.flags?.includes(f)) set(f, true);
        else {
          r.bad ??= f;
        }
      }
      continue;
    }
    if (spec.posix) {
      r.rest.push(...args.slice(i));
      break;
    }
    r.rest.push(a);
  }
  return r;
}

// "sh: " style message for a bad option, busybox or GNU wording.
export function* badOption(c: ProcCtx, o: Opts): Gen<number> {
  if (o.missing) yield* err(c, c.profile.gnu ? `option requires an argument -- '${o.missing}'` : `option requires an argument -- ${o.missing}`);
  else if (o.bad && o.bad.startsWith('--')) yield* err(c, `unrecognized option '${o.bad}'`);
  else yield* err(c, c.profile.gnu ? `invalid option -- '${o.bad}'` : `invalid option -- '${o.bad}'`);
  if (c.profile.gnu) yield* errOut(c, `Try '${c.name} --help' for more information.\n`);
  else yield* errOut(c, `BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\nUsage: ${c.name} ...\n`);
  return c.profile.gnu ? 2 : 1;
}

// Lines of a text, without the trailing empty one.
export function lines(s: string): string[] {
  if (s === '') return [];
  const l = s.split('\n');
  if (l[l.length - 1] === '') l.pop();
  return l;
}

// Reads each named file (or stdin for none or "-"), reporting missing ones.
export function* inputs(c: ProcCtx, files: string[]): Gen<{ texts: string[]; failed: boolean }> {
  const texts: string[] = [];
  let failed = false;
  if (files.length === 0) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      texts.push(yield* stdinText(c));
      continue;
    }
    const r = readFile(c, f);
    if ('err' in r) {
      yield* err(c, c.profile.gnu ? `${f}: ${ERRNO_TEXT[r.err]}` : `can't open '${f}': ${ERRNO_TEXT[r.err]}`);
      failed = true;
      continue;
    }
    texts.push(r.data);
  }
  return { texts, failed };
}
