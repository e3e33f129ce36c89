import { readAssetText } from '../../util/assets';
import type { KindInfo } from '../kinds';
import type { KubeObject } from '../types';
import { badRequest, StatusError } from '../errors';
import { isObject, pruneNulls } from '../../util/json';

// Structural validation against Kubernetes' own v1.32 schemas (compiled with
// ajv at build time, see scripts/gen-schema.ts): unknown fields and wrong
// types, reported the way kube-apiserver's strict decoder reports them.

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

interface PropSchema {
  type?: string | string[];
  $ref?: string;
  items?: PropSchema;
  additionalProperties?: PropSchema | boolean;
  description?: string;
  'x-go'?: string;
}

export interface DefSchema {
  description?: string;
  properties: Record<string, PropSchema>;
  required?: string[];
  'x-go': string;
}

export interface Schema {
  definitions: Record<string, DefSchema>;
}


let validators: Record<string, Validator> | undefined;
let schema: Schema | undefined;

function loadValidators(): Record<string, Validator> {
  // A literal path, so that the single executable's bundler takes the validators in.
  validators ??= require('../../../generated/k8s-validators.js') as Record<string, Validator>;
  return validators;
}

export function loadSchema(): Schema {
  schema ??= JSON.parse(readAssetText('dist/generated/k8s-schema.json')) as Schema;
  return schema;
}

// kube-apiserver reads at most 3 MiB of a request body (MaxRequestBodyBytes)
// before it decodes anything.
export const MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;

// The size of the object as kubectl sends it: compact JSON, where Go's
// encoder writes <, > and & as \u003c, \u003e, \u0026.
function requestBytes(obj: unknown): number {
  const json = JSON.stringify(obj);
  let extra = 0;
  for (let i = json.indexOf('<'); i >= 0; i = json.indexOf('<', i + 1)) extra += 5;
  for (let i = json.indexOf('>'); i >= 0; i = json.indexOf('>', i + 1)) extra += 5;
  for (let i = json.indexOf('&'); i >= 0; i = json.indexOf('&', i + 1)) extra += 5;
  return Buffer.byteLength(json, 'utf8') + extra;
}

// Where encoding/json's []byte fields (base64 strings) are: a bad one fails
// the decode with `illegal base64 data at input byte N`.
const BYTES_FIELDS: Record<string, string[]> = {
  V1Secret: ['data'],
  V1ConfigMap: ['binaryData'],
};

// Go's base64.StdEncoding.Decode: the offset of the first bad byte, if any
// (line breaks are skipped; padding must be right and end the input).
export function base64ErrorOffset(text: string): number | undefined {
  const src = Buffer.from(text, 'utf8');
  const isB64 = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
  const skipBreaks = (i: number) => {
    while (i < src.length && (src[i] === 10 || src[i] === 13)) i++;
    return i;
  };
  let si = 0;
  for (;;) {
    let j = 0;
    while (j < 4) {
      if (si === src.length) {
        if (j === 0) return undefined;
        return si - j;
      }
      const c = src[si++];
      if (isB64(c)) {
        j++;
        continue;
      }
      if (c === 10 || c === 13) continue;
      if (c !== 61 /* = */ || j < 2) return si - 1;
      if (j === 2) {
        si = skipBreaks(si);
        if (si === src.length) return src.length;
        if (src[si] !== 61) return si - 1;
        si++;
      }
      si = skipBreaks(si);
      return si < src.length ? si : undefined;
    }
  }
}

interface DecodeProblem {
  path: string; // document path, for ordering
  message: string;
}

// Throws what kube-apiserver's decoder says about the body: RequestEntityTooLarge
// past 3 MiB, then BadRequest `Deployment in version "v1" cannot be handled as
// a Deployment: ...` for a wrong type (or bad base64) or for unknown fields.
export function checkStructure(info: KindInfo, obj: KubeObject): void {
  if (requestBytes(obj) > MAX_REQUEST_BODY_BYTES) {
    throw new StatusError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_REQUEST_BODY_BYTES}`);
  }
  const validate = loadValidators()[info.model];
  // Go ignores JSON nulls when decoding (and kubectl prunes them), so they are never type errors.
  obj = pruneNulls(obj);
  const version = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[1] : obj.apiVersion;
  const prefix = `${info.kind} in version "${version}" cannot be handled as a ${info.kind}: `;
  const errors = validate && !validate(obj) ? (validate.errors ?? []) : [];
  // kubectl sends its objects as Go marshals maps, keys sorted; the decoder
  // meets (and reports) problems in that order.
  const order = documentOrder(obj);
  const byOrder = (a: DecodeProblem, b: DecodeProblem) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0);
  // A value of the wrong type stops the decode: the first one is the error.
  const typeErrors: DecodeProblem[] = errors
    .filter((e) => e.keyword !== 'additionalProperties')
    .map((e) => ({ path: joinPath(e.instancePath), message: unmarshalMessage(info, obj, e) }));
  for (const fieldName of BYTES_FIELDS[info.model] ?? []) {
    const values = (obj as unknown as Record<string, unknown>)[fieldName];
    if (!isObject(values)) continue;
    for (const [k, v] of Object.entries(values)) {
      if (typeof v !== 'string') continue;
      const at = base64ErrorOffset(v);
      if (at !== undefined) typeErrors.push({ path: `${fieldName}.${k}`, message: `illegal base64 data at input byte ${at}` });
    }
  }
  if (typeErrors.length > 0) throw badRequest(prefix + typeErrors.sort(byOrder)[0].message);
  if (errors.length === 0) return;
  const unknown = errors
    .map((e) => joinPath(e.instancePath, String(e.params.additionalProperty)))
    .sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
  throw badRequest(`${prefix}strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
}

