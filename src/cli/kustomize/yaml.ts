import * as YAML from 'yaml';
import type { Json, JsonObject } from '../../util/json';
import { isObject } from '../../util/json';
import { ManifestSyntaxError, splitYamlDocuments, yamlDocumentToJson } from '../yaml-errors';
import { KustomizeError } from './errors';

// The two YAML readers kustomize uses. The kustomization file goes through
// sigs.k8s.io/yaml (go-yaml v2, YAML 1.1 values), which kubemu already
// reproduces for `-f`. Resources, patches and generator files go through kyaml
// (go-yaml v3): documents are cut at `\n---` lines, and plain scalars resolve
// by v3's rules, where `yes`, `on` or `n` are strings, not booleans. Syntax
// errors are the same libyaml messages in both, so v2's reader finds them;
// the values are then read again with v3's resolution.

const V2_PREFIX = 'error converting YAML to JSON: ';

// sigs.k8s.io/yaml.YAMLToJSON of a whole file: its first document only.
export function yamlToJsonV2(text: string): unknown {
  let first: string | undefined;
  try {
    for (const doc of splitYamlDocuments(text)) {
      first = doc;
      break;
    }
    return yamlDocumentToJson(first ?? '');
  } catch (e) {
    if (e instanceof ManifestSyntaxError) throw new KustomizeError(e.message.startsWith(V2_PREFIX) ? e.message.slice(V2_PREFIX.length) : e.message);
    throw e;
  }
}

// go-yaml v3's resolution of a plain scalar (resolve.go), as the value a
// map[string]interface{} ends up holding. Timestamps stay strings there.
const V3_BOOLS: Record<string, boolean> = { true: true, True: true, TRUE: true, false: false, False: false, FALSE: false };
const V3_NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const V3_SPECIAL: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

// strconv.ParseInt(s, 0, 64) / ParseUint: sign, 0x / 0o / 0b / leading-0 octal.
function goParseInt(s: string): number | undefined {
  let body = s;
  let sign = 1n;
  if (body.startsWith('+') || body.startsWith('-')) {
    if (body.startsWith('-')) sign = -1n;
    body = body.slice(1);
  }
  let digits: RegExp;
  let prefix = '';
  if (/^0[xX]/.test(body)) {
    digits = /^[0-9a-fA-F]+$/;
    prefix = '0x';
    body = body.slice(2);
  } else if (/^0[oO]/.test(body)) {
    digits = /^[0-7]+$/;
    prefix = '0o';
    body = body.slice(2);
  } else if (/^0[bB]/.test(body)) {
    digits = /^[01]+$/;
    prefix = '0b';
    body = body.slice(2);
  } else if (body.length > 1 && body.startsWith('0')) {
    digits = /^[0-7]+$/;
    prefix = '0o';
    body = body.slice(1);
  } else {
    digits = /^[0-9]+$/;
  }
  if (!digits.test(body)) return undefined;
  const v = sign * BigInt(prefix + body);
  if (v < -(2n ** 63n) || v > 2n ** 64n - 1n) return undefined;
  return Number(v);
}

// go-yaml v3 decodes a plain timestamp into a time.Time, which reaches the
// output as Go's JSON time: RFC 3339 with nanoseconds, trailing zeros cut.
const TS_T = /^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/;
const TS_SPACE = /^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?$/;
const TS_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

function parseTimestamp(s: string): string | undefined {
  const m = TS_T.exec(s) ?? TS_SPACE.exec(s) ?? TS_DATE.exec(s);
  if (!m) return undefined;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1, 7);
  const frac = m[7] ?? '';
  const zone = m[8] ?? 'Z';
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > dim || Number(h) > 23 || Number(mi) > 59 || Number(se) > 59) return undefined;
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return undefined;
  const p2 = (v: string) => v.padStart(2, '0');
  const nanos = frac.slice(0, 9).padEnd(9, '0').replace(/0+$/, '');
  const z = zone === 'Z' || zone === '+00:00' || zone === '-00:00' ? 'Z' : zone;
  return `${y}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(se)}${nanos ? `.${nanos}` : ''}${z}`;
}

export function resolvePlainV3(s: string): Json {
  if (s in V3_BOOLS) return V3_BOOLS[s];
  if (V3_NULLS.has(s)) return null;
  if (s in V3_SPECIAL) return V3_SPECIAL[s];
  const c = s[0];
  if (c === '.') {
    const f = Number(s);
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) && !Number.isNaN(f) ? f : s;
  }
  if (c === '+' || c === '-' || (c >= '0' && c <= '9')) {
    const ts = c >= '0' && c <= '9' ? parseTimestamp(s) : undefined;
    if (ts !== undefined) return ts;
    const plain = s.replace(/_/g, '');
    const i = goParseInt(plain);
    if (i !== undefined) return i;
    if (YAML_STYLE_FLOAT.test(plain)) {
      const f = Number(plain);
      if (!Number.isNaN(f)) return f;
    }
    if (/^-0o[0-7]+$/.test(plain)) return -Number.parseInt(plain.slice(3), 8);
  }
  return s;
}

