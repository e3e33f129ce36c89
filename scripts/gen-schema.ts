// Build step: derives the JSON schema of every registered kind from the official
// Kubernetes JavaScript client (@kubernetes/client-node 1.1.x, generated from the
// Kubernetes v1.32.0 OpenAPI spec), then compiles it with ajv into standalone
// validators. The runtime loads only the compiled validators; the schema with its
// descriptions is read on demand (error messages, `kubectl explain`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import ts from 'typescript';
import { KINDS } from '../src/api/kinds';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

interface PropSchema {
  type?: string | string[];
  $ref?: string;
  items?: PropSchema;
  additionalProperties?: PropSchema | boolean;
  minimum?: number;
  maximum?: number;
  description?: string;
  'x-go'?: string;
  // For `kubectl explain`: the named apimachinery type the value is (Quantity,
  // Time, IntOrString...), which client-node flattens to string or any.
  'x-k8s-opaque'?: string;
}

interface DefSchema {
  type: 'object';
  description?: string;
  properties: Record<string, PropSchema>;
  required?: string[];
  additionalProperties: false;
  'x-go': string;
  // For `kubectl explain`: the name of the definition in the API server's
  // OpenAPI documents (io.k8s.api.core.v1.PodSpec).
  'x-k8s-name'?: string;
}

// The shape and description the API server's OpenAPI v3 documents give the
// apimachinery types that client-node does not model (for `kubectl explain`).
interface OpaqueType {
  name: string;
  schema: Record<string, unknown>;
}

const modelsDir = path.join(path.dirname(require.resolve('@kubernetes/client-node/package.json')), 'dist/gen/models');

const INT32 = { min: -2147483648, max: 2147483647 };

function goTypeName(model: string): string {
  // V1DeploymentSpec -> v1.DeploymentSpec, CoreV1EndpointPort -> v1.EndpointPort
  const m = /^(?:[A-Z][a-z]+)*?(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$/.exec(model);
  if (!m) return model;
  return `${m[1].toLowerCase()}.${m[2]}`;
}

function docsOf(model: string): { description?: string; props: Map<string, { description?: string; optional: boolean }> } {
  const file = path.join(modelsDir, `${model}.d.ts`);
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const props = new Map<string, { description?: string; optional: boolean }>();
  let description: string | undefined;
  const text = src.getFullText();
  const commentOf = (node: ts.Node): string | undefined => {
    const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
    const last = ranges[ranges.length - 1];
    if (!last) return undefined;
    const raw = text.slice(last.pos, last.end);
    if (!raw.startsWith('/**')) return undefined;
    const body = raw
      .replace(/^\/\*\*/, '')
      .replace(/\*\/$/, '')
      .split('\n')
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n')
      .trim();
    return body || undefined;
  };
  src.forEachChild((node) => {
    if (ts.isClassDeclaration(node) && node.name?.text === model) {
      description = commentOf(node);
      for (const member of node.members) {
        if (ts.isPropertyDeclaration(member) && member.name && ts.isStringLiteral(member.name)) {
          props.set(member.name.text, { description: commentOf(member), optional: !!member.questionToken });
        }
      }
    }
  });
  return { description, props };
}

// client-node's comments escape quotes and backslashes (`\"`, `\'`, `\\`).
function unescapeDoc(text: string | undefined): string | undefined {
  return text?.replace(/\\(["'\\])/g, '$1');
}

// kubernetes-types (a devDependency, v1.30) keeps what client-node's docs drop:
// the descriptions of fields whose type is another definition, the paragraph
// breaks of descriptions, and the names of the apimachinery types (Quantity).
// Its texts are a release older, so they fill gaps and restore line breaks only.
interface KtType {
  file: string; // core/v1, meta/v1, api/resource
  description?: string;
  props: Map<string, { description?: string; type?: string }>;
}

const ktRoot = path.dirname(require.resolve('kubernetes-types/package.json'));

function ktDoc(text: string, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, node.getFullStart()) ?? [];
  const last = ranges[ranges.length - 1];
  if (!last) return undefined;
  const raw = text.slice(last.pos, last.end);
  if (!raw.startsWith('/**')) return undefined;
  const lines = raw.slice(3, -2).split('\n');
  if (lines.length === 1) return lines[0].trim() || undefined;
  // One comment line per line of the original text, each behind ` * `.
  return (
    lines
      .map((l) => l.replace(/^\s*\* ?/, ''))
      .join('\n')
      .trim() || undefined
  );
}

function ktIndex(): Map<string, KtType[]> {
  const index = new Map<string, KtType[]>();
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.d.ts')) {
        const text = fs.readFileSync(full, 'utf8');
        const src = ts.createSourceFile(full, text, ts.ScriptTarget.ES2022, true);
        const file = path.relative(ktRoot, full).replace(/\.d\.ts$/, '').split(path.sep).join('/');
        src.forEachChild((node) => {
          if (!ts.isInterfaceDeclaration(node) && !ts.isTypeAliasDeclaration(node)) return;
          const props = new Map<string, { description?: string; type?: string }>();
          if (ts.isInterfaceDeclaration(node)) {
            for (const m of node.members) {
              if (!ts.isPropertySignature(m)) continue;
              props.set(m.name.getText(src).replace(/^"|"$/g, ''), { description: ktDoc(text, m), type: m.type?.getText(src) });
            }
          }
          const entry = { file, description: ktDoc(text, node), props };
          index.set(node.name.text, [...(index.get(node.name.text) ?? []), entry]);
        });
      }
    }
  };
  walk(ktRoot);
  return index;
}

