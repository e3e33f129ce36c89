import type {
  ConfigMap,
  PersistentVolumeClaim,
  Pod,
  PodSpec,
  ReplicationController,
  Secret,
  Service,
} from 'kubernetes-types/core/v1';
import type { KubeObject } from '../types';
import type { StrategyParts } from './index';
import type { FieldError } from '../errors';
import { field, goStringMap, GoLiteral } from '../errors';
import { clone, deepEqual, writable } from '../../util/json';
import { isDNS1035Label, isDNS1123Label } from '../validation/names';
import {
  immutable,
  validateConfigMapKeys,
  validatePodSpec,
  validatePodTemplate,
  validateService,
} from '../validation/core';
import { qosClass } from '../podutil';
import { applyAppArmorVersionSkew } from '../apparmor';
import { KINDS } from '../kinds';
import type { ApiServer } from '../server';

const as = <T>(o: KubeObject): T => o as unknown as T;

const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

// The parts of a pod spec an update may change, blanked for comparison.
function podSpecWithoutMutable(spec: PodSpec | undefined): PodSpec | undefined {
  if (!spec) return spec;
  const s = clone(spec);
  for (const c of [...(s.initContainers ?? []), ...s.containers]) c.image = '';
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  return s;
}

function validatePodUpdate(next: KubeObject, old: KubeObject): FieldError[] {
  const n = as<Pod>(next).spec;
  const o = as<Pod>(old).spec;
  if (!deepEqual(podSpecWithoutMutable(n), podSpecWithoutMutable(o))) return [field.forbidden('spec', POD_UPDATE_FORBIDDEN)];
  const added = (n?.tolerations ?? []).length >= (o?.tolerations ?? []).length;
  const kept = (o?.tolerations ?? []).every((t) => (n?.tolerations ?? []).some((x) => deepEqual(x, t)));
  if (!added || !kept) return [field.forbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')];
  return [];
}

// Cluster IPs come from 10.96.0.0/12; dynamic ones from above the first 256
// addresses, which are kept for static assignment (ipallocator's range offset).
const SERVICE_NET = (10 << 24) | (96 << 16);
const SERVICE_SIZE = 1 << 20;

function ipString(n: number): string {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function servicesOf(api: ApiServer): Service[] {
  const info = KINDS.find((k) => k.kind === 'Service')!;
  return api.peekList(info).map((o) => as<Service>(o));
}

function allocateClusterIP(api: ApiServer): string {
  const used = new Set(servicesOf(api).flatMap((s) => s.spec?.clusterIPs ?? [s.spec?.clusterIP ?? '']));
  for (;;) {
    const ip = ipString(SERVICE_NET + 256 + api.world.rng.int(SERVICE_SIZE - 256 - 1));
    if (!used.has(ip)) return ip;
  }
}

// Node ports: 30000-32767, dynamic ones above the lowest 86 (portallocator's offset).
function allocateNodePort(api: ApiServer, taken: Set<number>): number {
  for (const s of servicesOf(api)) {
    for (const p of s.spec?.ports ?? []) if (p.nodePort) taken.add(p.nodePort);
    if (s.spec?.healthCheckNodePort) taken.add(s.spec.healthCheckNodePort);
  }
  for (;;) {
    const port = 30086 + api.world.rng.int(32767 - 30086 + 1);
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

function allocateService(obj: KubeObject, api: ApiServer, old?: Service): void {
  const svc = as<Service>(obj);
  const spec = svc.spec!;
  if (spec.type === 'ExternalName') return;
  if (!spec.clusterIP) spec.clusterIP = old?.spec?.clusterIP ?? allocateClusterIP(api);
  spec.clusterIPs ??= [spec.clusterIP];
  if (spec.clusterIP !== 'None') {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  } else {
    spec.ipFamilies ??= ['IPv4'];
    spec.ipFamilyPolicy ??= 'SingleStack';
  }
  if (spec.type === 'NodePort' || spec.type === 'LoadBalancer') {
    const taken = new Set<number>();
    for (const p of spec.ports ?? []) {
      if (p.nodePort) continue;
      const previous = old?.spec?.ports?.find((q) => q.port === p.port && q.protocol === p.protocol)?.nodePort;
      p.nodePort = previous ?? allocateNodePort(api, taken);
    }
  }
  // A LoadBalancer that keeps traffic on the nodes with endpoints gets the
  // node port its load balancer health-checks (kube-proxy serves /healthz
  // there); the port goes when the service stops needing it.
  if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    spec.healthCheckNodePort ||= old?.spec?.healthCheckNodePort || allocateNodePort(api, new Set((spec.ports ?? []).map((p) => p.nodePort ?? 0)));
  } else delete spec.healthCheckNodePort;
}

// The data arrives decoded-valid (bad base64 fails in checkStructure, as
// encoding/json fails on a []byte field); stringData is write-only: merged
// into data, base64-encoded.
function decodeSecretData(secret: Secret): void {
  if (secret.stringData) {
    secret.data = { ...(secret.data ?? {}) };
    for (const [k, v] of Object.entries(secret.stringData)) secret.data[k] = Buffer.from(v, 'utf8').toString('base64');
    delete secret.stringData;
  }
}

// core.MaxSecretSize, the limit of a ConfigMap's or a Secret's data.
const MAX_DATA_BYTES = 1024 * 1024;

// The bytes the server counts: UTF-8 text, or the decoded base64 of []byte values.
function dataBytes(data: Record<string, string> | undefined, base64: boolean): number {
  let total = 0;
  for (const v of Object.values(data ?? {})) total += base64 ? Buffer.from(String(v), 'base64').length : Buffer.byteLength(String(v), 'utf8');
  return total;
}

export const CORE_STRATEGIES: Record<string, StrategyParts> = {
  '/Pod': {
    prepareForCreate(obj, api) {
      const pod = as<Pod>(obj);
      writable(pod).status = { phase: 'Pending', qosClass: qosClass(pod.spec) };
      applyAppArmorVersionSkew(pod, api);
    },
    validate: (obj) => validatePodSpec(as<Pod>(obj).spec, 'spec'),
    validateUpdate: validatePodUpdate,
    gracePeriod(obj, requested) {
      const pod = as<Pod>(obj);
      const phase = pod.status?.phase;
      // Unscheduled and finished pods have nothing to stop.
      if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
      return requested ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    },
  },
  '/Service': {
    nameRule: isDNS1035Label,
    prepareForCreate(obj) {
      writable(as<Service>(obj)).status = { loadBalancer: {} };
    },
    allocate: (obj, api) => allocateService(obj, api),
    prepareForUpdate(next, old, api) {
      allocateService(next, api, as<Service>(old));
    },
    validate: (obj) => validateService(as<Service>(obj)),
    validateUpdate(next, old) {
      const n = as<Service>(next).spec;
      const o = as<Service>(old).spec;
      if (o?.clusterIP && n?.clusterIP !== o.clusterIP && o.type !== 'ExternalName' && n?.type !== 'ExternalName') {
        // The server first brings clusterIPs in line with a changed clusterIP,
        // then reports the whole list (Go's %#v of a []string).
        const ips = n?.clusterIPs && !deepEqual(n.clusterIPs, o.clusterIPs) ? n.clusterIPs : [n?.clusterIP ?? ''];
        const list = new GoLiteral(`[]string{${ips.map((ip) => JSON.stringify(ip)).join(', ')}}`);
        return [field.invalid('spec.clusterIPs[0]', list, 'may not change once set')];
      }
      return [];
    },
  },
  '/Namespace': {
    nameRule: isDNS1123Label,
    deferDeletion: () => true,
    prepareForDelete(obj) {
      obj.status = { ...((obj.status as object) ?? {}), phase: 'Terminating' };
    },
  },
  '/ConfigMap': {
    validate(obj) {
      const cm = as<ConfigMap>(obj);
      const errs = [
        ...validateConfigMapKeys(cm.data, 'data'),
        ...validateConfigMapKeys(cm.binaryData as Record<string, string> | undefined, 'binaryData'),
      ];
      // At most 1 MiB of values; field.NewPath("") prints as `[]`.
      if (dataBytes(cm.data, false) + dataBytes(cm.binaryData, true) > MAX_DATA_BYTES) errs.push(field.tooLong('[]', MAX_DATA_BYTES));
      return errs;
    },
    validateUpdate(next, old) {
      const o = as<ConfigMap>(old);
      const n = as<ConfigMap>(next);
      if (!o.immutable) return [];
      // ValidateConfigMapUpdate's order: the flag, then data, then binaryData.
      const errs: FieldError[] = [];
      if (!n.immutable) errs.push(field.forbidden('immutable', 'field is immutable when `immutable` is set'));
      if (!deepEqual(n.data, o.data)) errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
      if (!deepEqual(n.binaryData, o.binaryData)) errs.push(field.forbidden('binaryData', 'field is immutable when `immutable` is set'));
      return errs;
    },
  },
  '/Secret': {
    prepareForCreate: (obj) => decodeSecretData(as<Secret>(obj)),
    prepareForUpdate: (next) => decodeSecretData(as<Secret>(next)),
    validate(obj) {
      const secret = as<Secret>(obj);
      const errs = validateConfigMapKeys(secret.data, 'data');
      if (dataBytes(secret.data, true) > MAX_DATA_BYTES) errs.push(field.tooLong('data', MAX_DATA_BYTES));
      return errs;
    },
    validateUpdate(next, old) {
      const o = as<Secret>(old);
      const n = as<Secret>(next);
      const errs: FieldError[] = [];
      if (n.type !== o.type) errs.push(immutable('type', n.type ?? ''));
      if (o.immutable && !deepEqual(n.data, o.data)) errs.push(field.forbidden('data', 'field is immutable when `immutable` is set'));
      return errs;
    },
  },
  '/PersistentVolumeClaim': {
    validate(obj) {
      const pvc = as<PersistentVolumeClaim>(obj);
      const errs: FieldError[] = [];
      if (!pvc.spec?.accessModes || pvc.spec.accessModes.length === 0) {
        errs.push(field.required('spec.accessModes', 'at least 1 access mode is required'));
      }
      if (!pvc.spec?.resources?.requests?.storage && !pvc.spec?.dataSource) {
        errs.push(field.required('spec.resources[storage]'));
      }
      return errs;
    },
  },
  '/ReplicationController': {
    validate(obj) {
      const rc = as<ReplicationController>(obj);
      const errs: FieldError[] = validatePodTemplate(rc.spec?.template, 'spec.template');
      const selector = rc.spec?.selector ?? {};
      const labels = rc.spec?.template?.metadata?.labels ?? {};
      if (Object.keys(selector).length === 0) errs.push(field.required('spec.selector'));
      else if (!Object.entries(selector).every(([k, v]) => labels[k] === v)) {
        errs.push(field.invalid('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
      }
      return errs;
    },
  },
};
