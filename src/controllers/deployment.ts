import type { Deployment, DeploymentCondition, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { selectorMatches } from '../api/selectors';
import { isPodActive } from '../api/podutil';
import { controllerOf, controllerRef, templateHash } from './podtemplate';
import { clone, deepEqual } from '../util/json';
import { rfc3339 } from '../sim/clock';
import { keyOf } from '../reconciler/reconciler';

// The Deployment controller (pkg/controller/deployment): one ReplicaSet per
// pod template, named by its pod-template-hash; rolling updates within
// maxSurge / maxUnavailable, or Recreate; proportional scaling; revisions;
// history clean-up; the Progressing and Available conditions.

export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const HASH_LABEL = 'pod-template-hash';
const SOURCE = { component: 'deployment-controller' };

type RS = ReplicaSet & KubeObject;
type D = Deployment & KubeObject;

// Annotations a Deployment does not pass on to its ReplicaSets.
const SKIPPED_ANNOTATIONS = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

function replicasOf(rs: RS): number {
  return rs.spec?.replicas ?? 0;
}

function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } }): number {
  return Number(obj.metadata?.annotations?.[REVISION] ?? 0) || 0;
}

// intstr.GetScaledValueFromIntOrPercent: percent of total, rounded up or down.
export function scaledValue(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const exact = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

// MaxSurge and MaxUnavailable, never both zero (ResolveFenceposts).
export function fenceposts(d: D): { surge: number; unavailable: number } {
  const replicas = d.spec?.replicas ?? 1;
  const ru = d.spec?.strategy?.rollingUpdate;
  if (d.spec?.strategy?.type === 'Recreate') return { surge: 0, unavailable: replicas };
  const surge = scaledValue(ru?.maxSurge ?? '25%', replicas, true);
  let unavailable = scaledValue(ru?.maxUnavailable ?? '25%', replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

// The template a ReplicaSet carries, without the hash label, to compare with the Deployment's.
function templateWithoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!t) return t;
  const c = clone(t);
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
  }
  return c;
}

export function sameTemplate(rs: RS, d: D): boolean {
  return deepEqual(templateWithoutHash(rs.spec?.template), templateWithoutHash(d.spec?.template));
}

function claimReplicaSets(ctx: ControllerContext, d: D): RS[] {
  const { api } = ctx;
  const out: RS[] = [];
  for (const obj of api.peekList(kind('ReplicaSet'), { namespace: d.metadata.namespace })) {
    const ref = controllerOf(obj);
    if (ref?.uid === d.metadata.uid) out.push(obj as RS);
    else if (!ref && !d.metadata.deletionTimestamp && selectorMatches(d.spec?.selector, obj.metadata.labels)) {
      const next = clone(obj);
      next.metadata.ownerReferences = [...(next.metadata.ownerReferences ?? []), controllerRef(d)];
      out.push(api.update(next) as RS);
    }
  }
  return out;
}

function setAnnotations(rs: RS, d: D, revision: number, surge: number): boolean {
  const before = clone(rs.metadata.annotations ?? {});
  const a = { ...(rs.metadata.annotations ?? {}) };
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (!SKIPPED_ANNOTATIONS.has(k)) a[k] = v;
  const old = a[REVISION];
  if (old !== undefined && Number(old) < revision) {
    // A reused ReplicaSet (rollback) remembers the revisions it had.
    a[REVISION_HISTORY] = a[REVISION_HISTORY] ? `${a[REVISION_HISTORY]},${old}` : old;
  }
  if (old === undefined || Number(old) < revision) a[REVISION] = String(revision);
  a[DESIRED_REPLICAS] = String(d.spec?.replicas ?? 1);
  a[MAX_REPLICAS] = String((d.spec?.replicas ?? 1) + surge);
  rs.metadata.annotations = a;
  return !deepEqual(before, a);
}

// Scaling touches only the replica annotations; the rest is the new
// ReplicaSet's business (SetNewReplicaSetAnnotations), so an old revision keeps
// its own change-cause.
function setReplicasAnnotations(rs: RS, d: D, surge: number): boolean {
  const a = { ...(rs.metadata.annotations ?? {}) };
  const desired = String(d.spec?.replicas ?? 1);
  const max = String((d.spec?.replicas ?? 1) + surge);
  if (a[DESIRED_REPLICAS] === desired && a[MAX_REPLICAS] === max) return false;
  a[DESIRED_REPLICAS] = desired;
  a[MAX_REPLICAS] = max;
  rs.metadata.annotations = a;
  return true;
}