// The OpenAPI name of a kubernetes-types file's type: meta/v1 is apimachinery's.
function openApiName(file: string, name: string): string {
  const [pkg, version] = file.split('/');
  return pkg === 'meta' ? `io.k8s.apimachinery.pkg.apis.meta.${version}.${name}` : `io.k8s.api.${pkg}.${version}.${name}`;
}

// The apimachinery types, as kube-apiserver's OpenAPI v3 documents define them.
const OPAQUE: Record<string, { name: string; file?: string; shape: Record<string, unknown> }> = {
  Quantity: {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    file: 'api/resource',
    shape: { oneOf: [{ type: 'string' }, { type: 'number' }] },
  },
  IntOrString: {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    shape: { format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }] },
  },
  Time: { name: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time', file: 'meta/v1', shape: { format: 'date-time', type: 'string' } },
  MicroTime: {
    name: 'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime',
    file: 'meta/v1',
    shape: { format: 'date-time', type: 'string' },
  },
  FieldsV1: { name: 'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1', file: 'meta/v1', shape: { type: 'object' } },
  RawExtension: { name: 'io.k8s.apimachinery.pkg.runtime.RawExtension', file: 'runtime', shape: { type: 'object' } },
};

// apimachinery's doc comment of intstr.IntOrString, which neither package carries.
const INT_OR_STRING_DOC =
  'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.';

// Marks the innermost value schema (list item, map value) as an opaque type.
function markOpaque(prop: PropSchema, opaque: string): void {
  let p = prop;
  for (;;) {
    if (p.items) p = p.items;
    else if (p.additionalProperties && typeof p.additionalProperties === 'object') p = p.additionalProperties;
    else break;
  }
  p['x-k8s-opaque'] = opaque;
}

