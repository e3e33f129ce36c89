// Finding and starting programs: shells (sh, bash, ash, dash), applets, and scripts
// stored in the container's filesystem (run through their #! line).

import { SIGNUM } from './kernel';
import type { Gen, Kernel } from './kernel';
import { BlockIn, readAll } from './io';
import type { Fds } from './io';
import type { Flavor } from './parser';
import { baseName, normPath } from './paths';
import type { Applet, ProcCtx } from './proc';
import type { Profile } from './profile';
import { APPLETS, UNSIMULATED } from './applets';
import { Shell } from './shell';
import type { ShellOpts } from './shell';

// What every program of one container process tree shares.
export interface ProcEnv {
  k: Kernel;
  profile: Profile;
  hostname: string;
  startedAt: number;
  // Whether the process tree's root is PID 1 (see Kernel.deliver).
  pid1: boolean;
  user: { uid: number; gid: number; name?: string; groups?: number[] };
  mainArgv: string[];
  // The main process's stdout is a terminal.
  tty: boolean;
}

// Programs every image with a userland has (busybox applets or GNU tools).
const BASE = new Set([
  'echo', 'printf', 'sleep', 'date', 'env', 'printenv', 'cat', 'ls', 'hostname', 'true', 'false', 'test', '[', '[[', 'pwd', 'mkdir', 'rmdir', 'touch',
  'rm', 'cp', 'mv', 'ln', 'wc', 'head', 'tail', 'grep', 'egrep', 'fgrep', 'sort', 'uniq', 'tr', 'cut', 'sed', 'awk', 'tee', 'seq', 'expr', 'basename',
  'dirname', 'id', 'whoami', 'uname', 'kill', 'yes', 'base64', 'md5sum', 'sha1sum', 'sha256sum', 'xargs', 'timeout', 'nohup', 'nice', 'stat', 'chmod',
  'chown', 'find', 'du', 'df', 'readlink', 'realpath', 'mktemp', 'sync', 'nproc', 'tac', 'rev', 'od', 'tty', 'which', 'getent', 'logger', 'paste', 'nl',
  'fold', 'comm', 'cmp', 'diff', 'split', 'install', 'truncate', 'unlink', 'link', 'hexdump', 'xxd', 'cksum', 'sum', 'shuf', 'factor', 'arch', 'groups',
  'users', 'who', 'logname', 'mkfifo', 'mknod', 'tsort', 'expand', 'unexpand', 'pathchk', 'printenv', 'stdbuf', 'chgrp', 'dd', 'clear', 'reset',
]);

export type Resolved =
  | { k: 'applet'; name: string; applet: Applet }
  | { k: 'shell'; flavor: Flavor; path: string }
  | { k: 'script'; path: string }
  | { k: 'missing' }
  | { k: 'noperm'; path: string }
  | { k: 'unsimulated'; name: string };

export function available(profile: Profile, name: string): boolean {
  if (profile.id === 'distroless') return false;
  if (name === 'sh') return profile.sh !== undefined;
  if (name === 'bash') return profile.bash;
  if (name === 'ash') return profile.sh === 'ash';
  if (name === 'dash') return profile.sh === 'dash';
  if (profile.permissive) return true;
  if (profile.missing.has(name)) return false;
  if (name === 'nslookup') return profile.nslookup !== undefined;
  return BASE.has(name) || profile.extra.has(name);
}

const STD_DIRS = new Set(['/bin', '/usr/bin', '/sbin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']);

function shellFlavor(profile: Profile, name: string): Flavor | undefined {
  if (name === 'bash') return 'bash';
  if (name === 'ash' || name === 'busybox') return 'ash';
  if (name === 'dash') return 'dash';
  if (name === 'sh') return profile.sh;
  return undefined;
}

