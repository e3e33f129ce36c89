import type { Json, JsonObject } from '../../util/json';
import { clone, isObject } from '../../util/json';
import { KustomizeError } from './errors';

// kustomize's Resource and ResId (api/resource, kyaml/resid). A resource is
// its object plus the bookkeeping kustomize keeps in internal annotations
// (previous names, prefixes, generator behavior...), kept here the same way so
// that every rule reading them sees what kustomize sees; they are removed
// before the objects are printed.

const INTERNAL = 'internal.config.kubernetes.io';
export const ANN_PREVIOUS_KINDS = `${INTERNAL}/previousKinds`;
export const ANN_PREVIOUS_NAMES = `${INTERNAL}/previousNames`;
export const ANN_PREFIXES = `${INTERNAL}/prefixes`;
export const ANN_SUFFIXES = `${INTERNAL}/suffixes`;
export const ANN_PREVIOUS_NAMESPACES = `${INTERNAL}/previousNamespaces`;
export const ANN_REF_BY = `${INTERNAL}/refBy`;
export const ANN_BEHAVIOR = `${INTERNAL}/generatorBehavior`;
export const ANN_NEEDS_HASH = `${INTERNAL}/needsHashSuffix`;
export const ANN_ALLOW_NAME_CHANGE = `${INTERNAL}/allowNameChange`;
export const ANN_ALLOW_KIND_CHANGE = `${INTERNAL}/allowKindChange`;

export const BUILD_ANNOTATIONS = [
  ANN_PREVIOUS_KINDS,
  ANN_PREVIOUS_NAMES,
  ANN_PREFIXES,
  ANN_SUFFIXES,
  ANN_PREVIOUS_NAMESPACES,
  ANN_ALLOW_NAME_CHANGE,
  ANN_ALLOW_KIND_CHANGE,
  ANN_REF_BY,
  ANN_BEHAVIOR,
  ANN_NEEDS_HASH,
  `${INTERNAL}/path`,
  `${INTERNAL}/index`,
  `${INTERNAL}/seqindent`,
  `${INTERNAL}/id`,
  `${INTERNAL}/annotations-migration-resource-id`,
  'config.kubernetes.io/path',
  'config.kubernetes.io/index',
  'config.k8s.io/id',
];

// The kinds kyaml's built-in schema knows to be cluster-scoped, by apiVersion.
const CLUSTER_SCOPED = new Set(
  [
    'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
    'apiextensions.k8s.io/v1 CustomResourceDefinition',
    'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
    'apiregistration.k8s.io/v1 APIService',
    'apiregistration.k8s.io/v1beta1 APIService',
    'certificates.k8s.io/v1 CertificateSigningRequest',
    'certificates.k8s.io/v1beta1 CertificateSigningRequest',
    'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema',
    'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
    'networking.k8s.io/v1 IngressClass',
    'networking.k8s.io/v1beta1 IngressClass',
    'node.k8s.io/v1 RuntimeClass',
    'node.k8s.io/v1beta1 RuntimeClass',
    'policy/v1beta1 PodSecurityPolicy',
    'rbac.authorization.k8s.io/v1 ClusterRole',
    'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1beta1 ClusterRole',
    'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
    'scheduling.k8s.io/v1 PriorityClass',
    'scheduling.k8s.io/v1beta1 PriorityClass',
    'storage.k8s.io/v1 CSIDriver',
    'storage.k8s.io/v1 CSINode',
    'storage.k8s.io/v1 StorageClass',
    'storage.k8s.io/v1 VolumeAttachment',
    'storage.k8s.io/v1beta1 CSIDriver',
    'storage.k8s.io/v1beta1 CSINode',
    'storage.k8s.io/v1beta1 StorageClass',
    'storage.k8s.io/v1beta1 VolumeAttachment',
    'v1 ComponentStatus',
    'v1 Namespace',
    'v1 Node',
    'v1 NodeProxyOptions',
    'v1 PersistentVolume',
  ],
);

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i >= 0 ? { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) } : { group: '', version: apiVersion };
}

