// JSON output as kubectl prints it for `-o json`: Go's json.MarshalIndent(obj, "", "    ")
// followed by a newline.
//
// Key order depends on where the object came from: objects read from the server (or any
// unstructured object) are Go maps, which encoding/json sorts; objects kubectl builds itself
// (`create ... --dry-run=client`) are Go structs, printed in field order, i.e. the
// insertion order of the JS object, except for struct fields that are Go maps.

import type { Json } from '../util/json';

export interface JsonOptions {
  // true: sort every object's keys (Go maps / unstructured objects).
  // false: keep insertion order (Go struct field order) except under `mapFields`.
  sortKeys: boolean;
  // With sortKeys false: fields whose object value is a Go map, hence sorted anyway.
  // Defaults to DEFAULT_MAP_FIELDS.
  mapFields?: ReadonlySet<string>;
}

// Fields that are map-typed wherever they occur in the built-in API types kubectl creates.
// (Service spec.selector is a map but Deployment spec.selector is a struct, so "selector"
// is not here; callers that need it pass their own set.)
export const DEFAULT_MAP_FIELDS: ReadonlySet<string> = new Set([
  'labels',
  'annotations',
  'data',
  'binaryData',
  'stringData',
  'matchLabels',
  'nodeSelector',
  'limits',
  'requests',
  'hard',
  'capacity',
  'allocatable',
]);

export class JsonError extends Error {}

export function toJson(value: Json | undefined, opts: JsonOptions): string {
  const mapFields = opts.sortKeys ? undefined : (opts.mapFields ?? DEFAULT_MAP_FIELDS);
  const enc = new Encoder(mapFields);
  enc.value(value === undefined ? null : value, 0, opts.sortKeys);
  enc.out.append('\n');
  return enc.out.toString();
}

// Go sorts map keys by their UTF-8 bytes, i.e. by code point; JS's default sort compares
// UTF-16 code units, which differs above U+FFFF.
export function compareGoStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if ((x >= 0xd800 && x <= 0xdfff) || (y >= 0xd800 && y <= 0xdfff)) {
      return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
    }
    return x - y;
  }
  return a.length - b.length;
}

// Insertion sort for the small key arrays most objects have: Array.prototype.sort
// allocates scratch space on every call, a large share of the garbage otherwise.
function sortKeys(a: string[]): void {
  if (a.length > 24) {
    a.sort(compareGoStrings);
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const x = a[i];
    let j = i - 1;
    for (; j >= 0 && compareGoStrings(x, a[j]) < 0; j--) a[j + 1] = a[j];
    a[j + 1] = x;
  }
}

// "\n" plus the indentation of each depth, built once.
const NEWLINE_INDENT: string[] = [];
function newlineIndent(depth: number): string {
  while (NEWLINE_INDENT.length <= depth) NEWLINE_INDENT.push('\n' + '    '.repeat(NEWLINE_INDENT.length));
  return NEWLINE_INDENT[depth];
}

// Appends strings, flattening every few KB: a long chain of appended fragments that lives
// through several garbage collections made large outputs several times slower.
export class OutputBuffer {
  private chunks: string[] = [];
  private tail = '';

  append(s: string): void {
    this.tail += s;
    if (this.tail.length > 8192) {
      this.tail.charCodeAt(0); // flattens the fragment tree
      this.chunks.push(this.tail);
      this.tail = '';
    }
  }

  toString(): string {
    return this.chunks.join('') + this.tail;
  }
}

class Encoder {
  readonly out = new OutputBuffer();
  constructor(private readonly mapFields: ReadonlySet<string> | undefined) {}

  value(v: Json, depth: number, sorted: boolean): void {
    const out = this.out;
    if (v === null) out.append('null');
    else if (typeof v === 'string') out.append(jsonString(v));
    else if (typeof v === 'number') out.append(formatNumber(v));
    else if (typeof v === 'boolean') out.append(v ? 'true' : 'false');
    else if (Array.isArray(v)) {
      if (v.length === 0) {
        out.append('[]');
        return;
      }
      const inner = newlineIndent(depth + 1);
      for (let i = 0; i < v.length; i++) {
        out.append(i === 0 ? '[' + inner : ',' + inner);
        const item = v[i];
        this.value(item === undefined ? null : item, depth + 1, sorted);
      }
      out.append(newlineIndent(depth) + ']');
    } else {
      const keys = Object.keys(v);
      let present = keys;
      for (const k of keys) {
        if (v[k] === undefined) {
          present = keys.filter((x) => v[x] !== undefined);
          break;
        }
      }
      if (present.length === 0) {
        out.append('{}');
        return;
      }
      if (sorted) sortKeys(present);
      const inner = newlineIndent(depth + 1);
      for (let i = 0; i < present.length; i++) {
        const k = present[i];
        out.append((i === 0 ? '{' : ',') + inner + jsonString(k) + ': ');
        // A Go map inside a struct is sorted, and so is everything below it.
        this.value(v[k] as Json, depth + 1, sorted || (this.mapFields !== undefined && this.mapFields.has(k)));
      }
      out.append(newlineIndent(depth) + '}');
    }
  }
}

// Go's float64 formatting in encoding/json matches JS's shortest round-trip form
// (fixed notation below 1e21, exponent form below 1e-6, "e-7" not "e-07").
function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new JsonError(`json: unsupported value: ${Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'}`);
  return String(n);
}

const PLAIN = /^[^"\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]*$/;

// A Go-encoded JSON string: HTML-safe (<, >, & escaped), U+2028/U+2029 escaped, control
// characters as \n \r \t \b \f or \u00XX. A lone surrogate (which Go's JSON decoder turns
// into U+FFFD when it reads "\ud800") is written as U+FFFD.
export function jsonString(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c < 0x20 || c === 0x22 || c === 0x5c || c === 0x3c || c === 0x3e || c === 0x26 || c === 0x2028 || c === 0x2029) {
      rep = SHORT_ESCAPES.get(c) ?? `\\u${c.toString(16).padStart(4, '0')}`;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++; // a valid pair stays as is
      else rep = '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      rep = '\ufffd';
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + '"';
}

const SHORT_ESCAPES = new Map<number, string>([
  [0x22, '\\"'],
  [0x5c, '\\\\'],
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x09, '\\t'],
  [0x08, '\\b'],
  [0x0c, '\\f'],
]);
