import type { ReplicaSet } from 'kubernetes-types/apps/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import type { KindInfo } from '../api/kinds';
import { kind } from '../api/registry';
import { selectorMatches } from '../api/selectors';
import { availableAt, isPodActive, isPodAvailable, isPodReady } from '../api/podutil';
import { claimPods, controllerOf, createPodOrRecord, isControlledBy, podFromTemplate } from './podtemplate';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { clone, deepEqual } from '../util/json';
import { keyOf } from '../reconciler/reconciler';

// The ReplicaSet (and ReplicationController) controller
// (pkg/controller/replicaset): claim pods, create or delete to match replicas,
// report replicas / fullyLabeled / ready / available.

interface ReplicaSetLike {
  kind: string;
  spec?: { replicas?: number; minReadySeconds?: number; selector?: unknown; template?: ReplicaSet['spec'] extends infer S ? S extends { template?: infer T } ? T : never : never };
  metadata: KubeObject['metadata'];
  status?: ReplicaSet['status'];
}

const BURST = 500;

function selectorOf(rs: KubeObject): ReplicaSet['spec'] extends infer S ? (S extends { selector: infer X } ? X : never) : never {
  const sel = (rs.spec as { selector?: unknown }).selector;
  if (rs.kind === 'ReplicationController') {
    return { matchLabels: (sel as Record<string, string> | undefined) ?? {} } as never;
  }
  return (sel ?? {}) as never;
}

// Order in which surplus pods go (controller.ActivePods ranking): unscheduled,
// pending, not ready, ready for less time, more restarts, newer first.
function deletionRank(a: Pod, b: Pod): number {
  const scheduled = (p: Pod) => (p.spec?.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (p: Pod) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase ?? 'Pending'] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (p: Pod) => (isPodReady(p) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  const restarts = (p: Pod) => (p.status?.containerStatuses ?? []).reduce((s, c) => s + (c.restartCount ?? 0), 0);
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  const created = (p: Pod) => Date.parse(p.metadata?.creationTimestamp ?? '') || 0;
  return created(b) - created(a);
}

function fullyLabeled(pod: KubeObject, templateLabels: Record<string, string>): boolean {
  return Object.entries(templateLabels).every(([k, v]) => pod.metadata.labels?.[k] === v);
}

export function reconcileReplicaSet(info: KindInfo, controllerName: string, component: string, key: string, ctx: ControllerContext): void {
  const { api, recorder } = ctx;
  const [namespace, name] = key.split('/');
  const rsObj = api.peek(info, namespace, name);
  if (!rsObj) return;
  const rs = rsObj as unknown as ReplicaSetLike;
  const pods = claimPods(ctx, rsObj, selectorOf(rsObj) as LabelSelector);
  const active = pods.filter((p) => isPodActive(p));
  const want = rs.spec?.replicas ?? 1;
  const source = { component };
  if (!rsObj.metadata.deletionTimestamp) {
    const diff = active.length - want;
    if (diff < 0) {
      const create = Math.min(-diff, BURST);
      for (let i = 0; i < create; i++) {
        const created = createPodOrRecord(ctx, rsObj, podFromTemplate(rs.spec!.template as never, rsObj), source);
        if (!created) break;
        active.push(created);
        recorder.event(rsObj, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, source);
      }
    } else if (diff > 0) {
      const victims = [...active].sort((a, b) => deletionRank(a as unknown as Pod, b as unknown as Pod)).slice(0, diff);
      for (const v of victims) {
        api.delete(kind('Pod'), v.metadata.namespace, v.metadata.name ?? '');
        recorder.event(rsObj, 'Normal', 'SuccessfulDelete', `Deleted pod: ${v.metadata.name}`, source);
        active.splice(active.indexOf(v), 1);
      }
    }
  }
  // Status, from the pods as they are now (claimed or created above).
  const current = active;
  const minReady = rs.spec?.minReadySeconds ?? 0;
  const templateLabels = (rs.spec?.template as { metadata?: { labels?: Record<string, string> } } | undefined)?.metadata?.labels ?? {};
  const status = {
    replicas: current.length,
    fullyLabeledReplicas: current.filter((p) => fullyLabeled(p, templateLabels)).length,
    readyReplicas: current.filter((p) => isPodReady(p as never)).length,
    availableReplicas: current.filter((p) => isPodAvailable(p as never, minReady, ctx.now)).length,
    observedGeneration: rsObj.metadata.generation,
  };
  for (const p of current) {
    const at = availableAt(p as never, minReady);
    if (at !== undefined && at > ctx.now) ctx.requeueAt(controllerName, key, at);
  }
  const old = rs.status ?? {};
  const next: Record<string, unknown> = { ...old, ...status };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'] as const) if (next[k] === 0) delete next[k];
  if (!deepEqual(next, old)) api.update({ ...clone(rsObj), status: next }, { subresource: 'status' });
}

// Pods map to their controller (or, orphans, to every ReplicaSet that selects them).
export function ownersOfPod(info: KindInfo) {
  return (pod: KubeObject, api: ControllerContext['api']): string[] => {
    const ref = controllerOf(pod);
    if (ref) return ref.kind === info.kind ? [`${pod.metadata.namespace}/${ref.name}`] : [];
    return api
      .peekList(info, { namespace: pod.metadata.namespace })
      .filter((rs) => selectorMatches(selectorOf(rs) as never, pod.metadata.labels))
      .map((rs) => keyOf(rs));
  };
}

export const replicaSetController: Controller = {
  name: 'replicaset',
  primary: kind('ReplicaSet'),
  watches: [{ kind: kind('Pod'), map: ownersOfPod(kind('ReplicaSet')) }],
  reconcile(key, ctx) {
    reconcileReplicaSet(kind('ReplicaSet'), this.name, 'replicaset-controller', key, ctx);
  },
};

export const replicationControllerController: Controller = {
  name: 'replicationcontroller',
  primary: kind('ReplicationController'),
  watches: [{ kind: kind('Pod'), map: ownersOfPod(kind('ReplicationController')) }],
  reconcile(key, ctx) {
    reconcileReplicaSet(kind('ReplicationController'), this.name, 'replication-controller', key, ctx);
  },
};

export { isControlledBy };
