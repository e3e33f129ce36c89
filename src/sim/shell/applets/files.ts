// File programs over the container's fake filesystem: cat, ls, mkdir, rm, cp, mv,
// touch, head, tail (-f polls the file), wc, tee, md5sum/sha*sum, base64, stat...

import { createHash } from 'node:crypto';
import type { Gen } from '../kernel';
import { readAll, readLine } from '../io';
import { ERRNO_TEXT, abs, badOption, err, errOut, inputs, isVirtual, lines, out, parseOpts, readFile, stdinText } from '../proc';
import type { Applet, ProcCtx } from '../proc';
import { baseName, dirName, normPath } from '../paths';
import { globMatcher } from '../pattern';
import { strftime, zoneAt } from '../timefmt';
import type { FileStat, FsError } from '../types';
import { catFiles } from './basic';
import { idName } from './ids';

function statOf(c: ProcCtx, p: string): FileStat | null {
  if (p === '/dev' || p === '/proc') return { type: 'dir', size: 0, mode: 0o755 };
  if (isVirtual(p)) return /^\/dev\/(null|zero|u?random|stdin|stdout|stderr|tty)$/.test(p) ? { type: 'file', size: 0, mode: 0o666 } : null;
  return c.k.stat(p);
}

function gnuOrBb(c: ProcCtx, gnu: string, bb: string): string {
  return c.profile.gnu ? gnu : bb;
}

export const cat: Applet = function* (c) {
  const files = c.argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
  const number = c.argv.includes('-n');
  if (!number) return yield* catFiles(c, files);
  const r = yield* inputs(c, files);
  let n = 0;
  for (const t of r.texts) {
    yield* out(
      c,
      lines(t)
        .map((l) => `${String(++n).padStart(6)}\t${l}\n`)
        .join(''),
    );
  }
  return r.failed ? 1 : 0;
};

function modeString(st: FileStat): string {
  const m = st.mode ?? (st.type === 'dir' ? 0o755 : 0o644);
  const bits = 'rwxrwxrwx';
  let s = st.type === 'dir' ? 'd' : '-';
  for (let i = 0; i < 9; i++) s += m & (1 << (8 - i)) ? bits[i] : '-';
  // Set-group-ID shows in the group's execute place.
  if (m & 0o2000) s = s.slice(0, 6) + (m & 0o010 ? 's' : 'S') + s.slice(7);
  return s;
}

// A directory's links: its own entry, its ".", and each subdirectory's "..".
function linkCount(c: ProcCtx, path: string, st: FileStat): number {
  if (st.type !== 'dir') return 1;
  const names = c.k.list(path) ?? [];
  return 2 + names.filter((n) => statOf(c, normPath(path, n))?.type === 'dir').length;
}

function lsDate(c: ProcCtx, ms: number): string {
  const zone = zoneAt(c.env.TZ, ms);
  const recent = Math.abs(c.k.clock - ms) < 182 * 86400000;
  return strftime(recent ? '%b %e %H:%M' : '%b %e  %Y', ms, zone);
}

