import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeObject } from '../api/types';
import { CliError, PlainError } from './errors';
import { goQuote } from '../api/errors';
import { isObject } from '../util/json';
import { assetKind, readAssetText } from '../util/assets';
import { jsonStreamToValues, looksLikeJson, ManifestSyntaxError, splitYamlDocuments, yamlDocumentToJson } from './yaml-errors';

// -f sources: files, directories (-R), stdin, and the tutorials' URLs, which
// are served offline from manifests/. Documents become objects the way
// cli-runtime's builder reads them: multi-document YAML, JSON, kind: List.

export interface ManifestObject {
  source: string; // the file name (or URL) the object came from, for messages
  object: KubeObject;
}


// https://k8s.io/examples/<path>, https://kubernetes.io/examples/<path> and the
// raw GitHub copies of kubernetes/website's content/<lang>/examples/<path>.
const EXAMPLE_URL = [
  /^https?:\/\/(?:k8s\.io|kubernetes\.io)\/examples\/(.+)$/,
  /^https?:\/\/raw\.githubusercontent\.com\/kubernetes\/website\/([^/]+)\/content\/[a-z-]+\/examples\/(.+)$/,
  /^https?:\/\/github\.com\/kubernetes\/website\/raw\/([^/]+)\/content\/[a-z-]+\/examples\/(.+)$/,
];

// Files the tutorials fetch from the old `master` branch by name, where the
// page describes that branch's version (ConfigMap + Redis mounts
// /redis-master from kubernetes/redis:v1; main has moved on to redis:5).
const BRANCH_SNAPSHOTS: Record<string, string> = { master: 'website-master' };

function bundledFile(dir: string, rel: string): string | undefined {
  const name = path.posix.join('manifests', dir, path.posix.normalize(rel).replace(/^(\.\.\/)+/, ''));
  return assetKind(name) === 'file' ? name : undefined;
}

// The asset (util/assets.ts) that stands for a tutorial's URL.
export function bundledManifest(url: string): string | undefined {
  for (const re of EXAMPLE_URL) {
    const m = re.exec(url);
    if (!m) continue;
    const rel = m[m.length - 1];
    const snapshot = m.length > 2 ? BRANCH_SNAPSHOTS[m[1]] : undefined;
    const file = (snapshot && bundledFile(snapshot, rel)) || bundledFile('examples', rel);
    if (file) return file;
  }
  return undefined;
}

function readUrl(url: string): string {
  const file = bundledManifest(url);
  if (file) return readAssetText(file);
  const host = /^https?:\/\/([^/:]+)/.exec(url)?.[1] ?? url;
  if (EXAMPLE_URL.some((re) => re.test(url))) {
    throw new CliError(`error: unable to read URL "${url}", server reported 404 Not Found, status code=404`);
  }
  // What kubectl says when the network is not there.
  throw new CliError(`error: Get "${url}": dial tcp: lookup ${host}: no such host`);
}

interface Source {
  name: string;
  text: string;
}

function walk(dir: string, recursive: boolean, out: string[]): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive) walk(full, recursive, out);
    } else if (/\.(json|ya?ml)$/.test(entry.name)) out.push(full);
  }
}

// Files are decoded as kubectl's FileVisitor does (a UTF-8 decoder behind a
// BOM override): a UTF-16 byte order mark switches to UTF-16, a UTF-8 one is
// dropped, and invalid UTF-8 becomes U+FFFD.
function decodeFile(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const le = Buffer.from(buf.subarray(2, buf.length - (buf.length % 2)));
    return le.swap16().toString('utf16le');
  }
  return stripBom(buf.toString('utf8'));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