function scaleReplicaSet(ctx: ControllerContext, d: D, rs: RS, to: number, surge: number): RS {
  const from = replicasOf(rs);
  const next = clone(rs);
  next.spec = { ...next.spec!, replicas: to };
  const annotationsChanged = setReplicasAnnotations(next, d, surge);
  if (from === to && !annotationsChanged) return rs;
  const updated = ctx.api.update(next) as RS;
  if (from !== to) {
    const verb = to > from ? 'up' : 'down';
    ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled ${verb} replica set ${rs.metadata.name} to ${to} from ${from}`, SOURCE);
  }
  return updated;
}

function newReplicaSet(ctx: ControllerContext, d: D, all: RS[], maxOldRevision: number, surge: number): { rs: RS; created: boolean } | undefined {
  const { api } = ctx;
  const existing = all.find((rs) => sameTemplate(rs, d));
  const revision = maxOldRevision + 1;
  if (existing) {
    const next = clone(existing);
    if (setAnnotations(next, d, revision, surge) || revisionOf(existing) < revision) {
      return { rs: api.update(next) as RS, created: false };
    }
    return { rs: existing, created: false };
  }
  let collisions = d.status?.collisionCount ?? 0;
  for (let attempt = 0; attempt < 10; attempt++) {
    const hash = templateHash(d.spec?.template, collisions);
    const name = `${d.metadata.name}-${hash}`;
    const clash = api.peek(kind('ReplicaSet'), d.metadata.namespace, name);
    if (clash) {
      if (controllerOf(clash)?.uid === d.metadata.uid && sameTemplate(clash as RS, d)) return { rs: clash as RS, created: false };
      collisions++;
      continue;
    }
    const template = clone(d.spec!.template);
    template.metadata ??= {};
    template.metadata.labels = { ...(template.metadata.labels ?? {}), [HASH_LABEL]: hash };
    const selector = clone(d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
    const rs: RS = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: d.metadata.namespace,
        labels: { ...(d.spec?.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash },
        ownerReferences: [controllerRef(d)],
      },
      spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds, selector, template },
    } as RS;
    if (rs.spec!.minReadySeconds === undefined) delete rs.spec!.minReadySeconds;
    setAnnotations(rs, d, revision, surge);
    const created = api.create(rs, { fieldManager: 'kube-controller-manager' }) as RS;
    if (collisions !== (d.status?.collisionCount ?? 0)) {
      const nd = clone(api.peek(kind('Deployment'), d.metadata.namespace, d.metadata.name ?? '')!);
      nd.status = { ...(nd.status as object), collisionCount: collisions };
      api.update(nd, { subresource: 'status' });
    }
    return { rs: created, created: true };
  }
  return undefined;
}

function availableOf(rs: RS): number {
  return rs.status?.availableReplicas ?? 0;
}

// NewRSNewReplicas for a rolling update.
function newReplicasForRolling(d: D, all: RS[], newRS: RS, surge: number): number {
  const replicas = d.spec?.replicas ?? 1;
  const current = all.reduce((s, rs) => s + replicasOf(rs), 0);
  const maxTotal = replicas + surge;
  if (current >= maxTotal) return replicasOf(newRS);
  const up = Math.min(maxTotal - current, replicas - replicasOf(newRS));
  return replicasOf(newRS) + Math.max(0, up);
}

function podsOf(ctx: ControllerContext, rs: RS): KubeObject[] {
  return ctx.api
    .peekList(kind('Pod'), { namespace: rs.metadata.namespace })
    .filter((p) => controllerOf(p)?.uid === rs.metadata.uid);
}

function reconcileOldReplicaSets(ctx: ControllerContext, d: D, all: RS[], old: RS[], newRS: RS, fp: { surge: number; unavailable: number }): RS[] {
  const oldPods = old.reduce((s, rs) => s + replicasOf(rs), 0);
  if (oldPods === 0) return old;
  const replicas = d.spec?.replicas ?? 1;
  const allPods = all.reduce((s, rs) => s + replicasOf(rs), 0);
  const minAvailable = replicas - fp.unavailable;
  const newUnavailable = replicasOf(newRS) - availableOf(newRS);
  let maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return old;
  // First the old ReplicaSets' unhealthy replicas, oldest first.
  const sorted = [...old].sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
  const result = new Map(sorted.map((rs) => [rs.metadata.name, rs]));
  for (const rs of sorted) {
    if (maxScaledDown <= 0) break;
    const unhealthy = replicasOf(rs) - availableOf(rs);
    if (replicasOf(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown, unhealthy);
    const updated = scaleReplicaSet(ctx, d, rs, replicasOf(rs) - down, fp.surge);
    result.set(rs.metadata.name, updated);
    maxScaledDown -= down;
  }
  // Then available ones, as far as minAvailable allows.
  const current = [...result.values()];
  const available = [...current, newRS].reduce((s, rs) => s + availableOf(rs), 0);
  let total = available - minAvailable;
  for (const rs of current) {
    if (total <= 0) break;
    if (replicasOf(rs) === 0) continue;
    const down = Math.min(replicasOf(rs), total);
    result.set(rs.metadata.name, scaleReplicaSet(ctx, d, rs, replicasOf(rs) - down, fp.surge));
    total -= down;
  }
  return [...result.values()];
}

// A change of spec.replicas during a rollout is spread over the active
// ReplicaSets in proportion to their size (deployment sync.go scale()).
function proportionalScale(ctx: ControllerContext, d: D, active: RS[], fp: { surge: number }): boolean {
  const replicas = d.spec?.replicas ?? 1;
  const allowed = replicas + fp.surge;
  const current = active.reduce((s, rs) => s + replicasOf(rs), 0);
  const toAdd = allowed - current;
  if (toAdd === 0 || active.length === 0) return false;
  const sorted = [...active].sort((a, b) => (toAdd > 0 ? replicasOf(b) - replicasOf(a) : replicasOf(a) - replicasOf(b)));
  const portions = new Map<string, number>();
  let added = 0;
  for (const rs of sorted) {
    const prevMax = Number(rs.metadata.annotations?.[MAX_REPLICAS] ?? 0) || current;
    let portion = Math.round((replicasOf(rs) * allowed) / prevMax) - replicasOf(rs);
    if (toAdd > 0) portion = Math.min(portion, toAdd - added);
    else portion = Math.max(portion, toAdd - added);
    portions.set(rs.metadata.name ?? '', portion);
    added += portion;
  }
  const leftover = toAdd - added;
  let changed = false;
  sorted.forEach((rs, i) => {
    let size = replicasOf(rs) + (portions.get(rs.metadata.name ?? '') ?? 0);
    if (i === 0 && leftover !== 0) size += leftover;
    size = Math.max(0, size);
    if (size !== replicasOf(rs)) changed = true;
    scaleReplicaSet(ctx, d, rs, size, fp.surge);
  });
  return changed;
}

function condition(d: D, type: string): DeploymentCondition | undefined {
  return d.status?.conditions?.find((c) => c.type === type);
}

function setCondition(conds: DeploymentCondition[], c: DeploymentCondition, now: number): DeploymentCondition[] {
  const ts = rfc3339(now);
  const prev = conds.find((x) => x.type === c.type);
  const next: DeploymentCondition = { ...c, lastUpdateTime: ts, lastTransitionTime: ts };
  if (prev && prev.status === c.status) next.lastTransitionTime = prev.lastTransitionTime;
  if (prev && prev.status === c.status && prev.reason === c.reason) {
    next.lastUpdateTime = c.lastUpdateTime ?? prev.lastUpdateTime;
    if (prev.message === c.message) return conds;
  }
  const out = conds.filter((x) => x.type !== c.type);
  // Available before Progressing, as the controller writes them.
  out.push(next);
  out.sort((a, b) => (a.type === 'Available' ? -1 : b.type === 'Available' ? 1 : 0));
  return out;
}

function syncStatus(ctx: ControllerContext, d: D, all: RS[], newRS: RS | undefined, progress: { created: boolean; moved: boolean }): void {
  const { api, now } = ctx;
  const fresh = api.peek(kind('Deployment'), d.metadata.namespace, d.metadata.name ?? '') as D | undefined;
  if (!fresh) return;
  const replicas = fresh.spec?.replicas ?? 1;
  const latest = all.map((rs) => (api.peek(kind('ReplicaSet'), rs.metadata.namespace, rs.metadata.name ?? '') ?? rs) as RS);
  const latestNew = newRS ? latest.find((rs) => rs.metadata.name === newRS.metadata.name) : undefined;
  const sum = (f: (rs: RS) => number) => latest.reduce((s, rs) => s + f(rs), 0);
  const totalReplicas = sum((rs) => rs.status?.replicas ?? 0);
  const available = sum(availableOf);
  const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
  const updated = latestNew?.status?.replicas ?? 0;
  const fp = fenceposts(fresh);
  const status: NonNullable<Deployment['status']> = {
    observedGeneration: fresh.metadata.generation,
    replicas: totalReplicas,
    updatedReplicas: updated,
    readyReplicas: ready,
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(replicasOf) - available),
  };
  if (fresh.status?.collisionCount !== undefined) status.collisionCount = fresh.status.collisionCount;
  let conds = [...(fresh.status?.conditions ?? [])];
  const minAvailable = replicas - fp.unavailable;
  conds = setCondition(
    conds,
    available >= minAvailable
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    now,
  );
  const rsName = latestNew?.metadata.name ?? '';
  const complete =
    latestNew !== undefined &&
    updated === replicas &&
    replicasOf(latestNew) === replicas &&
    availableOf(latestNew) === replicas &&
    totalReplicas === replicas;
  const prog = condition(fresh, 'Progressing');
  const deadline = fresh.spec?.progressDeadlineSeconds;
  if (fresh.spec?.paused) {
    conds = setCondition(conds, { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }, now);
  } else if (complete) {
    conds = setCondition(
      conds,
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` },
      now,
    );
  } else if (progress.created) {
    conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetCreated', message: `Created new replica set "${rsName}"` }, now);
  } else if (progress.moved || prog?.reason === 'DeploymentPaused') {
    conds = setCondition(
      conds,
      { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` },
      now,
    );
  } else if (!prog && latestNew) {
    conds = setCondition(conds, { type: 'Progressing', status: 'True', reason: 'FoundNewReplicaSet', message: `Found new replica set "${rsName}"` }, now);
  }
  const p = conds.find((c) => c.type === 'Progressing');
  if (deadline !== undefined && !complete && p && p.status === 'True' && p.reason !== 'NewReplicaSetAvailable') {
    const due = Date.parse(p.lastUpdateTime ?? '') + deadline * 1000;
    if (now >= due) {
      conds = setCondition(
        conds,
        { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rsName}" has timed out progressing.` },
        now,
      );
    } else {
      ctx.requeueAt('deployment', keyOf(fresh), due);
    }
  }
  status.conditions = conds;
  const normalized = clone(status) as Record<string, unknown>;
  for (const k of ['readyReplicas', 'availableReplicas', 'unavailableReplicas', 'updatedReplicas', 'replicas']) {
    if (normalized[k] === 0) delete normalized[k];
  }
  if (!deepEqual(normalized, fresh.status)) api.update({ ...clone(fresh), status: normalized }, { subresource: 'status' });
  // Keep the Deployment's revision annotation in step with its new ReplicaSet.
  if (latestNew && fresh.metadata.annotations?.[REVISION] !== latestNew.metadata.annotations?.[REVISION]) {
    const nd = clone(api.peek(kind('Deployment'), fresh.metadata.namespace, fresh.metadata.name ?? '')!);
    nd.metadata.annotations = { ...(nd.metadata.annotations ?? {}), [REVISION]: latestNew.metadata.annotations?.[REVISION] ?? '1' };
    api.update(nd);
  }
}

