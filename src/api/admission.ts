import type { Pod, PersistentVolumeClaim, Toleration } from 'kubernetes-types/core/v1';
import type { KindInfo } from './kinds';
import { KINDS } from './kinds';
import type { KubeObject } from './types';
import type { ApiServer } from './server';
import { StatusError } from './errors';

// The admission plugins a minikube API server runs that change objects:
// ServiceAccount, DefaultTolerationSeconds, Priority, DefaultStorageClass,
// StorageObjectInUseProtection.

type Operation = 'CREATE' | 'UPDATE';

const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

function kind(name: string): KindInfo {
  return KINDS.find((k) => k.kind === name && (k.group === '' || name === 'StorageClass'))!;
}

function admitServiceAccount(api: ApiServer, pod: Pod): void {
  const spec = pod.spec!;
  const saName = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = saName;
  spec.serviceAccount = saName;
  const ns = pod.metadata?.namespace ?? 'default';
  const sa = api.peek(kind('ServiceAccount'), ns, saName);
  if (!sa) {
    throw new StatusError(
      403,
      'Forbidden',
      `pods "${pod.metadata?.name ?? ''}" is forbidden: error looking up service account ${ns}/${saName}: serviceaccount "${saName}" not found`,
      { name: pod.metadata?.name, kind: 'pods' },
    );
  }
  const automount = spec.automountServiceAccountToken ?? (sa.automountServiceAccountToken as boolean | undefined) ?? true;
  if (!automount) return;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (containers.some((c) => (c.volumeMounts ?? []).some((m) => m.mountPath === SA_MOUNT))) return;
  const volumeName = `kube-api-access-${api.world.rng.suffix()}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name: volumeName,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    },
  ];
  for (const c of containers) {
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SA_MOUNT }];
  }
}

function admitDefaultTolerations(pod: Pod): void {
  const spec = pod.spec!;
  const tolerations: Toleration[] = spec.tolerations ?? [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const tolerated = tolerations.some(
      (t) => (t.key === key || (t.key === undefined && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'),
    );
    if (!tolerated) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  spec.tolerations = tolerations;
}

function admitPriority(pod: Pod): void {
  const spec = pod.spec!;
  if (spec.priorityClassName === 'system-node-critical') spec.priority ??= 2000001000;
  else if (spec.priorityClassName === 'system-cluster-critical') spec.priority ??= 2000000000;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

function admitDefaultStorageClass(api: ApiServer, pvc: PersistentVolumeClaim): void {
  const spec = pvc.spec!;
  if (spec.storageClassName !== undefined || pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] !== undefined) return;
  const defaults = api
    .peekList(kind('StorageClass'))
    .filter((sc) => sc.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true');
  if (defaults.length > 0) spec.storageClassName = defaults[defaults.length - 1].metadata.name;
}

// StorageObjectInUseProtection: a new claim or volume carries the finalizer
// its protection controller lifts once nothing uses it
// (controllers/storage-protection.ts).
export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
export const PV_PROTECTION = 'kubernetes.io/pv-protection';

function addFinalizer(obj: KubeObject, finalizer: string): void {
  const list = obj.metadata.finalizers ?? [];
  if (!list.includes(finalizer)) obj.metadata.finalizers = [...list, finalizer];
}

interface Plugin {
  resource: string; // core/v1 resource the plugin admits
  operation: Operation;
  admit(api: ApiServer, obj: KubeObject): void;
}

// In the order kube-apiserver runs them.
const PLUGINS: Plugin[] = [
  { resource: 'pods', operation: 'CREATE', admit: (api, obj) => admitServiceAccount(api, obj as unknown as Pod) },
  { resource: 'pods', operation: 'CREATE', admit: (_api, obj) => admitDefaultTolerations(obj as unknown as Pod) },
  { resource: 'pods', operation: 'CREATE', admit: (_api, obj) => admitPriority(obj as unknown as Pod) },
  {
    resource: 'persistentvolumeclaims',
    operation: 'CREATE',
    admit: (api, obj) => admitDefaultStorageClass(api, obj as unknown as PersistentVolumeClaim),
  },
  { resource: 'persistentvolumeclaims', operation: 'CREATE', admit: (_api, obj) => addFinalizer(obj, PVC_PROTECTION) },
  { resource: 'persistentvolumes', operation: 'CREATE', admit: (_api, obj) => addFinalizer(obj, PV_PROTECTION) },
];

export function admit(api: ApiServer, info: KindInfo, obj: KubeObject, op: Operation): void {
  if (info.group !== '') return;
  for (const p of PLUGINS) if (p.resource === info.resource && p.operation === op) p.admit(api, obj);
}

// The validating plugins, run after the object passed validation: PodSecurity.
export function validate(api: ApiServer, info: KindInfo, obj: KubeObject, old: KubeObject | undefined, op: Operation): void {
  // Loaded on the first write only: reads never need the checks.
  const { validatePodSecurity } = require('./podsecurity/admission') as typeof import('./podsecurity/admission');
  validatePodSecurity(api, info, obj, old, op);
}