// Where `name` would be found, as `command -v` prints it.
export function lookupCommand(pe: ProcEnv, name: string, cwd: string, path: string): string | undefined {
  const r = resolveProgram(pe, name, cwd, path);
  if (r.k === 'missing' || r.k === 'noperm') return undefined;
  if (r.k === 'script') return r.path;
  if (r.k === 'shell') return r.path;
  if (name.includes('/')) return name;
  return `${pe.profile.gnu ? '/usr/bin' : '/bin'}/${name}`;
}

export function resolveProgram(pe: ProcEnv, name: string, cwd: string, path: string): Resolved {
  const base = baseName(name);
  if (name.includes('/')) {
    const p = normPath(cwd, name);
    const dir = p.slice(0, p.lastIndexOf('/')) || '/';
    if (STD_DIRS.has(dir) && available(pe.profile, base)) {
      const fl = shellFlavor(pe.profile, base);
      if (fl) return { k: 'shell', flavor: fl, path: p };
      const a = APPLETS.get(base);
      if (a) return { k: 'applet', name: base, applet: a };
    }
    const st = pe.k.stat(p);
    if (!st) {
      if (STD_DIRS.has(dir) && available(pe.profile, base) && UNSIMULATED.has(base)) return { k: 'unsimulated', name: base };
      return { k: 'missing' };
    }
    if (st.type === 'dir' || (st.mode !== undefined && (st.mode & 0o111) === 0)) return { k: 'noperm', path: p };
    return { k: 'script', path: p };
  }
  if (name === '') return { k: 'missing' };
  if (available(pe.profile, name)) {
    const fl = shellFlavor(pe.profile, name);
    if (fl) return { k: 'shell', flavor: fl, path: name === 'bash' ? '/bin/bash' : `/bin/${name}` };
    const a = APPLETS.get(name);
    if (a) return { k: 'applet', name, applet: a };
    if (UNSIMULATED.has(name) || pe.profile.extra.has(name)) return { k: 'unsimulated', name };
  }
  // Scripts and programs the container's filesystem holds in $PATH.
  for (const d of path.split(':')) {
    if (!d) continue;
    const p = normPath(cwd, `${d}/${name}`);
    const st = pe.k.stat(p);
    if (st && st.type === 'file') {
      if (st.mode !== undefined && (st.mode & 0o111) === 0) continue;
      return { k: 'script', path: p };
    }
  }
  return { k: 'missing' };
}

// Programs that, when run, serve until stopped.
const SERVERS = new Set(['nginx', 'redis-server', 'httpd', 'java', 'mysqld', 'crond', 'syslogd', 'php-fpm', 'apache2-foreground']);

// An image's own program, answered by the world (see ShellWorld.tool).
function* runTool(pe: ProcEnv, argv: string[], fds: Fds, env: Record<string, string>, cwd: string): Gen<number> {
  const input = fds.get(0);
  // An open terminal without data would block forever: such tools get no input.
  const stdin = input && input.kind === 'in' && !(input instanceof BlockIn) ? yield* readAll(input, pe.k.limits.maxStringBytes) : '';
  const r = pe.k.tool({ argv: [baseName(argv[0]), ...argv.slice(1)], stdin, env, cwd });
  const out = fds.get(1);
  const err = fds.get(2);
  if ('serve' in r) {
    for (const o of r.output ?? []) {
      const fd = o.stream === 'stdout' ? out : err;
      if (fd && fd.kind === 'out') yield* fd.write(o.text);
    }
    // It serves until a signal sent to it (pkill java) ends it; its shell goes on.
    const served = pe.k.serve(r.exec ?? argv);
    for (;;) {
      yield { k: 'block' };
      if (served.killedBy) return 128 + (SIGNUM[served.killedBy] ?? 15);
    }
  }
  if (r.stdout && out && out.kind === 'out') yield* out.write(r.stdout);
  if (r.stderr && err && err.kind === 'out') yield* err.write(r.stderr);
  return r.exitCode;
}

// How the caller reports a program it cannot start.
export interface Launcher {
  notFound(name: string, kind: 'missing' | 'noperm' | 'nofile'): string;
}

