// The kinds registry: every resource type kubemu serves, described the way the
// API server's discovery documents describe them. Everything that needs to know
// about a kind (resolution of `po`/`deployments.apps`, printers, validation,
// defaulting, api-resources) looks it up here instead of switching on kind names.

export interface KindInfo {
  kind: string;
  group: string; // "" for the core group
  version: string; // the preferred (storage) version
  otherVersions?: string[]; // further served versions, converted as-is
  resource: string; // plural
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  categories: string[];
  // client-node model name of the top-level type, the root of its schema.
  model: string;
  // Objects whose spec changes bump metadata.generation.
  generation: boolean;
  // Writes to status go through the status subresource only.
  statusSubresource: boolean;
  verbs: string[];
}

const RW = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function k(
  kind: string,
  group: string,
  version: string,
  resource: string,
  opts: Partial<KindInfo> & { model: string },
): KindInfo {
  return {
    kind,
    group,
    version,
    resource,
    singular: kind.toLowerCase(),
    shortNames: [],
    namespaced: true,
    categories: [],
    generation: false,
    statusSubresource: false,
    verbs: RW,
    ...opts,
  };
}

// Order within a group is alphabetical by resource, as discovery lists them.
export const KINDS: readonly KindInfo[] = [
  // core/v1
  k('ConfigMap', '', 'v1', 'configmaps', { shortNames: ['cm'], model: 'V1ConfigMap' }),
  k('Endpoints', '', 'v1', 'endpoints', { shortNames: ['ep'], model: 'V1Endpoints', singular: 'endpoints' }),
  k('Event', '', 'v1', 'events', { shortNames: ['ev'], model: 'CoreV1Event' }),
  k('LimitRange', '', 'v1', 'limitranges', { shortNames: ['limits'], model: 'V1LimitRange' }),
  k('Namespace', '', 'v1', 'namespaces', {
    shortNames: ['ns'],
    namespaced: false,
    model: 'V1Namespace',
    statusSubresource: true,
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  }),
  k('Node', '', 'v1', 'nodes', { shortNames: ['no'], namespaced: false, model: 'V1Node', statusSubresource: true }),
  k('PersistentVolumeClaim', '', 'v1', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    model: 'V1PersistentVolumeClaim',
    statusSubresource: true,
  }),
  k('PersistentVolume', '', 'v1', 'persistentvolumes', {
    shortNames: ['pv'],
    namespaced: false,
    model: 'V1PersistentVolume',
    statusSubresource: true,
  }),
  k('Pod', '', 'v1', 'pods', { shortNames: ['po'], categories: ['all'], model: 'V1Pod', statusSubresource: true }),
  k('PodTemplate', '', 'v1', 'podtemplates', { model: 'V1PodTemplate' }),
  k('ReplicationController', '', 'v1', 'replicationcontrollers', {
    shortNames: ['rc'],
    categories: ['all'],
    model: 'V1ReplicationController',
    generation: true,
    statusSubresource: true,
  }),
  k('ResourceQuota', '', 'v1', 'resourcequotas', { shortNames: ['quota'], model: 'V1ResourceQuota', statusSubresource: true }),
  k('Secret', '', 'v1', 'secrets', { model: 'V1Secret' }),
  k('ServiceAccount', '', 'v1', 'serviceaccounts', { shortNames: ['sa'], model: 'V1ServiceAccount' }),
  k('Service', '', 'v1', 'services', { shortNames: ['svc'], categories: ['all'], model: 'V1Service', statusSubresource: true }),
  // apps/v1
  k('ControllerRevision', 'apps', 'v1', 'controllerrevisions', { model: 'V1ControllerRevision' }),
  k('DaemonSet', 'apps', 'v1', 'daemonsets', {
    shortNames: ['ds'],
    categories: ['all'],
    model: 'V1DaemonSet',
    generation: true,
    statusSubresource: true,
  }),
  k('Deployment', 'apps', 'v1', 'deployments', {
    shortNames: ['deploy'],
    categories: ['all'],
    model: 'V1Deployment',
    generation: true,
    statusSubresource: true,
  }),
  k('ReplicaSet', 'apps', 'v1', 'replicasets', {
    shortNames: ['rs'],
    categories: ['all'],
    model: 'V1ReplicaSet',
    generation: true,
    statusSubresource: true,
  }),
  k('StatefulSet', 'apps', 'v1', 'statefulsets', {
    shortNames: ['sts'],
    categories: ['all'],
    model: 'V1StatefulSet',
    generation: true,
    statusSubresource: true,
  }),
  // autoscaling
  k('HorizontalPodAutoscaler', 'autoscaling', 'v2', 'horizontalpodautoscalers', {
    shortNames: ['hpa'],
    categories: ['all'],
    otherVersions: ['v1'],
    model: 'V2HorizontalPodAutoscaler',
    generation: true,
    statusSubresource: true,
  }),
  // batch/v1
  k('CronJob', 'batch', 'v1', 'cronjobs', {
    shortNames: ['cj'],
    categories: ['all'],
    model: 'V1CronJob',
    generation: true,
    statusSubresource: true,
  }),
  k('Job', 'batch', 'v1', 'jobs', { categories: ['all'], model: 'V1Job', generation: true, statusSubresource: true }),
  // coordination.k8s.io/v1
  k('Lease', 'coordination.k8s.io', 'v1', 'leases', { model: 'V1Lease' }),
  // discovery.k8s.io/v1
  k('EndpointSlice', 'discovery.k8s.io', 'v1', 'endpointslices', { model: 'V1EndpointSlice' }),
  // events.k8s.io/v1: the same objects as core events, seen through another version.
  k('Event', 'events.k8s.io', 'v1', 'events', { shortNames: ['ev'], model: 'EventsV1Event' }),
  // networking.k8s.io/v1
  k('IngressClass', 'networking.k8s.io', 'v1', 'ingressclasses', { namespaced: false, model: 'V1IngressClass' }),
  k('Ingress', 'networking.k8s.io', 'v1', 'ingresses', {
    shortNames: ['ing'],
    model: 'V1Ingress',
    generation: true,
    statusSubresource: true,
  }),
  k('NetworkPolicy', 'networking.k8s.io', 'v1', 'networkpolicies', {
    shortNames: ['netpol'],
    model: 'V1NetworkPolicy',
    generation: true,
  }),
  // policy/v1
  k('PodDisruptionBudget', 'policy', 'v1', 'poddisruptionbudgets', {
    shortNames: ['pdb'],
    model: 'V1PodDisruptionBudget',
    generation: true,
    statusSubresource: true,
  }),
  // rbac.authorization.k8s.io/v1
  k('ClusterRoleBinding', 'rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', {
    namespaced: false,
    model: 'V1ClusterRoleBinding',
  }),
  k('ClusterRole', 'rbac.authorization.k8s.io', 'v1', 'clusterroles', { namespaced: false, model: 'V1ClusterRole' }),
  k('RoleBinding', 'rbac.authorization.k8s.io', 'v1', 'rolebindings', { model: 'V1RoleBinding' }),
  k('Role', 'rbac.authorization.k8s.io', 'v1', 'roles', { model: 'V1Role' }),
  // storage.k8s.io/v1
  k('StorageClass', 'storage.k8s.io', 'v1', 'storageclasses', {
    shortNames: ['sc'],
    namespaced: false,
    model: 'V1StorageClass',
  }),
];