function scalarValue(node: YAML.Scalar): Json {
  const raw = node.value === null || node.value === undefined ? '' : String(node.value);
  const tag = node.tag;
  if (tag === 'tag:yaml.org,2002:str') return raw;
  if (tag === 'tag:yaml.org,2002:null') return null;
  if (tag === 'tag:yaml.org,2002:int' || tag === 'tag:yaml.org,2002:float' || tag === 'tag:yaml.org,2002:bool') return resolvePlainV3(raw);
  if (tag && tag !== '!') return raw;
  if (node.type === 'PLAIN') return resolvePlainV3(raw);
  return raw;
}

function keyString(v: Json): string {
  if (v === null) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// A v3 node tree as the JSON value kyaml's MarshalJSON gives: aliases
// expanded, `<<` merged without overriding the mapping's own keys.
function toJsonV3(node: unknown, doc: YAML.Document.Parsed, depth = 0): Json {
  if (depth > 10000) throw new KustomizeError('yaml: exceeded max depth of 10000');
  if (node === null || node === undefined) return null;
  if (YAML.isAlias(node)) return toJsonV3(node.resolve(doc), doc, depth + 1);
  if (YAML.isScalar(node)) return scalarValue(node);
  if (YAML.isSeq(node)) return node.items.map((i) => toJsonV3(i, doc, depth + 1));
  if (YAML.isMap(node)) {
    const out: JsonObject = {};
    const merges: Json[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key;
      if (YAML.isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<' && !keyNode.tag) {
        merges.push(toJsonV3(pair.value, doc, depth + 1));
        continue;
      }
      const key = YAML.isScalar(keyNode) ? (keyNode.value === null || keyNode.value === undefined ? '' : String(keyNode.value)) : keyString(toJsonV3(keyNode, doc, depth + 1));
      Object.defineProperty(out, key, { value: toJsonV3(pair.value, doc, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    for (const m of merges) {
      for (const src of Array.isArray(m) ? m : [m]) {
        if (!isObject(src)) continue;
        for (const [k, v] of Object.entries(src)) if (!(k in out)) out[k] = v;
      }
    }
    return out;
  }
  return null;
}

// One document's value by v3 rules; undefined for a document with no content.
function decodeV3(text: string): { value: Json; empty: boolean } {
  try {
    yamlDocumentToJson(text.length === 0 ? '\n' : text);
  } catch (e) {
    if (e instanceof ManifestSyntaxError && e.message.startsWith(`${V2_PREFIX}yaml: `)) {
      throw new KustomizeError(`MalformedYAMLError: ${e.message.slice(V2_PREFIX.length)}`);
    }
    if (!(e instanceof ManifestSyntaxError)) throw e;
  }
  const docs = YAML.parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, merge: false, prettyErrors: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  if (list.length === 0 || list[0].contents === null) return { value: null, empty: true };
  const first = list[0];
  if (first.errors.length > 0) {
    // go-yaml read it: take v2's value rather than fail.
    return { value: yamlDocumentToJson(text) as Json, empty: false };
  }
  return { value: toJsonV3(first.contents, first), empty: false };
}

// kio.ByteReader.splitDocuments.
function splitDocuments(s: string): string[] {
  const docs: string[] = [];
  if (s.length === 0) return docs;
  const re = /\n---.*\n/g;
  let prev = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    const rest = m[0].slice(4).trim();
    if (rest.length > 0 && rest[0] !== '#') throw new KustomizeError(`invalid document separator: ${m[0].trim()}`);
    docs.push(s.slice(prev, m.index));
    prev = m.index + m[0].length;
  }
  docs.push(s.slice(prev));
  return docs;
}

// kio.FromBytes: the documents of a resource file as JSON values, empty and
// null documents dropped, a lone `kind: List` (or ResourceList) unwrapped.
export function readYamlResources(text: string): Json[] {
  const values = splitDocuments(text.replace(/\r\n/g, '\n'));
  const out: Json[] = [];
  values.forEach((v, i) => {
    const doc = i !== values.length - 1 ? `${v}\n` : v;
    const { value, empty } = decodeV3(doc);
    if (empty || value === null) return;
    if (values.length === 1 && isObject(value) && (value.kind === 'List' || value.kind === 'ResourceList') && ('items' in value || 'functionConfig' in value)) {
      const items = value.items;
      if (Array.isArray(items)) for (const item of items) out.push(item);
      return;
    }
    out.push(value);
  });
  return out;
}

// A Go value as `%v` prints it: what kyaml's errors show of a document.
export function goString(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