export const ls: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'laA1dhRFtrSip', long: { all: ['a', false], 'almost-all': ['A', false], directory: ['d', false], 'human-readable': ['h', false], color: ['C', false] } });
  if (o.bad && !o.bad.startsWith('--color')) return yield* badOption(c, o);
  const paths = o.rest.length ? o.rest : ['.'];
  let st = 0;
  const fileEntries: [string, FileStat][] = [];
  const dirs: string[] = [];
  for (const p of paths) {
    const s = statOf(c, abs(c, p));
    if (!s) {
      yield* err(c, gnuOrBb(c, `cannot access '${p}': No such file or directory`, `${p}: No such file or directory`));
      st = c.profile.gnu ? 2 : 1;
      continue;
    }
    if (s.type === 'dir' && !o.o.d) dirs.push(p);
    else fileEntries.push([p, s]);
  }
  // One block of entries; GNU ls sizes its long listing's columns to the block.
  const block = (rows: { name: string; s: FileStat; path: string }[]): string => {
    const names = rows.map(({ name, s }) => (o.o.F && s.type === 'dir' ? `${name}/` : name));
    if (!o.o.l) return names.map((n) => `${n}\n`).join('');
    const cells = rows.map(({ s, path }) => ({
      mode: modeString(s),
      links: String(linkCount(c, path, s)),
      user: idName(c, '/etc/passwd', c.user.uid),
      group: idName(c, '/etc/group', s.gid ?? c.user.gid),
      size: o.o.h ? human(s.size) : String(s.size),
      date: lsDate(c, s.mtimeMs ?? c.startedAt),
    }));
    const w = (k: 'links' | 'user' | 'group' | 'size') => Math.max(0, ...cells.map((x) => x[k].length));
    return cells
      .map((x, i) =>
        c.profile.gnu
          ? `${x.mode} ${x.links.padStart(w('links'))} ${x.user.padEnd(w('user'))} ${x.group.padEnd(w('group'))} ${x.size.padStart(w('size'))} ${x.date} ${names[i]}\n`
          : `${x.mode}${x.links.padStart(5)} ${x.user.padEnd(8)} ${x.group.padEnd(8)} ${x.size.padStart(9)} ${x.date} ${names[i]}\n`,
      )
      .join('');
  };
  let text = block(fileEntries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, s]) => ({ name: p, s, path: abs(c, p) })));
  const many = paths.length > 1;
  for (const d of dirs.sort()) {
    const dp = abs(c, d);
    const names = listDir(c, dp);
    if (names === null) {
      yield* err(c, `${d}: Permission denied`);
      st = 1;
      continue;
    }
    let shown = names.filter((n) => o.o.a || o.o.A || !n.startsWith('.'));
    if (o.o.a) shown = ['.', '..', ...shown];
    shown.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const entries = shown.map((n) => [n, (statOf(c, normPath(dp, n)) ?? (n === '.' || n === '..' ? ({ type: 'dir', size: 4096, mode: 0o755 } as FileStat) : { type: 'file', size: 0 }))] as const);
    if (o.o.r) entries.reverse();
    if (many) text += `${text ? '\n' : ''}${d}:\n`;
    if (o.o.l) text += `total ${entries.reduce((a, [, s]) => a + Math.ceil(s.size / 4096) * 4, 0)}\n`;
    text += block(entries.map(([n, s]) => ({ name: n, s, path: normPath(dp, n) })));
  }
  yield* out(c, text);
  return st;
};

function listDir(c: ProcCtx, p: string): string[] | null {
  if (p === '/dev') return ['null', 'random', 'stderr', 'stdin', 'stdout', 'termination-log', 'tty', 'urandom', 'zero'];
  if (p === '/proc') return ['1', 'cpuinfo', 'loadavg', 'meminfo', 'self', 'uptime', 'version'];
  return c.k.list(p);
}

function human(n: number): string {
  if (n < 1024) return String(n);
  const u = ['K', 'M', 'G', 'T'];
  let v = n;
  let i = -1;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return (v < 10 ? v.toFixed(1) : Math.round(v).toString()) + u[i];
}

function fsErr(e: FsError): string {
  return ERRNO_TEXT[e];
}

export const mkdir: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'pv', withArg: 'm', long: { parents: ['p', false], mode: ['m', true], verbose: ['v', false] } });
  if (o.bad) return yield* badOption(c, o);
  let st = 0;
  for (const d of o.rest) {
    const p = abs(c, d);
    if (o.o.p) {
      const parts = p.split('/').filter(Boolean);
      let cur = '';
      for (const part of parts) {
        cur += '/' + part;
        const s = statOf(c, cur);
        if (s) {
          if (s.type !== 'dir') {
            yield* err(c, gnuOrBb(c, `cannot create directory '${d}': Not a directory`, `can't create directory '${d}': Not a directory`));
            st = 1;
            break;
          }
          continue;
        }
        const e = c.k.mkdir(cur);
        if (e && e !== 'EEXIST') {
          yield* err(c, gnuOrBb(c, `cannot create directory '${d}': ${fsErr(e)}`, `can't create directory '${d}': ${fsErr(e)}`));
          st = 1;
          break;
        }
      }
      continue;
    }
    const e = isVirtual(p) ? 'EEXIST' : c.k.mkdir(p);
    if (e) {
      yield* err(c, gnuOrBb(c, `cannot create directory ‘${d}’: ${fsErr(e)}`, `can't create directory '${d}': ${fsErr(e)}`));
      st = 1;
    }
  }
  return st;
};

export const rmdir: Applet = function* (c) {
  let st = 0;
  for (const d of c.argv.slice(1).filter((a) => !a.startsWith('-'))) {
    const p = abs(c, d);
    const s = c.k.stat(p);
    const e = !s ? 'ENOENT' : s.type !== 'dir' ? 'ENOTDIR' : c.k.remove(p);
    if (e) {
      yield* err(c, gnuOrBb(c, `failed to remove '${d}': ${fsErr(e)}`, `'${d}': ${fsErr(e)}`));
      st = 1;
    }
  }
  return st;
};