export function apiVersionOf(info: KindInfo, version = info.version): string {
  return info.group ? `${info.group}/${version}` : version;
}

// Key under which the store keeps a kind's objects. The two Event kinds share one.
export function storageKey(info: KindInfo): string {
  if (info.resource === 'events') return 'events';
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

// `deployment.apps`, `pod`: the prefix kubectl prints in `kind/name` and in messages.
export function kindPrefix(info: KindInfo): string {
  const lower = info.kind.toLowerCase();
  return info.group ? `${lower}.${info.group}` : lower;
}

// `deployments.apps`, `pods`: the qualified resource the API server names in errors.
export function qualifiedResource(info: KindInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

// The kind used when objects are read from storage: events are stored as core events.
export function kindByApiVersion(apiVersion: string, kind: string): KindInfo | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return KINDS.find(
    (i) => i.kind === kind && i.group === group && (i.version === version || (i.otherVersions ?? []).includes(version)),
  );
}

// Discovery order: the core group first, then groups as the API server ranks them.
const GROUP_ORDER = [
  '',
  'apps',
  'events.k8s.io',
  'autoscaling',
  'batch',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
];

export function discoveryOrder(): KindInfo[] {
  return [...KINDS].sort((a, b) => {
    const g = GROUP_ORDER.indexOf(a.group) - GROUP_ORDER.indexOf(b.group);
    return g !== 0 ? g : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
  });
}

export type ResolveResult = { kind: KindInfo } | { error: string };

// Resolves what a user typed as a resource type: `po`, `pods`, `pod`, `Pod`,
// `deployment.apps`, `deployments.v1.apps`, `deploy`. Returns kubectl's error otherwise.
export function resolveResource(typed: string): ResolveResult {
  const parts = typed.toLowerCase().split('.');
  const name = parts[0];
  const candidates = discoveryOrder().filter(
    (i) => i.resource === name || i.singular === name || i.shortNames.includes(name) || i.kind.toLowerCase() === name,
  );
  let found: KindInfo | undefined;
  if (parts.length === 1) {
    // A plain name prefers the core group, then discovery order (so `events` is core/v1).
    found = candidates[0];
  } else {
    // `name.group`, or `name.version.group`.
    const group = parts.slice(1).join('.');
    found = candidates.find((i) => i.group === group);
    if (!found && parts.length > 2) {
      const version = parts[1];
      const versionedGroup = parts.slice(2).join('.');
      found = candidates.find(
        (i) => i.group === versionedGroup && (i.version === version || (i.otherVersions ?? []).includes(version)),
      );
    }
  }
  return found ? { kind: found } : { error: `the server doesn't have a resource type "${typed}"` };
}

export function kindsInCategory(category: string): KindInfo[] {
  const preferred = discoveryOrder().filter((i) => i.categories.includes(category));
  return preferred;
}
