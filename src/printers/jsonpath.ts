// kubectl's JSONPath template dialect (k8s.io/client-go/util/jsonpath as of
// kubectl 1.32), plus the Go value model and the Go printing rules (fmt's %v and
// %#v, encoding/json) that its output and error texts depend on. Go templates,
// custom columns and --sort-by build on the exports here.

// ---------------------------------------------------------------------------
// Go values

// Integers keep their Go type because `printf "%T"`, comparisons and a few
// error texts tell int (template literals, len) from int64 (decoded JSON).
export class GoInt {
  constructor(
    readonly value: number,
    readonly type: 'int' | 'int64' | 'uint8' = 'int64',
  ) {}
}

export class GoFloat {
  constructor(readonly value: number) {}
}

// A JSON object as Go holds it: map[string]interface{}.
export type GoMap = Map<string, GoValue>;

// null is a nil interface{} (JSON null); undefined, where it appears, is Go's
// invalid reflect.Value (a missing map key).
export type GoValue = null | boolean | string | GoInt | GoFloat | GoValue[] | GoMap;

export interface DecodeOptions {
  // kubectl decodes unstructured objects with integral numbers as int64; an
  // object that went through encoding/json into interface{} (typed objects,
  // e.g. `create --dry-run=client`) has every number as float64.
  floatNumbers?: boolean;
}

const INT64_LIMIT = 2 ** 63;

// Converts plain JSON (as JSON.parse returns it) into Go values.
export function toGo(v: unknown, opts: DecodeOptions = {}): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (!opts.floatNumbers && Number.isInteger(v) && Math.abs(v) < INT64_LIMIT) return new GoInt(v, 'int64');
    return new GoFloat(v);
  }
  if (v instanceof GoInt || v instanceof GoFloat || v instanceof Map) return v as GoValue;
  if (Array.isArray(v)) return v.map((x) => toGo(x, opts));
  if (typeof v === 'object') {
    const m: GoMap = new Map();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) m.set(k, toGo(x, opts));
    return m;
  }
  return String(v);
}

// Converts Go values back into plain JSON.
export function fromGo(v: GoValue | undefined): unknown {
  if (v === undefined || v === null) return null;
  if (v instanceof GoInt || v instanceof GoFloat) return v.value;
  if (Array.isArray(v)) return v.map(fromGo);
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[k] = fromGo(x);
    return o;
  }
  return v;
}

// Go compares strings bytewise in UTF-8, which orders by code point; JS's
// default comparison orders by UTF-16 unit, which differs above U+FFFF.
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0) ?? 0;
    const cy = y.value.codePointAt(0) ?? 0;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

export function sortedKeys(m: GoMap): string[] {
  return [...m.keys()].sort(compareGoStrings);
}

// The Go type name reflect reports for a value held in an interface{}.
export function goTypeName(v: GoValue): string {
  if (v === null) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoInt) return v.type;
  if (v instanceof GoFloat) return 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

// ---------------------------------------------------------------------------
// Go printing

// strconv.FormatFloat(f, 'g', -1, 64), which fmt's %v uses: shortest digits,
// exponent form (at least two exponent digits) when the exponent is < -4 or
// >= 6, so 1000000.0 prints as 1e+06.
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const [mant, expStr] = f.toExponential().split('e');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return formatFixed(mant, exp);
}

