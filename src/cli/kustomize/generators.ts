import * as path from 'node:path';
import type { JsonObject } from '../../util/json';
import { KustomizeError, wrap } from './errors';
import type { GeneratorArgs, GeneratorOptions } from './kustomization';
import type { Loader } from './loader';
import { Resource } from './resource';

// configMapGenerator and secretGenerator (api/internal/generators, api/kv):
// key/value pairs from env files, literals and files, in that order, into a
// ConfigMap's data (binaryData for bytes that are not UTF-8) or a Secret's
// base64 data, with the generator's labels, annotations and immutability.

interface Pair {
  key: string;
  value: Buffer;
}

// types.MergeGlobalOptionsIntoLocal.
export function mergeOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions | undefined {
  if (!global) return local;
  const out: GeneratorOptions = { ...(local ?? {}) };
  const over = (l: Record<string, string> | undefined, g: Record<string, string> | undefined) => {
    if (l === undefined) return g === undefined ? undefined : { ...g };
    const m = { ...l };
    for (const [k, v] of Object.entries(g ?? {})) if (!(k in m)) m[k] = v;
    return m;
  };
  out.labels = over(out.labels, global.labels);
  out.annotations = over(out.annotations, global.annotations);
  if (out.labels === undefined) delete out.labels;
  if (out.annotations === undefined) delete out.annotations;
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

// Go's %v of a []string.
function goList(l: string[] | undefined): string {
  return `[${(l ?? []).join(' ')}]`;
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

function literalPairs(sources: string[]): Pair[] {
  return sources.map((s) => {
    const eq = s.indexOf('=');
    if (eq <= 0) throw new KustomizeError(`invalid literal source ${s}, expected key=value`);
    return { key: s.slice(0, eq), value: Buffer.from(removeQuotes(s.slice(eq + 1)), 'utf8') };
  });
}

// generators.ParseFileSource: `path` (key = its base name) or `key=path`.
function parseFileSource(source: string): { key: string; file: string } {
  const n = source.split('=').length - 1;
  if (n === 0) return { key: path.posix.basename(source), file: source };
  if (n === 1 && source.startsWith('=')) {
    throw new KustomizeError(`missing key name for file path ${JSON.stringify(source.slice(1))} in source ${JSON.stringify(source)}`);
  }
  if (n === 1 && source.endsWith('=')) {
    throw new KustomizeError(`missing file path for key name ${JSON.stringify(source.slice(0, -1))} in source ${JSON.stringify(source)}`);
  }
  if (n > 1) throw new KustomizeError(`source ${JSON.stringify(source)} key name or file path contains '='`);
  const [key, file] = source.split('=');
  return { key, file };
}

function filePairs(ldr: Loader, sources: string[]): Pair[] {
  return sources.map((s) => {
    const { key, file } = parseFileSource(s);
    return { key, value: ldr.load(file) };
  });
}

// Go's unicode.IsSpace, for the left trim of env lines.
const LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

function isValidUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

// keyValuesFromLines: bufio.Scanner lines (a trailing \r dropped), a BOM on
// the first, blank lines and comments skipped, `KEY=value` or a bare KEY.
function envPairs(ldr: Loader, files: string[]): Pair[] {
  const out: Pair[] = [];
  for (const f of files) {
    const content = ldr.load(f);
    const lines: Buffer[] = [];
    let start = 0;
    for (let i = 0; i <= content.length; i++) {
      if (i === content.length || content[i] === 0x0a) {
        if (i === content.length && start === i) break;
        let end = i;
        if (end > start && content[end - 1] === 0x0d) end--;
        lines.push(content.subarray(start, end));
        start = i + 1;
      }
    }
    lines.forEach((raw, n) => {
      if (!isValidUtf8(raw)) throw new KustomizeError(`line ${n} has invalid utf8 bytes : ${raw.toString('latin1')}`);
      let line = raw.toString('utf8');
      if (n === 0 && line.startsWith('\ufeff')) line = line.slice(1);
      line = line.replace(LEADING_SPACE, '');
      if (line.length === 0 || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      const key = eq >= 0 ? line.slice(0, eq) : line;
      if (key.length === 0) return;
      out.push({ key, value: Buffer.from(eq >= 0 ? line.slice(eq + 1) : '', 'utf8') });
    });
  }
  return out;
}

function loadPairs(ldr: Loader, args: GeneratorArgs): Pair[] {
  const all: Pair[] = [];
  try {
    all.push(...envPairs(ldr, args.envs ?? []));
  } catch (e) {
    throw wrap(e, `env source files: ${goList(args.envs)}`);
  }
  try {
    all.push(...literalPairs(args.literals ?? []));
  } catch (e) {
    throw wrap(e, `literal sources ${goList(args.literals)}`);
  }
  try {
    all.push(...filePairs(ldr, args.files ?? []));
  } catch (e) {
    throw wrap(e, `file sources: ${goList(args.files)}`);
  }
  return all;
}

function validatedDataMap(ldr: Loader, args: GeneratorArgs): Map<string, Buffer> {
  let pairs: Pair[];
  try {
    pairs = loadPairs(ldr, args);
  } catch (e) {
    throw wrap(e, 'loading KV pairs');
  }
  const m = new Map<string, Buffer>();
  for (const p of pairs) {
    if (m.has(p.key)) throw new KustomizeError(`configmap ${args.name ?? ''} illegally repeats the key \`${p.key}\``);
    m.set(p.key, p.value);
  }
  return m;
}

// kyaml's encodeBase64: lines of 70 characters, each ending in a newline,
// once the encoding is 70 characters or longer.
export function encodeBase64(b: Buffer): string {
  const enc = b.toString('base64');
  const lines = Math.floor(enc.length / 70) + 1;
  if (lines <= 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += `${enc.slice(i, i + 70)}\n`;
  return out;
}

function sortedKeys(m: Map<string, Buffer>): string[] {
  return [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

function baseObject(kind: string, args: GeneratorArgs): JsonObject {
  if (!args.name) throw new KustomizeError('a configmap must have a name');
  const metadata: JsonObject = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  return { apiVersion: 'v1', kind, metadata };
}

function finish(obj: JsonObject, args: GeneratorArgs): Resource {
  const opts = args.options;
  if (opts) {
    const meta = obj.metadata as JsonObject;
    if (opts.labels && Object.keys(opts.labels).length > 0) meta.labels = { ...opts.labels };
    if (opts.annotations && Object.keys(opts.annotations).length > 0) meta.annotations = { ...opts.annotations };
    if (opts.immutable) obj.immutable = true;
  }
  const res = new Resource(obj);
  if (!opts || !opts.disableNameSuffixHash) res.enableHashSuffix();
  res.setBehavior(args.behavior ?? '');
  return res;
}

export function makeConfigMap(ldr: Loader, args: GeneratorArgs): Resource {
  const obj = baseObject('ConfigMap', args);
  const m = validatedDataMap(ldr, args);
  for (const k of sortedKeys(m)) {
    const v = m.get(k)!;
    const field = isValidUtf8(v) ? 'data' : 'binaryData';
    if (obj[field] === undefined) obj[field] = {};
    (obj[field] as JsonObject)[k] = field === 'data' ? v.toString('utf8') : encodeBase64(v);
  }
  return finish(obj, args);
}

export function makeSecret(ldr: Loader, args: GeneratorArgs): Resource {
  const obj = baseObject('Secret', args);
  obj.type = args.type || 'Opaque';
  const m = validatedDataMap(ldr, args);
  const data: JsonObject = {};
  for (const k of sortedKeys(m)) data[k] = encodeBase64(m.get(k)!);
  obj.data = data;
  return finish(obj, args);
}
