// YAML output as kubectl prints it for `-o yaml`.
//
// kubectl uses sigs.k8s.io/yaml: the object is marshalled to JSON, the JSON is parsed
// back by go-yaml v2 and re-emitted by go-yaml v2's emitter (a port of libyaml). This
// module reproduces that pipeline on a plain JSON value: go-yaml's key order, its
// scalar style choice (plain, single-quoted, double-quoted, literal), its line folding
// at 80 columns and its indentation. The emitter is modelled as a small state machine
// (column, "whitespace", "indention") because the layout rules depend on that state.

import type { Json } from '../util/json';
import { OutputBuffer } from './json';

// Thrown where kubectl itself fails to print (e.g. DEL in a string).
export class YamlError extends Error {}

export function toYaml(value: Json | undefined): string {
  const e = new Emitter();
  e.node(value === undefined ? null : value, -1, false, false);
  // DOCUMENT-END: go-yaml ends the document with a line break unless already at a line start.
  e.writeIndent(0);
  return e.out;
}

// Several objects as one stream, as kubectl's YAMLPrinter writes them: "---\n" before
// every object after the first.
export function toYamlDocuments(values: readonly (Json | undefined)[]): string {
  return values.map(toYaml).join('---\n');
}

// ---------------------------------------------------------------------------------------
// Key order: go-yaml v2 sorts map keys with a "natural" order: letters sort after other
// characters, runs of digits compare as numbers ("a9" < "a10").

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i) as number;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function isLetter(c: number): boolean {
  if (c < 0x80) return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return LETTER.test(String.fromCodePoint(c));
}

function isDigit(c: number): boolean {
  if (c < 0x80) return c >= 0x30 && c <= 0x39;
  return DIGIT.test(String.fromCodePoint(c));
}

// A key as a sequence of code points: the string itself when it is ASCII (no copy).
type Runes = string | number[];

function runes(s: string): Runes {
  return ASCII.test(s) ? s : codePoints(s);
}

function at(r: Runes, i: number): number {
  return typeof r === 'string' ? r.charCodeAt(i) : r[i];
}

const ASCII = /^[\x00-\x7f]*$/;

// Go accumulates a digit run in an int64 (value*10 + (rune - '0'), wrapping on overflow,
// even for non-ASCII digits). Short ASCII runs are exact as Numbers; BigInt does the rest.
function digitRun(r: Runes, from: number, seed: number): { value: number | bigint; end: number } {
  let end = from;
  let ascii = true;
  while (end < r.length && isDigit(at(r, end))) {
    if (at(r, end) > 0x7f) ascii = false;
    end++;
  }
  if (ascii && end - from <= 15) {
    let v = seed;
    for (let k = from; k < end; k++) v = v * 10 + (at(r, k) - 0x30);
    return { value: v, end };
  }
  let v = BigInt(seed);
  for (let k = from; k < end; k++) v = BigInt.asIntN(64, v * 10n + BigInt(at(r, k) - 0x30));
  return { value: v, end };
}

function keyLess(ar: Runes, br: Runes): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = at(ar, i);
    const bc = at(br, i);
    if (ac === bc) continue;
    const al = isLetter(ac);
    const bl = isLetter(bc);
    if (al && bl) return ac < bc;
    if (al || bl) return bl;
    // Leading zeros only matter when a non-zero digit precedes the run (go-yaml quirk).
    let seed = 0;
    if (ac === 0x30 || bc === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(at(ar, j)); j--) {
        if (at(ar, j) !== 0x30) {
          seed = 1;
          break;
        }
      }
    }
    const an = digitRun(ar, i, seed);
    const bn = digitRun(br, i, seed);
    const [x, y] = typeof an.value === typeof bn.value ? [an.value, bn.value] : [BigInt(an.value), BigInt(bn.value)];
    if (x !== y) return x < y;
    if (an.end !== bn.end) return an.end < bn.end;
    return ac < bc;
  }
  return ar.length < br.length;
}

// Comparator for Array.prototype.sort giving go-yaml v2's map key order.
const ALPHA = /^[A-Za-z]+$/;

export function compareYamlKeys(a: string, b: string): number {
  if (a === b) return 0;
  // Fast path: both plain ASCII words compare by code unit.
  if (ALPHA.test(a) && ALPHA.test(b)) return a < b ? -1 : 1;
  const ar = runes(a);
  const br = runes(b);
  if (keyLess(ar, br)) return -1;
  return keyLess(br, ar) ? 1 : 0;
}