export const touch: Applet = function* (c) {
  let st = 0;
  const o = parseOpts(c.argv.slice(1), { flags: 'acm', withArg: 'dtr' });
  for (const f of o.rest) {
    const p = abs(c, f);
    if (isVirtual(p)) continue;
    const s = c.k.stat(p);
    if (s && s.type === 'dir') continue;
    if (s && o.o.c) continue;
    const e = c.k.write(p, '', true);
    if (e) {
      yield* err(c, gnuOrBb(c, `cannot touch '${f}': ${fsErr(e)}`, `${f}: ${fsErr(e)}`));
      st = 1;
    }
  }
  return st;
};

// Removes `p` and, with `recursive`, everything under it. Returns the first error.
function removeTree(c: ProcCtx, p: string, recursive: boolean, budget: { n: number }): FsError | null {
  if (--budget.n < 0) return 'EACCES';
  const s = c.k.stat(p);
  if (!s) return 'ENOENT';
  if (s.type === 'dir') {
    if (!recursive) return 'EISDIR';
    for (const n of c.k.list(p) ?? []) {
      const e = removeTree(c, normPath(p, n), true, budget);
      if (e && e !== 'ENOENT') return e;
    }
  }
  return c.k.remove(p);
}

export const rm: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'rRfiv', long: { recursive: ['r', false], force: ['f', false], 'no-preserve-root': ['n', false] } });
  if (o.bad) return yield* badOption(c, o);
  const rec = !!(o.o.r || o.o.R);
  let st = 0;
  for (const f of o.rest) {
    const p = abs(c, f);
    if (p === '/' && rec && c.profile.gnu && !o.o.n) {
      yield* err(c, "it is dangerous to operate recursively on '/'");
      yield* err(c, 'use --no-preserve-root to override this failsafe');
      st = 1;
      continue;
    }
    if (p === '/') {
      // busybox has no failsafe: it empties the (fake) filesystem, then fails on / itself.
      if (rec) for (const n of c.k.list('/') ?? []) removeTree(c, normPath('/', n), true, { n: 100000 });
      yield* err(c, c.profile.gnu ? "cannot remove '/': Device or resource busy" : rec ? "can't remove '/': Device or resource busy" : "'/' is a directory");
      st = 1;
      continue;
    }
    if (isVirtual(p)) {
      yield* err(c, `can't remove '${f}': Permission denied`);
      st = 1;
      continue;
    }
    const e = removeTree(c, p, rec, { n: 100000 });
    if (e === 'ENOENT' && o.o.f) continue;
    if (e) {
      const why = e === 'EISDIR' ? 'Is a directory' : fsErr(e);
      yield* err(c, gnuOrBb(c, `cannot remove '${f}': ${why}`, `can't remove '${f}': ${why}`));
      st = 1;
    }
  }
  c.k.charge(1);
  return st;
};

function copyTree(c: ProcCtx, from: string, to: string, budget: { n: number }): FsError | null {
  if (--budget.n < 0) return 'EACCES';
  const s = c.k.stat(from);
  if (!s) return 'ENOENT';
  if (s.type === 'dir') {
    const e = c.k.mkdir(to);
    if (e && e !== 'EEXIST') return e;
    for (const n of c.k.list(from) ?? []) {
      const r = copyTree(c, normPath(from, n), normPath(to, n), budget);
      if (r) return r;
    }
    return null;
  }
  const d = c.k.read(from);
  return c.k.write(to, d ?? '', false);
}

function* copyOrMove(c: ProcCtx, move: boolean): Gen<number> {
  const o = parseOpts(c.argv.slice(1), { flags: 'rRafpvniuLPdT', long: { recursive: ['r', false], force: ['f', false] } });
  if (o.bad) return yield* badOption(c, o);
  const args = o.rest;
  if (args.length < 2) {
    yield* err(c, args.length ? `missing destination file operand after '${args[0]}'` : 'missing file operand');
    return 1;
  }
  const dest = args[args.length - 1];
  const srcs = args.slice(0, -1);
  const dp = abs(c, dest);
  const ds = c.k.stat(dp);
  if (srcs.length > 1 && (!ds || ds.type !== 'dir')) {
    yield* err(c, `target '${dest}' is not a directory`);
    return 1;
  }
  let st = 0;
  for (const s of srcs) {
    const sp = abs(c, s);
    const ss = isVirtual(sp) ? ({ type: 'file', size: 0 } as FileStat) : c.k.stat(sp);
    if (!ss) {
      yield* err(c, gnuOrBb(c, `cannot stat '${s}': No such file or directory`, move ? `can't rename '${s}': No such file or directory` : `can't stat '${s}': No such file or directory`));
      st = 1;
      continue;
    }
    const target = ds && ds.type === 'dir' ? normPath(dp, baseName(sp)) : dp;
    if (ss.type === 'dir' && !move && !(o.o.r || o.o.R || o.o.a)) {
      yield* err(c, gnuOrBb(c, `-r not specified; omitting directory '${s}'`, `omitting directory '${s}'`));
      st = 1;
      continue;
    }
    const e = isVirtual(sp) ? c.k.write(target, '', false) : copyTree(c, sp, target, { n: 100000 });
    if (e) {
      yield* err(c, gnuOrBb(c, `cannot create regular file '${dest}': ${fsErr(e)}`, `can't create '${target}': ${fsErr(e)}`));
      st = 1;
      continue;
    }
    if (move) {
      const r = removeTree(c, sp, true, { n: 100000 });
      if (r) {
        yield* err(c, `can't remove '${s}': ${fsErr(r)}`);
        st = 1;
      }
    }
  }
  return st;
}

