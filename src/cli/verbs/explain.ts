import type { Command } from '../command';
import { CliError, PlainError } from '../errors';
import { KINDS, discoveryOrder } from '../../api/kinds';
import type { KindInfo } from '../../api/kinds';
import { loadSchema } from '../../api/validation/schema';
import { JsonPathParseError, parseJsonPath } from '../../printers/jsonpath';
import type { JsonPathNode, ListNode } from '../../printers/jsonpath';

// kubectl explain (kubectl 1.32, OpenAPI v3). kubectl asks the API server for the
// OpenAPI v3 document of the resource's group/version and renders it with the
// template k8s.io/kubectl/pkg/explain/v2/templates/plaintext.tmpl. kubemu builds
// the same kind of document from its schema (dist/generated/k8s-schema.json,
// Kubernetes v1.32's types) and renders it the way that template does, step by
// step, so the output is kubectl's for the same document. The documents are
// exported for the tests' fake API server, which serves them to the real kubectl.

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

// ---------------------------------------------------------------------------
// The OpenAPI v3 documents

// What scripts/gen-schema.ts writes for explain besides what validation reads.
interface SchemaProp {
  type?: string | string[];
  $ref?: string;
  items?: SchemaProp;
  additionalProperties?: SchemaProp | boolean;
  description?: string;
  'x-k8s-opaque'?: string;
}

interface SchemaDef {
  description?: string;
  properties: Record<string, SchemaProp>;
  required?: string[];
  'x-go': string;
  'x-k8s-name'?: string;
}

interface ExplainSchema {
  definitions: Record<string, SchemaDef>;
  'x-k8s-opaque'?: Record<string, { name: string; schema: JsonObject }>;
}

interface GroupVersion {
  group: string;
  version: string;
}

// `api/v1`, `apis/apps/v1`: a document's key in the /openapi/v3 index.
function docPath(gv: GroupVersion): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

function versionsOf(info: KindInfo): string[] {
  return [info.version, ...(info.otherVersions ?? [])];
}

// The client-node model of a kind in one of its versions (V2HorizontalPodAutoscaler
// -> V1HorizontalPodAutoscaler for autoscaling/v1), if the schema has it.
function modelOf(info: KindInfo, version: string, schema: ExplainSchema): string | undefined {
  const model =
    version === info.version
      ? info.model
      : info.model.replace(/V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, version[0].toUpperCase() + version.slice(1));
  return schema.definitions[model] ? model : undefined;
}

export function openApiPaths(): string[] {
  const out = new Set<string>();
  for (const k of KINDS) for (const v of versionsOf(k)) out.add(docPath({ group: k.group, version: v }));
  return [...out];
}

function schemaName(schema: ExplainSchema, model: string): string {
  const def = schema.definitions[model];
  return def['x-k8s-name'] ?? model;
}

