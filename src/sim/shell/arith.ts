// Shell arithmetic ($((...)), ((...)), let): C expressions on signed 64-bit integers,
// with variables read and assigned by name.

export class ArithError extends Error {
  constructor(
    readonly kind: 'syntax' | 'divzero' | 'recursion' | 'base',
    readonly expr: string,
    readonly token = '',
  ) {
    super(kind);
  }
}

export interface ArithEnv {
  get(name: string): string;
  set(name: string, value: string): void;
}

type Node =
  | { k: 'num'; v: bigint }
  | { k: 'var'; name: string }
  | { k: 'un'; op: string; a: Node }
  | { k: 'pre' | 'post'; op: '++' | '--'; name: string }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'tern'; c: Node; a: Node; b: Node }
  | { k: 'assign'; op: string; name: string; v: Node }
  | { k: 'comma'; a: Node; b: Node };

const OPS = ['<<=', '>>=', '**', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '+=', '-=', '*=', '/=', '%=', '&=', '^=', '|='];

const I64 = (v: bigint): bigint => BigInt.asIntN(64, v);

export function parseNumber(s: string, expr: string): bigint {
  let m = /^0[xX]([0-9a-fA-F]+)$/.exec(s);
  if (m) return I64(BigInt('0x' + m[1]));
  m = /^([0-9]+)#([0-9a-zA-Z@_]+)$/.exec(s);
  if (m) {
    const base = Number(m[1]);
    if (base < 2 || base > 64) throw new ArithError('base', expr, s);
    let v = 0n;
    for (const c of m[2]) {
      let d: number;
      if (c >= '0' && c <= '9') d = c.charCodeAt(0) - 48;
      else if (c >= 'a' && c <= 'z') d = c.charCodeAt(0) - 97 + 10;
      else if (c >= 'A' && c <= 'Z') d = base <= 36 ? c.charCodeAt(0) - 65 + 10 : c.charCodeAt(0) - 65 + 36;
      else if (c === '@') d = 62;
      else d = 63;
      if (d >= base) throw new ArithError('base', expr, s);
      v = v * BigInt(base) + BigInt(d);
    }
    return I64(v);
  }
  if (/^0[0-7]+$/.test(s)) return I64(BigInt('0o' + s.slice(1)));
  if (/^[0-9]+$/.test(s)) {
    if (s.length > 1 && s[0] === '0') throw new ArithError('base', expr, s);
    return I64(BigInt(s));
  }
  throw new ArithError('syntax', expr, s);
}

class ArithParser {
  private toks: string[] = [];
  private i = 0;
  constructor(private readonly src: string) {
    const re = /\s*([0-9][0-9a-zA-Z#@_]*|[A-Za-z_][A-Za-z0-9_]*|\S)/y;
    let pos = 0;
    while (pos < src.length) {
      if (/^\s*$/.test(src.slice(pos))) break;
      re.lastIndex = pos;
      const m = re.exec(src);
      if (!m) throw new ArithError('syntax', src);
      let tok = m[1];
      let end = re.lastIndex;
      const op = OPS.find((o) => src.startsWith(o, end - tok.length));
      if (op) {
        tok = op;
        end = end - 1 + op.length;
      }
      this.toks.push(tok);
      pos = end;
    }
  }
  private peek(): string | undefined {
    return this.toks[this.i];
  }
  private take(): string {
    const t = this.toks[this.i++];
    if (t === undefined) throw new ArithError('syntax', this.src);
    return t;
  }
  parse(): Node | undefined {
    if (this.toks.length === 0) return undefined;
    const n = this.comma();
    if (this.i < this.toks.length) throw new ArithError('syntax', this.src, this.toks[this.i]);
    return n;
  }
  private comma(): Node {
    let a = this.assign();
    while (this.peek() === ',') {
      this.i++;
      a = { k: 'comma', a, b: this.assign() };
    }
    return a;
  }
  private assign(): Node {
    const t = this.peek();
    const op = this.toks[this.i + 1];
    if (t && /^[A-Za-z_]/.test(t) && op && /^([-+*/%&^|]|<<|>>)?=$/.test(op)) {
      this.i += 2;
      return { k: 'assign', op, name: t, v: this.assign() };
    }
    return this.ternary();
  }
  private ternary(): Node {
    const c = this.binary(0);
    if (this.peek() !== '?') return c;
    this.i++;
    const a = this.comma();
    if (this.take() !== ':') throw new ArithError('syntax', this.src);
    const b = this.assign();
    return { k: 'tern', c, a, b };
  }
  private static readonly LEVELS: string[][] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '<=', '>', '>='],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];
  private binary(level: number): Node {
    if (level >= ArithParser.LEVELS.length) return this.power();
    let a = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      if (!t || !ArithParser.LEVELS[level].includes(t)) return a;
      this.i++;
      a = { k: 'bin', op: t, a, b: this.binary(level + 1) };
    }
  }
  private power(): Node {
    const a = this.unary();
    if (this.peek() === '**') {
      this.i++;
      return { k: 'bin', op: '**', a, b: this.power() };
    }
    return a;
  }
  private unary(): Node {
    const t = this.peek();
    if (t === '++' || t === '--') {
      this.i++;
      const n = this.take();
      if (!/^[A-Za-z_]/.test(n)) throw new ArithError('syntax', this.src, n);
      return { k: 'pre', op: t, name: n };
    }
    if (t === '!' || t === '~' || t === '-' || t === '+') {
      this.i++;
      return { k: 'un', op: t, a: this.unary() };
    }
    return this.postfix();
  }
  private postfix(): Node {
    const t = this.take();
    if (t === '(') {
      const n = this.comma();
      if (this.take() !== ')') throw new ArithError('syntax', this.src);
      return n;
    }
    if (/^[0-9]/.test(t)) return { k: 'num', v: parseNumber(t, this.src) };
    if (/^[A-Za-z_]/.test(t)) {
      const p = this.peek();
      if (p === '++' || p === '--') {
        this.i++;
        return { k: 'post', op: p, name: t };
      }
      return { k: 'var', name: t };
    }
    throw new ArithError('syntax', this.src, t);
  }
}