export function* runProgram(
  pe: ProcEnv,
  argv: string[],
  fds: Fds,
  env: Record<string, string>,
  cwd: string,
  from?: Shell | Launcher,
  asBuiltin = false,
  top = false,
): Gen<number> {
  if (argv.length === 0) return 0;
  const name = argv[0];
  const sh = from instanceof Shell ? from : undefined;
  if (asBuiltin) {
    const a = APPLETS.get(name)!;
    return yield* a(makeCtx(pe, argv, fds, env, cwd, sh, builtinName(sh, name), true, false));
  }
  const r = resolveProgram(pe, name, cwd, env.PATH ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  const stderr = fds.get(2);
  const report = function* (kind: 'missing' | 'noperm' | 'nofile', code: number): Gen<number> {
    const text = from ? from.notFound(name, kind) : `${name}: not found\n`;
    if (stderr && stderr.kind === 'out') yield* stderr.write(text);
    return code;
  };
  // The image's own program wins over the generic simulation of a non-base one
  // (the redis image's redis-cli, not the applet that only answers PING).
  const toolable = r.k === 'missing' || r.k === 'unsimulated' || (r.k === 'applet' && !BASE.has(r.name));
  if (toolable && pe.k.hasTool(baseName(name))) return yield* runTool(pe, argv, fds, env, cwd);
  switch (r.k) {
    case 'missing':
      return yield* report(name.includes('/') ? 'nofile' : 'missing', 127);
    case 'noperm':
      return yield* report('noperm', 126);
    case 'unsimulated': {
      // A server started from a script (`sh -c "nginx -g 'daemon off;'"`) just serves.
      if (SERVERS.has(r.name)) for (;;) yield { k: 'block' };
      if (stderr && stderr.kind === 'out') yield* stderr.write(`${r.name}: this command is not simulated by kubemu\n`);
      return 127;
    }
    case 'applet':
      return yield* r.applet(makeCtx(pe, argv, fds, env, cwd, sh, baseName(name), false, top));
    case 'shell':
      return yield* runShell(pe, r.flavor, argv, fds, env, cwd, top);
    case 'script': {
      const src = pe.k.read(r.path) ?? '';
      const m = /^#!\s*(\S+)(?:[ \t]+(\S+))?/.exec(src);
      let interp = m ? baseName(m[1]) : 'sh';
      if (interp === 'env' && m?.[2]) interp = m[2];
      const fl = shellFlavor(pe.profile, interp);
      if (!fl || !available(pe.profile, interp)) {
        const o = stderr && stderr.kind === 'out' ? stderr : undefined;
        if (o) {
          if (m && !available(pe.profile, interp)) yield* o.write(`${from instanceof Shell ? from.prefix() : ''}${name}: ${m[1]}: bad interpreter: No such file or directory\n`);
          else yield* o.write(`${name}: scripts for ${interp} are not simulated by kubemu\n`);
        }
        return m && !available(pe.profile, interp) ? 126 : 127;
      }
      return yield* runShell(pe, fl, [interp, r.path, ...argv.slice(1)], fds, env, cwd, top, src);
    }
  }
}

function builtinName(sh: Shell | undefined, name: string): string {
  if (!sh) return name;
  if (sh.flavor === 'ash') return sh.arg0;
  return sh.prefix(name).replace(/: $/, '');
}

function makeCtx(
  pe: ProcEnv,
  argv: string[],
  fds: Fds,
  env: Record<string, string>,
  cwd: string,
  sh: Shell | undefined,
  name: string,
  builtin: boolean,
  top: boolean,
): ProcCtx {
  const launcher: Launcher = {
    notFound: (n, kind) =>
      pe.profile.gnu ? `${name}: '${n}': ${kind === 'noperm' ? 'Permission denied' : 'No such file or directory'}\n` : `${name}: can't execute '${n}': ${kind === 'noperm' ? 'Permission denied' : 'No such file or directory'}\n`,
  };
  return {
    k: pe.k,
    argv,
    env,
    cwd,
    fds,
    profile: pe.profile,
    flavor: sh?.flavor ?? pe.profile.sh ?? 'ash',
    name,
    builtin,
    hostname: pe.hostname,
    startedAt: pe.startedAt,
    user: pe.user,
    mainArgv: pe.mainArgv,
    tty: pe.tty,
    top,
    run: (a, f, e, top) => runProgram(pe, a, f, e, cwd, launcher, false, !!top),
    lookup: (n) => lookupCommand(pe, n, cwd, env.PATH ?? ''),
    becomeInit: () => {
      pe.pid1 = false;
      if (pe.k.main && pe.k.current === pe.k.main) pe.k.main.signalHandler = () => 'die';
    },
  };
}

// sh/bash invocation: sh [-eux] [-o opt] (-c script [arg0 [args]] | file [args] | -s)
export function* runShell(
  pe: ProcEnv,
  flavor: Flavor,
  argv: string[],
  fds: Fds,
  env: Record<string, string>,
  cwd: string,
  top: boolean,
  fileSrc?: string,
): Gen<number> {
  const opts: Partial<ShellOpts> = {};
  let cmd = false;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' || a === '-') {
      i++;
      break;
    }
    if (a === '-o' || a === '+o') {
      const n = argv[++i];
      if (n === 'pipefail') opts.pipefail = a === '-o';
      if (n === 'errexit') opts.e = a === '-o';
      if (n === 'nounset') opts.u = a === '-o';
      if (n === 'xtrace') opts.x = a === '-o';
      continue;
    }
    if (a.startsWith('--')) continue;
    if (/^[-+][a-zA-Z]+$/.test(a)) {
      const on = a[0] === '-';
      for (const f of a.slice(1)) {
        if (f === 'c') cmd = true;
        else if (f === 'e') opts.e = on;
        else if (f === 'u') opts.u = on;
        else if (f === 'x') opts.x = on;
        else if (f === 'f') opts.f = on;
      }
      continue;
    }
    break;
  }
  const rest = argv.slice(i);
  const self = flavor === 'bash' ? argv[0] : argv[0];
  const stderr = fds.get(2);
  const say = function* (s: string): Gen<void> {
    if (stderr && stderr.kind === 'out') yield* stderr.write(s);
  };
  let src: string;
  let arg0 = self;
  let positional: string[];
  let lineOffset = 0;
  if (cmd) {
    if (rest.length === 0) {
      yield* say(flavor === 'bash' ? `${self}: -c: option requires an argument\n` : `${self}: -c requires an argument\n`);
      return 2;
    }
    src = rest[0];
    if (rest.length > 1) arg0 = rest[1];
    positional = rest.slice(2);
    // busybox counts the lines of a -c string from 0 in its messages.
    if (flavor === 'ash') lineOffset = 1;
  } else if (rest.length) {
    const file = rest[0];
    const p = normPath(cwd, file);
    const data = fileSrc ?? pe.k.read(p);
    if (data === null) {
      if (flavor === 'bash') yield* say(`${self}: ${file}: No such file or directory\n`);
      else if (flavor === 'dash') yield* say(`${self}: 0: cannot open ${file}: No such file\n`);
      else yield* say(`${self}: can't open '${file}': No such file or directory\n`);
      return flavor === 'bash' ? 127 : 2;
    }
    src = data;
    arg0 = file;
    positional = rest.slice(1);
  } else {
    const i0 = fds.get(0);
    src = i0 && i0.kind === 'in' ? yield* readAll(i0, pe.k.limits.maxStringBytes) : '';
    positional = [];
  }
  const shell = new Shell({ pe, flavor, arg0, positional, env, cwd, fds, top, lineOffset, opts });
  if (top && pe.k.main) pe.k.main.signalHandler = (s) => shell.onSignal(s);
  return yield* shell.runScript(src);
}