// ---------------------------------------------------------------------------------------
// Resolution: would a plain scalar read back as something other than a string? Then
// go-yaml double-quotes it (YAML 1.1 booleans, nulls, ints incl. octal/hex/binary,
// floats, timestamps, and base-60 numbers).

const RESOLVE_MAP = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
  // ("<<", the merge key, is in go-yaml's table too but never looked up: '<' gives no hint.)
]);

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) success, underscores already removed.
function parsesAsGoInt(s: string): boolean {
  const m = /^([+-]?)(0[bB][01]+|0[oO][0-7]+|0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const body = m[2];
  let v: bigint;
  if (/^0[bBoOxX]/.test(body)) v = BigInt('0' + body[1].toLowerCase() + body.slice(2));
  else if (body.length > 1 && body[0] === '0') v = BigInt('0o' + body.slice(1));
  else v = BigInt(body);
  if (m[1] === '-') v = -v;
  if (v >= INT64_MIN && v <= INT64_MAX) return true;
  return m[1] === '' && v <= UINT64_MAX; // ParseUint takes no sign
}

// Go's underscoreOK: underscores only between digits (or after a base prefix).
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && /[bBoOxX]/.test(s[1])) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

// strconv.ParseFloat(s, 64) succeeds for a decimal literal (syntax ok, no overflow).
// Only reached for strings starting with a sign, digit or '.', so no inf/nan/hex forms.
function parsesAsGoFloat(s: string): boolean {
  if (s.includes('_')) {
    if (!underscoreOK(s)) return false;
    s = s.replace(/_/g, '');
  }
  if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(s)) return false;
  return Number.isFinite(Number(s));
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// go-yaml's parseTimestamp: time.Parse with a few layouts ("2006-1-2T15:4:5.999999999Z07:00",
// lower-case "t", "2006-1-2 15:4:5.999999999", "2006-1-2").
function isTimestamp(s: string): boolean {
  if (s.length < 8 || s.charCodeAt(4) !== 0x2d) return false; // "YYYY-" at least
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})|( )([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?)?$/.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  const hms = m[4] ? [m[5], m[6], m[7]] : m[9] ? [m[10], m[11], m[12]] : undefined;
  if (hms) {
    const [h, mi, se] = hms.map(Number);
    if (h > 23 || mi > 59 || se > 59) return false;
  }
  if (m[8] && m[8] !== 'Z') {
    // time.Parse rejects zone offsets with hours > 24 or minutes > 60.
    if (Number(m[8].slice(1, 3)) > 24 || Number(m[8].slice(4, 6)) > 60) return false;
  }
  return true;
}

// True when the plain scalar `s` would resolve to a non-string (go-yaml resolve()).
function resolvesToNonString(s: string): boolean {
  const c = s.charCodeAt(0);
  // Most strings start with a character that gives no type hint.
  if (c >= 0x61 && c <= 0x7a && c !== 0x79 && c !== 0x6e && c !== 0x74 && c !== 0x66 && c !== 0x6f) return false;
  const isSign = c === 0x2b || c === 0x2d;
  const isDig = c >= 0x30 && c <= 0x39;
  const isDot = c === 0x2e;
  const inMapHint = s.length > 0 && 'yYnNtTfFoO~'.includes(s[0]);
  if (s.length > 0 && !isSign && !isDig && !isDot && !inMapHint) return false; // no hint
  if (RESOLVE_MAP.has(s)) return true;
  if (inMapHint) return false;
  if (isDot) return parsesAsGoFloat(s);
  if (isTimestamp(s)) return true;
  const plain = s.replace(/_/g, '');
  if (parsesAsGoInt(plain)) return true;
  if (YAML_STYLE_FLOAT.test(plain) && parsesAsGoFloat(plain)) return true;
  // go-yaml's own "0b" branch parses the rest in base 2, which accepts a sign: "0b-101".
  const bin = plain.startsWith('0b') ? /^0b([+-]?)([01]+)$/.exec(plain) : null;
  if (bin) {
    const v = BigInt('0b' + bin[2]) * (bin[1] === '-' ? -1n : 1n);
    return (v >= INT64_MIN && v <= INT64_MAX) || (bin[1] === '' && v <= UINT64_MAX);
  }
  return false;
}

