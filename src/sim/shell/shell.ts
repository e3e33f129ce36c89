// The shell interpreter: executes the syntax tree with generator functions so that
// every command takes simulated time and any command may block (pipes, wait, sleep).
//
// The top shell of a container can be checkpointed at the head of a loop iteration:
// its state (variables, functions, traps, options...) and its position in the tree
// (a path of Frames) are written down, and a later advance resumes from there.

import type { Assign, CaseArm, Cmd, CondExpr, Redir, Word } from './ast';
import { Parser, ShellSyntaxError, formatSyntaxError } from './parser';
import type { Flavor } from './parser';
import { Kernel, Pipe, SIGNUM, TaskKilled, signalName } from './kernel';
import type { Gen, Task } from './kernel';
import { BlockIn, CaptureOut, FileOut, NullIn, NullOut, PipeIn, PipeOut, StrIn, put, readLine } from './io';
import type { Fd, FdDesc, Fds, In, Out } from './io';
import { Expander } from './expand';
import type { ExpandHost } from './expand';
import { matchPattern } from './pattern';
import { normPath } from './paths';
import { ERRNO_TEXT, isVirtual } from './proc';
import type { Profile } from './profile';
import { TestError, binary, evalTest } from './testexpr';
import type { TestEnv } from './testexpr';
import { lookupCommand, runProgram } from './programs';
import type { ProcEnv } from './programs';
import type { FsError } from './types';
import { safeRegExp } from './regex';

export class ExitEx {
  constructor(readonly code: number) {}
}
class BreakEx {
  constructor(public n: number) {}
}
class ContinueEx {
  constructor(public n: number) {}
}
class ReturnEx {
  constructor(readonly code: number) {}
}

// A position in the tree of the top script, from the root down to a loop head.
export type Frame =
  | { t: 'R'; i: number } // i-th top-level command line
  | { t: 'L'; i: number } // i-th item of a list
  | { t: 'I'; b: number } // body of the b-th arm of an if (-1: else)
  | { t: 'W'; body: boolean } // while/until: at the head, or inside the body
  | { t: 'F'; items: string[]; i: number; body: boolean } // for: item i
  | { t: 'A'; body: boolean } // for ((;;))
  | { t: 'C'; i: number } // body of the i-th arm of a case
  | { t: 'G' }; // { ...; }

interface Var {
  v: string;
  x?: boolean;
  ro?: boolean;
  arr?: string[];
}

export interface ShellOpts {
  e: boolean;
  u: boolean;
  x: boolean;
  f: boolean;
  pipefail: boolean;
}

export interface ShellSnapshot {
  src: string;
  flavor: Flavor;
  arg0: string;
  positional: string[];
  vars: [string, string, number, string[] | null][];
  funcs: [string, Cmd][];
  traps: [string, string][];
  opts: ShellOpts;
  cwd: string;
  status: number;
  lastBg: string;
  startClock: number;
  lineOffset: number;
  pid: number;
  pid1: boolean;
  // Descriptors 0-2 of the shell; undefined when one cannot be written down (a pipe).
  fds?: [number, FdDesc][];
}