// One group/version's document: the resources' paths (each operation names the
// kind it serves, which is how the template finds a resource's kind), and every
// definition they use, as kube-apiserver names and shapes them: a field of
// another definition's type is `allOf: [{$ref}]` beside the field's description.
export function openApiDocument(path: string): JsonObject | undefined {
  const schema = loadSchema() as unknown as ExplainSchema;
  const opaque = schema['x-k8s-opaque'] ?? {};
  const paths: JsonObject = {};
  const schemas: JsonObject = {};
  const pending: string[] = [];
  const gvks = new Map<string, JsonObject>();
  for (const info of KINDS) {
    for (const version of versionsOf(info)) {
      if (docPath({ group: info.group, version }) !== path) continue;
      const model = modelOf(info, version, schema);
      if (!model) continue;
      const gvk: JsonObject = { group: info.group, kind: info.kind, version };
      gvks.set(model, gvk);
      pending.push(model);
      const cluster = `/${path}/${info.resource}`;
      const namespaced = `/${path}/namespaces/{namespace}/${info.resource}`;
      const resourcePaths = info.namespaced ? [namespaced, `${namespaced}/{name}`, cluster] : [cluster, `${cluster}/{name}`];
      for (const p of resourcePaths) paths[p] = { get: { 'x-kubernetes-group-version-kind': { ...gvk } } };
    }
  }
  if (pending.length === 0) return undefined;

  const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` });
  const convert = (p: SchemaProp): JsonObject => {
    const described = (o: JsonObject): JsonObject => (p.description !== undefined ? { ...o, description: p.description } : o);
    const named = p['x-k8s-opaque'] ? opaque[p['x-k8s-opaque']]?.name : undefined;
    if (named) {
      if (!schemas[named]) schemas[named] = opaque[p['x-k8s-opaque']!].schema;
      return described({ allOf: [ref(named)] });
    }
    if (p.$ref) {
      const model = p.$ref.split('/').pop()!;
      pending.push(model);
      return described({ allOf: [ref(schemaName(schema, model))] });
    }
    if (p.type === 'array' && p.items) return described({ items: convert(p.items), type: 'array' });
    if (typeof p.additionalProperties === 'object') {
      return described({ additionalProperties: convert(p.additionalProperties), type: 'object' });
    }
    // Untyped values (arbitrary JSON) are objects to the API server.
    return described({ type: typeof p.type === 'string' ? p.type : 'object' });
  };
  const done = new Set<string>();
  while (pending.length) {
    const model = pending.pop()!;
    if (done.has(model)) continue;
    done.add(model);
    const def = schema.definitions[model];
    if (!def) continue;
    const properties: JsonObject = {};
    for (const [name, p] of Object.entries(def.properties)) properties[name] = convert(p);
    const out: JsonObject = {};
    if (def.description !== undefined) out.description = def.description;
    out.properties = properties;
    if (def.required?.length) out.required = [...def.required];
    out.type = 'object';
    const gvk = gvks.get(model);
    if (gvk) out['x-kubernetes-group-version-kind'] = [{ ...gvk }];
    schemas[schemaName(schema, model)] = out;
  }
  const sorted: JsonObject = {};
  for (const k of Object.keys(schemas).sort()) sorted[k] = schemas[k];
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: sorted } };
}

export function openApiDocuments(): Record<string, JsonObject> {
  const out: Record<string, JsonObject> = {};
  for (const p of openApiPaths()) {
    const doc = openApiDocument(p);
    if (doc) out[p] = doc;
  }
  return out;
}

// ---------------------------------------------------------------------------
// The template, rendered. Each function below is the template of the same name in
// plaintext.tmpl; Go template semantics are kept where they show: truthiness
// (empty strings, lists and maps are false), `or`, map ranges in key order.

class ExplainError extends Error {}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Go template truth: false, 0, nil, and empty strings, lists and maps are false.
function truthy(v: Json | undefined): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isObject(v)) return Object.keys(v).length > 0;
  return true;
}

function field(schema: Json | undefined, key: string): Json | undefined {
  return isObject(schema) ? schema[key] : undefined;
}

// Go's byte-wise string order (map keys in templates).
function goSortedKeys(o: JsonObject): string[] {
  return Object.keys(o).sort((a, b) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return Buffer.compare(x, y);
  });
}

// fmt's %v of a JSON value (enum elements).
function goPrint(v: Json | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'number') {
    // JSON numbers are float64 to Go; %v is %g with the shortest digits, in
    // exponent form from 1e+06 up and below 1e-04.
    const [mantissa, e] = v.toExponential().split('e');
    const exp = Number(e);
    if (exp >= -4 && exp < 6) return String(v);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(goPrint).join(' ')}]`;
  return `map[${goSortedKeys(v)
    .map((k) => `${k}:${goPrint(v[k])}`)
    .join(' ')}]`;
}

// The `resolveRef` function: a `#/...` reference within the document.
function resolveRef(ref: Json | undefined, doc: JsonObject): JsonObject | undefined {
  if (typeof ref !== 'string' || !ref.startsWith('#')) return undefined;
  let cur: JsonObject = doc;
  for (const part of ref.slice(1).split('/')) {
    if (part === '') continue;
    const next = cur[part];
    if (!isObject(next)) return undefined;
    cur = next;
  }
  return cur;
}

// `or (resolveRef $ref $.Document) $.schema`
function resolved(schema: JsonObject, doc: JsonObject): JsonObject {
  const r = resolveRef(schema.$ref, doc);
  return r && truthy(r) ? r : schema;
}

function mapSchema(v: Json | undefined): JsonObject | undefined {
  // additionalProperties counts when it is a schema, not `true`/`false`.
  return isObject(v) && truthy(v) ? v : undefined;
}

// The `indent` function.
export function indent(amount: number, text: string): string {
  const pad = ' '.repeat(amount);
  return pad + text.split('\n').join(`\n${pad}`);
}

function isGoSpace(cp: number): boolean {
  // unicode.IsSpace, less NBSP, which go-wordwrap treats as part of a word.
  if (cp === 0xa0) return false;
  if (cp <= 0xff) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85;
  return /\s/u.test(String.fromCodePoint(cp));
}

