// A small awk: patterns and actions, BEGIN/END, fields, variables, associative
// arrays, print/printf (also to files), if/while/for, the common built-in functions.
// No getline, no system(), no user-defined functions.

import { err, inputs, lines, out, readFile } from '../proc';
import type { Applet, ProcCtx } from '../proc';
import { normPath } from '../paths';
import { formatPrintf } from './basic';
import { ereToJs } from './text';
import { safeRegExp, withFlags } from '../regex';
import { BudgetExhausted } from '../kernel';
import type { Gen } from '../kernel';

// awk statements per interpreter step: a statement costs far less host time than a
// shell command, and 200,000 steps then allow 10 million statements an advance.
const STATEMENTS_PER_STEP = 50;
// Output is handed on between records once this much has gathered.
const FLUSH_BYTES = 64 * 1024;

type Val = string | number;

type Node =
  | { k: 'num'; v: number }
  | { k: 'str'; v: string }
  | { k: 're'; re: RegExp }
  | { k: 'var'; name: string }
  | { k: 'field'; e: Node }
  | { k: 'idx'; name: string; keys: Node[] }
  | { k: 'in'; keys: Node[]; name: string }
  | { k: 'call'; name: string; args: Node[] }
  | { k: 'un'; op: string; e: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'cond'; c: Node; a: Node; b: Node }
  | { k: 'assign'; op: string; target: Node; e: Node }
  | { k: 'incdec'; op: string; pre: boolean; target: Node }
  | { k: 'group'; e: Node };

type Stmt =
  | { k: 'print'; args: Node[]; dest?: { op: string; e: Node } }
  | { k: 'printf'; args: Node[]; dest?: { op: string; e: Node } }
  | { k: 'expr'; e: Node }
  | { k: 'if'; c: Node; a: Stmt; b?: Stmt }
  | { k: 'while'; c: Node; body: Stmt; doWhile?: boolean }
  | { k: 'for'; init?: Stmt; c?: Node; step?: Stmt; body: Stmt }
  | { k: 'forin'; v: string; arr: string; body: Stmt }
  | { k: 'block'; body: Stmt[] }
  | { k: 'next' | 'break' | 'continue' | 'nop' }
  | { k: 'exit'; e?: Node }
  | { k: 'delete'; name: string; keys?: Node[] };

interface Rule {
  kind: 'begin' | 'end' | 'main';
  pat?: Node;
  pat2?: Node;
  body?: Stmt;
  inRange?: boolean;
}

class AwkError extends Error {}
class NextSig {}
class ExitSig {
  constructor(readonly code: number) {}
}
class BreakSig {}
class ContSig {}

type Tok = { t: 'num'; v: number } | { t: 'str'; v: string } | { t: 're'; v: string } | { t: 'name'; v: string } | { t: 'func'; v: string } | { t: 'op'; v: string } | { t: 'nl' } | { t: 'eof' };

const KEYWORDS = new Set(['BEGIN', 'END', 'print', 'printf', 'if', 'else', 'while', 'for', 'do', 'in', 'next', 'exit', 'delete', 'break', 'continue', 'getline', 'function', 'return']);
const BUILTINS = new Set(['length', 'substr', 'index', 'split', 'sub', 'gsub', 'match', 'sprintf', 'tolower', 'toupper', 'int', 'sqrt', 'exp', 'log', 'sin', 'cos', 'atan2', 'rand', 'srand', 'system', 'close', 'fflush']);

function tokenize(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const lastSignificant = (): Tok | undefined => toks[toks.length - 1];
  const regexAllowed = (): boolean => {
    const l = lastSignificant();
    if (!l) return true;
    if (l.t === 'num' || l.t === 'str' || l.t === 'name' || l.t === 're') return false;
    if (l.t === 'op' && (l.v === ')' || l.v === ']' || l.v === '$' || l.v === '++' || l.v === '--')) return false;
    return true;
  };
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && src[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    if (c === '\n' || c === ';') {
      toks.push(c === '\n' ? { t: 'nl' } : { t: 'op', v: ';' });
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F]+|\d*\.?\d+(?:[eE][-+]?\d+)?|\d+\.)/.exec(src.slice(i))!;
      toks.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))!;
      const w = m[0];
      i += w.length;
      if (BUILTINS.has(w) || (src[i] === '(' && !KEYWORDS.has(w))) toks.push({ t: 'func', v: w });
      else toks.push({ t: 'name', v: w });
      continue;
    }
    if (c === '"') {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length) {
          const n = src[++i];
          s += ({ n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', '/': '/', a: '\x07', b: '\b', f: '\f', v: '\v' } as Record<string, string>)[n] ?? '\\' + n;
          i++;
          continue;
        }
        s += src[i++];
      }
      i++;
      toks.push({ t: 'str', v: s });
      continue;
    }
    if (c === '/' && regexAllowed()) {
      let s = '';
      i++;
      while (i < src.length && src[i] !== '/') {
        if (src[i] === '\\' && src[i + 1] === '/') {
          s += '/';
          i += 2;
          continue;
        }
        if (src[i] === '\\') {
          s += src[i] + (src[i + 1] ?? '');
          i += 2;
          continue;
        }
        s += src[i++];
      }
      i++;
      toks.push({ t: 're', v: s });
      continue;
    }
    const ops = ['+=', '-=', '*=', '/=', '%=', '^=', '==', '<=', '>=', '!=', '++', '--', '&&', '||', '>>', '!~', '**'];
    const op = ops.find((o) => src.startsWith(o, i));
    if (op) {
      toks.push({ t: 'op', v: op === '**' ? '^' : op });
      i += op.length;
      continue;
    }
    toks.push({ t: 'op', v: c });
    i++;
  }
  toks.push({ t: 'eof' });
  return toks;
}