function canUsePlain(s: string): boolean {
  if (resolvesToNonString(s)) return false;
  // go-yaml also quotes YAML 1.1 base-60 numbers for other parsers' sake.
  const c = s[0];
  if ((c === '+' || c === '-' || (c >= '0' && c <= '9')) && s.includes(':') && BASE60_FLOAT.test(s)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------
// Numbers. The value first goes through Go's encoding/json (JS's shortest formatting is
// the same), then go-yaml reads it back as int, uint or float64 and prints floats with
// strconv.FormatFloat(f, 'g', -1, 64).

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new YamlError(`json: unsupported value: ${n === n ? (n > 0 ? '+Inf' : '-Inf') : 'NaN'}`);
  const t = String(n);
  if (Number.isSafeInteger(n)) return t;
  if (!/[.e]/.test(t)) {
    const v = BigInt(t);
    if ((v >= INT64_MIN && v <= INT64_MAX) || (v >= 0n && v <= UINT64_MAX)) return t;
  }
  // %g with shortest precision: exponent form when exp < -4 || exp >= 6 (Go uses eprec 6).
  const [mant, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return t; // JS prints fixed notation in this range, with the same shortest digits
}

// ---------------------------------------------------------------------------------------
// Strings as the JSON → YAML round trip leaves them.

// Characters go-yaml's reader rejects and Go's JSON encoder leaves unescaped.
const FORBIDDEN = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function roundTripString(s: string): string {
  // Go strings are UTF-8: a lone surrogate becomes U+FFFD on the way through JSON.
  if (/[\ud800-\udfff]/.test(s)) s = s.replace(LONE_SURROGATE, '\ufffd');
  if (FORBIDDEN.test(s)) throw new YamlError('yaml: control characters are not allowed');
  if (s.includes('\u0085')) s = foldNel(s);
  return s;
}

// Go's JSON encoder writes NEL (U+0085) raw, and go-yaml's parser treats it as a line
// break inside the double-quoted scalar: it folds, eating the spaces around it. One
// break becomes a space; further breaks in the same run become "\n" each.
function foldNel(s: string): string {
  return s.replace(/ *\u0085[ \u0085]*/g, (run) => {
    const breaks = run.split('\u0085').length - 2;
    return breaks === 0 ? ' ' : '\n'.repeat(breaks);
  });
}

// ---------------------------------------------------------------------------------------
// Scalar analysis (libyaml's yaml_emitter_analyze_scalar), restricted to block context.
// Strings are walked by code point; an astral character counts as one column.

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

function isBreak(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
}

// libyaml's is_printable; everything above U+FFFF counts as non-printable.
function isPrintable(c: number): boolean {
  return (
    c === 0x0a ||
    (c >= 0x20 && c <= 0x7e) ||
    (c >= 0xa0 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff)
  );
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

interface Analysis {
  multiline: boolean;
  plainAllowed: boolean;
  singleAllowed: boolean;
  blockAllowed: boolean;
}

// Characters that may not start a plain scalar.
const FIRST_INDICATORS = new Set(Array.from('#,[]{}&*!|>\'"%@`', (ch) => ch.charCodeAt(0)));

function analyze(s: string): Analysis {
  const n = s.length;
  if (n === 0) return { multiline: false, plainAllowed: true, singleAllowed: true, blockAllowed: false };
  let indicators = s.startsWith('---') || s.startsWith('...');
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let precededByWs = true;
  let prevSpace = false;
  let prevBreak = false;
  for (let i = 0; i < n; i++) {
    const first = i === 0;
    let c = s.charCodeAt(i);
    if (isHighSurrogate(c)) {
      c = s.codePointAt(i) as number;
      i++;
    }
    const last = i === n - 1;
    const next = last ? -1 : s.charCodeAt(i + 1);
    const followedByWs = last || next === 0x20 || next === 0x09;
    if (first) {
      if (FIRST_INDICATORS.has(c)) indicators = true;
      else if ((c === 0x3f || c === 0x3a || c === 0x2d) && followedByWs) indicators = true; // ? : -
    } else if (c === 0x3a && followedByWs) indicators = true; // ": "
    else if (c === 0x23 && precededByWs) indicators = true; // " #"
    if (!isPrintable(c)) special = true;
    if (c === 0x20) {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevSpace = false;
      prevBreak = true;
    } else {
      prevSpace = false;
      prevBreak = false;
    }
    precededByWs = c === 0x20 || c === 0x09 || c === 0 || isBreak(c);
  }
  let plainAllowed = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak);
  let singleAllowed = true;
  let blockAllowed = !trailingSpace;
  if (breakSpace) plainAllowed = singleAllowed = false;
  if (spaceBreak || special) plainAllowed = singleAllowed = blockAllowed = false;
  if (lineBreaks || indicators) plainAllowed = false;
  return { multiline: lineBreaks, plainAllowed, singleAllowed, blockAllowed };
}

type Style = 'plain' | 'single' | 'double' | 'literal';

const SIMPLE_KEY_MAX_BYTES = 128;

// Strings that need no analysis: printable ASCII without spaces or indicators. They are
// plain unless they resolve to another type, in which case double quotes suffice.
const SAFE = /^[A-Za-z0-9_/][A-Za-z0-9_./=+-]*$/;

// The keys of `obj` that have a value, in go-yaml's order (which applies to the keys as
// go-yaml sees them, after the JSON round trip).
function sortedKeys(obj: { [key: string]: Json | undefined }): string[] {
  const keys = Object.keys(obj);
  let alpha = true;
  let defined = true;
  for (const k of keys) {
    if (alpha && !ALPHA.test(k)) alpha = false;
    if (obj[k] === undefined) defined = false;
  }
  const present = defined ? keys : keys.filter((k) => obj[k] !== undefined);
  // All keys ASCII letters (the usual case): code unit order is go-yaml's order.
  if (alpha) return sortInPlace(present, (a, b) => a < b);
  const seen = new Map(present.map((k) => [k, runes(roundTripString(k))]));
  return sortInPlace(present, (a, b) => keyLess(seen.get(a) as Runes, seen.get(b) as Runes));
}

// Insertion sort for the small key arrays most objects have: Array.prototype.sort
// allocates scratch space on every call, a large share of the garbage otherwise.
// (go-yaml's order is not transitive for some keys, e.g. "a12" < "a1b" < "a2" < "a12"; Go
// then sorts keys taken in random map order, so kubectl's own output varies from run to
// run and any order is as right as another.)
function sortInPlace(a: string[], less: (x: string, y: string) => boolean): string[] {
  if (a.length > 24) return a.sort((x, y) => (less(x, y) ? -1 : less(y, x) ? 1 : 0));
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    for (; j >= 0 && less(x, a[j]); j--) a[j + 1] = a[j];
    a[j + 1] = x;
  }
  return a;
}

// ---------------------------------------------------------------------------------------
// The emitter.

// Indentation strings, built once.
const SPACES: string[] = [''];
const NEWLINE_SPACES: string[] = ['\n'];
function spaces(n: number): string {
  while (SPACES.length <= n) SPACES.push(SPACES[SPACES.length - 1] + ' ');
  return SPACES[n];
}
function newlineSpaces(n: number): string {
  while (NEWLINE_SPACES.length <= n) NEWLINE_SPACES.push('\n' + spaces(NEWLINE_SPACES.length));
  return NEWLINE_SPACES[n];
}

// The text of a value that prints as one token with no analysis needed (null, booleans,
// numbers, SAFE strings), or undefined.
function simpleToken(v: Json | undefined): string | undefined {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return SAFE.test(v) ? (canUsePlain(v) ? v : `"${v}"`) : undefined;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
  }
  return undefined;
}