// The `wrap` function: github.com/mitchellh/go-wordwrap v1.0.1's WrapString, which
// breaks at white space only, counts runes, keeps the text's own line breaks, and
// never breaks a word longer than the limit.
export function wrap(limit: number, text: string): string {
  let out = '';
  let current = 0;
  let word = '';
  let wordLen = 0;
  let space = '';
  let spaceLen = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n') {
      if (wordLen === 0) {
        if (current + spaceLen > limit) current = 0;
        else {
          current += spaceLen;
          out += space;
        }
        space = '';
        spaceLen = 0;
      } else {
        current += spaceLen + wordLen;
        out += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      out += ch;
      current = 0;
    } else if (isGoSpace(cp)) {
      if (spaceLen === 0 || wordLen > 0) {
        current += spaceLen + wordLen;
        out += space + word;
        space = '';
        spaceLen = 0;
        word = '';
        wordLen = 0;
      }
      space += ch;
      spaceLen++;
    } else {
      word += ch;
      wordLen++;
      if (current + spaceLen + wordLen > limit && wordLen < limit) {
        out += '\n';
        current = 0;
        space = '';
        spaceLen = 0;
      }
    }
  }
  if (wordLen === 0) {
    if (current + spaceLen <= limit) out += space;
  } else {
    out += space + word;
  }
  return out;
}

interface Context {
  doc: JsonObject;
  recursive: boolean;
}

function typeGuess(schema: Json | undefined, ctx: Context): string {
  if (!isObject(schema) || !truthy(schema)) throw new ExplainError("expected schema argument to subtemplate 'typeguess'");
  if (truthy(schema.items)) return `[]${typeGuess(schema.items, ctx)}`;
  const ap = mapSchema(schema.additionalProperties);
  if (ap) return `map[string]${typeGuess(ap, ctx)}`;
  const allOf = schema.allOf;
  if (Array.isArray(allOf) && allOf.length === 1 && !truthy(schema.properties)) return typeGuess(allOf[0], ctx);
  if (truthy(schema.$ref)) {
    const ref = String(schema.$ref);
    const target = resolveRef(ref, ctx.doc);
    const type = field(target, 'type');
    if (!target || !truthy(target) || !truthy(type) || type === 'object') {
      const name = ref.split('/').pop()!;
      return name.split('.').pop() || 'Object';
    }
    return goPrint(type);
  }
  if (schema.type === 'object') return 'Object';
  return truthy(schema.type) ? goPrint(schema.type) : 'Object';
}

function extractEnum(schema: Json | undefined, longView: boolean, limitArg: number, indentAmount: number): string {
  if (!isObject(schema) || !truthy(schema)) return '';
  const values = schema.enum;
  if (!Array.isArray(values) || values.length === 0) return '';
  const limit = limitArg || -1;
  let out = longView ? 'ENUM:' : `\n${indent(indentAmount, '')}enum: `;
  for (let i = 0; i < values.length; i++) {
    if (limit > -1 && i >= limit) {
      out += ', ....';
      break;
    }
    if (i > 0 && !longView) out += ', ';
    else if (longView) out += `\n${indent(4, '')}`;
    const v = values[i];
    out += v === '' ? '""' : goPrint(v);
  }
  return out;
}

function description(schema: Json | undefined, ctx: Context): string {
  const target = isObject(schema) ? resolveRef(schema.$ref, ctx.doc) : undefined;
  const s = target && truthy(target) ? target : schema;
  if (!isObject(s) || !truthy(s)) return '';
  let out = '';
  if (truthy(s.description)) out += `${goPrint(s.description)}\n`;
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) out += description(sub, ctx);
  if (truthy(s.items)) out += description(s.items, ctx);
  const ap = mapSchema(s.additionalProperties);
  if (ap) out += description(ap, ctx);
  return out;
}

function externalDocs(schema: JsonObject): string {
  const docs = schema.externalDocs;
  if (!truthy(docs)) return '';
  let out = 'EXTERNAL DOCS:\n';
  const d = field(docs, 'description');
  if (truthy(d)) out += `${indent(4, wrap(76, goPrint(d)))}\n`;
  const url = field(docs, 'url');
  if (truthy(url)) out += `${indent(4, `URL: ${goPrint(url)}`)}\n`;
  return out;
}

