import type { Pod } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import type { LabelSelector, OwnerReference } from 'kubernetes-types/meta/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import type { ApiServer } from '../api/server';
import type { PDB } from '../api/eviction';
import { budgetSelects, budgetsFor, disruptionAllowedConditions, orderedStatus, setCondition } from '../api/eviction';
import { kind } from '../api/registry';
import { qualifiedResource } from '../api/kinds';
import { hasScale } from '../api/scale';
import { isPodReady } from '../api/podutil';
import { controllerOf } from './podtemplate';
import { scaledValue } from './deployment';
import { keyOf } from '../reconciler/reconciler';
import { clone, deepEqual } from '../util/json';
import { parseTime } from '../sim/clock';

// The disruption controller (pkg/controller/disruption): for each
// PodDisruptionBudget, count the pods it selects that are healthy (ready, not
// terminating, not just evicted), work out how many should be from the budget
// and the scale of the pods' controllers, and publish how many disruptions the
// eviction handler may allow.

const SOURCE = { component: 'controllermanager' };
// An approved eviction whose pod is still not deleted after this is forgotten.
const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

interface Counted {
  expected: number;
  desired: number;
  unmanaged: string[];
}

// The replicas a pod's controller wants (the finders: RC, Deployment through
// its ReplicaSet, bare ReplicaSet, StatefulSet, then any kind with a scale).
function controllerScale(api: ApiServer, ref: OwnerReference, namespace: string | undefined): { uid: string; scale: number } | undefined {
  const group = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[0] : '';
  const get = (k: string, name: string) => api.peek(kind(k), namespace, name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
  const scaleOf = (o: KubeObject & { spec?: { replicas?: number } }) => ({ uid: o.metadata.uid ?? '', scale: o.spec?.replicas ?? 1 });
  if (ref.kind === 'ReplicationController' && group === '') {
    const rc = get('ReplicationController', ref.name);
    if (rc && rc.metadata.uid === ref.uid) return scaleOf(rc);
  }
  if (ref.kind === 'ReplicaSet' && (group === 'apps' || group === 'extensions')) {
    const rs = get('ReplicaSet', ref.name);
    if (rs && rs.metadata.uid === ref.uid) {
      const owner = controllerOf(rs);
      if (!owner || owner.kind !== 'Deployment') return scaleOf(rs);
      const d = get('Deployment', owner.name);
      if (d && d.metadata.uid === owner.uid) return scaleOf(d);
    }
  }
  if (ref.kind === 'StatefulSet' && group === 'apps') {
    const sts = get('StatefulSet', ref.name);
    if (sts && sts.metadata.uid === ref.uid) return scaleOf(sts);
  }
  const info = api.kindOf({ apiVersion: ref.apiVersion, kind: ref.kind });
  if (!info) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
  if (!hasScale(info)) throw new Error(`${qualifiedResource(info)} does not implement the scale subresource`);
  const obj = api.peek(info, namespace, ref.name) as (KubeObject & { spec?: { replicas?: number } }) | undefined;
  return obj && obj.metadata.uid === ref.uid ? scaleOf(obj) : undefined;
}

// getExpectedScale: the sum of the scales of the pods' controllers.
function expectedScale(api: ApiServer, pods: KubeObject[]): { expected: number; unmanaged: string[] } {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = controllerOf(pod);
    if (!ref) {
      unmanaged.push(pod.metadata.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = controllerScale(api, ref, pod.metadata.namespace);
    if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name}"`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const n of scales.values()) expected += n;
  return { expected, unmanaged };
}

// getExpectedPodCount: an integer minAvailable counts the pods there are; a
// maxUnavailable or a percentage counts what the controllers want.
export function expectedPodCount(api: ApiServer, pdb: PDB, pods: KubeObject[]): Counted {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { expected, unmanaged } = expectedScale(api, pods);
    const desired = Math.max(0, expected - scaledValue(maxUnavailable, expected, true));
    return { expected, desired, unmanaged };
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    if (typeof minAvailable === 'number') return { expected: pods.length, desired: minAvailable, unmanaged: [] };
    const { expected, unmanaged } = expectedScale(api, pods);
    return { expected, desired: scaledValue(minAvailable, expected, true), unmanaged };
  }
  return { expected: 0, desired: 0, unmanaged: [] };
}

// Go's %v of a *metav1.LabelSelector (its generated String method).
function goSelector(sel: LabelSelector | undefined): string {
  if (!sel) return '<nil>';
  const labels = sel.matchLabels ?? {};
  const ml = Object.keys(labels).sort().map((k) => `${k}: ${labels[k]},`).join('');
  const me = (sel.matchExpressions ?? []).map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`).join('');
  return `&LabelSelector{MatchLabels:map[string]string{${ml}},MatchExpressions:[]LabelSelectorRequirement{${me}},}`;
}

function podsOf(api: ApiServer, pdb: PDB): KubeObject[] {
  return api.peekList(kind('Pod'), { namespace: pdb.metadata.namespace }).filter((p) => budgetSelects(pdb, p, true));
}

function writeStatus(api: ApiServer, pdb: PDB, status: PodDisruptionBudgetStatus): void {
  const next = orderedStatus(status);
  if (!deepEqual(next, pdb.status ?? {})) api.update({ ...clone(pdb), status: next }, { subresource: 'status' });
}

// failSafe: when the budget cannot be worked out, allow nothing.
function failSafe(ctx: ControllerContext, pdb: PDB, message: string): void {
  const status = { ...clone(pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 }), disruptionsAllowed: 0 };
  const conditions = setCondition(
    status.conditions ?? [],
    { type: 'DisruptionAllowed', status: 'False', observedGeneration: status.observedGeneration, reason: 'SyncFailed', message },
    ctx.now,
  );
  writeStatus(ctx.api, pdb, { ...status, conditions });
}

function reconcileBudget(key: string, ctx: ControllerContext): void {
  const { api, recorder, now } = ctx;
  const slash = key.indexOf('/');
  const pdb = api.peek(kind('PodDisruptionBudget'), key.slice(0, slash), key.slice(slash + 1)) as PDB | undefined;
  if (!pdb) return;
  const pods = podsOf(api, pdb);
  if (pods.length === 0) recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found', SOURCE);
  let counted: Counted;
  try {
    counted = expectedPodCount(api, pdb, pods);
  } catch (e) {
    const message = (e as Error).message;
    recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${message}`, SOURCE);
    failSafe(ctx, pdb, message);
    return;
  }
  if (counted.unmanaged.length > 0) {
    recorder.event(
      pdb,
      'Warning',
      'UnmanagedPods',
      `Pods selected by this PodDisruptionBudget (selector: ${goSelector(pdb.spec?.selector)}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.`,
      SOURCE,
    );
  }
  // Evictions approved but not yet seen as deletions: such pods are not healthy
  // for a while; those never deleted are forgotten after the timeout.
  const disrupted: Record<string, string> = {};
  let recheck: number | undefined;
  const approved = pdb.status?.disruptedPods ?? {};
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || !(name in approved)) continue;
    const expires = (parseTime(approved[name]) ?? 0) + DELETION_TIMEOUT_MS;
    if (expires < now) {
      recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata.namespace}/${pdb.metadata.namespace} to be deleted but it wasn't`, SOURCE);
    } else {
      disrupted[name] = approved[name];
      recheck = Math.min(recheck ?? expires, expires);
    }
  }
  const healthy = pods.filter((p) => !p.metadata.deletionTimestamp && !((p.metadata.name ?? '') in disrupted) && isPodReady(p as Pod)).length;
  const allowed = counted.expected <= 0 ? 0 : Math.max(0, healthy - counted.desired);
  const status: PodDisruptionBudgetStatus = {
    observedGeneration: pdb.metadata.generation,
    disruptedPods: disrupted,
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: counted.desired,
    expectedPods: counted.expected,
    conditions: pdb.status?.conditions,
  };
  status.conditions = disruptionAllowedConditions(status, now);
  writeStatus(api, pdb, status);
  if (recheck !== undefined) ctx.requeueAt('disruption', key, recheck);
}

export const disruptionController: Controller = {
  name: 'disruption',
  primary: kind('PodDisruptionBudget'),
  // A pod's budgets are looked at whenever the pod changes or goes.
  watches: [{ kind: kind('Pod'), map: (pod, api) => budgetsFor(api, pod, true).map((b) => keyOf(b)) }],
  reconcile: reconcileBudget,
};