// Go's filepath.Match, for the -f patterns kubectl expands (`-f 'k8s/*.yaml'`),
// as a regular expression; undefined for a malformed pattern (ErrBadPattern).
function globRegExp(pattern: string): RegExp | undefined {
  // Escapes for a literal and for a character inside a class (`u` mode is strict).
  const esc = (c: string) => c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  const escClass = (c: string) => c.replace(/[\\\]\[^-]/g, '\\$&');
  let re = '';
  let i = 0;
  // getEsc: one class character, possibly escaped; `-` and `]` are not allowed bare.
  const classChar = (): string | undefined => {
    let c = pattern[i];
    if (c === undefined || c === '-' || c === ']') return undefined;
    if (c === '\\') {
      i++;
      c = pattern[i];
      if (c === undefined) return undefined;
    }
    i++;
    return i < pattern.length ? c : undefined;
  };
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '*') {
      re += '[^/]*';
      i++;
    } else if (c === '?') {
      re += '[^/]';
      i++;
    } else if (c === '[') {
      i++;
      let cls = '';
      if (pattern[i] === '^') {
        cls = '^';
        i++;
      }
      let ranges = 0;
      for (;;) {
        if (pattern[i] === ']' && ranges > 0) {
          i++;
          break;
        }
        const lo = classChar();
        if (lo === undefined) return undefined;
        let hi = lo;
        if (pattern[i] === '-') {
          i++;
          const h = classChar();
          if (h === undefined) return undefined;
          hi = h;
        }
        cls += lo === hi ? escClass(lo) : `${escClass(lo)}-${escClass(hi)}`;
        ranges++;
      }
      re += cls.startsWith('^') ? `[^/${cls.slice(1)}]` : `(?=[^/])[${cls}]`;
    } else if (c === '\\') {
      if (i + 1 >= pattern.length) return undefined;
      re += esc(pattern[i + 1]);
      i += 2;
    } else {
      re += esc(c);
      i++;
    }
  }
  try {
    return new RegExp(`^${re}$`, 'u');
  } catch {
    return undefined;
  }
}

// filepath.Glob: each path segment with a pattern is matched against its
// directory's (sorted) entries.
function glob(pattern: string): string[] | undefined {
  const hasMeta = (s: string) => /[*?[\\]/.test(s);
  if (!hasMeta(pattern)) return fs.existsSync(pattern) ? [pattern] : [];
  const dir = path.dirname(pattern);
  const file = path.basename(pattern);
  const re = globRegExp(file);
  if (!re) return undefined;
  const dirs = hasMeta(dir) ? glob(dir) : [dir];
  if (dirs === undefined) return undefined;
  const out: string[] = [];
  for (const d of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(d).sort();
    } catch {
      continue;
    }
    // filepath.Join cleans, so `./x*` lists `x.yaml`; a plain `x*` too.
    for (const n of names) if (re.test(n)) out.push(d === '.' ? n : path.join(d, n));
  }
  return out;
}

// The builder's FilenameParam: every -f is expanded (a missing path may be a
// pattern), directories are walked for .json/.yaml/.yml files. Its errors are
// collected and reported together before anything is read, one per line.
export function readSources(filenames: string[], recursive: boolean, stdin: () => string, kustomize = ''): Source[] {
  if (kustomize) return [kustomizeSource(filenames, recursive, kustomize)];
  const sources: Source[] = [];
  const errors: string[] = [];
  let found = 0;
  for (const f of filenames) {
    if (f === '-') {
      sources.push({ name: 'STDIN', text: stripBom(stdin()) });
      found++;
      continue;
    }
    if (/^https?:\/\//.test(f)) {
      sources.push({ name: f, text: stripBom(readUrl(f)) });
      found++;
      continue;
    }
    let matches = [f];
    if (!fs.existsSync(f)) {
      const g = glob(f);
      if (g === undefined) {
        errors.push(`pattern ${goQuote(f)} is not valid: syntax error in pattern`);
        continue;
      }
      if (g.length === 0) {
        errors.push(`the path ${goQuote(f)} does not exist`);
        continue;
      }
      matches = g;
    }
    const before = found;
    for (const m of matches) {
      if (fs.statSync(m).isDirectory()) {
        const files: string[] = [];
        walk(m, recursive, files);
        for (const file of files) sources.push({ name: file, text: decodeFile(fs.readFileSync(file)) });
        found += files.length;
      } else {
        // /dev/stdin is fd 0, which open() refuses when it is a socket (ENXIO).
        sources.push({ name: m, text: decodeFile(/^\/dev\/(stdin|fd\/0)$|^\/proc\/self\/fd\/0$/.test(m) ? fs.readFileSync(0) : fs.readFileSync(m)) });
        found++;
      }
    }
    if (found === before && found === 0 && errors.length === 0) {
      errors.push(`error reading [${matches.join(' ')}]: recognized file extensions are [.json .yaml .yml]`);
    }
  }
  if (errors.length === 1) throw new CliError(`error: ${errors[0]}`);
  if (errors.length > 1) throw new PlainError(errors.join('\n'));
  return sources;
}