export function evalArith(expr: string, env: ArithEnv, depth = 0): bigint {
  if (depth > 20) throw new ArithError('recursion', expr);
  const node = new ArithParser(expr).parse();
  if (!node) return 0n;
  const getVar = (name: string): bigint => {
    const s = env.get(name).trim();
    if (s === '') return 0n;
    if (/^-?[0-9]+$/.test(s) && !/^-?0[0-9]/.test(s)) return I64(BigInt(s));
    return evalArith(s, env, depth + 1);
  };
  const ev = (n: Node): bigint => {
    switch (n.k) {
      case 'num':
        return n.v;
      case 'var':
        return getVar(n.name);
      case 'un': {
        const a = ev(n.a);
        if (n.op === '!') return a === 0n ? 1n : 0n;
        if (n.op === '~') return I64(~a);
        if (n.op === '-') return I64(-a);
        return a;
      }
      case 'pre':
      case 'post': {
        const old = getVar(n.name);
        const nv = I64(n.op === '++' ? old + 1n : old - 1n);
        env.set(n.name, nv.toString());
        return n.k === 'pre' ? nv : old;
      }
      case 'tern':
        return ev(n.c) !== 0n ? ev(n.a) : ev(n.b);
      case 'comma':
        ev(n.a);
        return ev(n.b);
      case 'assign': {
        let v = ev(n.v);
        if (n.op !== '=') v = binop(n.op.slice(0, -1), getVar(n.name), v, expr);
        env.set(n.name, v.toString());
        return v;
      }
      case 'bin': {
        if (n.op === '&&') return ev(n.a) !== 0n && ev(n.b) !== 0n ? 1n : 0n;
        if (n.op === '||') return ev(n.a) !== 0n || ev(n.b) !== 0n ? 1n : 0n;
        return binop(n.op, ev(n.a), ev(n.b), expr);
      }
    }
  };
  return ev(node);
}

function binop(op: string, a: bigint, b: bigint, expr: string): bigint {
  switch (op) {
    case '+':
      return I64(a + b);
    case '-':
      return I64(a - b);
    case '*':
      return I64(a * b);
    case '/':
      if (b === 0n) throw new ArithError('divzero', expr);
      return I64(a / b);
    case '%':
      if (b === 0n) throw new ArithError('divzero', expr);
      return I64(a % b);
    case '**':
      if (b < 0n) throw new ArithError('syntax', expr, '**');
      return pow64(a, b);
    case '<<':
      return I64(a << (b & 63n));
    case '>>':
      return I64(a >> (b & 63n));
    case '<':
      return a < b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '&':
      return I64(a & b);
    case '|':
      return I64(a | b);
    case '^':
      return I64(a ^ b);
  }
  throw new ArithError('syntax', expr, op);
}

// Exponentiation by squaring, wrapping at 64 bits like the shells' C arithmetic.
function pow64(a: bigint, b: bigint): bigint {
  let r = 1n;
  let base = a;
  let e = b;
  while (e > 0n) {
    if (e & 1n) r = I64(r * base);
    base = I64(base * base);
    e >>= 1n;
  }
  return r;
}