const SPECIAL_BUILTINS = new Set(['break', ':', 'continue', '.', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset']);
const SHELL_BUILTINS = new Set([
  ...SPECIAL_BUILTINS,
  'cd', 'pwd', 'read', 'wait', 'local', 'command', 'type', 'let', 'umask', 'ulimit', 'alias', 'unalias', 'hash', 'jobs', 'getopts', 'builtin',
  'fg', 'bg', 'source', 'declare', 'typeset', 'shopt', 'help', 'disown',
]);
// Commands that are builtins of the shells but behave like the programs of the same name.
const APPLET_BUILTINS = new Set(['echo', 'printf', 'test', '[', 'true', 'false', 'kill']);
const BASH_ONLY = new Set(['declare', 'typeset', 'shopt', 'disown']);
const DASH_MISSING = new Set(['source', 'let', 'declare', 'typeset', 'shopt', 'help', 'disown']);

export function builtinNames(flavor: Flavor): string[] {
  return [...SHELL_BUILTINS, ...APPLET_BUILTINS].filter((b) => isShellBuiltin(b, flavor));
}

function isShellBuiltin(name: string, flavor: Flavor): boolean {
  if (!SHELL_BUILTINS.has(name) && !APPLET_BUILTINS.has(name)) return false;
  if (flavor === 'dash' && DASH_MISSING.has(name)) return false;
  if (flavor === 'ash' && BASH_ONLY.has(name)) return false;
  return true;
}

export function shQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface ShellInit {
  pe: ProcEnv;
  flavor: Flavor;
  arg0: string;
  positional: string[];
  env: Record<string, string>;
  cwd: string;
  fds: Fds;
  // The process's top shell (not a subshell): only it can be checkpointed.
  top: boolean;
  // -c strings count lines from 0 in busybox's messages.
  lineOffset: number;
  opts?: Partial<ShellOpts>;
}

export class Shell implements ExpandHost {
  readonly pe: ProcEnv;
  readonly k: Kernel;
  readonly flavor: Flavor;
  readonly profile: Profile;
  vars = new Map<string, Var>();
  funcs = new Map<string, Cmd>();
  traps = new Map<string, string>();
  opts: ShellOpts = { e: false, u: false, x: false, f: false, pipefail: false };
  cwd: string;
  status = 0;
  positional: string[];
  arg0: string;
  pid = 1;
  lastBg = '';
  jobs: Task[] = [];
  pending: string[] = [];
  depth = 0;
  loops = 0;
  barrier = 0;
  cp: Frame[] = [];
  baseFds: Fds;
  lineno = 1;
  lineOffset: number;
  startClock: number;
  top: boolean;
  execd = false;
  src = '';
  funcDepth = 0;
  locals: Map<string, Var | undefined>[] = [];
  substStatus: number | undefined;
  curFds: Fds;
  ex: Expander;
  exitTrapDone = false;
  inTrap = false;
  getoptsPos = 1;
  errQueue: string[] = [];
  pendingExports = new Set<string>();

  constructor(init: ShellInit) {
    this.pe = init.pe;
    this.k = init.pe.k;
    this.flavor = init.flavor;
    this.profile = init.pe.profile;
    this.arg0 = init.arg0;
    this.positional = init.positional;
    this.cwd = init.cwd;
    this.baseFds = init.fds;
    this.curFds = init.fds;
    this.top = init.top;
    this.lineOffset = init.lineOffset;
    this.startClock = this.k.clock;
    this.ex = new Expander(this);
    Object.assign(this.opts, init.opts ?? {});
    for (const [n, v] of Object.entries(init.env)) {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) this.vars.set(n, { v, x: true });
    }
    if (!this.vars.has('IFS')) this.vars.set('IFS', { v: ' \t\n' });
    if (!this.vars.has('PATH')) this.vars.set('PATH', { v: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', x: true });
    this.vars.set('PWD', { v: this.cwd, x: true });
    this.vars.set('PPID', { v: '0' });
    this.vars.set('OPTIND', { v: '1' });
    if (this.flavor === 'bash') {
      this.vars.set('SHLVL', { v: String(Number(init.env.SHLVL ?? '0') + 1), x: true });
      this.vars.set('BASH', { v: '/bin/bash' });
      this.vars.set('BASH_VERSION', { v: '5.2.15(1)-release' });
    }
    if (this.flavor !== 'dash' && !this.vars.has('HOSTNAME')) this.vars.set('HOSTNAME', { v: this.pe.hostname });
    this.pid = this.k.current?.pid ?? 1;
  }

  // --- snapshots ---------------------------------------------------------------------

  snapshot(): ShellSnapshot {
    return {
      src: this.src,
      flavor: this.flavor,
      arg0: this.arg0,
      positional: this.positional.slice(),
      vars: [...this.vars].map(([n, v]) => [n, v.v, (v.x ? 1 : 0) | (v.ro ? 2 : 0), v.arr ? v.arr.slice() : null]),
      funcs: [...this.funcs],
      traps: [...this.traps],
      opts: { ...this.opts },
      cwd: this.cwd,
      status: this.status,
      lastBg: this.lastBg,
      startClock: this.startClock,
      lineOffset: this.lineOffset,
      pid: this.pid,
      pid1: this.pe.pid1,
      fds: this.fdDescs(),
    };
  }

  private fdDescs(): [number, FdDesc][] | undefined {
    const out: [number, FdDesc][] = [];
    for (const [n, f] of this.baseFds) {
      if (!f.desc) return undefined;
      out.push([n, f.desc]);
    }
    return out;
  }

  restore(s: ShellSnapshot): void {
    this.src = s.src;
    this.positional = s.positional.slice();
    this.vars = new Map(
      s.vars.map(([n, v, f, arr]) => {
        const o: Var = { v };
        if (f & 1) o.x = true;
        if (f & 2) o.ro = true;
        if (arr) o.arr = arr.slice();
        return [n, o];
      }),
    );
    this.funcs = new Map(s.funcs);
    this.traps = new Map(s.traps);
    this.opts = { ...s.opts };
    this.cwd = s.cwd;
    this.status = s.status;
    this.lastBg = s.lastBg;
    this.startClock = s.startClock;
    this.lineOffset = s.lineOffset;
    this.pid = s.pid;
  }

  // A subshell: a copy sharing nothing mutable with this shell.
  clone(): Shell {
    const s = Object.create(Shell.prototype) as Shell;
    Object.assign(s, this);
    s.ex = new Expander(s);
    s.locals = [];
    s.exitTrapDone = false;
    s.inTrap = false;
    s.errQueue = [];
    s.pendingExports = new Set(this.pendingExports);
    s.funcDepth = 0;
    s.vars = new Map(this.vars);
    s.funcs = new Map(this.funcs);
    // Traps other than "ignore" are reset in subshells.
    s.traps = new Map([...this.traps].filter(([, a]) => a === ''));
    s.opts = { ...this.opts };
    s.positional = this.positional.slice();
    s.jobs = [];
    s.pending = [];
    s.top = false;
    s.cp = [];
    s.barrier = 0;
    s.execd = false;
    return s;
  }

  // --- variables ---------------------------------------------------------------------

  getVar(name: string): string | undefined {
    const v = this.vars.get(name);
    if (v) return v.arr ? v.arr[0] : v.v;
    switch (name) {
      case 'RANDOM':
        return String(this.k.random() % 32768);
      case 'SECONDS':
        return String(Math.floor((this.k.clock - this.startClock) / 1000));
      case 'LINENO':
        return String(this.lineno);
      case 'EPOCHSECONDS':
        return this.flavor === 'bash' ? String(Math.floor(this.k.clock / 1000)) : undefined;
    }
    return undefined;
  }

  getArray(name: string): string[] | undefined {
    return this.vars.get(name)?.arr;
  }

  setVar(name: string, value: string, flags?: { x?: boolean; arr?: string[] }): void {
    const old = this.vars.get(name);
    if (old?.ro) this.readonlyError(name);
    if (value.length > this.k.limits.maxStringBytes) this.fatal('out of memory');
    const v: Var = { v: value };
    if (old?.x || flags?.x || this.pendingExports.has(name)) v.x = true;
    if (flags?.arr) v.arr = flags.arr;
    this.vars.set(name, v);
    if (name === 'OPTIND') this.getoptsPos = 1;
  }

  private readonlyError(name: string): never {
    if (this.flavor === 'bash') {
      this.msg(`${name}: readonly variable`);
      throw new ExitEx(1);
    }
    this.fatal(`${name}: is read only`);
  }

  special(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.pid);
      case '!':
        return this.lastBg;
      case '#':
        return String(this.positional.length);
      case '-':
        return (this.opts.e ? 'e' : '') + (this.opts.u ? 'u' : '') + (this.opts.x ? 'x' : '') + (this.opts.f ? 'f' : '') + (this.flavor === 'bash' ? 'hBc' : '');
      case '0':
        return this.arg0;
    }
    return undefined;
  }

  exportedEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [n, v] of this.vars) if (v.x) env[n] = v.arr ? v.arr[0] : v.v;
    return env;
  }

  // --- messages --------------------------------------------------------------------

  private line(): number {
    return this.lineno - this.lineOffset;
  }

  // The prefix of the shell's own error messages.
  prefix(builtin?: string): string {
    if (this.flavor === 'bash') return `${this.arg0}: line ${this.line()}: ${builtin ? builtin + ': ' : ''}`;
    if (this.flavor === 'dash') return `${this.arg0}: ${this.line()}: ${builtin ? builtin + ': ' : ''}`;
    return `${this.arg0}: ${builtin ? `${builtin}: line ${this.line()}: ` : ''}`;
  }

  // Messages wait in a queue until the command's stderr is known to the caller.
  msg(text: string, builtin?: string): void {
    this.errQueue.push(this.prefix(builtin) + text + '\n');
  }

  private *flushErrors(fds: Fds = this.curFds): Gen<void> {
    while (this.errQueue.length) yield* put(fds.get(2), this.errQueue.shift()!);
  }

  fatal(msg: string, status = 2): never {
    this.msg(msg);
    throw new ExitEx(status);
  }

  // --- entry points ------------------------------------------------------------------

  // Runs a whole script as this shell's program; returns the exit status.
  *runScript(src: string, rp?: Frame[]): Gen<number> {
    this.src = src;
    const parser = new Parser(src, this.flavor);
    const start = rp && rp[0]?.t === 'R' ? rp[0].i : 0;
    let idx = 0;
    try {
      for (;;) {
        let cmd: Cmd | undefined;
        try {
          cmd = parser.nextCommand();
        } catch (e) {
          if (!(e instanceof ShellSyntaxError)) throw e;
          this.lineno = e.line;
          yield* this.syntaxError(e, parser);
          throw new ExitEx(e.kind === 'forvar' && this.flavor === 'bash' ? 1 : 2);
        }
        if (!cmd) break;
        if (idx < start) {
          idx++;
          continue;
        }
        this.cp = [{ t: 'R', i: idx }];
        this.status = yield* this.exec(cmd, this.baseFds, false, idx === start && rp ? rp.slice(1) : undefined);
        yield* this.runTraps(this.baseFds);
        idx++;
      }
    } catch (e) {
      if (e instanceof ExitEx) this.status = e.code;
      else if (e instanceof ReturnEx) this.status = e.code;
      else if (e instanceof BreakEx || e instanceof ContinueEx) this.status = 0;
      else throw e;
    }
    yield* this.flushErrors(this.baseFds);
    yield* this.runExitTrap();
    return this.status;
  }

  private *syntaxError(e: ShellSyntaxError, parser: Parser): Gen<void> {
    const text = formatSyntaxError(e, this.flavor, parser.lineText(e.line));
    yield* put(this.baseFds.get(2), text.split('\n\0').map((l) => `${this.arg0}: ${l}\n`).join(''));
  }

  private *runExitTrap(): Gen<void> {
    if (this.exitTrapDone) return;
    this.exitTrapDone = true;
    const a = this.traps.get('EXIT');
    if (!a) return;
    const saved = this.status;
    try {
      yield* this.evalString(a, this.baseFds);
      this.status = saved;
    } catch (e) {
      if (e instanceof ExitEx) this.status = e.code;
      else throw e;
    }
    yield* this.flushErrors(this.baseFds);
  }

  // A signal sent to this shell's process (only the top shell gets any).
  onSignal(sig: string): 'trap' | 'ignore' | 'default' | 'die' {
    if (this.execd) return this.pe.pid1 ? 'default' : 'die';
    const a = this.traps.get(sig);
    if (a === '') return 'ignore';
    if (a !== undefined) {
      this.pending.push(sig);
      return 'trap';
    }
    return this.pe.pid1 ? 'default' : 'die';
  }

  private *runTraps(fds: Fds): Gen<void> {
    if (this.inTrap) return;
    while (this.pending.length) {
      const sig = this.pending.shift()!;
      const a = this.traps.get(sig);
      if (!a) continue;
      const saved = this.status;
      this.inTrap = true;
      this.barrier++;
      try {
        yield* this.evalString(a, fds);
      } finally {
        this.barrier--;
        this.inTrap = false;
      }
      this.status = saved;
    }
  }

  private *evalString(src: string, fds: Fds): Gen<number> {
    let body: Cmd;
    try {
      body = new Parser(src, this.flavor, this.lineno).parseAll();
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      yield* put(fds.get(2), `${this.arg0}: ${formatSyntaxError(e, this.flavor)}\n`);
      return 2;
    }
    return yield* this.exec(body, fds, false);
  }

  // --- execution ---------------------------------------------------------------------

  private *tick(): Gen<void> {
    yield { k: 'time', ms: this.k.limits.stepMs };
  }

  *exec(c: Cmd, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let st: number;
    switch (c.t) {
      case 'simple':
        st = yield* this.execSimple(c, fds, cond);
        break;
      case 'pipe':
        st = yield* this.execPipe(c.cmds, c.bang, fds, cond);
        break;
      case 'andor': {
        this.barrier++;
        try {
          st = yield* this.exec(c.first, fds, true);
          for (let i = 0; i < c.rest.length; i++) {
            const r = c.rest[i];
            if ((r.op === '&&') !== (st === 0)) continue;
            st = yield* this.exec(r.cmd, fds, i < c.rest.length - 1 ? true : cond);
          }
        } finally {
          this.barrier--;
        }
        break;
      }
      case 'list':
        st = yield* this.execList(c, fds, cond, rp);
        break;
      case 'if':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execIf(c, f, cond, c.redirs.length ? undefined : rp));
        break;
      case 'loop':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execLoop(c, f, cond, c.redirs.length ? undefined : rp));
        break;
      case 'for':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execFor(c, f, cond, c.redirs.length ? undefined : rp));
        break;
      case 'afor':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execAFor(c, f, cond, c.redirs.length ? undefined : rp));
        break;
      case 'case':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execCase(c, f, cond, c.redirs.length ? undefined : rp));
        break;
      case 'group':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execGroup(c.body, f, cond, c.redirs.length ? undefined : rp));
        break;
      case 'sub':
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.execSubshell(c.body, f));
        if (!cond && st !== 0 && this.opts.e) throw new ExitEx(st);
        break;
      case 'func':
        this.funcs.set(c.name, c.body);
        st = 0;
        break;
      case 'arith': {
        this.lineno = c.line;
        yield* this.tick();
        const v = yield* this.withRedirs(c.redirs, fds, (f) => this.arithCmd(c.expr, f));
        st = v;
        if (!cond && st !== 0 && this.opts.e) throw new ExitEx(st);
        break;
      }
      case 'cond': {
        this.lineno = c.line;
        yield* this.tick();
        st = yield* this.withRedirs(c.redirs, fds, (f) => this.condCmd(c.expr, f));
        if (!cond && st !== 0 && this.opts.e) throw new ExitEx(st);
        break;
      }
    }
    this.status = st;
    return st;
  }

  private *arithCmd(w: Word, fds: Fds): Gen<number> {
    this.curFds = fds;
    try {
      const text = yield* this.ex.word(w);
      return this.ex.arith(text) !== 0n ? 0 : 1;
    } catch (e) {
      if (e instanceof ExitEx && this.flavor === 'bash') {
        yield* this.flushErrors(fds);
        return 1;
      }
      throw e;
    }
  }

  private *condCmd(e: CondExpr, fds: Fds): Gen<number> {
    this.curFds = fds;
    try {
      return (yield* this.evalCond(e)) ? 0 : 1;
    } catch (err) {
      if (err instanceof TestError) {
        this.msg(err.message);
        yield* this.flushErrors(fds);
        return 2;
      }
      throw err;
    }
  }

  private testEnv(): TestEnv {
    return {
      flavor: this.flavor,
      stat: (p) => (isVirtual(normPath(this.cwd, p)) ? null : this.k.stat(normPath(this.cwd, p))),
      isVarSet: (n) => this.vars.has(n),
    };
  }

  private *evalCond(e: CondExpr): Gen<boolean> {
    switch (e.k) {
      case 'and':
        return (yield* this.evalCond(e.a)) && (yield* this.evalCond(e.b));
      case 'or':
        return (yield* this.evalCond(e.a)) || (yield* this.evalCond(e.b));
      case 'not':
        return !(yield* this.evalCond(e.e));
      case 'word':
        return (yield* this.ex.word(e.w)) !== '';
      case 'un': {
        const a = yield* this.ex.word(e.arg);
        return evalTest([e.op, a], this.testEnv()) === 0;
      }
      case 'bin': {
        const l = yield* this.ex.word(e.l);
        if (e.op === '==' || e.op === '=' || e.op === '!=') {
          const p = yield* this.ex.pattern(e.r);
          const m = matchPattern(p, l);
          return e.op === '!=' ? !m : m;
        }
        if (e.op === '=~') {
          const r = yield* this.ex.word(e.r);
          let re: RegExp;
          try {
            re = safeRegExp(r);
          } catch {
            return false;
          }
          const m = re.exec(l);
          if (m) this.setVar('BASH_REMATCH', m[0], { arr: m.map((x) => x ?? '') });
          return !!m;
        }
        const r = yield* this.ex.word(e.r);
        if (/^-(eq|ne|lt|le|gt|ge)$/.test(e.op) && this.flavor === 'bash') {
          return binary(e.op, this.ex.arith(l).toString(), this.ex.arith(r).toString(), this.testEnv());
        }
        return binary(e.op, l, r, this.testEnv());
      }
    }
  }

  private *withRedirs(redirs: Redir[], fds: Fds, body: (f: Fds) => Gen<number>): Gen<number> {
    if (redirs.length === 0) return yield* body(fds);
    const f = yield* this.openRedirs(redirs, fds);
    if (!f) return 1;
    this.barrier++;
    try {
      return yield* body(f);
    } finally {
      this.barrier--;
    }
  }

  private *execList(c: Extract<Cmd, { t: 'list' }>, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let st = this.status;
    const start = rp && rp[0]?.t === 'L' ? rp[0].i : 0;
    for (let i = start; i < c.items.length; i++) {
      const it = c.items[i];
      if (it.bg) {
        st = yield* this.background(it.cmd, fds);
      } else {
        const f: Frame = { t: 'L', i };
        this.cp.push(f);
        try {
          st = yield* this.exec(it.cmd, fds, cond, i === start && rp ? rp.slice(1) : undefined);
        } finally {
          this.cp.pop();
        }
      }
      yield* this.runTraps(fds);
    }
    return st;
  }

  private *execIf(c: Extract<Cmd, { t: 'if' }>, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let branch: number | undefined;
    if (rp && rp[0]?.t === 'I') branch = rp[0].b;
    else {
      for (let i = 0; i < c.arms.length; i++) {
        this.barrier++;
        let st: number;
        try {
          st = yield* this.exec(c.arms[i].cond, fds, true);
        } finally {
          this.barrier--;
        }
        if (st === 0) {
          branch = i;
          break;
        }
      }
      if (branch === undefined) {
        if (!c.else) return 0;
        branch = -1;
      }
    }
    const body = branch === -1 ? c.else! : c.arms[branch].body;
    this.cp.push({ t: 'I', b: branch });
    try {
      return yield* this.exec(body, fds, cond, rp && rp[0]?.t === 'I' ? rp.slice(1) : undefined);
    } finally {
      this.cp.pop();
    }
  }

  private offerCheckpoint(head: Frame): void {
    if (!this.top || this.barrier > 0 || this.pending.length || this.execd || this.funcDepth > 0) return;
    const path = [...this.cp, head].map((f) => ({ ...f }));
    this.k.offerCheckpoint(() => {
      const snap = this.snapshot();
      return snap.fds ? { path, shell: snap } : undefined;
    });
  }

  private *loopBody(body: Cmd, fds: Fds, cond: boolean, rp?: Frame[]): Gen<'break' | 'continue' | number> {
    this.loops++;
    try {
      return yield* this.exec(body, fds, cond, rp);
    } catch (e) {
      if (e instanceof BreakEx) {
        if (--e.n > 0) throw e;
        return 'break';
      }
      if (e instanceof ContinueEx) {
        if (--e.n > 0) throw e;
        return 'continue';
      }
      throw e;
    } finally {
      this.loops--;
    }
  }

  private *execLoop(c: Extract<Cmd, { t: 'loop' }>, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let st = 0;
    let resumeBody = rp && rp[0]?.t === 'W' && rp[0].body ? rp.slice(1) : undefined;
    for (;;) {
      if (!resumeBody) {
        if (fds === this.baseFds) this.offerCheckpoint({ t: 'W', body: false });
        this.barrier++;
        let cs: number;
        try {
          cs = yield* this.exec(c.cond, fds, true);
        } finally {
          this.barrier--;
        }
        yield* this.runTraps(fds);
        if (c.until ? cs === 0 : cs !== 0) break;
      }
      this.cp.push({ t: 'W', body: true });
      let r: 'break' | 'continue' | number;
      try {
        r = yield* this.loopBody(c.body, fds, cond, resumeBody);
      } finally {
        this.cp.pop();
      }
      resumeBody = undefined;
      if (r === 'break') break;
      if (typeof r === 'number') st = r;
      yield* this.runTraps(fds);
    }
    return st;
  }

  private *execFor(c: Extract<Cmd, { t: 'for' }>, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let items: string[];
    let i = 0;
    let resumeBody: Frame[] | undefined;
    const r0 = rp?.[0];
    if (r0 && r0.t === 'F') {
      items = r0.items;
      i = r0.i;
      if (r0.body) resumeBody = rp!.slice(1);
    } else {
      this.curFds = fds;
      yield* this.tick();
      items = c.items ? yield* this.ex.words(c.items) : this.positional.slice();
    }
    let st = 0;
    for (; i < items.length; i++) {
      if (!resumeBody) {
        if (fds === this.baseFds) this.offerCheckpoint({ t: 'F', items, i, body: false });
        this.setVar(c.name, items[i]);
      }
      this.cp.push({ t: 'F', items, i, body: true });
      let r: 'break' | 'continue' | number;
      try {
        r = yield* this.loopBody(c.body, fds, cond, resumeBody);
      } finally {
        this.cp.pop();
      }
      resumeBody = undefined;
      if (r === 'break') break;
      if (typeof r === 'number') st = r;
      yield* this.runTraps(fds);
    }
    return st;
  }

  private *execAFor(c: Extract<Cmd, { t: 'afor' }>, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let resumeBody = rp && rp[0]?.t === 'A' && rp[0].body ? rp.slice(1) : undefined;
    const resumeHead = rp && rp[0]?.t === 'A' && !rp[0].body;
    this.curFds = fds;
    if (!resumeBody && !resumeHead) this.ex.arith(yield* this.ex.word(c.init));
    let st = 0;
    let first = true;
    for (;;) {
      if (!resumeBody) {
        if (!(first && resumeHead) && !first) this.ex.arith(yield* this.ex.word(c.step));
        first = false;
        if (fds === this.baseFds) this.offerCheckpoint({ t: 'A', body: false });
        yield* this.tick();
        const condText = yield* this.ex.word(c.cond);
        if (condText.trim() !== '' && this.ex.arith(condText) === 0n) break;
      }
      first = false;
      this.cp.push({ t: 'A', body: true });
      let r: 'break' | 'continue' | number;
      try {
        r = yield* this.loopBody(c.body, fds, cond, resumeBody);
      } finally {
        this.cp.pop();
      }
      resumeBody = undefined;
      if (r === 'break') break;
      if (typeof r === 'number') st = r;
    }
    return st;
  }

  private *execCase(c: Extract<Cmd, { t: 'case' }>, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    let start: number | undefined;
    if (rp && rp[0]?.t === 'C') start = rp[0].i;
    else {
      yield* this.tick();
      this.curFds = fds;
      const w = yield* this.ex.word(c.word);
      outer: for (let i = 0; i < c.arms.length; i++) {
        for (const p of c.arms[i].pats) {
          const pat = yield* this.ex.pattern(p);
          if (matchPattern(pat, w)) {
            start = i;
            break outer;
          }
        }
      }
    }
    if (start === undefined) return 0;
    let st = 0;
    let i = start;
    let first = true;
    while (i < c.arms.length) {
      const arm: CaseArm = c.arms[i];
      if (arm.body) {
        this.cp.push({ t: 'C', i });
        try {
          st = yield* this.exec(arm.body, fds, cond, first && rp && rp[0]?.t === 'C' ? rp.slice(1) : undefined);
        } finally {
          this.cp.pop();
        }
      }
      first = false;
      if (arm.term === ';&') {
        i++;
        continue;
      }
      if (arm.term === ';;&') {
        // Keep testing the following patterns.
        const w = yield* this.ex.word(c.word);
        let next: number | undefined;
        outer: for (let j = i + 1; j < c.arms.length; j++) {
          for (const p of c.arms[j].pats) {
            if (matchPattern(yield* this.ex.pattern(p), w)) {
              next = j;
              break outer;
            }
          }
        }
        if (next === undefined) break;
        i = next;
        continue;
      }
      break;
    }
    return st;
  }

  private *execGroup(body: Cmd, fds: Fds, cond: boolean, rp?: Frame[]): Gen<number> {
    this.cp.push({ t: 'G' });
    try {
      return yield* this.exec(body, fds, cond, rp && rp[0]?.t === 'G' ? rp.slice(1) : undefined);
    } finally {
      this.cp.pop();
    }
  }

  private *execSubshell(body: Cmd, fds: Fds): Gen<number> {
    const sub = this.clone();
    return yield* sub.runSub(body, fds);
  }

  // Runs `body` as this (sub)shell's whole program.
  *runSub(body: Cmd, fds: Fds): Gen<number> {
    this.curFds = fds;
    this.baseFds = fds;
    if (++this.depth > this.k.limits.maxDepth) {
      yield* put(fds.get(2), `${this.arg0}: subshell nesting too deep\n`);
      return 2;
    }
    let st: number;
    try {
      st = yield* this.exec(body, fds, false);
    } catch (e) {
      if (e instanceof ExitEx) st = e.code;
      else if (e instanceof ReturnEx) st = e.code;
      else if (e instanceof BreakEx || e instanceof ContinueEx) st = 0;
      else throw e;
    }
    yield* this.flushErrors(fds);
    this.status = st;
    yield* this.runExitTrap();
    return this.status;
  }

  *cmdSubst(body: Cmd): Gen<string> {
    const cap = new CaptureOut(this.k.limits.maxStringBytes);
    const fds: Fds = new Map(this.curFds);
    fds.set(1, cap);
    const sub = this.clone();
    const st = yield* sub.runSub(body, fds);
    this.substStatus = st;
    return cap.text.replace(/\n+$/, '');
  }

  private *background(c: Cmd, fds: Fds): Gen<number> {
    const sub = this.clone();
    const bfds: Fds = new Map(fds);
    // Asynchronous commands read /dev/null unless redirected.
    const in0 = bfds.get(0);
    if (in0 && (in0 === this.baseFds.get(0) || in0 instanceof BlockIn)) bfds.set(0, new NullIn());
    const t = this.spawnWith(sub.runSub(c, bfds), bfds);
    sub.pid = this.pid;
    this.jobs.push(t);
    this.lastBg = String(t.pid);
    return 0;
  }

  // Starts a task holding (and releasing at its end) the pipe ends in `fds`.
  private spawnWith(gen: Gen<number>, fds: Fds): Task {
    const t = this.k.spawn(gen);
    const seen = new Set<Fd>();
    for (const fd of fds.values()) {
      if (seen.has(fd)) continue;
      seen.add(fd);
      if (fd.retain && fd.release) {
        fd.retain();
        const rel = fd.release.bind(fd);
        t.onExit.push(rel);
      }
    }
    return t;
  }

  private *execPipe(cmds: Cmd[], bang: boolean, fds: Fds, cond: boolean): Gen<number> {
    let st: number;
    if (cmds.length === 1) {
      st = yield* this.exec(cmds[0], fds, bang || cond);
    } else {
      const tasks: Task[] = [];
      let prev: Pipe | undefined;
      for (let i = 0; i < cmds.length; i++) {
        const sfds: Fds = new Map(fds);
        if (prev) sfds.set(0, new PipeIn(prev));
        let next: Pipe | undefined;
        if (i < cmds.length - 1) {
          next = new Pipe(this.k);
          sfds.set(1, new PipeOut(next));
        }
        const sub = this.clone();
        tasks.push(this.spawnWith(sub.runSub(cmds[i], sfds), sfds));
        prev = next;
      }
      const codes: number[] = [];
      for (const t of tasks) {
        const r = yield* this.k.waitTask(t);
        codes.push(typeof r === 'number' ? r : 0);
      }
      st = codes[codes.length - 1];
      if (this.opts.pipefail) {
        const bad = codes.filter((x) => x !== 0);
        if (bad.length) st = bad[bad.length - 1];
      }
      if (this.flavor === 'bash') this.setVar('PIPESTATUS', String(codes[0]), { arr: codes.map(String) });
    }
    if (bang) st = st === 0 ? 1 : 0;
    else if (!cond && st !== 0 && this.opts.e && cmds.length > 1) throw new ExitEx(st);
    return st;
  }

  // --- simple commands -------------------------------------------------------------

  private *assignValue(a: Assign): Gen<{ v: string; arr?: string[] }> {
    if (a.array) {
      const arr = yield* this.ex.words(a.array);
      return { v: arr[0] ?? '', arr };
    }
    let v = yield* this.ex.word(a.value);
    if (a.append) v = (this.getVar(a.name) ?? '') + v;
    return { v };
  }

  private *execSimple(c: Extract<Cmd, { t: 'simple' }>, fds: Fds, cond: boolean): Gen<number> {
    this.lineno = c.line;
    yield* this.tick();
    this.curFds = fds;
    this.substStatus = undefined;
    let st: number;
    try {
      st = yield* this.simple(c, fds);
    } catch (e) {
      if (e instanceof ExitEx) yield* this.flushErrors(fds);
      throw e;
    }
    yield* this.flushErrors(fds);
    this.status = st;
    if (!cond && st !== 0 && this.opts.e) throw new ExitEx(st);
    return st;
  }

  private *simple(c: Extract<Cmd, { t: 'simple' }>, fds: Fds): Gen<number> {
    const argv = c.words.length ? yield* this.ex.words(c.words) : [];
    if (argv.length === 0) {
      for (const a of c.assigns) {
        const { v, arr } = yield* this.assignValue(a);
        if (this.opts.x) yield* put(fds.get(2), `+ ${a.name}=${shQuote(v)}\n`);
        this.setVar(a.name, v, arr ? { arr } : undefined);
      }
      if (c.redirs.length) {
        const f = yield* this.openRedirs(c.redirs, fds);
        if (!f) return 1;
      }
      return this.substStatus ?? 0;
    }
    const assigns: [string, string][] = [];
    for (const a of c.assigns) assigns.push([a.name, (yield* this.assignValue(a)).v]);
    if (this.opts.x) {
      const pre = assigns.map(([n, v]) => `${n}=${shQuote(v)} `).join('');
      yield* put(fds.get(2), `+ ${pre}${argv.map(shQuote).join(' ')}\n`);
    }
    let cfds = fds;
    if (c.redirs.length) {
      const f = yield* this.openRedirs(c.redirs, fds);
      if (!f) return 1;
      cfds = f;
    }
    return yield* this.command(argv, cfds, assigns, false);
  }

  // Runs argv[0] as a function, builtin or program. `noFunc` for `command name`.
  private *command(argv: string[], fds: Fds, assigns: [string, string][], noFunc: boolean): Gen<number> {
    const name = argv[0];
    if (SPECIAL_BUILTINS.has(name) && isShellBuiltin(name, this.flavor)) {
      for (const [n, v] of assigns) this.setVar(n, v);
      return yield* this.builtin(name, argv, fds);
    }
    const fn = noFunc ? undefined : this.funcs.get(name);
    if (fn || isShellBuiltin(name, this.flavor)) {
      // Prefix assignments last for the duration of the command.
      const saved = assigns.map(([n]) => [n, this.vars.get(n)] as const);
      for (const [n, v] of assigns) this.setVar(n, v, { x: true });
      try {
        return fn ? yield* this.callFunc(fn, argv, fds) : yield* this.builtin(name, argv, fds);
      } finally {
        for (const [n, v] of saved) {
          if (v) this.vars.set(n, v);
          else this.vars.delete(n);
        }
      }
    }
    const env = this.exportedEnv();
    for (const [n, v] of assigns) env[n] = v;
    return yield* this.external(argv, fds, env);
  }

  private *external(argv: string[], fds: Fds, env: Record<string, string>): Gen<number> {
    return yield* runProgram(this.pe, argv, fds, env, this.cwd, this);
  }

  // "not found" as this shell words it.
  notFound(name: string, kind: 'missing' | 'noperm' | 'nofile'): string {
    if (kind === 'noperm') return `${this.prefix()}${name}: Permission denied\n`;
    if (this.flavor === 'bash') return `${this.prefix()}${name}: ${kind === 'nofile' ? 'No such file or directory' : 'command not found'}\n`;
    return `${this.prefix()}${name}: not found\n`;
  }

  private *callFunc(body: Cmd, argv: string[], fds: Fds): Gen<number> {
    if (++this.funcDepth > this.k.limits.maxDepth) {
      this.funcDepth--;
      this.fatal(this.flavor === 'bash' ? `${argv[0]}: maximum function nesting level exceeded (${this.k.limits.maxDepth})` : 'function nesting too deep');
    }
    const savedPos = this.positional;
    this.positional = argv.slice(1);
    this.locals.push(new Map());
    this.barrier++;
    try {
      return yield* this.exec(body, fds, false);
    } catch (e) {
      if (e instanceof ReturnEx) return e.code;
      throw e;
    } finally {
      this.barrier--;
      this.funcDepth--;
      this.positional = savedPos;
      const scope = this.locals.pop()!;
      for (const [n, v] of scope) {
        if (v) this.vars.set(n, v);
        else this.vars.delete(n);
      }
    }
  }

  // --- redirections ------------------------------------------------------------------

  private fsErrText(e: FsError): string {
    return ERRNO_TEXT[e];
  }

  private *openRedirs(redirs: Redir[], fds: Fds): Gen<Fds | undefined> {
    const out: Fds = new Map(fds);
    for (const r of redirs) {
      const ok = yield* this.openRedir(r, out);
      if (!ok) {
        yield* this.flushErrors(fds);
        return undefined;
      }
    }
    return out;
  }

  private *openRedir(r: Redir, fds: Fds): Gen<boolean> {
    const op = r.op;
    if (op === '<<' || op === '<<-') {
      const body = r.body ? yield* this.ex.word(r.body) : '';
      fds.set(r.fd ?? 0, new StrIn(body));
      return true;
    }
    if (op === '<<<') {
      const w = yield* this.ex.word(r.target);
      fds.set(r.fd ?? 0, new StrIn(w + '\n'));
      return true;
    }
    const target = yield* this.ex.word(r.target);
    if (op === '>&' || op === '<&') {
      const dflt = op === '>&' ? 1 : 0;
      if (target === '-') {
        fds.delete(r.fd ?? dflt);
        return true;
      }
      if (/^[0-9]+$/.test(target)) {
        const src = fds.get(Number(target));
        if (!src) {
          this.msg(`${target}: Bad file descriptor`);
          return false;
        }
        fds.set(r.fd ?? dflt, src);
        return true;
      }
      if (op === '<&') {
        this.msg(`${target}: ambiguous redirect`);
        return false;
      }
      // bash: >&file is &>file
      const o = yield* this.openOut(target, false);
      if (!o) return false;
      fds.set(1, o);
      fds.set(2, o);
      return true;
    }
    if (op === '<' || op === '<>') {
      const i = yield* this.openIn(target, fds);
      if (!i) return false;
      fds.set(r.fd ?? 0, i);
      return true;
    }
    const append = op === '>>' || op === '&>>';
    const o = yield* this.openOut(target, append);
    if (!o) return false;
    if (op === '&>' || op === '&>>') {
      fds.set(1, o);
      fds.set(2, o);
    } else fds.set(r.fd ?? 1, o);
    return true;
  }

  private *openOut(target: string, append: boolean): Gen<Out | undefined> {
    const p = normPath(this.cwd, target);
    if (p === '/dev/null' || p === '/dev/zero') return new NullOut();
    if (p === '/dev/stdout' || p === '/proc/self/fd/1' || p === '/dev/fd/1' || p === '/proc/1/fd/1') {
      const o = this.curFds.get(1);
      return o && o.kind === 'out' ? o : new NullOut();
    }
    if (p === '/dev/stderr' || p === '/proc/self/fd/2' || p === '/dev/fd/2' || p === '/proc/1/fd/2') {
      const o = this.curFds.get(2);
      return o && o.kind === 'out' ? o : new NullOut();
    }
    if (isVirtual(p) && p !== '/dev/termination-log') {
      this.redirError(target, 'EACCES', 'create');
      return undefined;
    }
    const e = this.k.write(p, '', append);
    if (e) {
      this.redirError(target, e, 'create');
      return undefined;
    }
    return new FileOut(this.k, p);
  }

  private *openIn(target: string, fds: Fds): Gen<In | undefined> {
    const p = normPath(this.cwd, target);
    if (p === '/dev/null') return new NullIn();
    if (p === '/dev/stdin' || p === '/proc/self/fd/0' || p === '/dev/fd/0') {
      const i = fds.get(0);
      return i && i.kind === 'in' ? i : new NullIn();
    }
    if (p === '/dev/zero' || p === '/dev/urandom' || p === '/dev/random') {
      let s = '';
      for (let i = 0; i < 4096; i++) s += p === '/dev/zero' ? '\0' : String.fromCharCode(this.k.random() & 0xff);
      return new StrIn(s);
    }
    const d = this.k.read(p);
    if (d === null) {
      const st = this.k.stat(p);
      this.redirError(target, st && st.type === 'dir' ? 'EISDIR' : 'ENOENT', 'open');
      return undefined;
    }
    return new StrIn(d);
  }

  private redirError(target: string, e: FsError, what: 'create' | 'open'): void {
    if (this.flavor === 'bash') {
      this.errQueue.push(`${this.prefix()}${target}: ${this.fsErrText(e)}\n`);
    } else if (this.flavor === 'dash') {
      const t = e === 'ENOENT' ? (what === 'create' ? 'Directory nonexistent' : 'No such file') : this.fsErrText(e);
      this.errQueue.push(`${this.prefix()}cannot ${what} ${target}: ${t}\n`);
    } else {
      // ash words ENOENT/ENOTDIR its own way and quotes nothing.
      const t = e === 'ENOENT' || e === 'ENOTDIR' ? (what === 'create' ? 'nonexistent directory' : 'no such file') : this.fsErrText(e);
      this.errQueue.push(`${this.arg0}: can't ${what} ${target}: ${t}\n`);
    }
  }

  // --- builtins --------------------------------------------------------------------

  private *builtin(name: string, argv: string[], fds: Fds): Gen<number> {
    const args = argv.slice(1);
    const say = (s: string): Gen<void> => put(fds.get(1), s);
    switch (name) {
      case ':':
      case 'true':
        return 0;
      case 'false':
        return 1;
      case 'echo':
      case 'printf':
      case 'test':
      case '[':
      case 'kill':
        if (name === 'kill') return yield* this.killBuiltin(args, fds);
        return yield* runProgram(this.pe, argv, fds, this.exportedEnv(), this.cwd, this, true);
      case 'exit': {
        let code = this.status;
        if (args.length) {
          if (!/^-?\d+$/.test(args[0])) {
            if (this.flavor === 'bash') {
              this.msg(`${args[0]}: numeric argument required`, 'exit');
              throw new ExitEx(2);
            }
            this.fatal(this.flavor === 'dash' ? `exit: Illegal number: ${args[0]}` : `exit: line ${this.line()}: Illegal number: ${args[0]}`);
          }
          code = Number(args[0]) & 255;
        }
        throw new ExitEx(code);
      }
      case 'return': {
        const code = args.length ? Number(args[0]) & 255 : this.status;
        if (this.funcDepth === 0 && this.depth === 0 && this.flavor === 'bash') {
          this.msg("can only `return' from a function or sourced script", 'return');
          return 1;
        }
        throw new ReturnEx(code);
      }
      case 'break':
      case 'continue': {
        const n = args.length ? Number(args[0]) : 1;
        if (!Number.isInteger(n) || n < 1) {
          this.msg(`${args[0]}: loop count out of range`, name);
          return 1;
        }
        if (this.loops === 0) {
          if (this.flavor === 'bash') this.msg("only meaningful in a `for', `while', or `until' loop", name);
          return 0;
        }
        throw name === 'break' ? new BreakEx(Math.min(n, this.loops)) : new ContinueEx(Math.min(n, this.loops));
      }
      case 'cd':
        return yield* this.cd(args, fds);
      case 'pwd':
        yield* say(this.cwd + '\n');
        return 0;
      case 'export':
      case 'readonly':
      case 'local':
      case 'declare':
      case 'typeset':
        return yield* this.declare(name, args, fds);
      case 'unset': {
        let funcs = false;
        for (const a of args) {
          if (a === '-f') funcs = true;
          else if (a === '-v') funcs = false;
          else if (funcs) this.funcs.delete(a);
          else {
            if (this.vars.get(a)?.ro) {
              if (this.flavor === 'bash') {
                this.msg(`${a}: cannot unset: readonly variable`, 'unset');
                return 1;
              }
              this.fatal(`${a}: is read only`);
            }
            this.vars.delete(a);
          }
        }
        return 0;
      }
      case 'set':
        return yield* this.setBuiltin(args, fds);
      case 'shift': {
        const n = args.length ? Number(args[0]) : 1;
        if (!Number.isInteger(n) || n < 0 || n > this.positional.length) {
          if (this.flavor === 'bash') return 1;
          if (this.flavor === 'dash') this.fatal(`shift: can't shift that many`);
          return 1;
        }
        this.positional = this.positional.slice(n);
        return 0;
      }
      case 'eval': {
        this.barrier++;
        try {
          return yield* this.evalString(args.join(' '), fds);
        } finally {
          this.barrier--;
        }
      }
      case '.':
      case 'source':
        return yield* this.source(name, args, fds);
      case 'exec':
        return yield* this.execBuiltin(args, fds);
      case 'trap':
        return yield* this.trapBuiltin(args, fds);
      case 'wait':
        return yield* this.waitBuiltin(args);
      case 'read':
        return yield* this.readBuiltin(args, fds);
      case 'command':
        return yield* this.commandBuiltin(args, fds);
      case 'builtin':
        if (!args.length) return 0;
        if (!isShellBuiltin(args[0], this.flavor)) {
          this.msg(`${args[0]}: not a shell builtin`, 'builtin');
          return 1;
        }
        return yield* this.builtin(args[0], args, fds);
      case 'type':
        return yield* this.typeBuiltin(args, fds);
      case 'let': {
        let v = 0n;
        if (!args.length) {
          this.msg('expression expected', 'let');
          return 1;
        }
        for (const a of args) v = this.ex.arith(a);
        return v !== 0n ? 0 : 1;
      }
      case 'getopts':
        return this.getopts(args);
      case 'umask':
        if (args.length === 0) yield* say('0022\n');
        return 0;
      case 'ulimit':
        if (args.includes('-n')) yield* say('1048576\n');
        else if (!args.some((a) => /^\d+$/.test(a))) yield* say('unlimited\n');
        return 0;
      case 'times':
        yield* say('0m0.000s 0m0.000s\n0m0.000s 0m0.000s\n');
        return 0;
      case 'jobs': {
        let n = 0;
        for (const t of this.jobs) {
          n++;
          if (!t.done) yield* say(`[${n}]${n === this.jobs.length ? '+' : ' '}  Running\n`);
        }
        return 0;
      }
      case 'fg':
      case 'bg':
        this.msg('no job control', name);
        return 1;
      case 'alias':
      case 'unalias':
      case 'hash':
      case 'shopt':
      case 'disown':
        return 0;
      case 'help':
        yield* say(`Built-in commands:\n${builtinNames(this.flavor).sort().join(' ')}\n`);
        return 0;
    }
    return 127;
  }

  private *cd(args: string[], fds: Fds): Gen<number> {
    const a = args.filter((x) => x !== '-L' && x !== '-P');
    let dir = a[0];
    let print = false;
    if (dir === undefined) {
      dir = this.getVar('HOME') ?? '/';
    } else if (dir === '-') {
      dir = this.getVar('OLDPWD') ?? this.cwd;
      print = true;
    }
    const p = normPath(this.cwd, dir);
    const st = isVirtual(p) ? ({ type: 'dir' } as const) : this.k.stat(p);
    if (!st || st.type !== 'dir') {
      const why = st ? 'Not a directory' : 'No such file or directory';
      if (this.flavor === 'bash') this.msg(`${dir}: ${why}`, 'cd');
      else if (this.flavor === 'dash') this.msg(`can't cd to ${dir}`, 'cd');
      else this.msg(`can't cd to ${dir}: ${why}`, 'cd');
      return this.flavor === 'bash' ? 1 : 2;
    }
    this.setVar('OLDPWD', this.cwd, { x: true });
    this.cwd = p;
    this.setVar('PWD', p, { x: true });
    if (print) yield* put(fds.get(1), p + '\n');
    return 0;
  }

  private *declare(name: string, args: string[], fds: Fds): Gen<number> {
    const exp = name === 'export';
    const ro = name === 'readonly';
    let local = name === 'local' || ((name === 'declare' || name === 'typeset') && this.funcDepth > 0);
    let flagX = exp;
    let flagR = ro;
    let unexport = false;
    let print = false;
    const names: string[] = [];
    for (const a of args) {
      if (/^[-+][a-zA-Z]+$/.test(a) && names.length === 0) {
        for (const f of a.slice(1)) {
          if (f === 'x') flagX = a[0] === '-';
          else if (f === 'r') flagR = true;
          else if (f === 'n' && exp) unexport = true;
          else if (f === 'p') print = true;
          else if (f === 'g') local = false;
        }
        continue;
      }
      names.push(a);
    }
    if (name === 'local' && this.funcDepth === 0) {
      if (this.flavor === 'bash') {
        this.msg('can only be used in a function', 'local');
        return 1;
      }
      if (this.flavor === 'ash') {
        this.fatal('local: not in a function');
      }
    }
    if (names.length === 0 && (exp || ro || print || name === 'declare' || name === 'typeset')) {
      const lines: string[] = [];
      for (const [n, v] of [...this.vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (exp && !v.x) continue;
        if (ro && !v.ro) continue;
        if (this.flavor === 'bash') {
          const fl = (v.x ? 'x' : '') + (v.ro ? 'r' : '');
          lines.push(`declare -${fl || '-'} ${n}="${v.v.replace(/(["\\$`])/g, '\\$1')}"`);
        } else lines.push(`${exp ? 'export' : 'readonly'} ${n}='${v.v.replace(/'/g, `'\\''`)}'`);
      }
      yield* put(fds.get(1), lines.map((l) => l + '\n').join(''));
      return 0;
    }
    for (const a of names) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(\+?)=([\s\S]*))?$/.exec(a);
      if (!m) {
        if (this.flavor === 'bash') {
          this.msg(`\`${a}': not a valid identifier`, name);
          return 1;
        }
        this.fatal(`${name}: ${a}: bad variable name`);
      }
      const n = m[1];
      if (local) {
        const scope = this.locals[this.locals.length - 1];
        if (scope && !scope.has(n)) scope.set(n, this.vars.get(n));
        if (m[3] === undefined) {
          const old = this.vars.get(n);
          this.vars.set(n, { v: this.flavor === 'bash' ? '' : (old?.v ?? ''), x: flagX || undefined });
          if (this.flavor === 'bash') this.vars.delete(n);
        }
      }
      if (m[3] !== undefined) {
        const val = m[2] ? (this.getVar(n) ?? '') + m[3] : m[3];
        this.setVar(n, val);
      }
      const cur = this.vars.get(n);
      if (flagX || flagR || unexport) {
        const v: Var = cur ? { ...cur } : { v: '' };
        if (flagX) v.x = true;
        if (unexport) delete v.x;
        if (flagR) v.ro = true;
        if (cur || m[3] !== undefined || exp || flagR) this.vars.set(n, v);
        if (!cur && m[3] === undefined && exp) {
          // `export NAME` of an unset name: exported once it gets a value.
          this.vars.delete(n);
          this.pendingExports.add(n);
        }
      }
    }
    return 0;
  }

  private *setBuiltin(args: string[], fds: Fds): Gen<number> {
    if (args.length === 0) {
      const lines = [...this.vars]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([n, v]) => `${n}=${this.flavor === 'bash' ? shQuote(v.v) : `'${v.v.replace(/'/g, `'\\''`)}'`}\n`);
      yield* put(fds.get(1), lines.join(''));
      return 0;
    }
    const optMap: Record<string, keyof ShellOpts | undefined> = { e: 'e', u: 'u', x: 'x', f: 'f' };
    const longMap: Record<string, keyof ShellOpts | undefined> = { errexit: 'e', nounset: 'u', xtrace: 'x', noglob: 'f', pipefail: 'pipefail' };
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--') {
        this.positional = args.slice(i + 1);
        return 0;
      }
      if (a === '-o' || a === '+o') {
        const n = args[++i];
        if (n === undefined) {
          const lines = Object.entries(longMap).map(([ln, k]) => `${ln.padEnd(15)}\t${k && this.opts[k] ? 'on' : 'off'}\n`);
          yield* put(fds.get(1), lines.join(''));
          return 0;
        }
        const k = longMap[n];
        if (k) this.opts[k] = a === '-o';
        else if (!['monitor', 'noclobber', 'allexport', 'verbose', 'posix', 'vi', 'emacs', 'notify', 'noexec', 'ignoreeof', 'nolog', 'errtrace', 'functrace', 'hashall', 'interactive-comments'].includes(n)) {
          if (this.flavor === 'bash') {
            this.msg(`${n}: invalid option name`, 'set');
            return 2;
          }
          this.fatal(`set: line ${this.line()}: illegal option -o ${n}`);
        }
        continue;
      }
      if (/^[-+][a-zA-Z]+$/.test(a)) {
        const on = a[0] === '-';
        for (const f of a.slice(1)) {
          if (f === 'o') {
            const n = args[++i];
            const k = n === undefined ? undefined : longMap[n];
            if (k) this.opts[k] = on;
            continue;
          }
          const k = optMap[f];
          if (k) this.opts[k] = on;
        }
        continue;
      }
      this.positional = args.slice(i);
      return 0;
    }
    return 0;
  }

  private *source(name: string, args: string[], fds: Fds): Gen<number> {
    if (!args.length) {
      if (this.flavor === 'bash') {
        this.msg('filename argument required', name);
        return 2;
      }
      return 0;
    }
    const file = args[0];
    let path: string | undefined;
    if (file.includes('/')) path = normPath(this.cwd, file);
    else {
      for (const d of (this.getVar('PATH') ?? '').split(':')) {
        const p = normPath(this.cwd, `${d || '.'}/${file}`);
        const st = this.k.stat(p);
        if (st && st.type === 'file') {
          path = p;
          break;
        }
      }
      if (!path && this.flavor === 'bash') path = normPath(this.cwd, file);
    }
    const src = path ? this.k.read(path) : null;
    if (src === null) {
      if (this.flavor === 'bash') {
        this.msg(`${file}: No such file or directory`);
        return 1;
      }
      if (this.flavor === 'dash') this.fatal(`${name}: cannot open ${file}: No such file`);
      this.fatal(`${name}: line ${this.line()}: can't open '${file}': No such file or directory`);
    }
    let body: Cmd;
    try {
      body = new Parser(src, this.flavor).parseAll();
    } catch (e) {
      if (!(e instanceof ShellSyntaxError)) throw e;
      yield* put(fds.get(2), `${file}: ${formatSyntaxError(e, this.flavor)}\n`);
      throw new ExitEx(2);
    }
    const savedPos = this.positional;
    if (args.length > 1) this.positional = args.slice(1);
    this.barrier++;
    this.depth++;
    try {
      return yield* this.exec(body, fds, false);
    } catch (e) {
      if (e instanceof ReturnEx) return e.code;
      throw e;
    } finally {
      this.depth--;
      this.barrier--;
      if (args.length > 1) this.positional = savedPos;
    }
  }

  private *execBuiltin(args: string[], fds: Fds): Gen<number> {
    if (args.length === 0) {
      // `exec >file`: the redirections (already applied to `fds`) become permanent.
      for (const [n, f] of fds) this.baseFds.set(n, f);
      for (const n of [...this.baseFds.keys()]) if (!fds.has(n)) this.baseFds.delete(n);
      return 0;
    }
    let a = args;
    while (a[0] === '-a' || a[0] === '-c' || a[0] === '-l') a = a[0] === '-a' ? a.slice(2) : a.slice(1);
    if (!a.length) return 0;
    this.execd = true;
    const st = yield* this.external(a, fds, this.exportedEnv());
    throw new ExitEx(st);
  }

  private *trapBuiltin(args: string[], fds: Fds): Gen<number> {
    if (args[0] === '-l') {
      yield* put(fds.get(1), Object.entries(SIGNUM).map(([n, v]) => `${String(v).padStart(2)}) ${this.flavor === 'bash' ? 'SIG' : ''}${n}`).join('\n') + '\n');
      return 0;
    }
    if (args.length === 0 || args[0] === '-p') {
      const lines = [...this.traps].map(([s, a]) => `trap -- '${a.replace(/'/g, `'\\''`)}' ${s === 'EXIT' ? 'EXIT' : (this.flavor === 'bash' ? 'SIG' : '') + s}\n`);
      yield* put(fds.get(1), lines.join(''));
      return 0;
    }
    let action: string | undefined = args[0];
    let sigs = args.slice(1);
    if (args[0] === '--') {
      action = args[1];
      sigs = args.slice(2);
    }
    if (sigs.length === 0 || (action !== undefined && /^\d+$/.test(action))) {
      // `trap SIG...`: reset.
      sigs = action === undefined ? sigs : [action, ...sigs];
      action = '-';
    }
    let st = 0;
    for (const s of sigs) {
      const n = signalName(s);
      if (!n || n === 'KILL' || n === 'STOP') {
        if (n === 'KILL' || n === 'STOP') continue;
        this.msg(`${s}: invalid signal specification`, 'trap');
        st = 1;
        continue;
      }
      if (action === '-') this.traps.delete(n);
      else this.traps.set(n, action ?? '');
    }
    return st;
  }

  private *waitBuiltin(args: string[]): Gen<number> {
    let st = 0;
    const targets: Task[] = [];
    if (args.length) {
      for (const a of args) {
        const pid = Number(a.replace(/^%/, ''));
        const t = a.startsWith('%') ? this.jobs[pid - 1] : this.jobs.find((j) => j.pid === pid);
        if (!t) {
          st = 127;
          continue;
        }
        targets.push(t);
      }
    } else targets.push(...this.jobs);
    for (const t of targets) {
      const r = yield* this.k.waitTask(t, this.top);
      if (r === 'signal') {
        const sig = this.pending[0] ?? 'TERM';
        return 128 + (SIGNUM[sig] ?? 15);
      }
      st = r;
    }
    if (!args.length) st = 0;
    this.jobs = this.jobs.filter((j) => !j.done);
    return st;
  }

  private *killBuiltin(args: string[], fds: Fds): Gen<number> {
    let sig = 'TERM';
    let i = 0;
    if (args[0] === '-l') {
      yield* put(fds.get(1), Object.keys(SIGNUM).join(' ') + '\n');
      return 0;
    }
    if (args[0] === '-s' || args[0] === '-n') {
      sig = signalName(args[1] ?? '') ?? '';
      i = 2;
    } else if (args[0]?.startsWith('-') && args[0] !== '--' && !/^-\d+$/.test(args[0]) && args[0].length > 1) {
      sig = signalName(args[0].slice(1)) ?? '';
      i = 1;
    } else if (args[0] && /^-\d+$/.test(args[0]) && args.length > 1) {
      sig = signalName(args[0].slice(1)) ?? (args[0] === '-0' ? '0' : '');
      i = 1;
    }
    if (args[i] === '--') i++;
    if (!sig) {
      this.msg(`${args[0]}: invalid signal specification`, 'kill');
      return 1;
    }
    const pids = args.slice(i);
    if (!pids.length) {
      this.msg('usage: kill [-s sigspec | -signum | -sigspec] pid | jobspec ...', 'kill');
      return this.flavor === 'bash' ? 2 : 1;
    }
    let st = 0;
    for (const p of pids) {
      const job = p.startsWith('%') ? this.jobs[Number(p.slice(1)) - 1] : this.jobs.find((j) => j.pid === Number(p));
      const n = Number(p);
      if (sig === '0' || sig === 'EXIT') {
        if (!job && n !== this.pid && n !== 1) st = 1;
        continue;
      }
      if (job) {
        if (!job.done) this.k.kill(job, 128 + (SIGNUM[sig] ?? 15));
        continue;
      }
      if (n === this.pid || n === 1 || n === 0 || n === -1) {
        this.k.deliver(sig);
        if (this.k.finished) throw new TaskKilled(this.k.finished.exitCode);
        continue;
      }
      this.msg(`can't kill pid ${p}: No such process`, 'kill');
      st = 1;
    }
    return st;
  }

  private *readBuiltin(args: string[], fds: Fds): Gen<number> {
    let raw = false;
    let fd = 0;
    let nchars: number | undefined;
    let delim = '\n';
    let arrayName: string | undefined;
    const names: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '-r') raw = true;
      else if (a === '-s') continue;
      else if (a === '-p' || a === '-t') {
        if (a === '-p') yield* put(fds.get(2), args[i + 1] ?? '');
        i++;
      } else if (a === '-u') fd = Number(args[++i]);
      else if (a === '-n' || a === '-N') nchars = Number(args[++i]);
      else if (a === '-d') delim = args[++i]?.[0] ?? '\0';
      else if (a === '-a') arrayName = args[++i];
      else if (/^-[rs]+$/.test(a)) raw = true;
      else names.push(a);
    }
    const input = fds.get(fd);
    let line = '';
    let eof = false;
    if (!input || input.kind !== 'in') eof = true;
    else if (nchars !== undefined || delim !== '\n') {
      for (;;) {
        const p = input.pending ?? '';
        const end = nchars !== undefined ? (p.length >= nchars ? nchars : -1) : p.indexOf(delim);
        if (end >= 0) {
          line = p.slice(0, end);
          input.pending = p.slice(end + (nchars !== undefined ? 0 : 1));
          break;
        }
        const c = yield* input.read();
        if (c === null) {
          line = p;
          input.pending = '';
          eof = true;
          break;
        }
        input.pending = p + c;
      }
    } else {
      for (;;) {
        const l = yield* readLine(input);
        if (!l) {
          eof = true;
          break;
        }
        if (!raw && l.nl && /(^|[^\\])(\\\\)*\\$/.test(l.line)) {
          line += l.line.slice(0, -1);
          continue;
        }
        line += l.line;
        if (!l.nl) eof = true;
        break;
      }
    }
    if (!raw) line = line.replace(/\\([\s\S])/g, '$1');
    const ifs = this.getVar('IFS') ?? ' \t\n';
    const ws = [...ifs].filter((c) => c === ' ' || c === '\t' || c === '\n').join('');
    const trimRe = ws ? safeRegExp(`^[${escapeCls(ws)}]+|[${escapeCls(ws)}]+$`, 'g') : undefined;
    if (arrayName) {
      const parts = splitRead(line, ifs, Infinity);
      this.setVar(arrayName, parts[0] ?? '', { arr: parts });
    } else if (names.length === 0) {
      this.setVar('REPLY', line);
    } else {
      const parts = splitRead(line, ifs, names.length);
      names.forEach((n, i) => this.setVar(n, i < parts.length ? (i === names.length - 1 && trimRe ? parts[i].replace(trimRe, '') : parts[i]) : ''));
    }
    return eof ? 1 : 0;
  }

  private *commandBuiltin(args: string[], fds: Fds): Gen<number> {
    let i = 0;
    let mode: 'v' | 'V' | undefined;
    while (args[i]?.startsWith('-') && args[i] !== '-') {
      if (args[i].includes('v')) mode = 'v';
      if (args[i].includes('V')) mode = 'V';
      i++;
    }
    const rest = args.slice(i);
    if (!rest.length) return 0;
    if (mode) {
      let st = 0;
      for (const n of rest) {
        const d = this.describe(n);
        if (!d) {
          if (mode === 'V') this.msg(`${n}: not found`, 'command');
          st = 1;
          continue;
        }
        yield* put(fds.get(1), (mode === 'v' ? d.short : d.long) + '\n');
      }
      return st;
    }
    return yield* this.command(rest, fds, [], true);
  }

  private describe(n: string): { short: string; long: string } | undefined {
    if (this.funcs.has(n)) return { short: n, long: `${n} is a function` };
    if (isShellBuiltin(n, this.flavor)) return { short: n, long: `${n} is a ${SPECIAL_BUILTINS.has(n) && this.flavor !== 'bash' ? 'special ' : ''}shell builtin` };
    const p = lookupCommand(this.pe, n, this.cwd, this.getVar('PATH') ?? '');
    if (p) return { short: p, long: `${n} is ${p}` };
    return undefined;
  }

  private *typeBuiltin(args: string[], fds: Fds): Gen<number> {
    let st = 0;
    for (const n of args.filter((a) => !a.startsWith('-'))) {
      const d = this.describe(n);
      if (!d) {
        if (this.flavor === 'bash') this.msg(`${n}: not found`, 'type');
        else yield* put(fds.get(1), `${n}: not found\n`);
        st = this.flavor === 'bash' ? 1 : 127;
        continue;
      }
      yield* put(fds.get(1), d.long + '\n');
    }
    return st;
  }

  private getopts(args: string[]): number {
    const [spec, name, ...rest] = args;
    if (spec === undefined || name === undefined) return 2;
    const argv = rest.length ? rest : this.positional;
    let ind = Number(this.getVar('OPTIND') ?? '1') || 1;
    const silent = spec.startsWith(':');
    const setv = (n: string, v: string): void => {
      const old = this.vars.get(n);
      this.vars.set(n, { ...(old ?? {}), v });
    };
    const arg = argv[ind - 1];
    if (arg === undefined || arg === '-' || !arg.startsWith('-')) {
      setv(name, '?');
      return 1;
    }
    if (arg === '--') {
      setv('OPTIND', String(ind + 1));
      setv(name, '?');
      return 1;
    }
    const c = arg[this.getoptsPos];
    let pos = this.getoptsPos + 1;
    const idx = spec.indexOf(c);
    const advance = (): void => {
      if (pos >= arg.length) {
        ind++;
        pos = 1;
      }
    };
    if (idx < 0 || c === ':') {
      setv(name, '?');
      if (silent) setv('OPTARG', c);
      else this.k.emit('stderr', `${this.arg0}: illegal option -- ${c}\n`);
      advance();
    } else if (spec[idx + 1] === ':') {
      if (pos < arg.length) {
        setv('OPTARG', arg.slice(pos));
        ind++;
        pos = 1;
      } else if (argv[ind] !== undefined) {
        setv('OPTARG', argv[ind]);
        ind += 2;
        pos = 1;
      } else {
        setv(name, silent ? ':' : '?');
        if (silent) setv('OPTARG', c);
        ind++;
        pos = 1;
        setv('OPTIND', String(ind));
        this.getoptsPos = pos;
        return 0;
      }
      setv(name, c);
    } else {
      setv(name, c);
      advance();
    }
    setv('OPTIND', String(ind));
    this.getoptsPos = pos;
    return 0;
  }
}

function escapeCls(s: string): string {
  return s.replace(/[\]\\^-]/g, '\\$&').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

// Splits a line for `read`: at most n fields, the last one keeps the rest.
function splitRead(line: string, ifs: string, n: number): string[] {
  const isWs = (c: string): boolean => (c === ' ' || c === '\t' || c === '\n') && ifs.includes(c);
  const isIfs = (c: string): boolean => ifs.includes(c);
  const out: string[] = [];
  let i = 0;
  while (i < line.length && isWs(line[i])) i++;
  while (i < line.length) {
    if (out.length === n - 1) {
      out.push(line.slice(i));
      return out;
    }
    let j = i;
    while (j < line.length && !isIfs(line[j])) j++;
    out.push(line.slice(i, j));
    i = j;
    let sawOther = false;
    while (i < line.length && isIfs(line[i])) {
      if (!isWs(line[i])) {
        if (sawOther) break;
        sawOther = true;
      }
      i++;
    }
  }
  return out;
}