export const cp: Applet = (c) => copyOrMove(c, false);
export const mv: Applet = (c) => copyOrMove(c, true);

export const ln: Applet = function* (c) {
  // Symbolic links are not modelled: copy the file instead, which is what most uses need.
  const args = c.argv.slice(1).filter((a) => !a.startsWith('-'));
  if (args.length < 2) return 0;
  const from = abs(c, args[0]);
  let to = abs(c, args[1]);
  const ts = c.k.stat(to);
  if (ts && ts.type === 'dir') to = normPath(to, baseName(from));
  const d = c.k.read(from);
  if (d === null) return 0;
  const e = c.k.write(to, d, false);
  if (e) {
    yield* err(c, `${args[1]}: ${fsErr(e)}`);
    return 1;
  }
  return 0;
};

export const chmod: Applet = function* (c) {
  const args = c.argv.slice(1).filter((a) => !/^-[Rvcf]+$/.test(a));
  let st = 0;
  for (const f of args.slice(1)) {
    if (!c.k.stat(abs(c, f))) {
      yield* err(c, gnuOrBb(c, `cannot access '${f}': No such file or directory`, `${f}: No such file or directory`));
      st = 1;
    }
  }
  return st;
};

export const statA: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'tLf', withArg: 'c', long: { format: ['c', true] } });
  let st = 0;
  for (const f of o.rest) {
    const p = abs(c, f);
    const s = statOf(c, p);
    if (!s) {
      yield* err(c, gnuOrBb(c, `cannot statx '${f}': No such file or directory`, `can't stat '${f}': No such file or directory`));
      st = 1;
      continue;
    }
    const mode = s.mode ?? (s.type === 'dir' ? 0o755 : 0o644);
    if (typeof o.o.c === 'string') {
      const t = o.o.c.replace(/%([nsaAFUGYyXx%])/g, (_m, k: string) => {
        switch (k) {
          case 'n':
            return f;
          case 's':
            return String(s.size);
          case 'a':
            return mode.toString(8);
          case 'A':
            return modeString(s);
          case 'F':
            return s.type === 'dir' ? 'directory' : s.size ? 'regular file' : 'regular empty file';
          case 'U':
          case 'G':
            return 'root';
          case 'Y':
            return String(Math.floor((s.mtimeMs ?? c.startedAt) / 1000));
          case 'y':
            return strftime('%Y-%m-%d %H:%M:%S.000000000 %z', s.mtimeMs ?? c.startedAt, zoneAt(c.env.TZ, c.k.clock));
          case '%':
            return '%';
          default:
            return '?';
        }
      });
      yield* out(c, t + '\n');
      continue;
    }
    const t = strftime('%Y-%m-%d %H:%M:%S.000000000 %z', s.mtimeMs ?? c.startedAt, zoneAt(c.env.TZ, c.k.clock));
    yield* out(
      c,
      `  File: ${f}\n  Size: ${String(s.size).padEnd(10)}\tBlocks: ${String(Math.ceil(s.size / 4096) * 8).padEnd(10)} IO Block: 4096   ${s.type === 'dir' ? 'directory' : s.size ? 'regular file' : 'regular empty file'}\nAccess: (${mode.toString(8).padStart(4, '0')}/${modeString(s)})  Uid: (    0/    root)   Gid: (    0/    root)\nModify: ${t}\n`,
    );
  }
  return st;
};

function* walk(c: ProcCtx, p: string, depth: number, budget: { n: number }): Gen<[string, FileStat, number][]> {
  const s = statOf(c, p);
  if (!s || --budget.n < 0) return [];
  const outL: [string, FileStat, number][] = [[p, s, depth]];
  if (s.type === 'dir') for (const n of (c.k.list(p) ?? []).sort()) outL.push(...(yield* walk(c, normPath(p, n), depth + 1, budget)));
  return outL;
}