function fieldDetail(name: string, parent: JsonObject, short: boolean, level: number, ctx: Context): string {
  const indentAmount = level * 2;
  const fieldSchema = field(parent.properties, name);
  let out = `${indent(indentAmount, name)}\t<${typeGuess(fieldSchema, ctx)}>`;
  const required = parent.required;
  if (Array.isArray(required) && required.includes(name)) out += ' -required-';
  out += extractEnum(fieldSchema, false, 4, indentAmount);
  out += '\n';
  if (!short) {
    const desc = field(fieldSchema, 'description');
    out += `${indent(indentAmount + 2, wrap(78 - indentAmount, truthy(desc) ? goPrint(desc) : '<no description>'))}\n`;
    const docs = field(fieldSchema, 'externalDocs');
    if (truthy(docs)) {
      out += `\n${indent(indentAmount + 2, 'EXTERNAL DOCS:')}\n`;
      const d = field(docs, 'description');
      if (truthy(d)) out += `${indent(indentAmount + 4, wrap(76 - indentAmount, goPrint(d)))}\n`;
      const url = field(docs, 'url');
      if (truthy(url)) out += `${indent(indentAmount + 4, `URL: ${goPrint(url)}`)}\n`;
    }
    out += '\n';
  }
  return out;
}

function fieldList(schema: Json | undefined, level: number, history: ReadonlySet<string>, ctx: Context): string {
  if (!isObject(schema)) return '';
  const refString = truthy(schema.$ref) ? goPrint(schema.$ref) : '';
  if (refString && history.has(refString)) return ''; // a cycle
  const next = new Set(history).add(refString);
  const s = resolved(schema, ctx.doc);
  let out = '';
  const props = s.properties;
  if (isObject(props)) {
    for (const k of goSortedKeys(props)) {
      out += fieldDetail(k, s, ctx.recursive, level, ctx);
      if (ctx.recursive) out += fieldList(props[k], level + 1, next, ctx);
    }
  }
  if (Array.isArray(s.allOf)) for (const sub of s.allOf) out += fieldList(sub, level, next, ctx);
  if (truthy(s.items)) out += fieldList(s.items, level, next, ctx);
  const ap = mapSchema(s.additionalProperties);
  if (ap) out += fieldList(ap, level, next, ctx);
  return out;
}

function output(schema: Json | undefined, fieldPath: string[], history: ReadonlySet<string>, ctx: Context): string {
  if (!isObject(schema)) return '';
  const refString = truthy(schema.$ref) ? goPrint(schema.$ref) : '';
  const next = new Set(history).add(refString);
  const s = resolved(schema, ctx.doc);
  if (fieldPath.length === 0) {
    let out = 'DESCRIPTION:\n';
    out += `${indent(4, wrap(76, description(s, ctx) || '<empty>'))}\n`;
    const ext = externalDocs(s);
    if (ext) out += `\n${ext}`;
    const fields = fieldList(s, 1, new Set(), ctx);
    if (fields) out += `FIELDS:\n${fields}`;
    return out;
  }
  if (refString && history.has(refString)) return ''; // a cycle
  const props = s.properties;
  if (isObject(props) && truthy(props[fieldPath[0]])) {
    const sub = props[fieldPath[0]];
    let out = '';
    if (fieldPath.length === 1) out += `FIELD: ${fieldPath[0]} <${typeGuess(sub, ctx)}>\n${extractEnum(sub, true, -1, 0)}\n\n`;
    return out + output(sub, fieldPath.slice(1), new Set(), ctx);
  }
  if (truthy(s.items)) return output(s.items, fieldPath, next, ctx);
  const ap = mapSchema(s.additionalProperties);
  if (ap) return output(ap, fieldPath, next, ctx);
  if (Array.isArray(s.allOf)) {
    for (const sub of s.allOf) {
      const out = output(sub, fieldPath, next, ctx);
      if (out) return out;
    }
  }
  return '';
}

export interface Gvr {
  group: string;
  version: string;
  resource: string;
}

function gvrString(gvr: Gvr): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

export interface Rendered {
  // What kubectl writes before it fails, or all of it.
  out: string;
  error?: string;
}

