import type { Json, JsonObject } from '../../util/json';
import { isObject } from '../../util/json';
import { KustomizeError, wrap } from './errors';
import type { FieldSpec } from './kustomization';
import { Resource, gvkString, parseGroupVersion, goStringLess } from './resource';
import type { Gvk } from './resource';

// Field specs: where in which kinds a transformer writes (kustomize's
// builtinpluginconsts), and the walk kustomize's fieldspec filter does along
// such a path: sequences are entered element by element, missing maps are
// made when the spec says `create`, nulls stop the walk.

type FS = [path: string, kind?: string, group?: string, version?: string, create?: boolean];

function specs(list: FS[]): FieldSpec[] {
  return list.map(([path, kind, group, version, create]) => ({ path, kind, group, version, create }));
}

const METADATA_LABELS: FS[] = [
  ['metadata/labels', undefined, undefined, undefined, true],
  ['spec/template/metadata/labels', 'ReplicationController', undefined, 'v1', true],
  ['spec/template/metadata/labels', 'Deployment', undefined, undefined, true],
  ['spec/template/metadata/labels', 'ReplicaSet', undefined, undefined, true],
  ['spec/template/metadata/labels', 'DaemonSet', undefined, undefined, true],
  ['spec/template/metadata/labels', 'StatefulSet', 'apps', undefined, true],
  ['spec/volumeClaimTemplates[]/metadata/labels', 'StatefulSet', 'apps', undefined, true],
  ['spec/template/metadata/labels', 'Job', 'batch', undefined, true],
  ['spec/jobTemplate/metadata/labels', 'CronJob', 'batch', undefined, true],
  ['spec/jobTemplate/spec/template/metadata/labels', 'CronJob', 'batch', undefined, true],
];

const AFFINITY = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

const COMMON_LABELS: FS[] = [
  ['spec/selector', 'Service', undefined, 'v1', true],
  ['spec/selector', 'ReplicationController', undefined, 'v1', true],
  ['spec/selector/matchLabels', 'Deployment', undefined, undefined, true],
  ...AFFINITY.map((p): FS => [p, 'Deployment', 'apps', undefined, false]),
  ['spec/selector/matchLabels', 'ReplicaSet', undefined, undefined, true],
  ['spec/selector/matchLabels', 'DaemonSet', undefined, undefined, true],
  ['spec/selector/matchLabels', 'StatefulSet', 'apps', undefined, true],
  ...AFFINITY.map((p): FS => [p, 'StatefulSet', 'apps', undefined, false]),
  ['spec/selector/matchLabels', 'Job', 'batch', undefined, false],
  ['spec/jobTemplate/spec/selector/matchLabels', 'CronJob', 'batch', undefined, false],
  ['spec/selector/matchLabels', 'PodDisruptionBudget', 'policy', undefined, false],
  ['spec/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', undefined, false],
  ['spec/ingress/from/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', undefined, false],
  ['spec/egress/to/podSelector/matchLabels', 'NetworkPolicy', 'networking.k8s.io', undefined, false],
  ...METADATA_LABELS,
];

const COMMON_ANNOTATIONS: FS[] = [
  ['metadata/annotations', undefined, undefined, undefined, true],
  ['spec/template/metadata/annotations', 'ReplicationController', undefined, 'v1', true],
  ['spec/template/metadata/annotations', 'Deployment', undefined, undefined, true],
  ['spec/template/metadata/annotations', 'ReplicaSet', undefined, undefined, true],
  ['spec/template/metadata/annotations', 'DaemonSet', undefined, undefined, true],
  ['spec/template/metadata/annotations', 'StatefulSet', undefined, undefined, true],
  ['spec/template/metadata/annotations', 'Job', 'batch', undefined, true],
  ['spec/jobTemplate/metadata/annotations', 'CronJob', 'batch', undefined, true],
  ['spec/jobTemplate/spec/template/metadata/annotations', 'CronJob', 'batch', undefined, true],
];