export const find: Applet = function* (c) {
  const args = c.argv.slice(1);
  const roots: string[] = [];
  let i = 0;
  while (i < args.length && !args[i].startsWith('-') && args[i] !== '!' && args[i] !== '(') roots.push(args[i++]);
  if (!roots.length) roots.push('.');
  let name: ((s: string) => boolean) | undefined;
  let type: string | undefined;
  let maxdepth = Infinity;
  let mindepth = 0;
  let del = false;
  let neg = false;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '!' || a === '-not') neg = true;
    else if (a === '-name' || a === '-iname') name = globMatcher(args[++i] ?? '', a === '-iname'); else if (a === '-type') type = args[++i];
    else if (a === '-maxdepth') maxdepth = Number(args[++i]);
    else if (a === '-mindepth') mindepth = Number(args[++i]);
    else if (a === '-delete') del = true;
    else if (a === '-print' || a === '-print0') continue;
  }
  let st = 0;
  let text = '';
  for (const r of roots) {
    const p = abs(c, r);
    if (!statOf(c, p)) {
      yield* err(c, `${r}: No such file or directory`);
      st = 1;
      continue;
    }
    const all = yield* walk(c, p, 0, { n: 100000 });
    for (const [fp, s, d] of all) {
      if (d > maxdepth || d < mindepth) continue;
      let ok = true;
      if (name) ok = name(baseName(fp));
      if (ok && type) ok = (type === 'd') === (s.type === 'dir');
      if (neg) ok = !ok;
      if (!ok) continue;
      const shown = r.startsWith('/') ? fp : (r === '.' ? '.' : r.replace(/\/$/, '')) + fp.slice(p.length === 1 ? 0 : p.length);
      if (del) c.k.remove(fp);
      else text += (shown === '' ? r : shown) + '\n';
    }
  }
  yield* out(c, text);
  return st;
};

export const du: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'shckma', withArg: 'd' });
  let st = 0;
  for (const r of o.rest.length ? o.rest : ['.']) {
    const all = yield* walk(c, abs(c, r), 0, { n: 100000 });
    if (!all.length) {
      yield* err(c, `${r}: No such file or directory`);
      st = 1;
      continue;
    }
    const kb = all.reduce((a, [, s]) => a + Math.ceil(s.size / 4096) * 4, 0);
    yield* out(c, `${o.o.h ? human(kb * 1024) : kb}\t${r}\n`);
  }
  return st;
};

export const df: Applet = function* (c) {
  yield* out(c, 'Filesystem           1K-blocks      Used Available Use% Mounted on\noverlay               61202244  12345678  48856566  20% /\ntmpfs                    65536         0     65536   0% /dev\n');
  return 0;
};

export const readlink: Applet = function* (c) {
  const args = c.argv.slice(1);
  const f = args.includes('-f') || args.includes('-e') || c.argv[0].endsWith('realpath');
  let st = 0;
  for (const a of args.filter((x) => !x.startsWith('-'))) {
    if (f) yield* out(c, abs(c, a) + '\n');
    else st = 1;
  }
  return st;
};

export const mktemp: Applet = function* (c) {
  const dir = c.argv.includes('-d');
  const tmpl = c.argv.slice(1).find((a) => !a.startsWith('-')) ?? 'tmp.XXXXXXXXXX';
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const name = tmpl.replace(/X+$/, (x) => [...x].map(() => chars[c.k.random() % chars.length]).join(''));
  const p = tmpl.includes('/') ? abs(c, name) : normPath(c.env.TMPDIR ?? '/tmp', name);
  const e = dir ? c.k.mkdir(p) : c.k.write(p, '', false);
  if (e) {
    yield* err(c, `failed to create ${dir ? 'directory' : 'file'} via template '${tmpl}': ${fsErr(e)}`);
    return 1;
  }
  yield* out(c, p + '\n');
  return 0;
};

export const tee: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'ai', long: { append: ['a', false] } });
  const targets: string[] = [];
  let st = 0;
  for (const f of o.rest) {
    const p = abs(c, f);
    if (p === '/dev/null') continue;
    if (p === '/dev/stdout' || p === '/dev/stderr') {
      targets.push(p);
      continue;
    }
    const e = c.k.write(p, '', !!o.o.a);
    if (e) {
      yield* err(c, gnuOrBb(c, `${f}: ${fsErr(e)}`, `can't open '${f}': ${fsErr(e)}`));
      st = 1;
    } else targets.push(p);
  }
  const input = c.fds.get(0);
  if (!input || input.kind !== 'in') return st;
  // Line by line, so `... | tee file` streams.
  for (;;) {
    const chunk = yield* input.read();
    if (chunk === null) break;
    yield* out(c, chunk);
    for (const t of targets) {
      if (t === '/dev/stdout') yield* out(c, chunk);
      else if (t === '/dev/stderr') yield* errOut(c, chunk);
      else c.k.write(t, chunk, true);
    }
  }
  return st;
};