async function main(): Promise<void> {
  const outDir = path.join(__dirname, '..', 'generated');
  fs.mkdirSync(outDir, { recursive: true });
  const defs: Record<string, DefSchema> = {};
  // The other served versions of a kind (autoscaling/v1 HorizontalPodAutoscaler)
  // are described too, for `kubectl explain --api-version`; popped last, so the
  // kinds' own definitions keep their order.
  const otherModels = KINDS.flatMap((k) =>
    (k.otherVersions ?? []).map((v) => k.model.replace(/V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, v[0].toUpperCase() + v.slice(1))),
  ).filter((m) => fs.existsSync(path.join(modelsDir, `${m}.js`)));
  const pending: string[] = [...new Set([...otherModels, ...KINDS.map((k) => k.model)])];
  // The definition that first referred to a model: the package of a type that
  // kubernetes-types does not know yet is its referrer's.
  const referrer = new Map<string, string>();
  let current = '';

  const typeSchema = (type: string, format: string): PropSchema => {
    if (type.startsWith('Array<')) return { type: 'array', items: typeSchema(type.slice(6, -1), format) };
    const map = /^\{ \[key: string\]: (.*); \}$/.exec(type);
    if (map) return { type: 'object', additionalProperties: typeSchema(map[1], format) };
    switch (type) {
      case 'string':
        return { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
        return { type: 'string', 'x-k8s-opaque': 'Time' };
      case 'V1MicroTime':
        return { type: 'string', 'x-k8s-opaque': 'MicroTime' };
      case 'IntOrString':
        return { type: ['integer', 'string'], 'x-go': 'intstr.IntOrString', 'x-k8s-opaque': 'IntOrString' };
      case 'number':
        if (format === 'int32') return { type: 'integer', minimum: INT32.min, maximum: INT32.max, 'x-go': 'int32' };
        if (format === 'int64') return { type: 'integer', 'x-go': 'int64' };
        return { type: 'number', 'x-go': 'float64' };
      case 'any':
      case 'object':
        return {};
      default:
        pending.push(type);
        if (!referrer.has(type)) referrer.set(type, current);
        return { $ref: `#/definitions/${type}` };
    }
  };

  const kt = ktIndex();
  // `via`: the referrer's package (io.k8s.api.apps), which settles names that
  // several packages have (client-node prefixes most of those).
  const ktTypeOf = (model: string, via: string | undefined): KtType | undefined => {
    const m = /^((?:[A-Z][a-z]+)*?)(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$/.exec(model);
    if (!m) return undefined;
    const [, prefix, version, name] = m;
    const found = (kt.get(name) ?? []).filter(
      (e) => e.file.split('/')[1] === version.toLowerCase() && (!prefix || e.file.split('/')[0] === prefix.toLowerCase()),
    );
    return found.find((e) => openApiName(e.file, name).startsWith(`${via}.`)) ?? found[0];
  };
  const opaqueDoc = (key: string): string | undefined => {
    if (key === 'IntOrString') return INT_OR_STRING_DOC;
    const o = OPAQUE[key] as (typeof OPAQUE)[string] | undefined;
    if (!o) return undefined;
    return kt.get(o.name.split('.').pop()!)?.find((e) => e.file === o.file)?.description;
  };
  // client-node turns line breaks into spaces: where the older text is the same
  // but for them, it is the same text with its paragraphs.
  const withBreaks = (cn: string | undefined, older: string | undefined): string | undefined => {
    if (!cn) return older;
    return older !== undefined && older.replace(/\n/g, ' ') === cn ? older : cn;
  };

  while (pending.length) {
    const model = pending.pop()!;
    if (defs[model]) continue;
    current = model;
    const mod = (await import(path.join(modelsDir, `${model}.js`))) as Record<string, { getAttributeTypeMap(): Attribute[] }>;
    const attrs = mod[model].getAttributeTypeMap();
    const docs = docsOf(model);
    const via = defs[referrer.get(model) ?? '']?.['x-k8s-name']?.split('.').slice(0, -2).join('.');
    const older = ktTypeOf(model, via);
    const def: DefSchema = {
      type: 'object',
      properties: {},
      additionalProperties: false,
      'x-go': goTypeName(model),
    };
    const description = withBreaks(unescapeDoc(docs.description), older?.description);
    if (description) def.description = description;
    const shortName = def['x-go'].slice(def['x-go'].indexOf('.') + 1);
    const version = def['x-go'].slice(0, def['x-go'].indexOf('.'));
    def['x-k8s-name'] = older ? openApiName(older.file, shortName) : `${via ?? 'io.k8s.api.core'}.${version}.${shortName}`;
    defs[model] = def;
    const required: string[] = [];
    for (const a of attrs) {
      const prop = typeSchema(a.type, a.format);
      const doc = docs.props.get(a.name);
      const olderProp = older?.props.get(a.baseName);
      for (const name of ['Quantity', 'FieldsV1', 'RawExtension']) {
        if (!prop.$ref && new RegExp(`\\b${name}\\b`).test(olderProp?.type ?? '')) markOpaque(prop, name);
      }
      let cn = unescapeDoc(doc?.description);
      // For fields of a named scalar type client-node repeats the type's own
      // description; the API server gives the field's, and the type's after it.
      if (cn && cn === opaqueDoc(prop['x-k8s-opaque'] ?? '')) cn = undefined;
      const propDoc = withBreaks(cn, olderProp?.description);
      if (propDoc) prop.description = propDoc;
      if (doc && !doc.optional) required.push(a.baseName);
      def.properties[a.baseName] = prop;
    }
    if (required.length) def.required = required;
  }

  const used = new Set<string>();
  const collect = (p: PropSchema | undefined): void => {
    if (!p) return;
    if (p['x-k8s-opaque']) used.add(p['x-k8s-opaque']);
    collect(p.items);
    if (typeof p.additionalProperties === 'object') collect(p.additionalProperties);
  };
  for (const def of Object.values(defs)) for (const p of Object.values(def.properties)) collect(p);
  const opaque: Record<string, OpaqueType> = {};
  for (const key of [...used].sort()) {
    const doc = opaqueDoc(key);
    opaque[key] = { name: OPAQUE[key].name, schema: { ...(doc ? { description: doc } : {}), ...OPAQUE[key].shape } };
  }

  const schema = { $id: 'k8s', definitions: defs, 'x-k8s-opaque': opaque };
  fs.writeFileSync(path.join(outDir, 'k8s-schema.json'), JSON.stringify(schema));

  // Validators check types and unknown fields. Required fields are the API
  // server's validation code's business (with its own messages), so the compiled
  // copy leaves `required`, descriptions and what only `explain` reads out.
  const lean = JSON.parse(JSON.stringify(schema), (key, value: unknown) =>
    key === 'description' || key === 'required' || key === 'x-go' || key.startsWith('x-k8s-') ? undefined : value,
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, optimize: true } });
  ajv.addSchema(lean);
  const refs: Record<string, string> = {};
  for (const k of KINDS) refs[k.model] = `k8s#/definitions/${k.model}`;
  fs.writeFileSync(path.join(outDir, 'k8s-validators.js'), standaloneCode(ajv, refs));
  console.log(`schema: ${Object.keys(defs).length} definitions for ${KINDS.length} kinds`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
