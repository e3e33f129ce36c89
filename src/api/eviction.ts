import type { Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1';
import type { Condition } from 'kubernetes-types/meta/v1';
import type { KubeObject } from './types';
import type { ApiServer } from './server';
import { kind } from './registry';
import { StatusError, forbidden, notFound, tooManyRequests } from './errors';
import { selectorMatches } from './selectors';
import { isPodReady } from './podutil';
import { rfc3339 } from '../sim/clock';
import { clone } from '../util/json';

// The pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go): a
// delete that asks the pod's PodDisruptionBudget first. Pods that are already
// disrupted (finished, Pending, terminating) go at once; otherwise the budget
// must allow a disruption, which the eviction spends before deleting.

export type PDB = PodDisruptionBudget & KubeObject;
type P = Pod & KubeObject;

export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
const TOO_MANY_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';
// More approved evictions than this not yet seen by the controller: refuse.
const MAX_DISRUPTED_PODS = 2000;

// Whether `pdb` covers `pod`. A null selector covers nothing; an empty one
// covers the namespace for the controller, but nothing for the eviction
// handler, which skips empty selectors (both as kube-apiserver and KCM do).
export function budgetSelects(pdb: PDB, pod: KubeObject, emptySelectsAll: boolean): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace) return false;
  const sel = pdb.spec?.selector;
  if (!sel) return false;
  const empty = Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
  if (empty) return emptySelectsAll;
  return selectorMatches(sel, pod.metadata.labels);
}

export function budgetsFor(api: ApiServer, pod: KubeObject, emptySelectsAll: boolean): PDB[] {
  return (api.peekList(kind('PodDisruptionBudget'), { namespace: pod.metadata.namespace }) as PDB[]).filter((b) => budgetSelects(b, pod, emptySelectsAll));
}

// apimeta.SetStatusCondition: the transition time moves only when the status does.
export function setCondition(conditions: Condition[], next: Omit<Condition, 'lastTransitionTime'>, now: number): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const at = old && old.status === next.status ? old.lastTransitionTime : rfc3339(now);
  const cond: Condition = {
    type: next.type,
    status: next.status,
    ...(next.observedGeneration ? { observedGeneration: next.observedGeneration } : {}),
    lastTransitionTime: at,
    reason: next.reason,
    message: next.message,
  };
  return old ? conditions.map((c) => (c === old ? cond : c)) : [...conditions, cond];
}

// pdbhelper.UpdateDisruptionAllowedCondition.
export function disruptionAllowedConditions(status: PodDisruptionBudgetStatus, now: number): Condition[] {
  const allowed = status.disruptionsAllowed > 0;
  return setCondition(
    status.conditions ?? [],
    {
      type: 'DisruptionAllowed',
      status: allowed ? 'True' : 'False',
      observedGeneration: status.observedGeneration,
      reason: allowed ? 'SufficientPods' : 'InsufficientPods',
      message: '',
    },
    now,
  );
}

// Status fields in the order of policy/v1 PodDisruptionBudgetStatus.
export function orderedStatus(s: PodDisruptionBudgetStatus): PodDisruptionBudgetStatus {
  return {
    ...(s.observedGeneration ? { observedGeneration: s.observedGeneration } : {}),
    ...(s.disruptedPods && Object.keys(s.disruptedPods).length > 0 ? { disruptedPods: s.disruptedPods } : {}),
    disruptionsAllowed: s.disruptionsAllowed,
    currentHealthy: s.currentHealthy,
    desiredHealthy: s.desiredHealthy,
    expectedPods: s.expectedPods,
    ...(s.conditions && s.conditions.length > 0 ? { conditions: s.conditions } : {}),
  };
}

function alreadyDisrupted(pod: P): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || !!pod.metadata.deletionTimestamp;
}

function refused(detail: string, retryAfterSeconds: number): StatusError {
  return tooManyRequests(EVICTION_REFUSED, retryAfterSeconds, [{ reason: 'DisruptionBudget', message: detail }]);
}

// checkAndDecrement: spend one allowed disruption of `pdb` on `podName`.
function spendDisruption(api: ApiServer, pdb: PDB, podName: string, dryRun: boolean): void {
  const status = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0, expectedPods: 0 };
  const name = pdb.metadata.name ?? '';
  if ((status.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw refused(`The disruption budget ${name} is still being processed by the server.`, 10);
  }
  const info = kind('PodDisruptionBudget');
  if (status.disruptionsAllowed < 0) throw forbidden(info, name, 'pdb disruptions allowed is negative');
  if (Object.keys(status.disruptedPods ?? {}).length > MAX_DISRUPTED_PODS) {
    throw forbidden(info, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (status.disruptionsAllowed === 0) {
    throw refused(`The disruption budget ${name} needs ${status.desiredHealthy} healthy pods and has ${status.currentHealthy} currently`, 0);
  }
  const next: PodDisruptionBudgetStatus = { ...clone(status), disruptionsAllowed: status.disruptionsAllowed - 1 };
  if (next.disruptionsAllowed === 0) next.conditions = disruptionAllowedConditions(next, api.now());
  if (dryRun) return;
  // Tells the controller this pod is about to go, so it is not counted healthy meanwhile.
  next.disruptedPods = { ...(next.disruptedPods ?? {}), [podName]: rfc3339(api.now()) };
  api.update({ ...clone(pdb), status: orderedStatus(next) }, { subresource: 'status' });
}

// The DisruptionTarget condition an evicted pod carries while it terminates.
function markDisruptionTarget(api: ApiServer, pod: P): void {
  const conditions = pod.status?.conditions ?? [];
  const old = conditions.find((c) => c.type === 'DisruptionTarget');
  if (old?.status === 'True' && old.reason === 'EvictionByEvictionAPI') return;
  const cond: PodCondition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null as unknown as string, // Go's zero metav1.Time
    lastTransitionTime: rfc3339(api.now()),
    reason: 'EvictionByEvictionAPI',
    message: 'Eviction API: evicting',
  };
  const status = { ...pod.status, conditions: old ? conditions.map((c) => (c === old ? cond : c)) : [...conditions, cond] };
  api.update({ ...clone(pod), status } as KubeObject, { subresource: 'status' });
}

export interface EvictOptions {
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

// POST pods/<name>/eviction. Throws the StatusError the server answers with.
export function evictPod(api: ApiServer, namespace: string, name: string, opts: EvictOptions = {}): void {
  const podInfo = kind('Pod');
  const pod = api.peek(podInfo, namespace, name) as P | undefined;
  if (!pod) throw notFound(podInfo, name);
  const remove = () => {
    if (!opts.dryRun) markDisruptionTarget(api, pod);
    api.delete(podInfo, namespace, name, { gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: opts.dryRun });
  };
  if (alreadyDisrupted(pod)) return remove();
  const budgets = budgetsFor(api, pod, false);
  if (budgets.length > 1) throw new StatusError(500, '', TOO_MANY_PDBS);
  const pdb = budgets[0];
  if (pdb && !isPodReady(pod)) {
    // An unready pod is not counted healthy: it may go without spending a
    // disruption when the policy says so, or when the budget is met anyway.
    const status = pdb.status;
    const alwaysAllow = pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow';
    if (alwaysAllow || (status && status.currentHealthy >= status.desiredHealthy && status.desiredHealthy > 0)) return remove();
  }
  if (pdb) spendDisruption(api, pdb, name, opts.dryRun === true);
  remove();
}