class Emitter {
  private readonly buf = new OutputBuffer();

  private append(s: string): void {
    this.buf.append(s);
  }

  get out(): string {
    return this.buf.toString();
  }

  private column = 0;
  private whitespace = true; // the last character written was whitespace
  private indention = true; // only indentation has been written on this line

  private write(s: string, width: number): void {
    this.append(s);
    this.column += width;
  }

  private putBreak(): void {
    this.append('\n');
    this.column = 0;
  }

  writeIndent(indent: number): void {
    const ind = indent < 0 ? 0 : indent;
    if (!this.indention || this.column > ind || (this.column === ind && !this.whitespace)) {
      this.append(newlineSpaces(ind));
      this.column = ind;
    } else if (this.column < ind) this.write(spaces(ind - this.column), ind - this.column);
    this.whitespace = true;
    this.indention = true;
  }

  private indicator(s: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.write(' ', 1);
    this.write(s, s.length);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  // Emits a node whose parent collection sits at `indent` (-1 at the document root).
  node(v: Json, indent: number, mappingContext: boolean, simpleKey: boolean): void {
    if (v === null) this.plainToken('null');
    else if (typeof v === 'boolean') this.plainToken(v ? 'true' : 'false');
    else if (typeof v === 'number') this.plainToken(formatNumber(v));
    else if (typeof v === 'string') this.string(SAFE.test(v) ? v : roundTripString(v), indent, simpleKey);
    else if (Array.isArray(v)) this.sequence(v, indent, mappingContext);
    else this.mapping(v, indent);
  }

  private sequence(items: (Json | undefined)[], indent: number, mappingContext: boolean): void {
    if (items.length === 0) {
      this.indicator('[', true, true, false);
      this.indicator(']', false, false, false);
      return;
    }
    // A sequence that is a mapping value is not indented relative to its key.
    const own = indent < 0 ? 0 : mappingContext && !this.indention ? indent : indent + BEST_INDENT;
    for (const item of items) {
      this.writeIndent(own);
      this.indicator('-', true, false, true);
      this.node(item === undefined ? null : item, own, false, false);
    }
  }

  private mapping(obj: { [key: string]: Json | undefined }, indent: number): void {
    const keys = sortedKeys(obj);
    if (keys.length === 0) {
      this.indicator('{', true, true, false);
      this.indicator('}', false, false, false);
      return;
    }
    const own = indent < 0 ? 0 : indent + BEST_INDENT;
    for (const original of keys) {
      this.writeIndent(own);
      if (SAFE.test(original) && original.length <= SIMPLE_KEY_MAX_BYTES) {
        // Fast path for ordinary keys, and for "key: value" lines as a whole.
        const k = canUsePlain(original) ? original : `"${original}"`;
        const v = simpleToken(obj[original]);
        if (v !== undefined) {
          this.write(`${k}: ${v}`, k.length + 2 + v.length);
          this.whitespace = false;
          this.indention = false;
          continue;
        }
        this.write(k + ':', k.length + 1);
        this.whitespace = false;
        this.indention = false;
        this.node(obj[original] as Json, own, true, false);
        continue;
      }
      const key = roundTripString(original);
      if (Buffer.byteLength(key, 'utf8') <= SIMPLE_KEY_MAX_BYTES && !/[\n\r\u2028\u2029]/.test(key)) {
        this.string(key, own, true);
        this.indicator(':', false, false, false);
      } else {
        // Long or multi-line keys use the explicit "? key\n: value" form.
        this.indicator('?', true, false, true);
        this.string(key, own, false);
        this.writeIndent(own);
        this.indicator(':', true, false, true);
      }
      this.node(obj[original] as Json, own, true, false);
    }
  }

  // A plain scalar with no spaces (numbers, booleans, null, safe strings).
  private plainToken(s: string): void {
    if (!this.whitespace) this.write(' ', 1);
    this.write(s, s.length);
    this.whitespace = false;
    this.indention = false;
  }

  // A string matching SAFE: plain unless it would read back as another type.
  private safeString(s: string): void {
    this.plainToken(canUsePlain(s) ? s : `"${s}"`);
  }

  private string(s: string, indent: number, simpleKey: boolean): void {
    if (SAFE.test(s)) return this.safeString(s);
    const a = analyze(s);
    // go-yaml asks for a literal block if there is a newline, plain if it reads back as a
    // string, double quotes otherwise; the emitter then downgrades what the text forbids.
    let style: Style = s.includes('\n') ? 'literal' : canUsePlain(s) ? 'plain' : 'double';
    if (simpleKey && a.multiline) style = 'double';
    if (style === 'plain' && (!a.plainAllowed || (s.length === 0 && simpleKey))) style = 'single';
    if (style === 'single' && !a.singleAllowed) style = 'double';
    if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
    // Scalars indent their continuation lines one level deeper than their parent.
    const own = indent < 0 ? BEST_INDENT : indent + BEST_INDENT;
    const breaks = !simpleKey; // keys are never folded
    this.text = s;
    this.runStart = 0;
    this.runWidth = 0;
    switch (style) {
      case 'plain':
        return this.plain(s, own, breaks);
      case 'single':
        return this.singleQuoted(s, own, breaks);
      case 'double':
        return this.doubleQuoted(s, own, breaks);
      case 'literal':
        return this.literal(s, own);
    }
  }

  // The scalar being written is copied out in runs: `text` from `runStart`, `runWidth`
  // columns long, pending until a fold, break or escape interrupts it.
  private text = '';
  private runStart = 0;
  private runWidth = 0;

  private flush(to: number): void {
    if (to > this.runStart) this.write(this.text.slice(this.runStart, to), this.runWidth);
    this.runStart = to;
    this.runWidth = 0;
  }

  private get col(): number {
    return this.column + this.runWidth;
  }

  // A line break that is part of the content (LS/PS are written as themselves).
  private contentBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.write(String.fromCharCode(c), 1);
      this.column = 0;
    }
  }

  // Folding: past column 80, a single space (not followed by another) becomes a line break.
  private plain(s: string, indent: number, allowBreaks: boolean): void {
    if (!this.whitespace) this.write(' ', 1);
    let spaces = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && s.charCodeAt(i + 1) !== 0x20) {
          this.flush(i);
          this.indention = false; // a non-space precedes
          this.writeIndent(indent);
          this.runStart = i + 1;
          spaces = true;
          continue;
        }
        spaces = true;
      } else {
        spaces = false;
        if (isHighSurrogate(c)) i++;
      }
      this.runWidth++;
    }
    this.flush(s.length);
    this.whitespace = false;
    this.indention = false;
  }

  private singleQuoted(s: string, indent: number, allowBreaks: boolean): void {
    this.indicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && i > 0 && i < n - 1 && s.charCodeAt(i + 1) !== 0x20) {
          this.flush(i);
          this.writeIndent(indent);
          this.runStart = i + 1;
        } else this.runWidth++;
        spaces = true;
      } else if (isBreak(c)) {
        this.flush(i);
        // One line break reads back as a space, so a content "\n" needs two.
        if (!breaks && c === 0x0a) this.putBreak();
        this.contentBreak(c);
        this.runStart = i + 1;
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        if (c === 0x27) {
          this.flush(i);
          this.write("'", 1); // '' stands for '
        }
        if (isHighSurrogate(c)) i++;
        this.runWidth++;
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.flush(n);
    this.indicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private doubleQuoted(s: string, indent: number, allowBreaks: boolean): void {
    this.indicator('"', true, false, false);
    // libyaml tests for a BOM at the start of the value on every character, so a value
    // starting with U+FEFF has all of its characters escaped.
    const bom = s.charCodeAt(0) === 0xfeff;
    let spaces = false;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const start = i;
      let c = s.charCodeAt(i);
      if (isHighSurrogate(c)) {
        c = s.codePointAt(i) as number;
        i++;
      }
      if (bom || !isPrintable(c) || isBreak(c) || c === 0x22 || c === 0x5c) {
        this.flush(start);
        this.escape(c);
        this.runStart = i + 1;
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.col > BEST_WIDTH && i > 0 && i < n - 1) {
          this.flush(i);
          this.writeIndent(indent);
          // A space starting the continuation line would be eaten by folding: escape it.
          if (s.charCodeAt(i + 1) === 0x20) this.write('\\', 1);
          this.runStart = i + 1;
        } else this.runWidth++;
        spaces = true;
      } else {
        this.runWidth++;
        spaces = false;
      }
    }
    this.flush(n);
    this.indicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private escape(c: number): void {
    const short = ESCAPES.get(c);
    if (short !== undefined) {
      this.write('\\' + short, 2);
      return;
    }
    const hex = c.toString(16).toUpperCase();
    const [prefix, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
    this.write(`\\${prefix}${hex.padStart(width, '0')}`, 2 + width);
  }

  private literal(s: string, indent: number): void {
    this.indicator('|', true, false, false);
    const n = s.length;
    // Indentation indicator when the content starts with a space or break.
    if (s.charCodeAt(0) === 0x20 || isBreak(s.charCodeAt(0))) this.indicator(String(BEST_INDENT), false, false, false);
    // Chomping: "-" without a final break, "+" when there are several (kept), else clip.
    if (!isBreak(s.charCodeAt(n - 1))) this.indicator('-', false, false, false);
    else if (n === 1 || isBreak(s.charCodeAt(n - 2))) this.indicator('+', false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (isBreak(c)) {
        this.flush(i);
        this.contentBreak(c);
        this.runStart = i + 1;
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent(indent);
        if (isHighSurrogate(c)) i++;
        this.runWidth++;
        this.indention = false;
        breaks = false;
      }
    }
    this.flush(n);
  }
}

const ESCAPES = new Map<number, string>([
  [0x00, '0'],
  [0x07, 'a'],
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0b, 'v'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x1b, 'e'],
  [0x22, '"'],
  [0x5c, '\\'],
  [0x85, 'N'],
  [0xa0, '_'],
  [0x2028, 'L'],
  [0x2029, 'P'],
]);