const NAMESPACE: FS[] = [
  ['metadata/name', 'Namespace', undefined, undefined, true],
  ['spec/service/namespace', 'APIService', 'apiregistration.k8s.io', undefined, true],
  ['spec/conversion/webhook/clientConfig/service/namespace', 'CustomResourceDefinition', 'apiextensions.k8s.io'],
];

const IMAGES: FS[] = [
  ['spec/containers[]/image', undefined, undefined, undefined, true],
  ['spec/initContainers[]/image', undefined, undefined, undefined, true],
  ['spec/template/spec/containers[]/image', undefined, undefined, undefined, true],
  ['spec/template/spec/initContainers[]/image', undefined, undefined, undefined, true],
];

const REPLICAS: FS[] = [
  ['spec/replicas', 'Deployment', undefined, undefined, true],
  ['spec/replicas', 'ReplicationController', undefined, undefined, true],
  ['spec/replicas', 'ReplicaSet', undefined, undefined, true],
  ['spec/replicas', 'StatefulSet', undefined, undefined, true],
];

// The pod-template paths a ConfigMap or Secret is named from, per workload.
function podRefs(prefix: string, volumeField: string, ref: string, keyRef: string, extra: string[]): string[] {
  return [
    `${prefix}spec/volumes/${volumeField}`,
    `${prefix}spec/containers/env/valueFrom/${keyRef}/name`,
    `${prefix}spec/initContainers/env/valueFrom/${keyRef}/name`,
    `${prefix}spec/containers/envFrom/${ref}/name`,
    `${prefix}spec/initContainers/envFrom/${ref}/name`,
    ...extra.map((e) => `${prefix}${e}`),
  ];
}

export interface NameBackReference {
  gvk: Partial<Gvk>;
  referrers: FieldSpec[];
}

