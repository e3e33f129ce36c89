import type { Json } from '../../util/json';
import { isObject } from '../../util/json';
import { KustomizeError } from './errors';
import { applyFieldSpec, fieldSpecString, locGet, locSet, setEntry, wrongKind } from './fieldspec';
import type { Loc } from './fieldspec';
import type { FieldSpec, Image, Replica } from './kustomization';
import type { ResMap } from './resmap';
import { Resource, gvkIsSelected, gvkString, scalarText } from './resource';
import { resolvePlainV3 } from './yaml';
import { goJsonSorted } from './hash';

// The built-in transformers a kustomization's fields configure, in the order
// kustomize runs them (namespace, prefix, suffix, labels, annotations,
// replicas, images; patches live in patches.ts).

function sortedKeys(m: Record<string, string>): string[] {
  return Object.keys(m).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

// A scalar set without a tag: kyaml writes the text, and a value that was a
// plain number before is read back by YAML rules.
function untagged(old: Json | undefined, text: string): Json {
  if (typeof old === 'string') return text;
  const v = resolvePlainV3(text);
  return v;
}

export function namespaceTransformer(m: ResMap, namespace: string, specs: FieldSpec[]): void {
  if (!namespace) return;
  for (const r of m.resources()) {
    if (r.isNilOrEmpty()) continue;
    r.storePreviousId();
    const apiVersion = r.getApiVersion();
    const fs = specs.filter((s) => s.path !== 'metadata/namespace' && !(apiVersion !== 'v1' && s.path === 'metadata/name'));
    const set = setEntry('', namespace);
    if (!r.curId().isClusterScoped()) applyFieldSpec(r, { path: 'metadata/namespace', create: true }, set, 'scalar');
    const kind = r.getKind();
    let specsHere = fs;
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      specsHere = fs.filter((s) => !((s.kind === 'RoleBinding' || s.kind === 'ClusterRoleBinding') && s.path === 'subjects/namespace'));
      const subjects = r.obj.subjects;
      if (Array.isArray(subjects)) {
        for (const s of subjects) if (isObject(s) && scalarText(s.name) === 'default' && s.name !== null) s.namespace = namespace;
      }
    }
    for (const s of specsHere) applyFieldSpec(r, s, set, 'scalar');
    const matches = m.byCurrentId((id) => r.curId().equals(id));
    if (matches.length !== 1) {
      throw new KustomizeError(`namespace transformation produces ID conflict: [${matches.map((x) => goJsonSorted(x.obj)).join(' ')}]`);
    }
  }
}

const PREFIX_SKIP: { group?: string; kind?: string }[] = [{ kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }, { kind: 'Namespace' }];

function affix(m: ResMap, value: string, specs: FieldSpec[], prefix: boolean): void {
  for (const r of m.resources()) {
    const id = r.orgId();
    if (PREFIX_SKIP.some((s) => gvkIsSelected(id.gvk, s))) continue;
    for (const fs of specs) {
      if (!id.isSelected({ group: fs.group, version: fs.version, kind: fs.kind })) continue;
      if (fs.path === 'metadata/name') {
        if (prefix) r.addNamePrefix(value);
        else r.addNameSuffix(value);
        if (value !== '') r.storePreviousId();
      }
      applyFieldSpec(
        r,
        fs,
        (l: Loc) => {
          const old = locGet(l);
          if (isObject(old) || Array.isArray(old)) throw wrongKind('ScalarNode', old);
          const text = prefix ? `${value}${scalarText(old)}` : `${scalarText(old)}${value}`;
          locSet(l, untagged(old, text));
        },
        'scalar',
      );
    }
  }
}

export function prefixTransformer(m: ResMap, prefix: string, specs: FieldSpec[]): void {
  if (prefix) affix(m, prefix, specs, true);
}

export function suffixTransformer(m: ResMap, suffix: string, specs: FieldSpec[]): void {
  if (suffix) affix(m, suffix, specs, false);
}

