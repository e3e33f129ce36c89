import type {
  Container,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Probe,
  ReplicationController,
  Secret,
  Service,
  Volume,
  Namespace,
  Endpoints,
} from 'kubernetes-types/core/v1';

import { nullTimestamp, writable } from '../../util/json';
import { QuantityParseError, formatQuantity } from '../../util/quantity';

// Defaults the API server fills in for core/v1 (pkg/apis/core/v1/defaults.go).

// `nginx` and `nginx:latest` pull Always; any other tag or a digest IfNotPresent.
export function defaultPullPolicy(image: string | undefined): 'Always' | 'IfNotPresent' {
  const ref = image ?? '';
  if (ref.includes('@')) return 'IfNotPresent';
  const lastSlash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':', lastSlash + 1);
  const tag = colon < 0 ? '' : ref.slice(colon + 1);
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  if (p.httpGet) {
    p.httpGet.path ??= '/';
    p.httpGet.scheme ??= 'HTTP';
  }
  if (p.grpc) p.grpc.service ??= '';
}

// Quantities are decoded into their canonical form ("0.5" is stored as
// "500m"); an invalid one is left for validation to report.
function canonicalQuantities(list: Record<string, unknown> | undefined): void {
  for (const [k, v] of Object.entries(list ?? {})) {
    if (typeof v !== 'string' && typeof v !== 'number') continue;
    try {
      list![k] = formatQuantity(String(v));
    } catch (e) {
      if (!(e instanceof QuantityParseError)) throw e;
    }
  }
}

export function defaultContainer(c: Container): void {
  c.imagePullPolicy ??= defaultPullPolicy(c.image);
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  canonicalQuantities(c.resources.requests);
  canonicalQuantities(c.resources.limits);
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  for (const e of c.env ?? []) {
    if (e.valueFrom?.fieldRef) e.valueFrom.fieldRef.apiVersion ??= 'v1';
    if (e.valueFrom?.resourceFieldRef) e.valueFrom.resourceFieldRef.divisor ??= '0';
  }
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
}

function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.configMap) v.configMap.defaultMode ??= 420;
  if (v.secret) v.secret.defaultMode ??= 420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= 420;
    for (const item of v.downwardAPI.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= 420;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const item of s.downwardAPI?.items ?? []) if (item.fieldRef) item.fieldRef.apiVersion ??= 'v1';
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.persistentVolumeClaim) v.persistentVolumeClaim.readOnly ??= undefined;
}

export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  if (spec.hostNetwork) {
    for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
      for (const p of c.ports ?? []) p.hostPort ??= p.containerPort;
    }
  }
}

export function defaultPodTemplate(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  t.metadata ??= {};
  nullTimestamp(t.metadata);
  t.spec ??= { containers: [] };
  defaultPodSpec(t.spec);
}

export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  defaultPodSpec(pod.spec);
  pod.spec.enableServiceLinks ??= true;
  // Requests default to limits, container by container.
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (limits) {
      c.resources!.requests ??= {};
      for (const [k, v] of Object.entries(limits)) c.resources!.requests[k] ??= v;
    }
  }
}

export function defaultService(svc: Service): void {
  const spec = (svc.spec ??= {});
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  for (const p of spec.ports ?? []) {
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') spec.externalTrafficPolicy ??= 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
  // LoadBalancerIPMode (on since 1.30): an ingress IP is a VIP unless the provider says Proxy.
  if (spec.type === 'LoadBalancer') for (const ing of svc.status?.loadBalancer?.ingress ?? []) if (ing.ip) ing.ipMode ??= 'VIP';
  if (spec.type !== 'ExternalName') spec.internalTrafficPolicy ??= 'Cluster';
  if (spec.sessionAffinity === 'ClientIP') {
    spec.sessionAffinityConfig ??= { clientIP: { timeoutSeconds: 10800 } };
  }
}

export function defaultNamespace(ns: Namespace): void {
  const name = ns.metadata?.name ?? '';
  ns.metadata ??= {};
  ns.metadata.labels = { ...(ns.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name };
  ns.spec ??= {};
  ns.spec.finalizers ??= ['kubernetes'];
  writable(ns).status ??= {};
  writable(ns.status!).phase ??= 'Active';
}

export function defaultSecret(s: Secret): void {
  s.type ??= 'Opaque';
}

export function defaultPersistentVolume(pv: PersistentVolume): void {
  pv.spec ??= {};
  pv.spec.persistentVolumeReclaimPolicy ??= 'Retain';
  pv.spec.volumeMode ??= 'Filesystem';
  writable(pv).status ??= {};
  writable(pv.status!).phase ??= 'Pending';
}

export function defaultPersistentVolumeClaim(pvc: PersistentVolumeClaim): void {
  pvc.spec ??= {};
  canonicalQuantities(pvc.spec.resources?.requests);
  pvc.spec.volumeMode ??= 'Filesystem';
  writable(pvc).status ??= {};
  writable(pvc.status!).phase ??= 'Pending';
}

export function defaultReplicationController(rc: ReplicationController): void {
  const spec = (rc.spec ??= {});
  const labels = spec.template?.metadata?.labels;
  if (labels) {
    spec.selector ??= { ...labels };
    rc.metadata ??= {};
    rc.metadata.labels ??= { ...labels };
  }
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

export function defaultEndpoints(ep: Endpoints): void {
  for (const s of ep.subsets ?? []) for (const p of s.ports ?? []) p.protocol ??= 'TCP';
}
