// test / [ : the POSIX rules by argument count, then a small expression parser for
// -a, -o, !, ( ) with more arguments.

import type { FileStat } from './types';
import type { Flavor } from './parser';

export interface TestEnv {
  stat(path: string): FileStat | null;
  isVarSet(name: string): boolean;
  flavor: Flavor;
}

export class TestError extends Error {}

const UNARY = new Set(['-e', '-f', '-d', '-s', '-r', '-w', '-x', '-L', '-h', '-p', '-S', '-b', '-c', '-t', '-n', '-z', '-g', '-u', '-k', '-O', '-G', '-v', '-a']);
const BINARY = new Set(['=', '==', '!=', '<', '>', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);

function num(s: string, env: TestEnv): bigint {
  const t = s.trim();
  if (/^[-+]?\d+$/.test(t)) return BigInt(t);
  if (env.flavor === 'bash') throw new TestError(`${s}: integer expression expected`);
  if (env.flavor === 'dash') throw new TestError(`Illegal number: ${s}`);
  throw new TestError(`${s}: bad number`);
}

function unary(op: string, a: string, env: TestEnv): boolean {
  switch (op) {
    case '-n':
      return a !== '';
    case '-z':
      return a === '';
    case '-t':
      return false;
    case '-v':
      return env.isVarSet(a);
  }
  if (a === '') return false;
  if (a === '/dev/null' || a === '/dev/zero' || a === '/dev/random' || a === '/dev/urandom') {
    return op === '-e' || op === '-a' || op === '-c' || op === '-r' || op === '-w';
  }
  const st = env.stat(a);
  if (!st) return false;
  switch (op) {
    case '-e':
    case '-a':
      return true;
    case '-f':
      return st.type === 'file';
    case '-d':
      return st.type === 'dir';
    case '-s':
      return st.type === 'dir' || st.size > 0;
    case '-r':
    case '-w':
    case '-O':
    case '-G':
      return true;
    case '-x':
      return st.type === 'dir' || ((st.mode ?? 0o755) & 0o111) !== 0;
    default:
      return false;
  }
}

export function binary(op: string, a: string, b: string, env: TestEnv): boolean {
  switch (op) {
    case '=':
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '-eq':
      return num(a, env) === num(b, env);
    case '-ne':
      return num(a, env) !== num(b, env);
    case '-lt':
      return num(a, env) < num(b, env);
    case '-le':
      return num(a, env) <= num(b, env);
    case '-gt':
      return num(a, env) > num(b, env);
    case '-ge':
      return num(a, env) >= num(b, env);
    case '-nt':
    case '-ot': {
      const sa = env.stat(a);
      const sb = env.stat(b);
      const ta = sa?.mtimeMs ?? -1;
      const tb = sb?.mtimeMs ?? -1;
      if (op === '-nt') return !!sa && (!sb || ta > tb);
      return !!sb && (!sa || ta < tb);
    }
    case '-ef':
      return a === b && env.stat(a) !== null;
  }
  throw new TestError(`${op}: unknown operand`);
}

class P {
  i = 0;
  constructor(
    private readonly a: string[],
    private readonly env: TestEnv,
  ) {}
  expr(): boolean {
    let v = this.and();
    while (this.a[this.i] === '-o') {
      this.i++;
      const r = this.and();
      v = v || r;
    }
    return v;
  }
  and(): boolean {
    let v = this.not();
    while (this.a[this.i] === '-a') {
      this.i++;
      const r = this.not();
      v = v && r;
    }
    return v;
  }
  not(): boolean {
    if (this.a[this.i] === '!' && this.i + 1 < this.a.length) {
      this.i++;
      return !this.not();
    }
    return this.primary();
  }
  primary(): boolean {
    const t = this.a[this.i];
    if (t === undefined) throw new TestError(this.env.flavor === 'bash' ? 'argument expected' : 'argument expected');
    if (t === '(' && this.i + 2 < this.a.length) {
      this.i++;
      const v = this.expr();
      if (this.a[this.i] !== ')') throw new TestError(this.env.flavor === 'bash' ? "`)' expected" : 'closing paren expected');
      this.i++;
      return v;
    }
    const next = this.a[this.i + 1];
    if (next !== undefined && BINARY.has(next) && this.i + 2 < this.a.length) {
      this.i += 3;
      return binary(next, t, this.a[this.i - 1], this.env);
    }
    if (UNARY.has(t) && next !== undefined) {
      this.i += 2;
      return unary(t, next, this.env);
    }
    this.i++;
    return t !== '';
  }
}

// The exit status of `test args...` (0 true, 1 false); throws TestError (status 2).
export function evalTest(args: string[], env: TestEnv): number {
  const n = args.length;
  const b = (v: boolean): number => (v ? 0 : 1);
  if (n === 0) return 1;
  if (n === 1) return b(args[0] !== '');
  if (n === 2) {
    if (args[0] === '!') return b(args[1] === '');
    if (UNARY.has(args[0])) return b(unary(args[0], args[1], env));
    if (env.flavor === 'bash') throw new TestError(`${args[0]}: unary operator expected`);
    throw new TestError(`${args[1]}: ${BINARY.has(args[1]) ? 'argument expected' : env.flavor === 'dash' ? 'unexpected operator' : 'unknown operand'}`);
  }
  if (n === 3) {
    if (BINARY.has(args[1])) return b(binary(args[1], args[0], args[2], env));
    if (args[0] === '!') return 1 - evalTest(args.slice(1), env);
    if (args[0] === '(' && args[2] === ')') return b(args[1] !== '');
    if (args[1] === '-a' || args[1] === '-o') {
      const l = args[0] !== '';
      const r = args[2] !== '';
      return b(args[1] === '-a' ? l && r : l || r);
    }
    if (env.flavor === 'bash') throw new TestError(`${args[1]}: binary operator expected`);
    if (env.flavor === 'dash') throw new TestError(`${args[0]}: unexpected operator`);
    throw new TestError(`${args[1]}: unknown operand`);
  }
  if (n === 4) {
    if (args[0] === '!') return 1 - evalTest(args.slice(1), env);
    if (args[0] === '(' && args[3] === ')') return evalTest(args.slice(1, 3), env);
  }
  const p = new P(args, env);
  const v = p.expr();
  if (p.i < n) {
    if (env.flavor === 'bash') throw new TestError('too many arguments');
    throw new TestError(`${args[p.i]}: unknown operand`);
  }
  return b(v);
}