class AwkParser {
  i = 0;
  constructor(private readonly toks: Tok[]) {}
  peek(): Tok {
    return this.toks[this.i];
  }
  isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  isName(v: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.v === v;
  }
  eat(v: string): void {
    if (!this.isOp(v)) throw new AwkError(`syntax error: expected '${v}'`);
    this.i++;
  }
  nls(): void {
    while (this.peek().t === 'nl' || this.isOp(';')) this.i++;
  }
  optNl(): void {
    while (this.peek().t === 'nl') this.i++;
  }
  program(): Rule[] {
    const rules: Rule[] = [];
    this.nls();
    while (this.peek().t !== 'eof') {
      if (this.isName('BEGIN') || this.isName('END')) {
        const kind = (this.peek() as { v: string }).v === 'BEGIN' ? 'begin' : 'end';
        this.i++;
        this.optNl();
        rules.push({ kind, body: this.block() });
      } else if (this.isName('function')) {
        throw new AwkError('user-defined functions are not supported');
      } else {
        const r: Rule = { kind: 'main' };
        if (!this.isOp('{')) {
          r.pat = this.expr();
          if (this.isOp(',')) {
            this.i++;
            this.optNl();
            r.pat2 = this.expr();
          }
        }
        if (this.isOp('{')) r.body = this.block();
        rules.push(r);
      }
      this.nls();
    }
    return rules;
  }
  block(): Stmt {
    this.eat('{');
    const body: Stmt[] = [];
    this.nls();
    while (!this.isOp('}')) {
      if (this.peek().t === 'eof') throw new AwkError('syntax error: unexpected end of program');
      body.push(this.stmt());
      this.nls();
    }
    this.eat('}');
    return { k: 'block', body };
  }
  simpleOrBlock(): Stmt {
    this.optNl();
    if (this.isOp(';')) {
      this.i++;
      return { k: 'nop' };
    }
    return this.stmt();
  }
  stmt(): Stmt {
    const t = this.peek();
    if (t.t === 'op' && t.v === '{') return this.block();
    if (t.t === 'name') {
      switch (t.v) {
        case 'print':
        case 'printf': {
          this.i++;
          let args: Node[] = [];
          const paren = this.isOp('(');
          if (!this.endOfSimple()) {
            if (paren) {
              const save = this.i;
              this.i++;
              const inner = this.exprList(false);
              if (this.isOp(')')) {
                this.i++;
                if (this.endOfSimple() || this.isOp('>') || this.isOp('>>') || this.isOp('|')) args = inner;
                else {
                  this.i = save;
                  args = this.exprList(true);
                }
              } else {
                this.i = save;
                args = this.exprList(true);
              }
            } else args = this.exprList(true);
          }
          let dest: { op: string; e: Node } | undefined;
          if (this.isOp('>') || this.isOp('>>') || this.isOp('|')) {
            const op = (this.peek() as { v: string }).v;
            this.i++;
            dest = { op, e: this.concat(true) };
          }
          return t.v === 'print' ? { k: 'print', args, dest } : { k: 'printf', args, dest };
        }
        case 'if': {
          this.i++;
          this.eat('(');
          const c = this.expr();
          this.eat(')');
          const a = this.simpleOrBlock();
          const save = this.i;
          this.nls();
          if (this.isName('else')) {
            this.i++;
            return { k: 'if', c, a, b: this.simpleOrBlock() };
          }
          this.i = save;
          return { k: 'if', c, a };
        }
        case 'while': {
          this.i++;
          this.eat('(');
          const c = this.expr();
          this.eat(')');
          return { k: 'while', c, body: this.simpleOrBlock() };
        }
        case 'do': {
          this.i++;
          const body = this.simpleOrBlock();
          this.nls();
          if (!this.isName('while')) throw new AwkError('syntax error: expected while');
          this.i++;
          this.eat('(');
          const c = this.expr();
          this.eat(')');
          return { k: 'while', c, body, doWhile: true };
        }
        case 'for': {
          this.i++;
          this.eat('(');
          const t1 = this.toks[this.i];
          const t2 = this.toks[this.i + 1];
          const t3 = this.toks[this.i + 2];
          const t4 = this.toks[this.i + 3];
          if (t1.t === 'name' && t2.t === 'name' && t2.v === 'in' && t3.t === 'name' && t4.t === 'op' && t4.v === ')') {
            this.i += 4;
            return { k: 'forin', v: t1.v, arr: t3.v, body: this.simpleOrBlock() };
          }
          const init = this.isOp(';') ? undefined : { k: 'expr' as const, e: this.expr() };
          this.eat(';');
          this.optNl();
          const c = this.isOp(';') ? undefined : this.expr();
          this.eat(';');
          this.optNl();
          const step = this.isOp(')') ? undefined : { k: 'expr' as const, e: this.expr() };
          this.eat(')');
          return { k: 'for', init, c, step, body: this.simpleOrBlock() };
        }
        case 'next':
        case 'break':
        case 'continue':
          this.i++;
          return { k: t.v };
        case 'exit':
          this.i++;
          return { k: 'exit', e: this.endOfSimple() ? undefined : this.expr() };
        case 'delete': {
          this.i++;
          const n = this.peek();
          if (n.t !== 'name') throw new AwkError('syntax error in delete');
          this.i++;
          if (this.isOp('[')) {
            this.i++;
            const keys = this.exprList(false);
            this.eat(']');
            return { k: 'delete', name: n.v, keys };
          }
          return { k: 'delete', name: n.v };
        }
        case 'getline':
          throw new AwkError('getline is not supported');
      }
    }
    return { k: 'expr', e: this.expr() };
  }
  endOfSimple(): boolean {
    const t = this.peek();
    return t.t === 'nl' || t.t === 'eof' || (t.t === 'op' && (t.v === ';' || t.v === '}'));
  }
  exprList(noGt: boolean): Node[] {
    const l = [this.expr(noGt)];
    while (this.isOp(',')) {
      this.i++;
      this.optNl();
      l.push(this.expr(noGt));
    }
    return l;
  }
  expr(noGt = false): Node {
    return this.ternary(noGt);
  }
  ternary(noGt: boolean): Node {
    const c = this.or(noGt);
    if (this.isOp('?')) {
      this.i++;
      this.optNl();
      const a = this.ternary(noGt);
      this.optNl();
      this.eat(':');
      this.optNl();
      return { k: 'cond', c, a, b: this.ternary(noGt) };
    }
    if (this.peek().t === 'op' && ['=', '+=', '-=', '*=', '/=', '%=', '^='].includes((this.peek() as { v: string }).v) && (c.k === 'var' || c.k === 'field' || c.k === 'idx')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      this.optNl();
      return { k: 'assign', op, target: c, e: this.ternary(noGt) };
    }
    return c;
  }
  or(noGt: boolean): Node {
    let a = this.and(noGt);
    while (this.isOp('||')) {
      this.i++;
      this.optNl();
      a = { k: 'bin', op: '||', a, b: this.and(noGt) };
    }
    return a;
  }
  and(noGt: boolean): Node {
    let a = this.inExpr(noGt);
    while (this.isOp('&&')) {
      this.i++;
      this.optNl();
      a = { k: 'bin', op: '&&', a, b: this.inExpr(noGt) };
    }
    return a;
  }
  inExpr(noGt: boolean): Node {
    let a = this.match(noGt);
    while (this.isName('in')) {
      this.i++;
      const n = this.peek();
      if (n.t !== 'name') throw new AwkError('syntax error after in');
      this.i++;
      a = { k: 'in', keys: [a], name: n.v };
    }
    return a;
  }
  match(noGt: boolean): Node {
    let a = this.rel(noGt);
    while (this.isOp('~') || this.isOp('!~')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      a = { k: 'bin', op, a, b: this.rel(noGt) };
    }
    return a;
  }
  rel(noGt: boolean): Node {
    const a = this.concat(noGt);
    const t = this.peek();
    if (t.t === 'op' && ['<', '<=', '==', '!=', '>=', ...(noGt ? [] : ['>'])].includes(t.v)) {
      this.i++;
      return { k: 'bin', op: t.v, a, b: this.concat(noGt) };
    }
    return a;
  }
  startsPrimary(): boolean {
    const t = this.peek();
    if (t.t === 'num' || t.t === 'str' || t.t === 're' || t.t === 'func') return true;
    if (t.t === 'name') return !KEYWORDS.has(t.v) || t.v === 'getline';
    if (t.t === 'op') return ['$', '!', '(', '-', '+', '++', '--'].includes(t.v);
    return false;
  }
  // Juxtaposition; `>` is left to the caller (print redirection vs comparison).
  concat(_noGt: boolean): Node {
    let a = this.add();
    while (this.startsPrimary() && !(this.isOp('-') || this.isOp('+'))) {
      a = { k: 'bin', op: 'cat', a, b: this.add() };
    }
    return a;
  }
  add(): Node {
    let a = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      a = { k: 'bin', op, a, b: this.mul() };
    }
    return a;
  }
  mul(): Node {
    let a = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      a = { k: 'bin', op, a, b: this.unary() };
    }
    return a;
  }
  unary(): Node {
    if (this.isOp('!')) {
      this.i++;
      return { k: 'un', op: '!', e: this.unary() };
    }
    if (this.isOp('-') || this.isOp('+')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      return { k: 'un', op, e: this.unary() };
    }
    return this.pow();
  }
  pow(): Node {
    const a = this.postfix();
    if (this.isOp('^')) {
      this.i++;
      return { k: 'bin', op: '^', a, b: this.unary() };
    }
    return a;
  }
  postfix(): Node {
    if (this.isOp('++') || this.isOp('--')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      return { k: 'incdec', op, pre: true, target: this.postfix() };
    }
    const p = this.primary();
    if ((this.isOp('++') || this.isOp('--')) && (p.k === 'var' || p.k === 'field' || p.k === 'idx')) {
      const op = (this.peek() as { v: string }).v;
      this.i++;
      return { k: 'incdec', op, pre: false, target: p };
    }
    return p;
  }
  primary(): Node {
    const t = this.peek();
    this.i++;
    switch (t.t) {
      case 'num':
        return { k: 'num', v: t.v };
      case 'str':
        return { k: 'str', v: t.v };
      case 're':
        return { k: 're', re: toRe(t.v) };
      case 'func': {
        const args: Node[] = [];
        if (this.isOp('(')) {
          this.i++;
          this.optNl();
          if (!this.isOp(')')) args.push(...this.exprList(false));
          this.eat(')');
        }
        return { k: 'call', name: t.v, args };
      }
      case 'name':
        if (this.isOp('[')) {
          this.i++;
          const keys = this.exprList(false);
          this.eat(']');
          return { k: 'idx', name: t.v, keys };
        }
        return { k: 'var', name: t.v };
      case 'op':
        if (t.v === '$') return { k: 'field', e: this.postfixNoIncdec() };
        if (t.v === '(') {
          const e = this.expr();
          if (this.isOp(',')) {
            const keys = [e];
            while (this.isOp(',')) {
              this.i++;
              keys.push(this.expr());
            }
            this.eat(')');
            if (!this.isName('in')) throw new AwkError('syntax error');
            this.i++;
            const n = this.peek();
            this.i++;
            return { k: 'in', keys, name: (n as { v: string }).v };
          }
          this.eat(')');
          return { k: 'group', e };
        }
    }
    throw new AwkError(`syntax error at ${'v' in t ? String(t.v) : t.t}`);
  }
  postfixNoIncdec(): Node {
    if (this.isOp('++') || this.isOp('--') || this.isOp('-')) return this.unary();
    return this.primary();
  }
}