function headCount(args: string[]): { n: number; bytes: boolean; neg: boolean; rest: string[]; bad?: string } {
  let n = 10;
  let bytes = false;
  let neg = false;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    let v: string | undefined;
    if (a === '-n' || a === '-c' || a === '--lines' || a === '--bytes') {
      bytes = a === '-c' || a === '--bytes';
      v = args[++i];
    } else if (/^-[nc].+/.test(a)) {
      bytes = a[1] === 'c';
      v = a.slice(2);
    } else if (/^--(lines|bytes)=/.test(a)) {
      bytes = a.startsWith('--bytes');
      v = a.slice(a.indexOf('=') + 1);
    } else if (/^-\d+$/.test(a)) v = a.slice(1);
    else if (a === '-q' || a === '-v' || a === '-f' || a === '-F' || a === '--follow' || a === '-s') continue;
    else if (a.startsWith('-s')) continue;
    else {
      rest.push(a);
      continue;
    }
    if (v === undefined) return { n, bytes, neg, rest, bad: a };
    const m = /^([-+]?)(\d+)([kKmM]?b?)?$/.exec(v);
    if (!m) return { n, bytes, neg, rest, bad: v };
    n = Number(m[2]) * (m[3] ? (/^[kK]/.test(m[3]) ? 1024 : 1048576) : 1);
    neg = m[1] === '-' || m[1] === '+';
    if (m[1] === '+') n = -n;
  }
  return { n, bytes, neg, rest };
}

export const head: Applet = function* (c) {
  const h = headCount(c.argv.slice(1));
  if (h.bad) {
    yield* err(c, `invalid number '${h.bad}'`);
    return 1;
  }
  const files = h.rest.length ? h.rest : ['-'];
  // On a stream, head stops reading after N lines or bytes (so `yes | head -1` and
  // `yes | head -c 1` end, and yes then dies of SIGPIPE).
  if (files.length === 1 && files[0] === '-' && !h.neg) {
    const input = c.fds.get(0);
    if (!input || input.kind !== 'in') return 0;
    let text = '';
    if (h.bytes) {
      let chunk: string | null = input.pending ?? '';
      input.pending = '';
      while (chunk !== null && text.length < h.n) {
        text += chunk.slice(0, h.n - text.length);
        if (text.length < h.n) chunk = yield* input.read();
      }
    } else {
      for (let i = 0; i < h.n; i++) {
        const l = yield* readLine(input);
        if (!l) break;
        text += l.line + (l.nl ? '\n' : '');
      }
    }
    yield* out(c, text);
    return 0;
  }
  let st = 0;
  for (const [i, f] of files.entries()) {
    let data: string;
    if (f === '-') data = yield* stdinText(c);
    else {
      const r = readFile(c, f);
      if ('err' in r) {
        yield* err(c, gnuOrBb(c, `cannot open '${f}' for reading: ${fsErr(r.err)}`, `${f}: ${fsErr(r.err)}`));
        st = 1;
        continue;
      }
      data = r.data;
    }
    if (files.length > 1) yield* out(c, `${i ? '\n' : ''}==> ${f === '-' ? 'standard input' : f} <==\n`);
    if (h.bytes) yield* out(c, h.neg ? data.slice(0, Math.max(0, data.length + h.n)) : data.slice(0, h.n));
    else {
      const ls = data.split(/(?<=\n)/);
      yield* out(c, (h.neg ? ls.slice(0, Math.max(0, ls.length - Math.abs(h.n))) : ls.slice(0, h.n)).join(''));
    }
  }
  return st;
};

function lastLines(data: string, n: number, fromStart: boolean): string {
  const ls = data.split(/(?<=\n)/);
  if (fromStart) return ls.slice(Math.max(0, n - 1)).join('');
  return n === 0 ? '' : ls.slice(-n).join('');
}