// Writes the digits of a toExponential() mantissa in positional notation.
function formatFixed(mant: string, exp: number): string {
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  let s: string;
  if (exp >= 0) {
    s = digits.length > exp + 1 ? `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}` : digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  return neg ? `-${s}` : s;
}

function isGoPrintable(cp: number): boolean {
  if (cp === 0x20) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

// strconv.Quote: Go-syntax double-quoted string.
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (isGoPrintable(cp)) out += ch;
    else if (cp < 0x80) out += `\\x${hex(cp, 2)}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (cp < 0x10000) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + '"';
}

// fmt's %#U: "U+0041 'A'" (the character only when printable).
export function formatRuneU(cp: number): string {
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return isGoPrintable(cp) ? `${code} '${String.fromCodePoint(cp)}'` : code;
}

// fmt's %v (and Print) of a value held in an interface{}.
export function goSprint(v: GoValue | undefined): string {
  if (v === undefined) return '<invalid reflect.Value>';
  if (v === null) return '<nil>';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoFloat) return formatGoFloat(v.value);
  if (Array.isArray(v)) return `[${v.map(goSprint).join(' ')}]`;
  return `map[${sortedKeys(v)
    .map((k) => `${k}:${goSprint(v.get(k) ?? null)}`)
    .join(' ')}]`;
}

// fmt's %#v of a value; `inInterface` is true for elements of maps and slices
// of interface{}, where a nil prints with its static type.
export function goSyntax(v: GoValue, inInterface = false): string {
  if (v === null) return inInterface ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goQuote(v);
  if (v instanceof GoInt) return String(v.value);
  if (v instanceof GoFloat) return formatGoFloat(v.value);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x, true)).join(', ')}}`;
  return `map[string]interface {}{${sortedKeys(v)
    .map((k) => `${goQuote(k)}:${goSyntax(v.get(k) ?? null, true)}`)
    .join(', ')}}`;
}

// encoding/json's string escaping: like JSON.stringify, plus the HTML-safe
// escapes Go applies by default.
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

export interface GoJsonOptions {
  // json.MarshalIndent's indent; '' is compact json.Marshal.
  indent?: string;
  // Go sorts map keys; a typed (struct) object keeps its field order, which
  // insertion order stands for.
  sortKeys?: boolean;
}

// json.Marshal / json.MarshalIndent(v, "", indent).
export function goJson(v: GoValue | undefined, opts: GoJsonOptions = {}, depth = 0): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJsonString(v);
  // encoding/json picks exponent form at the same thresholds as JavaScript.
  if (v instanceof GoInt || v instanceof GoFloat) return String(v.value);
  const indent = opts.indent ?? '';
  const nl = indent ? '\n' + indent.repeat(depth + 1) : '';
  const end = indent ? '\n' + indent.repeat(depth) : '';
  const colon = indent ? ': ' : ':';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl + goJson(x, opts, depth + 1)).join(',')}${end}]`;
  }
  if (v.size === 0) return '{}';
  const keys = opts.sortKeys === false ? [...v.keys()] : sortedKeys(v);
  return `{${keys.map((k) => nl + goJsonString(k) + colon + goJson(v.get(k), opts, depth + 1)).join(',')}${end}}`;
}

// The UTF-8 bytes of a string, as Go indexes them.
export function utf8Bytes(s: string): number[] {
  return [...Buffer.from(s, 'utf8')];
}

// ---------------------------------------------------------------------------
// Comparison (the forked text/template comparison functions jsonpath filters use)

type BasicKind = 'bool' | 'int' | 'float' | 'string';

export const ERR_BAD_COMPARISON_TYPE = 'invalid type for comparison';
export const ERR_BAD_COMPARISON = 'incompatible types for comparison';

export class GoCompareError extends Error {}

function basicKind(v: GoValue | undefined): BasicKind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof GoInt) return 'int';
  if (v instanceof GoFloat) return 'float';
  throw new GoCompareError(ERR_BAD_COMPARISON_TYPE);
}

function scalar(v: GoValue | undefined): number | string | boolean {
  if (v instanceof GoInt || v instanceof GoFloat) return v.value;
  return v as string | boolean;
}

export function goEqual(a: GoValue | undefined, b: GoValue | undefined): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new GoCompareError(ERR_BAD_COMPARISON);
  return scalar(a) === scalar(b);
}

export function goLess(a: GoValue | undefined, b: GoValue | undefined): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka !== kb) throw new GoCompareError(ERR_BAD_COMPARISON);
  if (ka === 'bool') throw new GoCompareError(ERR_BAD_COMPARISON_TYPE);
  if (ka === 'string') return compareGoStrings(a as string, b as string) < 0;
  return (scalar(a) as number) < (scalar(b) as number);
}

// ---------------------------------------------------------------------------
// Parser

interface Param {
  value: number;
  known: boolean;
  derived: boolean;
}

export type JsonPathNode =
  | ListNode
  | { kind: 'text'; text: string }
  | { kind: 'field'; name: string }
  | { kind: 'identifier'; name: string }
  | { kind: 'array'; params: [Param, Param, Param] }
  | { kind: 'filter'; left: ListNode; right: ListNode; op: string }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'wildcard' }
  | { kind: 'recursive' }
  | { kind: 'union'; nodes: ListNode[] };

export interface ListNode {
  kind: 'list';
  nodes: JsonPathNode[];
}

// A template that failed to parse; the message is the parser's own text.
export class JsonPathParseError extends Error {}

// An error from executing a template; the message is jsonpath's own text.
export class JsonPathExecError extends Error {
  // What the failing Go function returned alongside the error; the `exists`
  // filter counts it.
  partial: (GoValue | undefined)[] = [];
}

function execError(message: string, partial: (GoValue | undefined)[]): JsonPathExecError {
  const e = new JsonPathExecError(message);
  e.partial = partial;
  return e;
}

const EOF = -1;

function isSpaceRune(r: number): boolean {
  return r === 0x20 || r === 0x09;
}

function isEndOfLine(r: number): boolean {
  return r === 0x0d || r === 0x0a;
}

function isDigitRune(r: number): boolean {
  return r >= 0 && /\p{Nd}/u.test(String.fromCodePoint(r));
}

function isAlphaNumeric(r: number): boolean {
  return r === 0x5f || (r >= 0 && /[\p{L}\p{Nd}]/u.test(String.fromCodePoint(r)));
}

function isTerminator(r: number): boolean {
  if (isSpaceRune(r) || isEndOfLine(r)) return true;
  return r === EOF || '.,[]$@{}'.includes(String.fromCodePoint(r));
}

const DICT_KEY = /^'([^']*)'$/;
const SLICE_OPERATOR = /^(-?\d*)(:-?\d*)?(:-?\d*)?$/;
const FILTER_OPERATOR = /^([^!<>=]+)([!<>=]+)([^\n]+?)$/;

// Go's strconv.Atoi: an optional sign and decimal digits, within int64.
function atoi(s: string): number | undefined {
  if (!/^[+-]?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Math.abs(n) < INT64_LIMIT ? n : undefined;
}

class Parser {
  readonly root: ListNode = { kind: 'list', nodes: [] };
  private pos = 0;
  private start = 0;
  private width = 0;

  constructor(private readonly input: string) {}

  parse(): ListNode {
    let cur: ListNode | undefined;
    // Alternates between text and actions, as parseText/parseInsideAction do.
    for (;;) {
      if (cur === undefined) {
        const at = this.input.indexOf('{', this.pos);
        if (at < 0) {
          this.pos = this.input.length;
          if (this.pos > this.start) this.root.nodes.push({ kind: 'text', text: this.consume() });
          return this.root;
        }
        this.pos = at;
        if (this.pos > this.start) this.root.nodes.push({ kind: 'text', text: this.consume() });
        this.pos += 1;
        this.consume();
        cur = { kind: 'list', nodes: [] };
        this.root.nodes.push(cur);
        continue;
      }
      if (this.input.startsWith('}', this.pos)) {
        this.pos += 1;
        this.consume();
        cur = undefined;
        continue;
      }
      this.insideAction(cur);
    }
  }

  private consume(): string {
    const v = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return v;
  }

  private next(): number {
    if (this.pos >= this.input.length) {
      this.width = 0;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos) ?? 0;
    this.width = cp > 0xffff ? 2 : 1;
    this.pos += this.width;
    return cp;
  }

  private peek(): number {
    const r = this.next();
    this.backup();
    return r;
  }

  private backup(): void {
    this.pos -= this.width;
  }

  // One step of parseInsideAction (the caller loops until the closing brace).
  private insideAction(cur: ListNode): void {
    const rest = this.input.slice(this.pos);
    if (rest.startsWith('[?(')) return this.parseFilter(cur);
    if (rest.startsWith('..')) return this.parseRecursive(cur);
    const r = this.next();
    if (r === EOF || isEndOfLine(r)) throw new JsonPathParseError('unclosed action');
    if (r === 0x20 || r === 0x40 || r === 0x24) {
      // ' ', '@' and '$' carry no meaning of their own.
      this.consume();
      return;
    }
    if (r === 0x5b) return this.parseArray(cur);
    if (r === 0x22 || r === 0x27) return this.parseQuote(cur, r);
    if (r === 0x2e) return this.parseField(cur);
    if (r === 0x2b || r === 0x2d || isDigitRune(r)) {
      this.backup();
      return this.parseNumber(cur);
    }
    if (isAlphaNumeric(r)) {
      this.backup();
      return this.parseIdentifier(cur);
    }
    throw new JsonPathParseError(`unrecognized character in action: ${formatRuneU(r)}`);
  }

  private parseIdentifier(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consume();
    if (value === 'true' || value === 'false') cur.nodes.push({ kind: 'bool', value: value === 'true' });
    else cur.nodes.push({ kind: 'identifier', name: value });
  }

  private parseRecursive(cur: ListNode): void {
    const last = cur.nodes[cur.nodes.length - 1];
    if (last?.kind === 'recursive') throw new JsonPathParseError('invalid multiple recursive descent');
    this.pos += 2;
    this.consume();
    cur.nodes.push({ kind: 'recursive' });
    if (isAlphaNumeric(this.peek())) this.parseField(cur);
  }

  private parseNumber(cur: ListNode): void {
    const r = this.peek();
    if (r === 0x2b || r === 0x2d) this.next();
    for (;;) {
      const c = this.next();
      if (c !== 0x2e && !isDigitRune(c)) {
        this.backup();
        break;
      }
    }
    const value = this.consume();
    const i = atoi(value);
    if (i !== undefined) {
      cur.nodes.push({ kind: 'int', value: i });
      return;
    }
    // strconv.ParseFloat accepts forms such as "1.", ".5" and "+1.5".
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(value)) {
      cur.nodes.push({ kind: 'float', value: Number(value) });
      return;
    }
    throw new JsonPathParseError(`cannot parse number ${value}`);
  }

  private parseArray(cur: ListNode): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathParseError('unterminated array');
      if (r === 0x5d) break;
    }
    let text = this.consume();
    text = text.slice(1, -1);
    if (text === '*') text = ':';

    const parts = text.split(',');
    if (parts.length > 1) {
      const union: ListNode[] = [];
      for (const part of parts) union.push(parseAction(`[${part.replace(/^ +| +$/g, '')}]`));
      cur.nodes.push({ kind: 'union', nodes: union });
      return;
    }

    const key = DICT_KEY.exec(text);
    if (key) {
      cur.nodes.push(...parseAction(`.${key[1]}`).nodes);
      return;
    }

    const m = SLICE_OPERATOR.exec(text);
    if (!m) throw new JsonPathParseError(`invalid array index ${text}`);
    const groups = [m[1] ?? '', m[2] ?? '', m[3] ?? ''];
    const params: [Param, Param, Param] = [
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
      { value: 0, known: false, derived: false },
    ];
    for (let i = 0; i < 3; i++) {
      let g = groups[i];
      if (g !== '') {
        if (i > 0) g = g.slice(1);
        if (i > 0 && g === '') {
          params[i].known = false;
        } else {
          const n = atoi(g);
          if (n === undefined) throw new JsonPathParseError(`array index ${g} is not a number`);
          params[i].known = true;
          params[i].value = n;
        }
      } else if (i === 1) {
        // `[n]` is the slice `[n:n+1]`.
        params[i] = { value: params[0].value + 1, known: true, derived: true };
      }
    }
    cur.nodes.push({ kind: 'array', params });
  }

  private parseFilter(cur: ListNode): void {
    this.pos += 3;
    this.consume();
    let begin = false;
    let end = false;
    let pair = 0;
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathParseError('unterminated filter');
      if (r === 0x22 || r === 0x27) {
        if (!begin) {
          begin = true;
          pair = r;
          continue;
        }
        if (this.input[this.pos - 2] !== '\\' && r === pair) end = true;
      } else if (r === 0x29 && begin === end) {
        break;
      }
    }
    if (this.next() !== 0x5d) throw new JsonPathParseError('unclosed array expect ]');
    const text = this.consume().slice(0, -2);
    const m = FILTER_OPERATOR.exec(text);
    if (!m) {
      cur.nodes.push({ kind: 'filter', left: parseAction(text), right: { kind: 'list', nodes: [] }, op: 'exists' });
      return;
    }
    const left = parseAction(m[1]);
    const right = parseAction(m[3]);
    cur.nodes.push({ kind: 'filter', left, right, op: m[2] });
  }

  private parseQuote(cur: ListNode, quote: number): void {
    for (;;) {
      const r = this.next();
      if (r === EOF || r === 0x0a) throw new JsonPathParseError('unterminated quoted string');
      if (r === quote && this.input[this.pos - 2] !== '\\') break;
    }
    const value = this.consume();
    let text: string;
    try {
      text = unquoteExtend(value);
    } catch {
      throw new JsonPathParseError(`unquote string ${value} error invalid syntax`);
    }
    cur.nodes.push({ kind: 'text', text });
  }

  private parseField(cur: ListNode): void {
    this.consume();
    for (;;) {
      const r = this.next();
      if (r === 0x5c) {
        this.next();
        continue;
      }
      if (isTerminator(r)) {
        this.backup();
        break;
      }
    }
    const value = this.consume();
    if (value === '*') cur.nodes.push({ kind: 'wildcard' });
    else cur.nodes.push({ kind: 'field', name: value.replace(/\\/g, '') });
  }
}

// parseAction: parses `{text}` and returns the action's node list.
function parseAction(text: string): ListNode {
  const root = new Parser(`{${text}}`).parse();
  return root.nodes[0] as ListNode;
}

class SyntaxErr extends Error {}

// strconv.UnquoteChar's escapes, for a string quoted with ' or ".
function unquoteExtend(s: string): string {
  const n = s.length;
  if (n < 2) throw new SyntaxErr();
  const quote = s[0];
  if (quote !== s[n - 1] || (quote !== '"' && quote !== "'")) throw new SyntaxErr();
  const body = s.slice(1, -1);
  if (!body.includes('\\') && !body.includes(quote)) return body;
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c === quote) throw new SyntaxErr();
    if (c !== '\\') {
      const cp = body.codePointAt(i) ?? 0;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    if (i + 1 >= body.length) throw new SyntaxErr();
    const e = body[i + 1];
    i += 2;
    const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };
    if (e in simple) {
      out += simple[e];
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const len = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const digits = body.slice(i, i + len);
      if (digits.length < len || !/^[0-9a-fA-F]+$/.test(digits)) throw new SyntaxErr();
      const v = parseInt(digits, 16);
      i += len;
      if (e !== 'x' && (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))) throw new SyntaxErr();
      out += String.fromCodePoint(v);
    } else if (e >= '0' && e <= '7') {
      const digits = body.slice(i - 1, i + 2);
      if (!/^[0-7]{3}$/.test(digits)) throw new SyntaxErr();
      const v = parseInt(digits, 8);
      if (v > 255) throw new SyntaxErr();
      i += 2;
      out += String.fromCharCode(v);
    } else if (e === "'" || e === '"') {
      if (e !== quote) throw new SyntaxErr();
      out += e;
    } else {
      throw new SyntaxErr();
    }
  }
  return out;
}

export interface JsonPathTemplate {
  readonly source: string;
  readonly root: ListNode;
}

// Parses a template (kubectl's jsonpath.Parse); throws JsonPathParseError.
export function parseJsonPath(template: string): JsonPathTemplate {
  return { source: template, root: new Parser(template).parse() };
}

// ---------------------------------------------------------------------------
// Execution

export interface JsonPathExecOptions {
  // kubectl get turns this on (--allow-missing-template-keys defaults to true).
  allowMissingKeys?: boolean;
}

type Val = GoValue | undefined;

// A Go panic inside the engine (kubectl crashes with this text).
export class JsonPathPanic extends Error {}

class Executor {
  private beginRange = 0;
  private inRange = 0;
  private endRange = 0;
  private lastEndNode = -1;

  constructor(
    private readonly nodes: JsonPathNode[],
    private readonly allowMissingKeys: boolean,
  ) {}

  // FindResults over root nodes [from, end): the range/end bookkeeping follows
  // jsonpath.go, where a range body is re-run for each element and the scan
  // then skips to the most recent {end} seen.
  findResults(data: Val, from = 0): Val[][] {
    const cur: Val[] = [data];
    const full: Val[][] = [];
    const count = this.nodes.length - from;
    for (let i = 0; i < count; i++) {
      const node = this.nodes[from + i];
      const results = this.walk(cur, node);
      if (this.endRange > 0 && this.endRange <= this.inRange) {
        this.endRange--;
        this.lastEndNode = from + i;
        break;
      }
      if (this.beginRange > 0) {
        this.beginRange--;
        this.inRange++;
        if (results.length > 0) {
          // Each element is re-wrapped as reflect.ValueOf(v.Interface()): a nil
          // element becomes an invalid value.
          for (const v of results) full.push(...this.findResults(v === null ? undefined : v, from + i + 1));
        } else {
          this.findResults(undefined, from + i + 1);
        }
        this.inRange--;
        for (let k = i + 1; k < count; k++) {
          if (from + k === this.lastEndNode) {
            i = k;
            break;
          }
        }
        continue;
      }
      full.push(results);
    }
    return full;
  }

  private walk(input: Val[], node: JsonPathNode): Val[] {
    switch (node.kind) {
      case 'list':
        return this.evalList(input, node);
      case 'text':
        return [node.text];
      case 'field':
        return this.evalField(input, node.name);
      case 'array':
        return this.evalArray(input, node.params);
      case 'filter':
        return this.evalFilter(input, node);
      case 'int':
        return input.map(() => new GoInt(node.value, 'int'));
      case 'float':
        return input.map(() => new GoFloat(node.value));
      case 'bool':
        return input.map(() => node.value);
      case 'wildcard':
        return this.evalWildcard(input);
      case 'recursive':
        return this.evalRecursive(input);
      case 'union':
        return this.propagate(input, () => node.nodes.flatMap((l) => this.evalList(input, l)));
      case 'identifier':
        return this.evalIdentifier(input, node.name);
    }
  }

  private evalList(input: Val[], node: ListNode): Val[] {
    let cur = input;
    for (const n of node.nodes) cur = this.walk(cur, n);
    return cur;
  }

  // Runs `f`; an execution error from it is passed on as if the caller had
  // returned `partial` with it, as the Go functions do.
  private propagate<T>(partial: Val[], f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof JsonPathExecError) e.partial = partial;
      throw e;
    }
  }

  private evalIdentifier(input: Val[], name: string): Val[] {
    if (name === 'range') {
      this.beginRange++;
      return input;
    }
    if (name === 'end') {
      if (this.inRange > 0) {
        this.endRange++;
        return [];
      }
      throw execError('not in range, nothing to end', []);
    }
    throw execError(`unrecognized identifier ${name}`, input);
  }

  private evalArray(input: Val[], params: [Param, Param, Param]): Val[] {
    const result: Val[] = [];
    for (const value of input) {
      if (value === null) continue;
      if (value === undefined) throw new JsonPathPanic('reflect: call of reflect.Value.Type on zero Value');
      if (!Array.isArray(value)) throw execError(`${goTypeName(value)} is not array or slice`, input);
      const len = value.length;
      let start = params[0].known ? params[0].value : 0;
      if (start < 0) start += len;
      let end = params[1].known ? params[1].value : len;
      if (end < 0 || (end === 0 && params[1].derived)) end += len;
      if (end === start) return result;
      if (start >= len || start < 0) throw execError(`array index out of bounds: index ${start}, length ${len}`, input);
      if (end > len || end < 0) throw execError(`array index out of bounds: index ${end - 1}, length ${len}`, input);
      if (start > end) throw execError(`starting index ${start} is greater than ending index ${end}`, input);
      let step = 1;
      if (params[2].known) {
        if (params[2].value <= 0) throw execError('step must be > 0', input);
        step = params[2].value;
      }
      for (let i = start; i < end; i += step) result.push(value[i]);
    }
    return result;
  }

  private evalField(input: Val[], name: string): Val[] {
    const results: Val[] = [];
    if (input.length === 0) return results;
    for (const value of input) {
      if (value instanceof Map && value.has(name)) results.push(value.get(name));
    }
    if (results.length === 0 && !this.allowMissingKeys) throw execError(`${name} is not found`, results);
    return results;
  }

  // Go visits map entries in random order (a rotation of insertion order for
  // small maps); insertion order is one of the orders kubectl prints.
  private children(value: GoValue): Val[] {
    if (value instanceof Map) return [...value.values()];
    if (Array.isArray(value)) return value;
    if (typeof value === 'string') return utf8Bytes(value).map((b) => new GoInt(b, 'uint8'));
    return [];
  }

  private evalWildcard(input: Val[]): Val[] {
    const results: Val[] = [];
    for (const value of input) if (value !== null && value !== undefined) results.push(...this.children(value));
    return results;
  }

  private evalRecursive(input: Val[]): Val[] {
    const result: Val[] = [];
    for (const value of input) {
      if (value === null || value === undefined) continue;
      const kids = this.children(value);
      if (kids.length !== 0) {
        result.push(value);
        result.push(...this.evalRecursive(kids));
      }
    }
    return result;
  }

  private evalFilter(input: Val[], node: { left: ListNode; right: ListNode; op: string }): Val[] {
    const results: Val[] = [];
    for (const value of input) {
      if (!Array.isArray(value)) {
        const shown = value === undefined ? '<invalid reflect.Value>' : goSprint(value);
        throw execError(`${shown} is not array or slice and cannot be filtered`, input);
      }
      for (const elem of value) {
        const temp: Val[] = [elem];
        if (node.op === 'exists') {
          let lefts: Val[];
          try {
            lefts = this.evalList(temp, node.left);
          } catch (e) {
            // exists ignores the error but counts what came back with it.
            if (!(e instanceof JsonPathExecError)) throw e;
            lefts = e.partial;
          }
          if (lefts.length > 0) results.push(elem);
          continue;
        }
        const lefts = this.propagate(input, () => this.evalList(temp, node.left));
        if (lefts.length === 0) continue;
        if (lefts.length > 1) throw execError('can only compare one element at a time', input);
        const rights = this.propagate(input, () => this.evalList(temp, node.right));
        if (rights.length === 0) continue;
        if (rights.length > 1) throw execError('can only compare one element at a time', input);
        if (this.propagate(results, () => compareFilter(node.op, lefts[0], rights[0]))) results.push(elem);
      }
    }
    return results;
  }
}

function compareFilter(op: string, left: Val, right: Val): boolean {
  try {
    switch (op) {
      case '<':
        return goLess(left, right);
      case '>':
        return !(goLess(left, right) || goEqual(left, right));
      case '==':
        return goEqual(left, right);
      case '!=':
        return !goEqual(left, right);
      case '<=':
        return goLess(left, right) || goEqual(left, right);
      case '>=':
        return !goLess(left, right);
    }
  } catch (e) {
    if (e instanceof GoCompareError) throw execError(e.message, []);
    throw e;
  }
  throw execError(`unrecognized filter operator ${op}`, []);
}

// jsonpath's FindResults: one list of values per top-level node (text or
// action), in template order. `undefined` entries are invalid values.
export function findJsonPathResults(tmpl: JsonPathTemplate, data: GoValue, opts: JsonPathExecOptions = {}): (GoValue | undefined)[][] {
  return new Executor(tmpl.root.nodes, opts.allowMissingKeys ?? false).findResults(data);
}

// How PrintResults renders one value: maps and slices as compact JSON,
// the rest as fmt.Print does, nil as "null", an invalid value as "<no value>".
export function jsonPathText(v: GoValue | undefined): string {
  if (v === undefined) return '<no value>';
  if (v === null) return 'null';
  if (Array.isArray(v) || v instanceof Map) return goJson(v);
  return goSprint(v);
}

// JSONPath.Execute: renders every result group; within a group values are
// separated by one space. With asJson (jsonpath-as-json) each group is
// printed as an indented JSON array followed by a newline.
export function renderJsonPath(tmpl: JsonPathTemplate, data: GoValue, opts: JsonPathExecOptions & { asJson?: boolean } = {}): string {
  const groups = findJsonPathResults(tmpl, data, opts);
  let out = '';
  for (const group of groups) {
    if (opts.asJson) {
      if (group.some((v) => v === undefined)) throw new JsonPathPanic('reflect: call of reflect.Value.Interface on zero Value');
      out += goJson(group as GoValue[], { indent: '    ' }) + '\n';
      continue;
    }
    out += group.map(jsonPathText).join(' ');
  }
  return out;
}

// ---------------------------------------------------------------------------
// kubectl's jsonpath printer

// An error as kubectl reports it: print "error: " + message, adding a newline
// unless the message already ends with one (the execution error ends with
// three). Exit code 1.
export class KubectlTemplateError extends Error {}

export interface JsonPathPrintOptions extends DecodeOptions {
  allowMissingKeys?: boolean;
  // -o jsonpath-as-json
  asJson?: boolean;
}

// Checks a template as `kubectl ... -o jsonpath=TEMPLATE` does before any
// object is fetched; throws KubectlTemplateError.
export function compileJsonPathPrinter(template: string): JsonPathTemplate {
  if (template.length === 0) throw new KubectlTemplateError('template format specified but no template given');
  try {
    return parseJsonPath(template);
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new KubectlTemplateError(`error parsing jsonpath ${template}, ${e.message}`);
    throw e;
  }
}

// The text kubectl prints for one object (or List) with -o jsonpath
// (JSONPathPrinter.PrintObj). `object` is plain JSON. allowMissingKeys
// defaults to true, as in kubectl. Throws KubectlTemplateError (parse or
// execution error) or JsonPathPanic (where kubectl itself crashes).
export function executeJsonPath(template: string | JsonPathTemplate, object: unknown, opts: JsonPathPrintOptions = {}): string {
  const tmpl = typeof template === 'string' ? compileJsonPathPrinter(template) : template;
  const data = toGo(object, opts);
  try {
    return renderJsonPath(tmpl, data, { allowMissingKeys: opts.allowMissingKeys ?? true, asJson: opts.asJson });
  } catch (e) {
    if (!(e instanceof JsonPathExecError)) throw e;
    const debug =
      `Error executing template: ${e.message}. Printing more information for debugging the template:\n` +
      `\ttemplate was:\n\t\t${tmpl.source}\n` +
      `\tobject given to jsonpath engine was:\n\t\t${goSyntax(data)}\n\n`;
    throw new KubectlTemplateError(`error executing jsonpath ${goQuote(tmpl.source)}: ${debug}\n`);
  }
}

// -o jsonpath-as-json: like executeJsonPath, each result group printed as an
// indented JSON array.
export function jsonPathAsJson(template: string | JsonPathTemplate, object: unknown, opts: JsonPathPrintOptions = {}): string {
  return executeJsonPath(template, object, { ...opts, asJson: true });
}