// Dynamic regular expressions ($0 ~ var) are compiled once per source.
const reCache = new Map<string, RegExp>();

function toRe(src: string): RegExp {
  let re = reCache.get(src);
  if (re) return re;
  try {
    re = safeRegExp(ereToJs(src));
  } catch {
    throw new AwkError(`bad regex '${src}'`);
  }
  if (reCache.size > 500) reCache.clear();
  reCache.set(src, re);
  return re;
}

function looksNumeric(s: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s);
}

function toNum(v: Val): number {
  if (typeof v === 'number') return v;
  const m = /^\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)/.exec(v);
  return m ? Number(m[1]) : 0;
}

class Awk {
  vars = new Map<string, Val>();
  arrays = new Map<string, Map<string, Val>>();
  fields: string[] = [''];
  nf = 0;
  files = new Map<string, string>();
  output = '';
  constructor(
    private readonly c: ProcCtx,
    private readonly rules: Rule[],
  ) {
    this.vars.set('FS', ' ');
    this.vars.set('OFS', ' ');
    this.vars.set('ORS', '\n');
    this.vars.set('NR', 0);
    this.vars.set('NF', 0);
    this.vars.set('FNR', 0);
    this.vars.set('SUBSEP', '\x1c');
    this.vars.set('RSTART', 0);
    this.vars.set('RLENGTH', -1);
    this.vars.set('CONVFMT', '%.6g');
    this.vars.set('OFMT', '%.6g');
    const envArr = new Map<string, Val>();
    for (const [k, v] of Object.entries(c.env)) envArr.set(k, v);
    this.arrays.set('ENVIRON', envArr);
  }
  str(v: Val): string {
    if (typeof v === 'string') return v;
    if (Number.isInteger(v)) return String(v);
    return formatPrintf(String(this.vars.get('CONVFMT') ?? '%.6g'), [String(v)], () => undefined).text;
  }
  setRecord(line: string): void {
    this.fields = [line];
    const fs = String(this.vars.get('FS'));
    let parts: string[];
    if (line === '') parts = [];
    else if (fs === ' ') parts = line.trim().split(/[ \t\n]+/);
    else if (fs.length === 1 && fs !== '\\') parts = line.split(fs);
    else parts = line.split(safeRegExp(ereToJs(fs)));
    this.fields.push(...parts);
    this.nf = parts.length;
    this.vars.set('NF', this.nf);
  }
  rebuild(): void {
    this.fields[0] = this.fields.slice(1, this.nf + 1).join(this.str(this.vars.get('OFS') ?? ' '));
  }
  getField(i: number): string {
    if (i === 0) return this.fields[0];
    return this.fields[i] ?? '';
  }
  setField(i: number, v: string): void {
    if (i === 0) {
      this.setRecord(v);
      return;
    }
    while (this.fields.length <= i) this.fields.push('');
    this.fields[i] = v;
    if (i > this.nf) {
      this.nf = i;
      this.vars.set('NF', i);
    }
    this.rebuild();
  }
  arr(name: string): Map<string, Val> {
    let a = this.arrays.get(name);
    if (!a) {
      a = new Map();
      this.arrays.set(name, a);
    }
    return a;
  }
  key(keys: Node[]): string {
    return keys.map((k) => this.str(this.ev(k))).join(String(this.vars.get('SUBSEP')));
  }
  get(n: Node): Val {
    if (n.k === 'var') {
      if (n.name === 'NF') return this.nf;
      return this.vars.get(n.name) ?? '';
    }
    if (n.k === 'field') return this.getField(Math.trunc(toNum(this.ev(n.e))));
    if (n.k === 'idx') return this.arr(n.name).get(this.key(n.keys)) ?? '';
    throw new AwkError('bad assignment target');
  }
  set(n: Node, v: Val): void {
    if (n.k === 'var') {
      if (n.name === 'NF') {
        this.nf = Math.trunc(toNum(v));
        this.fields.length = this.nf + 1;
        this.rebuild();
      }
      this.vars.set(n.name, v);
    } else if (n.k === 'field') this.setField(Math.trunc(toNum(this.ev(n.e))), this.str(v));
    else if (n.k === 'idx') this.arr(n.name).set(this.key(n.keys), v);
    else throw new AwkError('bad assignment target');
  }
  truthy(v: Val, n?: Node): boolean {
    if (typeof v === 'number') return v !== 0;
    if (n && (n.k === 'field' || n.k === 'idx' || n.k === 'var') && looksNumeric(v)) return toNum(v) !== 0;
    return v !== '';
  }
  compare(a: Val, b: Val, an: Node, bn: Node): number {
    const numLike = (v: Val, n: Node): boolean => typeof v === 'number' || ((n.k === 'field' || n.k === 'var' || n.k === 'idx') && looksNumeric(v));
    if (numLike(a, an) && numLike(b, bn)) return toNum(a) - toNum(b);
    const x = this.str(a);
    const y = this.str(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  matchRe(n: Node): RegExp {
    if (n.k === 're') return n.re;
    return toRe(this.str(this.ev(n)));
  }
  ev(n: Node): Val {
    switch (n.k) {
      case 'num':
        return n.v;
      case 'str':
        return n.v;
      case 're':
        return n.re.test(this.fields[0]) ? 1 : 0;
      case 'group':
        return this.ev(n.e);
      case 'var':
      case 'field':
      case 'idx':
        return this.get(n);
      case 'in':
        return this.arr(n.name).has(this.key(n.keys)) ? 1 : 0;
      case 'un': {
        const v = this.ev(n.e);
        if (n.op === '!') return this.truthy(v, n.e) ? 0 : 1;
        return n.op === '-' ? -toNum(v) : toNum(v);
      }
      case 'cond':
        return this.truthy(this.ev(n.c), n.c) ? this.ev(n.a) : this.ev(n.b);
      case 'assign': {
        let v = this.ev(n.e);
        if (n.op !== '=') v = arith(n.op[0], toNum(this.get(n.target)), toNum(v));
        this.set(n.target, v);
        return v;
      }
      case 'incdec': {
        const old = toNum(this.get(n.target));
        const nv = n.op === '++' ? old + 1 : old - 1;
        this.set(n.target, nv);
        return n.pre ? nv : old;
      }
      case 'bin': {
        switch (n.op) {
          case '&&':
            return this.truthy(this.ev(n.a), n.a) && this.truthy(this.ev(n.b), n.b) ? 1 : 0;
          case '||':
            return this.truthy(this.ev(n.a), n.a) || this.truthy(this.ev(n.b), n.b) ? 1 : 0;
          case 'cat':
            return this.str(this.ev(n.a)) + this.str(this.ev(n.b));
          case '~':
          case '!~': {
            const m = this.matchRe(n.b).test(this.str(this.ev(n.a)));
            return (n.op === '~') === m ? 1 : 0;
          }
          case '<':
          case '<=':
          case '>':
          case '>=':
          case '==':
          case '!=': {
            const c = this.compare(this.ev(n.a), this.ev(n.b), n.a, n.b);
            const r = n.op === '<' ? c < 0 : n.op === '<=' ? c <= 0 : n.op === '>' ? c > 0 : n.op === '>=' ? c >= 0 : n.op === '==' ? c === 0 : c !== 0;
            return r ? 1 : 0;
          }
          default:
            return arith(n.op, toNum(this.ev(n.a)), toNum(this.ev(n.b)));
        }
      }
      case 'call':
        return this.call(n.name, n.args);
    }
  }
  call(name: string, args: Node[]): Val {
    const s = (i: number): string => this.str(args[i] ? this.ev(args[i]) : this.fields[0]);
    const num = (i: number): number => toNum(args[i] ? this.ev(args[i]) : 0);
    switch (name) {
      case 'length':
        if (args[0]?.k === 'var' && this.arrays.has(args[0].name)) return this.arrays.get(args[0].name)!.size;
        return [...s(0)].length;
      case 'substr': {
        const str = s(0);
        let start = Math.round(num(1));
        let len = args.length > 2 ? Math.round(num(2)) : Infinity;
        if (start < 1) {
          len += start - 1;
          start = 1;
        }
        return len <= 0 ? '' : str.substr(start - 1, Number.isFinite(len) ? len : undefined);
      }
      case 'index':
        return s(0).indexOf(s(1)) + 1;
      case 'split': {
        const str = s(0);
        const target = args[1];
        if (!target || target.k !== 'var') throw new AwkError('split: second argument must be an array');
        const fs = args[2] ? (args[2].k === 're' ? args[2].re : this.str(this.ev(args[2]))) : String(this.vars.get('FS'));
        let parts: string[];
        if (str === '') parts = [];
        else if (fs === ' ') parts = str.trim().split(/\s+/);
        else if (typeof fs === 'string' && fs.length === 1) parts = str.split(fs);
        else parts = str.split(typeof fs === 'string' ? safeRegExp(ereToJs(fs)) : fs);
        const a = new Map<string, Val>();
        parts.forEach((p, i) => a.set(String(i + 1), p));
        this.arrays.set(target.name, a);
        return parts.length;
      }
      case 'sub':
      case 'gsub': {
        const re = this.matchRe(args[0]);
        const rep = s(1);
        const target = args[2] ?? ({ k: 'field', e: { k: 'num', v: 0 } } as Node);
        const cur = this.str(this.get(target));
        let count = 0;
        const g = withFlags(re, re.flags + (name === 'gsub' ? 'g' : ''));
        const res = cur.replace(g, (m) => {
          count++;
          return rep.replace(/\\\\|\\&|&/g, (x) => (x === '&' ? m : x === '\\&' ? '&' : '\\'));
        });
        if (count) this.set(target, res);
        return count;
      }
      case 'match': {
        const m = this.matchRe(args[1]).exec(s(0));
        this.vars.set('RSTART', m ? m.index + 1 : 0);
        this.vars.set('RLENGTH', m ? m[0].length : -1);
        return m ? m.index + 1 : 0;
      }
      case 'sprintf':
        return formatPrintf(s(0), args.slice(1).map((a) => this.str(this.ev(a))), () => undefined, false).text;
      case 'tolower':
        return s(0).toLowerCase();
      case 'toupper':
        return s(0).toUpperCase();
      case 'int':
        return Math.trunc(num(0));
      case 'sqrt':
        return Math.sqrt(num(0));
      case 'exp':
        return Math.exp(num(0));
      case 'log':
        return Math.log(num(0));
      case 'sin':
        return Math.sin(num(0));
      case 'cos':
        return Math.cos(num(0));
      case 'atan2':
        return Math.atan2(num(0), num(1));
      case 'rand':
        return (this.c.k.random() % 1000000) / 1000000;
      case 'srand':
        return 0;
      case 'close':
      case 'fflush':
        return 0;
      case 'system':
        throw new AwkError('system() is not simulated');
    }
    throw new AwkError(`function ${name} never defined`);
  }
  // Standard output waits in this buffer until the end of a record; a program that
  // prints more than a whole advance may print (in BEGIN, END or one record) has
  // used the output budget, as a shell printing that much would.
  private stdout(text: string): void {
    if (this.output.length + text.length > this.c.k.limits.maxOutputBytes) throw new BudgetExhausted('output');
    this.output += text;
  }
  emit(text: string, dest?: { op: string; e: Node }): void {
    if (!dest) {
      this.stdout(text);
      return;
    }
    const name = this.str(this.ev(dest.e));
    if (dest.op === '|') throw new AwkError('output to pipes is not simulated');
    if (name === '/dev/stdout' || name === '-') {
      this.stdout(text);
      return;
    }
    if (name === '/dev/stderr') {
      this.errText += text;
      return;
    }
    const p = normPath(this.c.cwd, name);
    if (!this.files.has(p)) {
      this.files.set(p, '');
      if (dest.op === '>') this.c.k.write(p, '', false);
    }
    this.c.k.write(p, text, true);
  }
  errText = '';
  steps = 0;
  exec(s: Stmt): void {
    // The interpreter's budget applies: an endless loop ends the advance like an
    // endless shell loop, after a bounded amount of host work.
    if (++this.steps % STATEMENTS_PER_STEP === 0) this.c.k.charge(1);
    switch (s.k) {
      case 'print': {
        const text = s.args.length ? s.args.map((a) => this.outStr(this.ev(a))).join(this.str(this.vars.get('OFS') ?? ' ')) : this.fields[0];
        this.emit(text + this.str(this.vars.get('ORS') ?? '\n'), s.dest);
        return;
      }
      case 'printf': {
        if (!s.args.length) return;
        const vals = s.args.map((a) => this.str(this.ev(a)));
        this.emit(formatPrintf(vals[0], vals.slice(1), () => undefined, true).text, s.dest);
        return;
      }
      case 'expr':
        this.ev(s.e);
        return;
      case 'if':
        if (this.truthy(this.ev(s.c), s.c)) this.exec(s.a);
        else if (s.b) this.exec(s.b);
        return;
      case 'while': {
        if (s.doWhile) {
          do {
            if (this.loopBody(s.body)) break;
          } while (this.truthy(this.ev(s.c), s.c));
          return;
        }
        while (this.truthy(this.ev(s.c), s.c)) if (this.loopBody(s.body)) break;
        return;
      }
      case 'for': {
        if (s.init) this.exec(s.init);
        while (!s.c || this.truthy(this.ev(s.c), s.c)) {
          if (this.loopBody(s.body)) break;
          if (s.step) this.exec(s.step);
        }
        return;
      }
      case 'forin':
        for (const k of [...this.arr(s.arr).keys()]) {
          this.vars.set(s.v, k);
          if (this.loopBody(s.body)) break;
        }
        return;
      case 'block':
        for (const b of s.body) this.exec(b);
        return;
      case 'next':
        throw new NextSig();
      case 'break':
        throw new BreakSig();
      case 'continue':
        throw new ContSig();
      case 'exit':
        throw new ExitSig(s.e ? Math.trunc(toNum(this.ev(s.e))) : 0);
      case 'delete':
        if (s.keys) this.arr(s.name).delete(this.key(s.keys));
        else this.arrays.set(s.name, new Map());
        return;
      case 'nop':
        return;
    }
  }
  outStr(v: Val): string {
    if (typeof v === 'number' && !Number.isInteger(v)) return formatPrintf(String(this.vars.get('OFMT') ?? '%.6g'), [String(v)], () => undefined).text;
    return this.str(v);
  }
  loopBody(s: Stmt): boolean {
    try {
      this.exec(s);
    } catch (e) {
      if (e instanceof BreakSig) return true;
      if (e instanceof ContSig) return false;
      throw e;
    }
    return false;
  }
  *run(texts: { name: string; data: string }[]): Gen<number> {
    let code = 0;
    try {
      for (const r of this.rules) if (r.kind === 'begin' && r.body) this.exec(r.body);
      const hasMain = this.rules.some((r) => r.kind !== 'begin');
      if (hasMain) {
        let nr = 0;
        for (const t of texts) {
          this.vars.set('FILENAME', t.name);
          let fnr = 0;
          for (const line of lines(t.data)) {
            this.vars.set('NR', ++nr);
            this.vars.set('FNR', ++fnr);
            this.setRecord(line);
            try {
              for (const r of this.rules) {
                if (r.kind !== 'main') continue;
                let sel = true;
                if (r.pat && r.pat2) {
                  if (!r.inRange) {
                    sel = this.truthy(this.ev(r.pat), r.pat);
                    if (sel) r.inRange = !this.truthy(this.ev(r.pat2), r.pat2);
                  } else if (this.truthy(this.ev(r.pat2), r.pat2)) r.inRange = false;
                } else if (r.pat) sel = this.truthy(this.ev(r.pat), r.pat);
                if (!sel) continue;
                if (r.body) this.exec(r.body);
                else this.stdout(this.fields[0] + this.str(this.vars.get('ORS') ?? '\n'));
              }
            } catch (e) {
              if (!(e instanceof NextSig)) throw e;
            }
            if (this.output.length >= FLUSH_BYTES) {
              yield* out(this.c, this.output);
              this.output = '';
            }
          }
        }
      }
    } catch (e) {
      if (!(e instanceof ExitSig)) throw e;
      code = e.code;
    }
    try {
      for (const r of this.rules) if (r.kind === 'end' && r.body) this.exec(r.body);
    } catch (e) {
      if (!(e instanceof ExitSig)) throw e;
      code = e.code;
    }
    return code;
  }
}

function arith(op: string, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) throw new AwkError('division by zero');
      return a / b;
    case '%':
      if (b === 0) throw new AwkError('division by zero in %');
      return a % b;
    case '^':
      return a ** b;
  }
  return 0;
}