// The template's top level: finds the kind served at the resource's paths, prints
// the header, then the schema of that kind (or an error, after the header).
export function renderExplain(doc: JsonObject, gvr: Gvr, fieldPath: string[], recursive: boolean): Rendered {
  const ctx: Context = { doc, recursive };
  const prefix = gvr.group ? `/apis/${gvr.group}` : '/api';
  const searchPaths = [
    [prefix, gvr.version, gvr.resource],
    [prefix, gvr.version, gvr.resource, '{name}'],
    [prefix, gvr.version, 'namespaces', '{namespace}', gvr.resource],
    [prefix, gvr.version, 'namespaces', '{namespace}', gvr.resource, '{name}'],
  ].map((parts) => parts.join('/'));
  let gvk: Json | undefined;
  for (const p of searchPaths) {
    const element = field(doc.paths, p);
    if (!truthy(element)) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = field(element, method);
      if (!truthy(op)) continue;
      // `with $gvk = index ...`: assigned even when empty, then `break` if set.
      gvk = field(op, 'x-kubernetes-group-version-kind');
      if (truthy(gvk)) break;
    }
  }
  if (!isObject(gvk) || !truthy(gvk)) return { out: '', error: `error: GVR (${gvrString(gvr)}) not found in OpenAPI schema` };
  let out = '';
  if (truthy(gvk.group)) out += `GROUP:      ${goPrint(gvk.group)}\n`;
  out += `KIND:       ${goPrint(gvk.kind)}\nVERSION:    ${goPrint(gvk.version)}\n\n`;
  try {
    let body = '';
    const schemas = field(doc.components, 'schemas');
    if (isObject(schemas)) {
      for (const name of goSortedKeys(schemas)) {
        const candidate = schemas[name];
        const kinds = field(candidate, 'x-kubernetes-group-version-kind');
        if (!Array.isArray(kinds) || !kinds.some((k) => sameGvk(k, gvk as JsonObject))) continue;
        body = output(candidate, fieldPath, new Set(), ctx);
        if (!body) return { out, error: `error: field "${fieldPath[fieldPath.length - 1]}" does not exist` };
        break;
      }
    }
    if (!body) return { out, error: `error: GVK ${goPrint(gvk)} not found in OpenAPI schema` };
    return { out: `${out}${body}\n` };
  } catch (e) {
    if (e instanceof ExplainError) return { out, error: e.message };
    throw e;
  }
}

// reflect.DeepEqual of two decoded JSON maps.
function sameGvk(a: Json, b: JsonObject): boolean {
  if (!isObject(a)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && a[k] === b[k]);
}

// ---------------------------------------------------------------------------
// The command

const MISSING_TYPE =
  'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n';

// k8s.io/kubectl/pkg/explain's jsonPathParse: the argument is read as `{.ARG}`.
function jsonPathNodes(input: string): JsonPathNode[] {
  const trimmed = input.endsWith('.') ? input.slice(0, -1) : input;
  let root: ListNode;
  try {
    root = parseJsonPath(`{.${trimmed}}`).root;
  } catch (e) {
    if (e instanceof JsonPathParseError) throw new CliError(e.message);
    throw e;
  }
  if (root.nodes.length !== 1) throw new CliError('must pass in 1 jsonpath string');
  return (root.nodes[0] as ListNode).nodes;
}

function fieldNames(nodes: JsonPathNode[], message: string): string[] {
  return nodes.map((n) => {
    if (n.kind !== 'field') throw new CliError(message);
    return n.name;
  });
}

// The RESTMapper's ResourcesFor: every group/version serving a resource, in
// discovery priority (the groups' preferred versions first, then their other
// versions). A short name (matched as typed) stands for the first resource that
// has it, with a warning for the others; plural and singular names match in any
// case.
function resourcesFor(resource: string, warn: (text: string) => void): Gvr[] {
  if (resource === '') throw new CliError('a resource must be present, got: /, Resource=');
  const order = discoveryOrder();
  let matches: KindInfo[];
  const fullName = order.some((i) => i.resource === resource || i.singular === resource);
  const byShort = fullName ? [] : order.filter((i) => i.shortNames.includes(resource));
  if (byShort.length > 0) {
    const first = byShort[0];
    const warned = new Set<string>();
    for (const other of byShort.slice(1)) {
      const gr = other.group ? `${other.resource}.${other.group}` : other.resource;
      if ((other.group === first.group && other.resource === first.resource) || warned.has(gr)) continue;
      warned.add(gr);
      warn(`Warning: short name "${resource}" could also match lower priority resource ${gr}\n`);
    }
    matches = order.filter((i) => i.group === first.group && i.resource === first.resource);
  } else {
    const name = resource.toLowerCase();
    matches = order.filter((i) => i.resource === name || i.singular === name);
  }
  const preferred = matches.map((i) => ({ group: i.group, version: i.version, resource: i.resource }));
  const others = matches.flatMap((i) => (i.otherVersions ?? []).map((version) => ({ group: i.group, version, resource: i.resource })));
  return [...preferred, ...others];
}