function cleanupHistory(ctx: ControllerContext, d: D, old: RS[]): void {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const candidates = old
    .filter((rs) => replicasOf(rs) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  const excess = candidates.length - limit;
  for (let i = 0; i < excess; i++) {
    ctx.api.delete(kind('ReplicaSet'), candidates[i].metadata.namespace, candidates[i].metadata.name ?? '');
  }
}

export function reconcileDeployment(key: string, ctx: ControllerContext): void {
  const { api } = ctx;
  const [namespace, name] = key.split('/');
  const d = api.peek(kind('Deployment'), namespace, name) as D | undefined;
  if (!d || d.metadata.deletionTimestamp) return;
  let all = claimReplicaSets(ctx, d);
  const fp = fenceposts(d);
  const maxOldRevision = all.filter((rs) => !sameTemplate(rs, d)).reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
  const progress = { created: false, moved: false };
  let newRS = all.find((rs) => sameTemplate(rs, d));
  const sizes = (list: RS[]) => JSON.stringify(list.map((rs) => [rs.metadata.name, replicasOf(rs)]).sort());
  const before = sizes(all);
  if (d.spec?.paused) {
    // A paused Deployment only scales.
    if (newRS) proportionalScale(ctx, d, all.filter((rs) => replicasOf(rs) > 0 || rs === newRS), fp);
    syncStatus(ctx, d, all, newRS, progress);
    return;
  }
  const made = newReplicaSet(ctx, d, all, maxOldRevision, fp.surge);
  if (made) {
    newRS = made.rs;
    progress.created = made.created;
    all = [...all.filter((rs) => rs.metadata.name !== made.rs.metadata.name), made.rs];
  }
  if (!newRS) return;
  let old = all.filter((rs) => rs !== newRS);
  const replicas = d.spec?.replicas ?? 1;
  const activeOld = old.filter((rs) => replicasOf(rs) > 0);
  const isScaling = activeOld.length > 0 && replicasOf(newRS) > 0 && [newRS, ...activeOld].some((rs) => Number(rs.metadata.annotations?.[DESIRED_REPLICAS]) !== replicas);
  if (isScaling && d.spec?.strategy?.type !== 'Recreate') {
    proportionalScale(ctx, d, [newRS, ...activeOld], fp);
  } else if (d.spec?.strategy?.type === 'Recreate') {
    for (const rs of old) if (replicasOf(rs) > 0) old = old.map((x) => (x === rs ? scaleReplicaSet(ctx, d, rs, 0, fp.surge) : x));
    const oldPodsRunning = old.some((rs) => podsOf(ctx, rs).some((p) => isPodActive(p) || p.metadata.deletionTimestamp));
    if (!oldPodsRunning) {
      const from = replicasOf(newRS);
      if (from !== replicas) {
        newRS = made?.created && from === 0 ? scaleUpFresh(ctx, d, newRS, replicas, fp.surge) : scaleReplicaSet(ctx, d, newRS, replicas, fp.surge);
      }
    }
  } else {
    const target = replicasOf(newRS) > replicas ? replicas : newReplicasForRolling(d, all, newRS, fp.surge);
    if (target !== replicasOf(newRS)) {
      newRS = made?.created && replicasOf(newRS) === 0 ? scaleUpFresh(ctx, d, newRS, target, fp.surge) : scaleReplicaSet(ctx, d, newRS, target, fp.surge);
    }
    all = [newRS, ...old];
    old = reconcileOldReplicaSets(ctx, d, all, old, newRS, fp);
  }
  all = [newRS, ...old];
  progress.moved = before !== sizes(all);
  const latestNew = api.peek(kind('ReplicaSet'), newRS.metadata.namespace, newRS.metadata.name ?? '') as RS;
  if (latestNew && replicasOf(latestNew) === replicas && availableOf(latestNew) === replicas && old.every((rs) => replicasOf(rs) === 0)) {
    cleanupHistory(ctx, d, old);
  }
  syncStatus(ctx, d, all, newRS, progress);
}

// A brand-new ReplicaSet's first scale-up is reported without a `from`.
function scaleUpFresh(ctx: ControllerContext, d: D, rs: RS, to: number, surge: number): RS {
  const next = clone(rs);
  next.spec = { ...next.spec!, replicas: to };
  setReplicasAnnotations(next, d, surge);
  const updated = ctx.api.update(next) as RS;
  ctx.recorder.event(d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} to ${to}`, SOURCE);
  return updated;
}

export const deploymentController: Controller = {
  name: 'deployment',
  primary: kind('Deployment'),
  watches: [
    {
      kind: kind('ReplicaSet'),
      map: (rs) => {
        const ref = controllerOf(rs);
        return ref?.kind === 'Deployment' ? [`${rs.metadata.namespace}/${ref.name}`] : [];
      },
    },
  ],
  reconcile(key, ctx) {
    reconcileDeployment(key, ctx);
  },
};