// `/spec/template/spec/containers/0` + `imagee` -> `spec.template.spec.containers[0].imagee`
function joinPath(instancePath: string, last?: string): string {
  const segs = instancePath.split('/').slice(1);
  if (last !== undefined) segs.push(last);
  let out = '';
  for (const s of segs) {
    if (/^\d+$/.test(s)) out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

// Position of every path in the document as kubectl sends it (object keys
// sorted, as Go's encoder writes maps), so errors come in the order the
// decoder meets them.
function documentOrder(obj: unknown): Map<string, number> {
  const order = new Map<string, number>();
  const walk = (v: unknown, p: string): void => {
    order.set(p, order.size);
    if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
    else if (isObject(v)) for (const k of Object.keys(v).sort()) walk(v[k], p ? `${p}.${k}` : k);
  };
  walk(obj, '');
  return order;
}

function goJsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

// Go's integer kinds and their ranges: a number that is no such integer is
// reported with its literal (`number 1.5`, `number 99999999999`).
const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  int: [-(2 ** 63), 2 ** 63 - 1],
  uint32: [0, 2 ** 32 - 1],
  uint64: [0, 2 ** 64 - 1],
};

function goTypeOf(p: PropSchema, defs: Record<string, DefSchema>): string {
  if (p['x-go']) return p['x-go'];
  if (p.$ref) return defs[p.$ref.split('/').pop()!]?.['x-go'] ?? 'struct';
  if (p.type === 'array') return `[]${p.items ? goTypeOf(p.items, defs) : 'interface {}'}`;
  if (p.type === 'object' && isObject(p.additionalProperties)) {
    return `map[string]${goTypeOf(p.additionalProperties as PropSchema, defs)}`;
  }
  if (p.type === 'string') return 'string';
  if (p.type === 'boolean') return 'bool';
  return 'interface {}';
}

// Go's UnmarshalTypeError: `json: cannot unmarshal string into Go struct field
// DeploymentSpec.spec.replicas of type int32`. The struct is the one holding the
// field; the field path is the JSON path without list indexes or map keys.
function unmarshalMessage(info: KindInfo, obj: KubeObject, err: AjvError): string {
  const defs = loadSchema().definitions;
  const segs = err.instancePath.split('/').slice(1);
  let value: unknown = obj;
  let def: DefSchema | undefined = defs[info.model];
  let holder = def?.['x-go'] ?? info.kind;
  let prop: PropSchema | undefined;
  const fieldPath: string[] = [];
  for (const seg of segs) {
    value = Array.isArray(value) ? value[Number(seg)] : isObject(value) ? value[seg] : undefined;
    if (/^\d+$/.test(seg) && prop?.type === 'array') {
      prop = prop.items;
    } else if (def && def.properties[seg]) {
      holder = def['x-go'];
      prop = def.properties[seg];
      fieldPath.push(seg);
    } else if (prop && isObject(prop.additionalProperties)) {
      // A map value: encoding/json names the map field, not the key.
      prop = prop.additionalProperties as PropSchema;
    }
    def = prop?.$ref ? defs[prop.$ref.split('/').pop()!] : undefined;
  }
  const goType = prop ? goTypeOf(prop, defs) : 'interface {}';
  let kind = goJsonKind(value);
  const range = INT_RANGES[goType];
  if (typeof value === 'number' && range && (!Number.isInteger(value) || value < range[0] || value > range[1])) {
    kind = `number ${String(value)}`;
  }
  const struct = holder.includes('.') ? holder.slice(holder.indexOf('.') + 1) : holder;
  return `json: cannot unmarshal ${kind} into Go struct field ${struct}.${fieldPath.join('.')} of type ${goType}`;
}