const FIRST_NODE = 'invalid jsonpath syntax, first node must be field node';

function resourceNode(arg: string): { nodes: JsonPathNode[]; resource: string } {
  const nodes = jsonPathNodes(arg);
  const first = nodes[0];
  if (first?.kind !== 'field') throw new CliError(FIRST_NODE);
  return { nodes, resource: first.name };
}

function noSuchResource(resource: string): PlainError {
  return new PlainError(`the server doesn't have a resource type "${resource}"`);
}

// explain.SplitAndParseResourceRequestWithMatchingPrefix: `deployments.apps.spec`
// picks the group whose `resource.group` prefixes the argument.
function parseWithMatchingPrefix(arg: string, warn: (text: string) => void): { gvr: Gvr; fieldPath: string[] } {
  const { resource } = resourceNode(arg);
  const gvrs = resourcesFor(resource, warn);
  if (gvrs.length === 0) throw noSuchResource(resource);
  for (const gvr of gvrs) {
    const groupResource = gvr.group ? `${gvr.resource}.${gvr.group}` : gvr.resource;
    if (!arg.startsWith(groupResource)) continue;
    const suffix = arg.slice(groupResource.length);
    // The suffix starts with `.`, so it parses as `{..rest}`: a recursive descent first.
    const fieldPath = suffix ? fieldNames(jsonPathNodes(suffix).slice(1), FIRST_NODE) : [];
    return { gvr, fieldPath };
  }
  return { gvr: gvrs[0], fieldPath: fieldNames(jsonPathNodes(arg).slice(1), FIRST_NODE) };
}

// explain.SplitAndParseResourceRequest (with --api-version).
function parsePlain(arg: string, warn: (text: string) => void): { gvr: Gvr; fieldPath: string[] } {
  const { nodes, resource } = resourceNode(arg);
  const gvr = resourcesFor(resource, warn)[0];
  if (!gvr) throw noSuchResource(resource);
  return { gvr, fieldPath: fieldNames(nodes.slice(1), 'invalid jsonpath syntax, all nodes must be field nodes') };
}

// schema.ParseGroupVersion
function parseGroupVersion(gv: string): GroupVersion {
  if (gv === '' || gv === '/') return { group: '', version: '' };
  const slashes = gv.split('/').length - 1;
  if (slashes === 0) return { group: '', version: gv };
  if (slashes === 1) return { group: gv.slice(0, gv.indexOf('/')), version: gv.slice(gv.indexOf('/') + 1) };
  throw new CliError(`unexpected GroupVersion string: ${gv}`);
}

export const command: Command = {
  flags: [
    { name: 'recursive', kind: 'bool' },
    { name: 'api-version', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string', default: 'plaintext' },
  ],
  run(ctx) {
    if (ctx.args.length === 0) throw new CliError(MISSING_TYPE);
    if (ctx.args.length > 1) throw new CliError('We accept only this format: explain RESOURCE\n');
    ctx.session().ensureCluster();
    const arg = ctx.args[0];
    const apiVersion = ctx.flags.str('api-version');
    const warn = (text: string): void => ctx.io.err(text);
    const { gvr, fieldPath } = apiVersion ? parsePlain(arg, warn) : parseWithMatchingPrefix(arg, warn);
    const format = ctx.flags.str('output');
    if (format === 'plaintext-openapiv2') {
      // kubectl's older renderer reads the OpenAPI v2 document, which kubemu does not build.
      throw new CliError('--output=plaintext-openapiv2 is not supported by kubemu; use --output=plaintext');
    }
    if (apiVersion) Object.assign(gvr, parseGroupVersion(apiVersion));
    const path = docPath(gvr);
    const doc = openApiPaths().includes(path) ? openApiDocument(path) : undefined;
    if (!doc) throw new CliError(`couldn't find resource for "${gvrString(gvr)}"`);
    if (format !== 'plaintext') throw new CliError(`unrecognized format: ${format}`);
    const rendered = renderExplain(doc, gvr, fieldPath, ctx.flags.bool('recursive'));
    ctx.io.out(rendered.out);
    if (rendered.error) throw new CliError(rendered.error);
    return 0;
  },
};