// -k DIR: the kustomize build's YAML, read as one more stream named by the
// directory as given (FilenameOptions.validate comes first).
function kustomizeSource(filenames: string[], recursive: boolean, dir: string): Source {
  const problems: string[] = [];
  if (filenames.length > 0) problems.push('only one of -f or -k can be specified');
  if (recursive) problems.push("the -k flag can't be used with -f or -R");
  if (problems.length > 0) throw new CliError(`error: ${problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`}`);
  const k = require('./kustomize') as typeof import('./kustomize');
  try {
    const objects = k.buildKustomization(dir, (line) => void process.stderr.write(`${line}\n`));
    return { name: dir, text: k.kustomizeYaml(objects) };
  } catch (e) {
    if (e instanceof k.KustomizeError) throw new CliError(`error: ${e.message}`);
    throw e;
  }
}

// What kubectl's client-side validation says about a document before the
// object is mapped (ValidateSchema's getObjectKind): not an object at all, or
// one without apiVersion or kind. The stream stops at such a document.
export function typeMetaProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'invalid object to validate';
  const problems: string[] = [];
  if (v.apiVersion === undefined || v.apiVersion === null) problems.push('apiVersion not set');
  else if (typeof v.apiVersion !== 'string') problems.push("apiVersion isn't string type");
  if (v.kind === undefined || v.kind === null) problems.push('kind not set');
  else if (typeof v.kind !== 'string') problems.push("kind isn't string type");
  if (problems.length === 0) return undefined;
  return problems.length === 1 ? problems[0] : `[${problems.join(', ')}]`;
}

// An error that ends one source's stream (a syntax error, a document that
// fails client-side validation), in kubectl's words without `error: `.
export class StreamError extends Error {}

// Splits a source into documents and objects the way kubectl's StreamVisitor
// walks it: document after document, `null` documents skipped, `kind: List`
// unpacked. The stream stops at the first document that cannot be parsed or
// fails validation (no apiVersion or kind, not an object); what comes after it
// is never read.
export function parseSource(src: Source): KubeObject[] {
  const objects: KubeObject[] = [];
  const add = (v: unknown): void => {
    if (v === null || v === undefined) return;
    const problem = typeMetaProblem(v);
    if (problem) {
      throw new StreamError(
        `error validating ${goQuote(src.name)}: error validating data: ${problem}; if you choose to ignore these errors, turn validation off with --validate=false`,
      );
    }
    const obj = v as unknown as KubeObject;
    if (obj.kind.endsWith('List') && Array.isArray((v as { items?: unknown }).items)) {
      // Items are checked when they are mapped (checkTypeMeta).
      for (const item of (v as { items: unknown[] }).items) if (item !== null && item !== undefined) objects.push(item as KubeObject);
      return;
    }
    objects.push(obj);
  };
  try {
    if (looksLikeJson(src.text)) {
      for (const v of jsonStreamToValues(src.text)) add(v);
    } else {
      for (const doc of splitYamlDocuments(src.text)) add(yamlDocumentToJson(doc));
    }
  } catch (e) {
    if (e instanceof ManifestSyntaxError) throw new StreamError(`error parsing ${src.name}: ${e.message}`);
    throw e;
  }
  return objects;
}

// All objects of all sources. Every source is read even when one fails (the
// builder continues on errors); the failures are then reported as kubectl
// reports them: one as `error: ...`, several one per line. Unlike kubectl,
// which goes on to apply what the good sources hold, nothing is returned
// then: bad input changes nothing.
export function readManifests(filenames: string[], recursive: boolean, stdin: () => string, kustomize = ''): ManifestObject[] {
  const out: ManifestObject[] = [];
  const errors: string[] = [];
  for (const src of readSources(filenames, recursive, stdin, kustomize)) {
    try {
      for (const object of parseSource(src)) out.push({ source: src.name, object });
    } catch (e) {
      if (!(e instanceof StreamError)) throw e;
      errors.push(e.message);
    }
  }
  if (errors.length === 1) throw new CliError(`error: ${errors[0]}`);
  if (errors.length > 1) throw new PlainError(errors.join('\n'));
  return out;
}