function cmRefs(): FieldSpec[] {
  const out: FieldSpec[] = [];
  const add = (paths: string[], kind: string, version?: string) => paths.forEach((path) => out.push({ path, kind, version }));
  const proj = ['spec/volumes/projected/sources/configMap/name'];
  add(podRefs('', 'configMap/name', 'configMapRef', 'configMapKeyRef', proj), 'Pod', 'v1');
  add(podRefs('template/', 'configMap/name', 'configMapRef', 'configMapKeyRef', proj), 'PodTemplate');
  for (const k of ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job']) add(podRefs('spec/template/', 'configMap/name', 'configMapRef', 'configMapKeyRef', proj), k);
  add(
    [
      'spec/jobTemplate/spec/template/spec/volumes/configMap/name',
      'spec/jobTemplate/spec/template/spec/volumes/projected/sources/configMap/name',
      'spec/jobTemplate/spec/template/spec/containers/env/valueFrom/configMapKeyRef/name',
      'spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/configMapKeyRef/name',
      'spec/jobTemplate/spec/template/spec/containers/envFrom/configMapRef/name',
      'spec/jobTemplate/spec/template/spec/initContainers/envFrom/configMapRef/name',
    ],
    'CronJob',
  );
  add(['spec/configSource/configMap'], 'Node');
  add(['rules/resourceNames'], 'Role');
  add(['rules/resourceNames'], 'ClusterRole');
  add(['metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap'], 'Ingress');
  return out;
}

function secretRefs(): FieldSpec[] {
  const out: FieldSpec[] = [];
  const add = (paths: string[], kind: string, version?: string, group?: string) => paths.forEach((path) => out.push({ path, kind, version, group }));
  const extra = ['spec/imagePullSecrets/name', 'spec/volumes/projected/sources/secret/name'];
  add(podRefs('', 'secret/secretName', 'secretRef', 'secretKeyRef', extra), 'Pod', 'v1');
  add(podRefs('template/', 'secret/secretName', 'secretRef', 'secretKeyRef', extra), 'PodTemplate');
  for (const k of ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job']) add(podRefs('spec/template/', 'secret/secretName', 'secretRef', 'secretKeyRef', extra), k);
  add(
    [
      'spec/jobTemplate/spec/template/spec/volumes/secret/secretName',
      'spec/jobTemplate/spec/template/spec/volumes/projected/sources/secret/name',
      'spec/jobTemplate/spec/template/spec/containers/env/valueFrom/secretKeyRef/name',
      'spec/jobTemplate/spec/template/spec/initContainers/env/valueFrom/secretKeyRef/name',
      'spec/jobTemplate/spec/template/spec/containers/envFrom/secretRef/name',
      'spec/jobTemplate/spec/template/spec/initContainers/envFrom/secretRef/name',
      'spec/jobTemplate/spec/template/spec/imagePullSecrets/name',
    ],
    'CronJob',
  );
  add(
    [
      'spec/tls/secretName',
      'metadata/annotations/ingress.kubernetes.io\\/auth-secret',
      'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret',
      'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret',
      'spec/tls/secretName',
    ],
    'Ingress',
  );
  add(['imagePullSecrets/name'], 'ServiceAccount');
  add(['parameters/secretName', 'parameters/adminSecretName', 'parameters/userSecretName', 'parameters/secretRef'], 'StorageClass');
  add(['rules/resourceNames'], 'Role');
  add(['rules/resourceNames'], 'ClusterRole');
  add(['spec/template/spec/containers/env/valueFrom/secretKeyRef/name'], 'Service', 'v1', 'serving.knative.dev');
  add(['spec/azureFile/secretName'], 'PersistentVolume');
  return out;
}

const WORKLOAD_KINDS = ['StatefulSet', 'Deployment', 'ReplicationController', 'CronJob', 'Job', 'DaemonSet'];
function templateRefs(field: string, podPath: string | undefined): FieldSpec[] {
  const out: FieldSpec[] = podPath ? [{ path: podPath, kind: 'Pod' }] : [];
  for (const k of WORKLOAD_KINDS) out.push({ path: k === 'CronJob' ? `spec/jobTemplate/spec/template/spec/${field}` : `spec/template/spec/${field}`, kind: k });
  return out;
}

export const NAME_REFERENCES: NameBackReference[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({
    gvk: { kind },
    referrers: [{ path: 'spec/scaleTargetRef/name', kind: 'HorizontalPodAutoscaler' }],
  })),
  { gvk: { kind: 'ConfigMap', version: 'v1' }, referrers: cmRefs() },
  { gvk: { kind: 'Secret', version: 'v1' }, referrers: secretRefs() },
  {
    gvk: { kind: 'Service', version: 'v1' },
    referrers: [
      { path: 'spec/serviceName', kind: 'StatefulSet', group: 'apps' },
      { path: 'spec/rules/http/paths/backend/serviceName', kind: 'Ingress' },
      { path: 'spec/backend/serviceName', kind: 'Ingress' },
      { path: 'spec/rules/http/paths/backend/service/name', kind: 'Ingress' },
      { path: 'spec/defaultBackend/service/name', kind: 'Ingress' },
      { path: 'spec/service/name', kind: 'APIService', group: 'apiregistration.k8s.io' },
      { path: 'webhooks/clientConfig/service', kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io' },
      { path: 'webhooks/clientConfig/service', kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io' },
    ],
  },
  {
    gvk: { kind: 'Role', group: 'rbac.authorization.k8s.io' },
    referrers: [{ path: 'roleRef/name', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' }],
  },
  {
    gvk: { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
    referrers: [
      { path: 'roleRef/name', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' },
      { path: 'roleRef/name', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io' },
    ],
  },
  {
    gvk: { kind: 'ServiceAccount', version: 'v1' },
    referrers: [
      { path: 'subjects', kind: 'RoleBinding', group: 'rbac.authorization.k8s.io' },
      { path: 'subjects', kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io' },
      ...templateRefs('serviceAccountName', 'spec/serviceAccountName'),
    ],
  },
  {
    gvk: { kind: 'PersistentVolumeClaim', version: 'v1' },
    referrers: templateRefs('volumes/persistentVolumeClaim/claimName', 'spec/volumes/persistentVolumeClaim/claimName'),
  },
  {
    gvk: { kind: 'PersistentVolume', version: 'v1' },
    referrers: [
      { path: 'spec/volumeName', kind: 'PersistentVolumeClaim' },
      { path: 'rules/resourceNames', kind: 'ClusterRole' },
    ],
  },
  {
    gvk: { kind: 'StorageClass', version: 'v1', group: 'storage.k8s.io' },
    referrers: [
      { path: 'spec/storageClassName', kind: 'PersistentVolume' },
      { path: 'spec/storageClassName', kind: 'PersistentVolumeClaim' },
      { path: 'spec/volumeClaimTemplates/spec/storageClassName', kind: 'StatefulSet' },
    ],
  },
  {
    gvk: { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io' },
    referrers: templateRefs('priorityClassName', 'spec/priorityClassName'),
  },
  // Sic: the group carries the version, so nothing ever matches it.
  { gvk: { kind: 'IngressClass', version: 'v1', group: 'networking.k8s.io/v1' }, referrers: [{ path: 'spec/ingressClassName', kind: 'Ingress' }] },
  {
    gvk: { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io' },
    referrers: [{ path: 'spec/policyName', kind: 'ValidatingAdmissionPolicyBinding', group: 'admissionregistration.k8s.io' }],
  },
];

// Gvk.IsLessThan, the order the merged transformer config is sorted in.
const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

export function typeOrder(kind: string, first = ORDER_FIRST, last = ORDER_LAST): number {
  const f = first.indexOf(kind);
  if (f >= 0) return -first.length + f;
  const l = last.indexOf(kind);
  return l >= 0 ? 1 + l : 0;
}

function gvkSortString(g: Partial<Gvk>): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`;
}

function gvkLess(a: Partial<Gvk>, b: Partial<Gvk>): boolean {
  const ia = typeOrder(a.kind ?? '');
  const ib = typeOrder(b.kind ?? '');
  if (ia !== ib) return ia < ib;
  return goStringLess(gvkSortString(a), gvkSortString(b));
}

function sortSpecs<T extends Partial<Gvk>>(list: T[]): T[] {
  return [...list].sort((a, b) => (gvkLess(a, b) ? -1 : gvkLess(b, a) ? 1 : 0));
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  labels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
  nameReference: NameBackReference[];
}

// MakeDefaultConfig merged into the accumulator's empty one: sorted.
export function defaultConfig(): TransformerConfig {
  return {
    namePrefix: specs([['metadata/name']]),
    nameSuffix: specs([['metadata/name']]),
    namespace: sortSpecs(specs(NAMESPACE)),
    commonLabels: sortSpecs(specs(COMMON_LABELS)),
    templateLabels: sortSpecs(specs(METADATA_LABELS)),
    labels: [],
    commonAnnotations: sortSpecs(specs(COMMON_ANNOTATIONS)),
    images: sortSpecs(specs(IMAGES)),
    replicas: sortSpecs(specs(REPLICAS)),
    nameReference: sortSpecs(NAME_REFERENCES.map((n) => ({ ...n, ...n.gvk }))).map(({ gvk, referrers }) => ({ gvk, referrers })),
  };
}

function fsGvk(fs: FieldSpec): Partial<Gvk> {
  return { group: fs.group, version: fs.version, kind: fs.kind };
}

function selects(sel: Partial<Gvk>, g: Partial<Gvk>): boolean {
  if (sel.group && g.group !== sel.group) return false;
  if (sel.version && g.version !== sel.version) return false;
  if (sel.kind && g.kind !== sel.kind) return false;
  return true;
}

// FsSlice.MergeOne / MergeAll: a spec already covered (same path, selected
// by the existing one's gvk) is not added again.
export function mergeSpecs(base: FieldSpec[], incoming: FieldSpec[]): FieldSpec[] {
  const out = [...base];
  for (const x of incoming) {
    const i = out.findIndex((s) => selects(fsGvk(s), fsGvk(x)) && s.path === x.path);
    if (i >= 0) {
      if (!!out[i].create !== !!x.create) throw new KustomizeError('conflicting fieldspecs');
      continue;
    }
    out.push(x);
  }
  return out;
}

export function fieldSpecString(fs: FieldSpec): string {
  return `${gvkString({ group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' })}:${!!fs.create}:${fs.path}`;
}

// utils.PathSplitter: `/` splits, `\/` does not.
export function splitPath(p: string): string[] {
  const parts = p.split('/');
  const out = [parts[0]];
  for (let i = 1; i < parts.length; i++) {
    const last = out.length - 1;
    if (out[last].endsWith('\\')) out[last] = `${out[last].slice(0, -1)}/${parts[i]}`;
    else out.push(parts[i]);
  }
  return out;
}

// A place in an object a setter writes to.
export interface Loc {
  parent: JsonObject | Json[];
  key: string | number;
}

export function locGet(l: Loc): Json | undefined {
  return (l.parent as Record<string | number, Json>)[l.key];
}

export function locSet(l: Loc, v: Json): void {
  (l.parent as Record<string | number, Json>)[l.key] = v;
}

export type CreateKind = 'map' | 'seq' | 'scalar' | undefined;

function kindName(v: Json | undefined): string {
  if (Array.isArray(v)) return 'SequenceNode';
  if (isObject(v)) return 'MappingNode';
  return 'ScalarNode';
}

export function wrongKind(expected: string, v: Json | undefined): KustomizeError {
  return new KustomizeError(`wrong node kind: expected ${expected} but got ${kindName(v)}`);
}

function walk(l: Loc, path: string[], fs: FieldSpec, set: (l: Loc) => void, createKind: CreateKind): void {
  if (path.length === 0) {
    set(l);
    return;
  }
  const v = locGet(l);
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) walk({ parent: v, key: i }, path, fs, set, createKind);
    return;
  }
  if (!isObject(v)) throw new KustomizeError('expected sequence or mapping node');
  const isSeq = path[0].endsWith('[]');
  const name = isSeq ? path[0].slice(0, -2) : path[0];
  if (name === '') throw new KustomizeError('cannot set or create an empty field name');
  let kind: CreateKind;
  if (!fs.create || createKind === undefined || isSeq) {
    if (!(name in v)) return;
    if (isSeq) kind = 'seq';
  } else {
    kind = path.length <= 1 ? createKind : 'map';
    if (!(name in v)) v[name] = kind === 'map' ? {} : kind === 'seq' ? [] : '';
  }
  if (v[name] === null && kind !== undefined) v[name] = kind === 'map' ? {} : kind === 'seq' ? [] : '';
  walk({ parent: v, key: name }, path.slice(1), fs, set, createKind);
}

// fieldspec.Filter on one resource.
export function applyFieldSpec(res: Resource, fs: FieldSpec, set: (l: Loc) => void, createKind: CreateKind): void {
  const g = res.getGvk();
  if (fs.kind && fs.kind !== g.kind) return;
  const { group, version } = parseGroupVersion(res.getApiVersion());
  if (fs.group && fs.group !== group) return;
  if (fs.version && fs.version !== version) return;
  const holder = { root: res.obj as Json };
  try {
    walk({ parent: holder as unknown as JsonObject, key: 'root' }, splitPath(fs.path), fs, set, createKind);
  } catch (e) {
    throw wrap(e, `considering field '${fs.path}' of object ${res.curId().toString()}`);
  }
}

// filtersutil.SetEntry: a key of the map found (name given), or the scalar
// itself (no name).
export function setEntry(name: string, value: Json): (l: Loc) => void {
  return (l) => {
    const v = locGet(l);
    if (name === '') {
      if (isObject(v) || Array.isArray(v)) throw wrongKind('ScalarNode', v);
      locSet(l, value);
      return;
    }
    if (!isObject(v)) throw wrongKind('MappingNode', v);
    v[name] = value;
  };
}
