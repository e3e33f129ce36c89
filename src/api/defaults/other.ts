import type { HorizontalPodAutoscaler } from 'kubernetes-types/autoscaling/v2';
import type { NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { RoleBinding } from 'kubernetes-types/rbac/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';

// Defaults for the smaller groups: autoscaling, networking, storage, rbac, discovery.

export function defaultHorizontalPodAutoscaler(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa.spec ??= { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } });
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }];
  }
}

export function defaultNetworkPolicy(np: NetworkPolicy): void {
  const spec = (np.spec ??= { podSelector: {} });
  if (!spec.policyTypes || spec.policyTypes.length === 0) {
    spec.policyTypes = spec.egress && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  }
  for (const rule of [...(spec.ingress ?? []), ...(spec.egress ?? [])]) {
    for (const p of rule.ports ?? []) p.protocol ??= 'TCP';
  }
}

export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= 'Delete';
  sc.volumeBindingMode ??= 'Immediate';
}

export function defaultRoleBinding(rb: RoleBinding): void {
  for (const s of rb.subjects ?? []) {
    if (s.apiGroup === undefined) s.apiGroup = s.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io';
  }
}

export function defaultEndpointSlice(es: EndpointSlice): void {
  for (const p of es.ports ?? []) {
    p.protocol ??= 'TCP';
    p.name ??= '';
  }
}