export const awk: Applet = function* (c) {
  const args = c.argv.slice(1);
  let fs: string | undefined;
  const assigns: [string, string][] = [];
  let prog: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a === '-F') fs = args[++i];
    else if (a.startsWith('-F')) fs = a.slice(2);
    else if (a === '-v') {
      const kv = args[++i] ?? '';
      const eq = kv.indexOf('=');
      assigns.push([kv.slice(0, eq), kv.slice(eq + 1)]);
    } else if (a === '-f') {
      const r = readFile(c, args[++i] ?? '');
      if ('err' in r) {
        yield* err(c, `can't open file ${args[i]}`);
        return 2;
      }
      prog = r.data;
    } else if (a === '--') {
      i++;
      break;
    } else break;
  }
  if (prog === undefined) prog = args[i++];
  if (prog === undefined) {
    yield* err(c, 'usage: awk [-F sep] [-v var=val] [-f progfile | prog] [file ...]');
    return 1;
  }
  let rules: Rule[];
  try {
    rules = new AwkParser(tokenize(prog)).program();
  } catch (e) {
    if (!(e instanceof AwkError)) throw e;
    yield* err(c, `cmd. line:1: ${e.message}`);
    return 2;
  }
  const awkI = new Awk(c, rules);
  if (fs !== undefined) awkI.vars.set('FS', fs === 't' ? '\t' : fs.replace(/\\t/g, '\t'));
  for (const [k, v] of assigns) awkI.vars.set(k, v.replace(/\\n/g, '\n').replace(/\\t/g, '\t'));
  const files = args.slice(i).filter((a) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(a));
  for (const a of args.slice(i).filter((x) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(x))) {
    const eq = a.indexOf('=');
    awkI.vars.set(a.slice(0, eq), a.slice(eq + 1));
  }
  const needInput = rules.some((r) => r.kind !== 'begin');
  const texts: { name: string; data: string }[] = [];
  let failed = false;
  if (needInput) {
    const r = yield* inputs(c, files);
    failed = r.failed;
    r.texts.forEach((d, j) => texts.push({ name: files[j] ?? '', data: d }));
  }
  let code: number;
  try {
    code = yield* awkI.run(texts);
  } catch (e) {
    if (!(e instanceof AwkError)) throw e;
    yield* out(c, awkI.output);
    yield* err(c, `cmd. line:1: ${e.message}`);
    return 2;
  }
  yield* out(c, awkI.output);
  if (awkI.errText) {
    const e2 = c.fds.get(2);
    if (e2 && e2.kind === 'out') yield* e2.write(awkI.errText);
  }
  return failed ? 2 : code;
};
