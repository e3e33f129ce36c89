import { readAssetText } from '../../util/assets';
import { createHash } from 'node:crypto';

// The image catalogue (catalog.yaml beside this file): which images and tags
// exist and what their containers do. Image references are normalised the
// way Docker does (`nginx` = docker.io/library/nginx:latest).

export interface LogLine {
  after: number; // ms after the container started
  text: string;
  minTag?: string;
}

export interface HttpRoute {
  status: number;
  body: string;
  // Response headers, templated like the body (`{{host}}`: the Host the client sent).
  headers?: Record<string, string>;
}

export interface PortBehaviour {
  http?: Record<string, HttpRoute>;
  // A web server's document root: requests are answered from the container's files.
  root?: string;
  tcp?: boolean;
  // The port speaks TLS, presenting the certificate at this path in the
  // container (a mounted Secret): plain HTTP gets nginx's 400.
  tls?: { cert: string };
}

export interface ProgramBehaviour {
  logs?: LogLine[];
  ports?: Record<string, PortBehaviour>;
}

export interface ImageEntry extends ProgramBehaviour {
  repository: string;
  names: string[];
  tags: string[];
  size: number;
  pullSeconds: number;
  cmd?: string[];
  kind: 'server' | 'exit' | 'shell';
  sigterm: 'exit' | 'ignore';
  usage: { cpu: string; memory: string };
  readySeconds: number;
  preloaded?: boolean;
  // Sub-programs of multi-call images (agnhost netexec, pause, ...).
  programs?: Record<string, ProgramBehaviour>;
  // Files the image holds (path -> content; `page:<name>` for a page of sim/pages).
  files?: Record<string, string>;
  // The image's own programs that sim/images/tools answers (redis-cli, nodetool...).
  tools?: string[];
}

interface CatalogFile {
  defaults: Omit<ImageEntry, 'repository' | 'names' | 'tags'>;
  repositories: Record<string, Partial<ImageEntry> & { names?: string[]; tags?: string[] }>;
}

export interface ImageRef {
  // docker.io/library/nginx
  repository: string;
  tag: string; // '' when pulled by digest only
  digest?: string;
  // what Docker shows: nginx:1.14.2, registry.k8s.io/pause:3.9
  familiar: string;
  familiarRepo: string;
}

let catalog: { byName: Map<string, ImageEntry>; defaults: CatalogFile['defaults'] } | undefined;

function load(): NonNullable<typeof catalog> {
  if (catalog) return catalog;
  // catalog.yaml, converted to JSON by the build.
  const file = JSON.parse(readAssetText('dist/src/sim/images/catalog.json')) as CatalogFile;
  const byName = new Map<string, ImageEntry>();
  for (const [repository, raw] of Object.entries(file.repositories)) {
    const entry: ImageEntry = {
      ...file.defaults,
      ...raw,
      repository,
      names: raw.names ?? [],
      tags: (raw.tags ?? []).map(String),
    } as ImageEntry;
    byName.set(repository, entry);
    for (const n of entry.names) byName.set(parseImage(n).repository, entry);
  }
  catalog = { byName, defaults: file.defaults };
  return catalog;
}

export function parseImage(image: string): ImageRef {
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', slash + 1);
  let tag = colon >= 0 ? rest.slice(colon + 1) : '';
  let name = colon >= 0 ? rest.slice(0, colon) : rest;
  if (!tag && !digest) tag = 'latest';
  const first = name.split('/')[0];
  const hasDomain = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasDomain) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  // Docker Hub's official images: docker.io/redis is docker.io/library/redis.
  else if (/^docker\.io\/[^/]+$/.test(name)) name = `docker.io/library/${name.slice('docker.io/'.length)}`;
  const familiarRepo = name.replace(/^docker\.io\/library\//, '').replace(/^docker\.io\//, '');
  const familiar = digest && !tag ? `${familiarRepo}@${digest}` : `${familiarRepo}:${tag}`;
  return { repository: name, tag, digest, familiar, familiarRepo };
}

export function lookupImage(image: string): { ref: ImageRef; entry: ImageEntry | undefined } {
  const ref = parseImage(image);
  return { ref, entry: load().byName.get(ref.repository) };
}

export type PullResult =
  | { ok: true; entry: ImageEntry; size: number; seconds: number }
  | { ok: false; message: string };

// What pulling `image` does: unknown tags of known repositories fail like
// Docker Hub answers; unknown repositories are generic images unless strict.
export function pullImage(image: string, strict: boolean): PullResult {
  const { ref, entry } = lookupImage(image);
  const defaults = load().defaults;
  if (!entry) {
    if (strict) {
      return {
        ok: false,
        message: `Error response from daemon: pull access denied for ${ref.familiarRepo}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
      };
    }
    const generic: ImageEntry = { ...defaults, repository: ref.repository, names: [], tags: [ref.tag] } as ImageEntry;
    return { ok: true, entry: generic, size: defaults.size, seconds: defaults.pullSeconds };
  }
  if (ref.tag && !entry.tags.includes(ref.tag)) {
    return {
      ok: false,
      message: `Error response from daemon: manifest for ${ref.familiar} not found: manifest unknown: manifest unknown`,
    };
  }
  return { ok: true, entry, size: entry.size, seconds: entry.pullSeconds };
}

export function imageDigest(image: string): string {
  const ref = parseImage(image);
  if (ref.digest?.startsWith('sha256:')) return ref.digest.slice(7);
  return createHash('sha256').update(`${ref.repository}:${ref.tag}`).digest('hex');
}

// The runtime's image ID, as containerStatuses show it with the docker runtime.
export function imageID(image: string): string {
  const ref = parseImage(image);
  return `docker-pullable://${ref.familiarRepo}@sha256:${imageDigest(image)}`;
}

// Compares dotted versions, for log lines that appear only from some tag on.
export function tagAtLeast(tag: string, min: string): boolean {
  const a = tag.split(/[.-]/).map((x) => Number(x));
  const b = min.split('.').map(Number);
  if (a.some((x) => Number.isNaN(x))) return true; // latest, stable, ...
  for (let i = 0; i < b.length; i++) {
    if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) > b[i];
  }
  return true;
}

// minikube's preload tarball: the system images every node starts with.
export function preloadedImages(): { names: string[]; sizeBytes: number }[] {
  const out: { names: string[]; sizeBytes: number }[] = [];
  for (const [repository, entry] of load().byName) {
    if (!entry.preloaded || repository !== entry.repository) continue;
    for (const tag of entry.tags) {
      const image = `${repository}:${tag}`;
      out.push({ names: [imageID(image).replace('docker-pullable://', ''), parseImage(image).familiar], sizeBytes: entry.size });
    }
  }
  return out.sort((a, b) => b.sizeBytes - a.sizeBytes);
}