export function gvkApiVersion(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

export function gvkString(g: Gvk): string {
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}`;
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

// Gvk.IsSelected: empty selector fields match anything.
export function gvkIsSelected(g: Gvk, sel: Partial<Gvk> | undefined): boolean {
  if (!sel) return true;
  if (sel.group && g.group !== sel.group) return false;
  if (sel.version && g.version !== sel.version) return false;
  if (sel.kind && g.kind !== sel.kind) return false;
  return true;
}

export function isClusterScoped(g: Gvk): boolean {
  return CLUSTER_SCOPED.has(`${gvkApiVersion(g)} ${g.kind}`);
}

// The byte-wise order Go's sort.Strings uses.
export function goStringLess(a: string, b: string): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) < 0;
}

export class ResId {
  constructor(
    readonly gvk: Gvk,
    readonly name: string,
    readonly namespace: string,
  ) {}

  toString(): string {
    return `${gvkString(this.gvk)}/${this.name || '[noName]'}.${this.namespace || '[noNs]'}`;
  }

  // Go's %#v of a ResId, for the generator merge errors.
  goSyntax(): string {
    const g = this.gvk;
    return `resid.ResId{Gvk:resid.Gvk{Group:${JSON.stringify(g.group)}, Version:${JSON.stringify(g.version)}, Kind:${JSON.stringify(g.kind)}, isClusterScoped:${this.isClusterScoped()}}, Name:${JSON.stringify(this.name)}, Namespace:${JSON.stringify(this.namespace)}}`;
  }

  isClusterScoped(): boolean {
    return isClusterScoped(this.gvk);
  }

  effectiveNamespace(): string {
    if (this.isClusterScoped()) return '_non_namespaceable_';
    if (this.namespace === '' || this.namespace === 'default') return 'default';
    return this.namespace;
  }

  isNsEquals(o: ResId): boolean {
    return this.effectiveNamespace() === o.effectiveNamespace();
  }

  gvknEquals(o: ResId): boolean {
    return this.name === o.name && gvkEquals(this.gvk, o.gvk);
  }

  equals(o: ResId): boolean {
    return this.isNsEquals(o) && this.gvknEquals(o);
  }

  isSelected(sel: Partial<Gvk> | undefined): boolean {
    return gvkIsSelected(this.gvk, sel);
  }

  static fromString(s: string): ResId {
    const slash = s.indexOf('/');
    const gvkParts = s.slice(0, slash).split('.');
    const rest = s.slice(slash + 1).split('.');
    const un = (v: string, none: string) => (v === none ? '' : v);
    const gvk: Gvk =
      gvkParts.length < 3
        ? { group: '[noGrp]', version: '[noVer]', kind: '[noKind]' }
        : { kind: un(gvkParts[0], '[noKind]'), version: un(gvkParts[1], '[noVer]'), group: un(gvkParts.slice(2).join('.'), '[noGrp]') };
    const ns = un(rest[rest.length - 1], '[noNs]');
    const name = un(rest.slice(0, -1).join('.'), '[noName]');
    return new ResId(gvk, name, ns);
  }
}

// What kyaml reads from a scalar: its text.
export function scalarText(v: Json | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

function isNilOrEmpty(v: Json | undefined): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

export class Resource {
  refVarNames: string[] = [];

  constructor(public obj: JsonObject) {}

  deepCopy(): Resource {
    const r = new Resource(clone(this.obj));
    r.refVarNames = [...this.refVarNames];
    return r;
  }

  getKind(): string {
    return scalarText(this.obj.kind);
  }

  setKind(k: string): void {
    this.obj.kind = k;
  }

  getApiVersion(): string {
    return scalarText(this.obj.apiVersion);
  }

  getGvk(): Gvk {
    const { group, version } = parseGroupVersion(this.getApiVersion());
    return { group, version, kind: this.getKind() };
  }

  setGvk(g: Gvk): void {
    this.obj.kind = g.kind;
    this.obj.apiVersion = gvkApiVersion(g);
  }

  // getMetaData: a metadata field that is not null or empty.
  private meta(): JsonObject | undefined {
    const m = this.obj.metadata;
    return isObject(m) && Object.keys(m).length > 0 ? m : undefined;
  }

  private metaString(field: string): string {
    const m = this.meta();
    if (!m || isNilOrEmpty(m[field])) return '';
    return scalarText(m[field]);
  }

  getName(): string {
    return this.metaString('name');
  }

  getNamespace(): string {
    return this.metaString('namespace');
  }

  private ensureMeta(): JsonObject {
    if (!isObject(this.obj.metadata)) this.obj.metadata = {};
    return this.obj.metadata as JsonObject;
  }

  setName(name: string): void {
    this.ensureMeta().name = name;
  }

  setNamespace(ns: string): void {
    if (ns === '') {
      const m = this.obj.metadata;
      if (isObject(m)) delete m.namespace;
      return;
    }
    this.ensureMeta().namespace = ns;
  }

  private mapFromMeta(field: string): Record<string, string> {
    const out: Record<string, string> = {};
    const m = this.meta();
    const v = m?.[field];
    if (isObject(v)) for (const [k, val] of Object.entries(v)) out[k] = scalarText(val);
    return out;
  }

  getAnnotations(): Record<string, string> {
    return this.mapFromMeta('annotations');
  }

  getLabels(): Record<string, string> {
    return this.mapFromMeta('labels');
  }

  // setMapInMetadata: the field is replaced; an empty map removes it.
  private setMapInMeta(field: string, m: Record<string, string>): void {
    const meta = this.ensureMeta();
    delete meta[field];
    const keys = Object.keys(m);
    if (keys.length === 0) return;
    const out: JsonObject = {};
    for (const k of keys.sort()) out[k] = m[k];
    meta[field] = out;
  }

  setAnnotations(m: Record<string, string>): void {
    this.setMapInMeta('annotations', m);
  }

  setLabels(m: Record<string, string>): void {
    this.setMapInMeta('labels', m);
  }

  // kyaml's SetAnnotation: metadata and annotations made when missing.
  setAnnotation(key: string, value: string): void {
    const meta = this.ensureMeta();
    if (!isObject(meta.annotations)) meta.annotations = {};
    (meta.annotations as JsonObject)[key] = value;
  }

  private getCsv(name: string): string[] | undefined {
    const a = this.getAnnotations();
    return name in a ? a[name].split(',') : undefined;
  }

  private appendCsv(name: string, value: string): void {
    if (value === '') return;
    const cur = this.getCsv(name) ?? [];
    this.setAnnotation(name, [...cur, value].join(','));
  }

  getNamePrefixes(): string[] {
    return this.getCsv(ANN_PREFIXES) ?? [];
  }

  getNameSuffixes(): string[] {
    return this.getCsv(ANN_SUFFIXES) ?? [];
  }

  addNamePrefix(p: string): void {
    this.appendCsv(ANN_PREFIXES, p);
  }

  addNameSuffix(s: string): void {
    this.appendCsv(ANN_SUFFIXES, s);
  }

  setPreviousId(ns: string, n: string, k: string): void {
    this.appendCsv(ANN_PREVIOUS_NAMES, n);
    this.appendCsv(ANN_PREVIOUS_NAMESPACES, ns);
    this.appendCsv(ANN_PREVIOUS_KINDS, k);
  }

  storePreviousId(): void {
    const id = this.curId();
    this.setPreviousId(id.effectiveNamespace(), id.name, id.gvk.kind);
  }

  curId(): ResId {
    return new ResId(this.getGvk(), this.getName(), this.getNamespace());
  }

  prevIds(): ResId[] {
    const a = this.getAnnotations();
    if (!(ANN_PREVIOUS_NAMES in a)) return [];
    const names = a[ANN_PREVIOUS_NAMES].split(',');
    const nss = (a[ANN_PREVIOUS_NAMESPACES] ?? '').split(',');
    const kinds = (a[ANN_PREVIOUS_KINDS] ?? '').split(',');
    if (names.length !== nss.length || names.length !== kinds.length) {
      throw new KustomizeError('number of previous names, number of previous namespaces, number of previous kinds not equal');
    }
    const { group, version } = parseGroupVersion(this.getApiVersion());
    return names.map((n, i) => new ResId({ group, version, kind: kinds[i] }, n, nss[i]));
  }

  orgId(): ResId {
    const ids = this.prevIds();
    return ids.length > 0 ? ids[0] : this.curId();
  }

  getRefBy(): ResId[] {
    return (this.getCsv(ANN_REF_BY) ?? []).map((s) => ResId.fromString(s));
  }

  appendRefBy(id: ResId): void {
    this.appendCsv(ANN_REF_BY, id.toString());
  }

  private isEnabled(key: string): boolean {
    return this.getAnnotations()[key] === 'enabled';
  }

  private enable(key: string): void {
    const a = this.getAnnotations();
    a[key] = 'enabled';
    this.setAnnotations(a);
  }

  allowNameChange(): void {
    this.enable(ANN_ALLOW_NAME_CHANGE);
  }

  nameChangeAllowed(): boolean {
    return this.isEnabled(ANN_ALLOW_NAME_CHANGE);
  }

  allowKindChange(): void {
    this.enable(ANN_ALLOW_KIND_CHANGE);
  }

  kindChangeAllowed(): boolean {
    return this.isEnabled(ANN_ALLOW_KIND_CHANGE);
  }

  needHashSuffix(): boolean {
    return this.isEnabled(ANN_NEEDS_HASH);
  }

  enableHashSuffix(): void {
    this.enable(ANN_NEEDS_HASH);
  }

  behavior(): string {
    const b = this.getAnnotations()[ANN_BEHAVIOR];
    return b === 'replace' || b === 'merge' || b === 'create' ? b : 'unspecified';
  }

  setBehavior(b: string): void {
    const a = this.getAnnotations();
    a[ANN_BEHAVIOR] = b === 'replace' || b === 'merge' || b === 'create' ? b : 'unspecified';
    this.setAnnotations(a);
  }

  // The two-level prefix/suffix bookkeeping name references rely on.
  prefixesSuffixesEquals(o: Resource, allowEmpty: boolean): boolean {
    const rp = this.getNamePrefixes();
    const op = o.getNamePrefixes();
    const rs = this.getNameSuffixes();
    const os = o.getNameSuffixes();
    if (allowEmpty) {
      return (rp.length === 0 || op.length === 0 || sameEndingSubSlice(rp, op)) && (rs.length === 0 || os.length === 0 || sameEndingSubSlice(rs, os));
    }
    return sameEndingSubSlice(rp, op) && sameEndingSubSlice(rs, os);
  }

  private getStringMap(field: string): Record<string, string> {
    const out: Record<string, string> = {};
    const v = this.obj[field];
    if (isObject(v)) for (const [k, val] of Object.entries(v)) out[k] = scalarText(val);
    return out;
  }

  getDataMap(): Record<string, string> {
    return this.getStringMap('data');
  }

  getBinaryDataMap(): Record<string, string> {
    return this.getStringMap('binaryData');
  }

  // SetDataMap / SetBinaryDataMap: text that is not UTF-8 would go to
  // binaryData; what comes from a map already is text.
  setDataMap(m: Record<string, string>): void {
    delete this.obj.data;
    if (Object.keys(m).length === 0) return;
    const out: JsonObject = {};
    for (const k of Object.keys(m).sort()) out[k] = m[k];
    this.obj.data = out;
  }

  setBinaryDataMap(m: Record<string, string>): void {
    delete this.obj.binaryData;
    if (Object.keys(m).length === 0) return;
    const out: JsonObject = {};
    for (const k of Object.keys(m).sort()) out[k] = m[k];
    this.obj.binaryData = out;
  }

  // CopyMergeMetaDataFieldsFrom: labels and annotations merged (own win),
  // name and namespace taken from the other.
  copyMergeMetaDataFieldsFrom(other: Resource): void {
    this.setLabels({ ...other.getLabels(), ...this.getLabels() });
    const own = this.getAnnotations();
    const enableHash = ANN_NEEDS_HASH in own;
    const merged: Record<string, string> = { ...other.getAnnotations(), ...own };
    for (const b of BUILD_ANNOTATIONS) {
      const first = other.getAnnotations();
      if (b in first) merged[b] = first[b];
      else delete merged[b];
    }
    if (!enableHash) delete merged[ANN_NEEDS_HASH];
    this.setAnnotations(merged);
    this.restoreNulls(other, 'labels');
    this.restoreNulls(other, 'annotations');
    this.setName(other.getName());
    this.setNamespace(other.getNamespace());
    this.refVarNames = [...other.refVarNames];
  }

  // kyaml writes the merged maps back as untagged scalars, so a patch's
  // `key: null` stays null (and the strategic merge then deletes the key).
  private restoreNulls(other: Resource, field: string): void {
    const out = this.meta()?.[field];
    if (!isObject(out)) return;
    for (const src of [other, this]) {
      const m = src.meta()?.[field];
      if (isObject(m)) for (const [k, v] of Object.entries(m)) if (v === null && k in out) out[k] = null;
    }
  }

  removeBuildAnnotations(): void {
    const a = this.getAnnotations();
    if (Object.keys(a).length === 0) return;
    for (const b of BUILD_ANNOTATIONS) delete a[b];
    this.setAnnotations(a);
  }

  isNilOrEmpty(): boolean {
    return Object.keys(this.obj).length === 0;
  }
}

export function sameEndingSubSlice(a: string[], b: string[]): boolean {
  let shortest = a;
  let longest = b;
  if (shortest.length > longest.length) [shortest, longest] = [longest, shortest];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}