export const tail: Applet = function* (c) {
  const args = c.argv.slice(1);
  const follow = args.some((a) => /^-[a-zA-Z]*[fF]/.test(a) || a === '--follow' || a.startsWith('--follow=') || a === '-F');
  const byName = args.some((a) => /^-[a-zA-Z]*F/.test(a) || a === '--retry' || a === '--follow=name');
  const h = headCount(args.map((a) => (/^-[fFq]+$/.test(a) ? '-q' : a)).filter((a) => !/^--(follow|retry|pid|sleep-interval)/.test(a)));
  if (h.bad) {
    yield* err(c, `invalid number '${h.bad}'`);
    return 1;
  }
  const fromStart = h.n < 0;
  const n = Math.abs(h.n);
  const files = h.rest;
  if (!files.length || (files.length === 1 && files[0] === '-')) {
    const data = yield* stdinText(c);
    yield* out(c, h.bytes ? data.slice(fromStart ? n - 1 : -n || data.length) : lastLines(data, n, fromStart));
    return 0;
  }
  let st = 0;
  const sizes = new Map<string, string | null>();
  for (const [i, f] of files.entries()) {
    const p = abs(c, f);
    if (p === '/dev/null') {
      sizes.set(p, '');
      continue;
    }
    const d = c.k.read(p);
    if (d === null) {
      const s = c.k.stat(p);
      yield* err(c, gnuOrBb(c, `cannot open '${f}' for reading: ${s ? 'Is a directory' : 'No such file or directory'}`, `can't open '${f}': ${s ? 'Is a directory' : 'No such file or directory'}`));
      st = 1;
      sizes.set(p, null);
      continue;
    }
    sizes.set(p, d);
    if (files.length > 1) yield* out(c, `${i ? '\n' : ''}==> ${f} <==\n`);
    yield* out(c, h.bytes ? d.slice(fromStart ? n - 1 : -n || d.length) : lastLines(d, n, fromStart));
  }
  if (!follow) return st;
  if (!byName && [...sizes.values()].every((v) => v === null)) {
    if (!c.profile.gnu) yield* err(c, 'no files');
    return 1;
  }
  const polled = files.map((f) => abs(c, f)).filter((p) => p !== '/dev/null' && (byName || sizes.get(p) !== null));
  if (!polled.length) {
    // `tail -f /dev/null`: waits forever.
    for (;;) yield { k: 'block' };
  }
  // busybox and GNU (without inotify) tail poll once a second.
  let lastShown = polled.length > 1 ? polled[polled.length - 1] : undefined;
  for (;;) {
    if (polled.length === 1) {
      // A run of unchanged answers in the journal: skip those polls at once.
      const run = c.k.askRun('r');
      const cur = sizes.get(polled[0]) ?? null;
      if (run && run.n > 1 && run.v === cur) {
        c.k.skipRun(run.n - 1);
        yield { k: 'time', ms: (run.n - 1) * 1000 };
      }
    }
    yield { k: 'time', ms: 1000 };
    for (const p of polled) {
      const prev = sizes.get(p) ?? null;
      const d = c.k.read(p);
      if (d === prev) continue;
      sizes.set(p, d);
      if (d === null) {
        if (prev !== null) yield* err(c, c.profile.gnu ? `'${p}' has become inaccessible: No such file or directory` : `${p}: No such file or directory`);
        continue;
      }
      let text: string;
      if (prev === null) {
        if (c.profile.gnu) yield* err(c, `'${p}' has appeared;  following new file`);
        text = d;
      } else if (d.length < prev.length || !d.startsWith(prev)) {
        yield* err(c, `${p}: file truncated`);
        text = d;
      } else text = d.slice(prev.length);
      if (polled.length > 1 && lastShown !== p) {
        yield* out(c, `\n==> ${p} <==\n`);
        lastShown = p;
      }
      yield* out(c, text);
    }
  }
};

export const wc: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'lwcmL', long: { lines: ['l', false], words: ['w', false], bytes: ['c', false], chars: ['m', false] } });
  if (o.bad) return yield* badOption(c, o);
  let which = (['l', 'w', 'c', 'm'] as const).filter((k) => o.o[k]);
  if (!which.length) which = ['l', 'w', 'c'];
  const files = o.rest.length ? o.rest : ['-'];
  const rows: { counts: number[]; name?: string }[] = [];
  let st = 0;
  const total = [0, 0, 0, 0];
  for (const f of files) {
    let data: string;
    if (f === '-') data = yield* stdinText(c);
    else {
      const r = readFile(c, f);
      if ('err' in r) {
        yield* err(c, `${f}: ${fsErr(r.err)}`);
        st = 1;
        continue;
      }
      data = r.data;
    }
    const counts = which.map((k) => {
      if (k === 'l') return (data.match(/\n/g) ?? []).length;
      if (k === 'w') return data.split(/\s+/).filter(Boolean).length;
      if (k === 'm') return [...data].length;
      return Buffer.byteLength(data, 'utf8');
    });
    counts.forEach((v, i) => (total[i] += v));
    rows.push({ counts, name: f === '-' ? undefined : f });
  }
  if (files.length > 1) rows.push({ counts: total.slice(0, which.length), name: 'total' });
  let width: number;
  if (c.profile.gnu) {
    const onlyStdin = files.every((f) => f === '-');
    if (rows.length === 1 && which.length === 1) width = 1;
    else if (onlyStdin) width = 7;
    else width = Math.max(1, ...rows.map((r) => String(Math.max(...r.counts)).length));
  } else width = rows.length === 1 && which.length === 1 ? 1 : 9;
  const sep = c.profile.gnu ? ' ' : ' ';
  let text = '';
  for (const r of rows) {
    const nums = r.counts.map((v) => String(v).padStart(width)).join(sep);
    text += r.name !== undefined ? `${nums} ${r.name}\n` : `${nums}\n`;
  }
  yield* out(c, text);
  return st;
};

