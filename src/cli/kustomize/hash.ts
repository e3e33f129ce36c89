import { createHash } from 'node:crypto';
import type { Json, JsonObject } from '../../util/json';
import { isObject } from '../../util/json';
import { goEscape } from '../../util/gojson';
import type { Resource } from './resource';

// The name suffix of generated ConfigMaps and Secrets (api/hasher): the
// sha256 of a small JSON document, its first ten hex digits with 0, 1, 3, a
// and e swapped for letters so the suffix never looks like a number or a word.
// The document's name is always empty: kustomize looks it up with the path
// "metadata/name" as one field name, which finds nothing.

// json.Marshal of a map: keys in byte order, Go's escaping.
export function goJsonSorted(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(goJsonSorted).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return `{${keys.map((k) => `${goEscape(JSON.stringify(k))}:${goJsonSorted(v[k] ?? null)}`).join(',')}}`;
  }
  return goEscape(JSON.stringify(v));
}

export function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

function sha256Hex(s: string): string {
  return createHash('sha256').update(Buffer.from(s, 'utf8')).digest('hex');
}

// getNodeValues: a map field as its JSON value, a scalar as its text, a
// missing one as "".
function nodeValue(obj: JsonObject, field: string): Json {
  const v = obj[field];
  if (v === undefined) return '';
  if (isObject(v) || Array.isArray(v)) return v;
  if (v === null) return '';
  return String(v);
}

export function resourceHash(res: Resource): string {
  const obj = res.obj;
  let doc: JsonObject;
  if (res.getKind() === 'ConfigMap') {
    doc = { kind: 'ConfigMap', name: '', data: nodeValue(obj, 'data') };
    if (isObject(obj.binaryData)) doc.binaryData = obj.binaryData;
  } else if (res.getKind() === 'Secret') {
    doc = { kind: 'Secret', type: nodeValue(obj, 'type'), name: '', data: nodeValue(obj, 'data') };
    if (isObject(obj.stringData)) doc.stringData = obj.stringData;
  } else {
    doc = obj;
  }
  return encodeHash(sha256Hex(goJsonSorted(doc)));
}
