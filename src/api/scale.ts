import type { KubeObject } from './types';
import type { KindInfo } from './kinds';
import type { ApiServer, WriteOptions } from './server';
import { StatusError, conflict } from './errors';
import { formatRequirements, requirementsOfSelector } from './selectors';
import type { LabelSelector } from 'kubernetes-types/meta/v1';

// The `scale` subresource (autoscaling/v1 Scale) of the workloads that have
// one: a view of spec.replicas, status.replicas and the selector as a string.
// `kubectl scale`, `kubectl patch --subresource=scale` and autoscale use it.

const SCALABLE = new Set(['apps/Deployment', 'apps/ReplicaSet', 'apps/StatefulSet', '/ReplicationController']);

export function hasScale(info: KindInfo): boolean {
  return SCALABLE.has(`${info.group}/${info.kind}`);
}

// What the server answers for a subresource a kind does not have.
export function noSuchSubresource(): StatusError {
  return new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

interface Scalable {
  spec?: { replicas?: number; selector?: LabelSelector | Record<string, string> };
  status?: { replicas?: number };
}

function selectorString(info: KindInfo, obj: Scalable): string {
  const sel = obj.spec?.selector;
  if (!sel) return '';
  // A ReplicationController's selector is a plain map.
  if (info.group === '') {
    const map = sel as Record<string, string>;
    return Object.keys(map)
      .sort()
      .map((k) => `${k}=${map[k]}`)
      .join(',');
  }
  return formatRequirements(requirementsOfSelector(sel as LabelSelector));
}

export function scaleOf(info: KindInfo, obj: KubeObject): KubeObject {
  const o = obj as unknown as Scalable;
  const meta = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: {
      name: meta.name,
      namespace: meta.namespace,
      uid: meta.uid,
      resourceVersion: meta.resourceVersion,
      creationTimestamp: meta.creationTimestamp,
    },
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector: selectorString(info, o) },
  };
}

export function getScale(api: ApiServer, info: KindInfo, namespace: string | undefined, name: string): KubeObject {
  if (!hasScale(info)) throw noSuchSubresource();
  return scaleOf(info, api.get(info, namespace, name));
}

// PUT .../scale: the Scale's spec.replicas becomes the object's; a
// resourceVersion in the Scale is a precondition.
export function updateScale(api: ApiServer, info: KindInfo, scale: KubeObject, opts: WriteOptions = {}): KubeObject {
  if (!hasScale(info)) throw noSuchSubresource();
  const name = scale.metadata?.name ?? '';
  const obj = api.get(info, info.namespaced ? scale.metadata?.namespace : undefined, name);
  const rv = scale.metadata?.resourceVersion;
  if (rv && rv !== obj.metadata.resourceVersion) {
    throw conflict(info, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  const replicas = (scale.spec as { replicas?: number } | undefined)?.replicas ?? 0;
  const spec = { ...((obj.spec as object | undefined) ?? {}), replicas };
  return scaleOf(info, api.update({ ...obj, spec }, opts));
}