function* hashSum(c: ProcCtx, algo: string): Gen<number> {
  const files = c.argv.slice(1).filter((a) => a === '-' || !a.startsWith('-'));
  let st = 0;
  for (const f of files.length ? files : ['-']) {
    let data: string;
    if (f === '-') data = yield* stdinText(c);
    else {
      const r = readFile(c, f);
      if ('err' in r) {
        yield* err(c, `${f}: ${fsErr(r.err)}`);
        st = 1;
        continue;
      }
      data = r.data;
    }
    const hsh = createHash(algo).update(Buffer.from(data, 'utf8')).digest('hex');
    yield* out(c, `${hsh}  ${f}\n`);
  }
  return st;
}

export const md5sum: Applet = (c) => hashSum(c, 'md5');
export const sha1sum: Applet = (c) => hashSum(c, 'sha1');
export const sha256sum: Applet = (c) => hashSum(c, 'sha256');
export const sha512sum: Applet = (c) => hashSum(c, 'sha512');

export const base64: Applet = function* (c) {
  const o = parseOpts(c.argv.slice(1), { flags: 'di', withArg: 'w', long: { decode: ['d', false], wrap: ['w', true] } });
  const r = yield* inputs(c, o.rest);
  if (r.failed) return 1;
  const data = r.texts.join('');
  if (o.o.d) {
    yield* out(c, Buffer.from(data.replace(/\s+/g, ''), 'base64').toString('latin1'));
    return 0;
  }
  const enc = Buffer.from(data, /[^\x00-\xff]/.test(data) ? 'utf8' : 'latin1').toString('base64');
  const w = typeof o.o.w === 'string' ? Number(o.o.w) : 76;
  const wrapped = w > 0 ? (enc.match(new RegExp(`.{1,${w}}`, 'g')) ?? []).join('\n') : enc;
  yield* out(c, wrapped + (wrapped ? '\n' : ''));
  return 0;
};

export const tac: Applet = function* (c) {
  const r = yield* inputs(c, c.argv.slice(1));
  yield* out(
    c,
    lines(r.texts.join(''))
      .reverse()
      .map((l) => l + '\n')
      .join(''),
  );
  return r.failed ? 1 : 0;
};

export const rev: Applet = function* (c) {
  const r = yield* inputs(c, c.argv.slice(1));
  yield* out(
    c,
    lines(r.texts.join(''))
      .map((l) => [...l].reverse().join('') + '\n')
      .join(''),
  );
  return r.failed ? 1 : 0;
};

export const pwd: Applet = function* (c) {
  yield* out(c, c.cwd + '\n');
  return 0;
};

export const truncate: Applet = function* (c) {
  const args = c.argv.slice(1);
  const si = args.indexOf('-s');
  const size = si >= 0 ? Number(args[si + 1]) : 0;
  for (const f of args.filter((a, i) => !a.startsWith('-') && i !== si + 1)) {
    const p = abs(c, f);
    const d = c.k.read(p) ?? '';
    c.k.write(p, d.slice(0, size).padEnd(size, '\0'), false);
  }
  return 0;
};

export const dd: Applet = function* (c) {
  let inf: string | undefined;
  let of: string | undefined;
  let count = Infinity;
  let bs = 512;
  for (const a of c.argv.slice(1)) {
    const [k, v] = a.split('=');
    if (k === 'if') inf = v;
    else if (k === 'of') of = v;
    else if (k === 'count') count = Number(v);
    else if (k === 'bs') bs = Number(v.replace(/[kK]$/, '')) * (/[kK]$/.test(v) ? 1024 : 1) * (/[mM]$/.test(v) ? 1048576 : 1);
  }
  let data: string;
  if (inf) {
    const r = readFile(c, inf);
    if ('err' in r) {
      yield* err(c, `can't open '${inf}': ${fsErr(r.err)}`);
      return 1;
    }
    data = r.data;
  } else {
    const i = c.fds.get(0);
    data = i && i.kind === 'in' ? yield* readAll(i, c.k.limits.maxStringBytes) : '';
  }
  if (Number.isFinite(count)) data = data.slice(0, count * bs);
  if (of) c.k.write(abs(c, of), data, false);
  else yield* out(c, data);
  const recs = Math.ceil(data.length / bs);
  yield* errOut(c, `${recs}+0 records in\n${recs}+0 records out\n${data.length} bytes copied\n`);
  return 0;
};

export { dirName };