// Labels and annotations: each key, in order, at every place the specs name.
export function mapTransformer(m: ResMap, values: Record<string, string> | undefined, specs: FieldSpec[]): void {
  if (!values || Object.keys(values).length === 0) return;
  const keys = sortedKeys(values);
  for (const r of m.resources()) {
    for (const k of keys) for (const fs of specs) applyFieldSpec(r, fs, setEntry(k, values[k]), 'map');
  }
}

// internal/image: does an image reference name this image?
function imageMatches(s: string, name: string): boolean {
  try {
    return new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`).test(s);
  } catch {
    return false;
  }
}

// image.Split: name, tag and digest, a registry port not taken for a tag.
function splitImage(image: string): { name: string; tag: string; digest: string } {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

function updateImage(l: Loc, img: Image): void {
  const v = locGet(l);
  if (isObject(v) || Array.isArray(v)) throw wrongKind('ScalarNode', v);
  const value = scalarText(v);
  if (!imageMatches(value, img.name ?? '')) return;
  let { name, tag, digest } = splitImage(value);
  if (img.newName) name = img.newName;
  if (img.newTag && img.digest) {
    tag = img.newTag;
    digest = img.digest;
  } else if (img.newTag) {
    tag = img.newTag;
    digest = '';
  } else if (img.digest) {
    tag = '';
    digest = img.digest;
  } else if (img.tagSuffix) {
    tag += img.tagSuffix;
    digest = '';
  }
  if (tag) name += `:${tag}`;
  if (digest) name += `@${digest}`;
  locSet(l, untagged(v, name));
}

// The legacy pass: every `containers` or `initContainers` list anywhere.
function legacyImages(node: Json, img: Image): void {
  if (Array.isArray(node)) {
    for (const n of node) legacyImages(n, img);
    return;
  }
  if (!isObject(node)) return;
  for (const key of Object.keys(node)) {
    const v = node[key];
    legacyImages(v ?? null, img);
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(v)) {
      for (const c of v) if (isObject(c) && c.image !== undefined && c.image !== null) updateImage({ parent: c, key: 'image' }, img);
    }
  }
}

export function imageTransformer(m: ResMap, images: Image[], specs: FieldSpec[]): void {
  for (const img of images) {
    for (const r of m.resources()) if (r.getKind() !== 'CustomResourceDefinition') legacyImages(r.obj, img);
    for (const r of m.resources()) {
      if (r.getKind() === 'CustomResourceDefinition') continue;
      for (const fs of specs) applyFieldSpec(r, { ...fs, create: false }, (l) => updateImage(l, img), undefined);
    }
  }
}

export function replicaTransformer(m: ResMap, replicas: Replica[], specs: FieldSpec[]): void {
  for (const rep of replicas) {
    let found = false;
    for (const fs of specs) {
      const sel = { group: fs.group, version: fs.version, kind: fs.kind };
      const list = m.byAnyId((id) => id.name === (rep.name ?? '') && gvkIsSelected(id.gvk, sel));
      if (list.length === 0) continue;
      found = true;
      for (const r of list) applyFieldSpec(r, fs, setEntry('', rep.count ?? 0), 'scalar');
    }
    if (!found) {
      const gvks = specs.map((s) => gvkString({ group: s.group ?? '', version: s.version ?? '', kind: s.kind ?? '' }));
      throw new KustomizeError(`resource with name ${rep.name ?? ''} does not match a config with the following GVK [${gvks.join(' ')}]`);
    }
  }
}

export { fieldSpecString };

// IgnoreLocal: resources marked local-config stay out of the output.
export function dropLocalConfig(m: ResMap): void {
  m.list = m.list.filter((r: Resource) => {
    const a = r.getAnnotations();
    return !('config.kubernetes.io/local-config' in a) || a['config.kubernetes.io/local-config'] === 'false';
  });
}
