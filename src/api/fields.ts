import type { KindInfo } from './kinds';
import type { KubeObject } from './types';
import { getPath } from '../util/json';

// Field selectors: which fields each kind can be selected by, as the API
// server's field label conversion functions allow.

const COMMON = ['metadata.name', 'metadata.namespace'];

const BY_KIND: Record<string, string[]> = {
  Pod: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  Event: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  Secret: ['type'],
  Node: ['spec.unschedulable'],
  Namespace: ['status.phase'],
  ReplicaSet: ['status.replicas'],
  ReplicationController: ['status.replicas'],
  Job: ['status.successful'],
  Service: ['spec.clusterIP', 'spec.type'],
};

export function supportsField(info: KindInfo, field: string): boolean {
  return COMMON.includes(field) || (BY_KIND[info.kind] ?? []).includes(field);
}

export function fieldValue(info: KindInfo, obj: KubeObject, field: string): string | undefined {
  if (!supportsField(info, field)) return undefined;
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  if (field === 'source') return String(getPath(obj, ['source', 'component']) ?? '');
  if (field === 'status.podIPs') {
    const ips = getPath(obj, ['status', 'podIPs']);
    return Array.isArray(ips) && ips.length > 0 ? String((ips[0] as { ip?: string }).ip ?? '') : '';
  }
  const v = getPath(obj, field.split('.'));
  if (v === undefined || v === null) {
    return field === 'spec.unschedulable' || field === 'spec.hostNetwork' ? 'false' : '';
  }
  return String(v);
}
