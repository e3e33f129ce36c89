import type { StatefulSet } from 'kubernetes-types/apps/v1';
import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { isPodActive, isPodAvailable, isPodReady } from '../api/podutil';
import { claimPods, controllerOf, controllerRef, createPodOrRecord, fnv1a, podFromTemplate, safeEncode } from './podtemplate';
import { clone, deepEqual, sortKeys } from '../util/json';

// The StatefulSet controller (pkg/controller/statefulset): pods with stable
// names <set>-<ordinal>, their claims from volumeClaimTemplates, created in
// order (OrderedReady) or all at once (Parallel), removed from the highest
// ordinal down, updated from the highest ordinal down; revisions as
// ControllerRevisions.

type S = StatefulSet & KubeObject;
type P = Pod & KubeObject;
const SOURCE = { component: 'statefulset-controller' };

function revisionName(sts: S): { name: string; hash: string } {
  const data = JSON.stringify(sortKeys({ spec: { template: sts.spec?.template } }));
  const hash = safeEncode(fnv1a(data));
  return { name: `${sts.metadata.name}-${hash}`, hash };
}

function ensureRevision(ctx: ControllerContext, sts: S): string {
  const { name, hash } = revisionName(sts);
  const mine = ctx.api
    .peekList(kind('ControllerRevision'), { namespace: sts.metadata.namespace })
    .filter((r) => controllerOf(r)?.uid === sts.metadata.uid);
  const max = mine.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0);
  const existing = mine.find((r) => r.metadata.name === name);
  // Going back to an earlier template (rollout undo) makes its revision the newest.
  if (existing && Number(existing.revision ?? 0) < max) ctx.api.update({ ...clone(existing), revision: max + 1 });
  if (!ctx.api.peek(kind('ControllerRevision'), sts.metadata.namespace, name)) {
    ctx.api.create({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: sts.metadata.namespace,
        labels: { ...(sts.spec?.selector?.matchLabels ?? {}), 'controller.kubernetes.io/hash': hash },
        ownerReferences: [controllerRef(sts)],
      },
      data: { spec: { template: { ...clone(sts.spec?.template), $patch: 'replace' } } },
      revision: max + 1,
    });
  }
  return name;
}

function claimName(template: PersistentVolumeClaim, sts: S, ordinal: number): string {
  return `${template.metadata?.name}-${sts.metadata.name}-${ordinal}`;
}

function ensureClaims(ctx: ControllerContext, sts: S, ordinal: number, podName: string): void {
  for (const t of sts.spec?.volumeClaimTemplates ?? []) {
    const name = claimName(t, sts, ordinal);
    if (ctx.api.peek(kind('PersistentVolumeClaim'), sts.metadata.namespace, name)) continue;
    const claim: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name,
        namespace: sts.metadata.namespace,
        labels: { ...(t.metadata?.labels ?? {}), ...(sts.spec?.selector?.matchLabels ?? {}) },
        ...(t.metadata?.annotations ? { annotations: { ...t.metadata.annotations } } : {}),
      },
      spec: clone(t.spec),
    };
    ctx.api.create(claim, { fieldManager: 'kube-controller-manager' });
    ctx.recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Claim ${name} Pod ${podName} in StatefulSet ${sts.metadata.name} success`, SOURCE);
  }
}

function newPod(sts: S, ordinal: number, revision: string): KubeObject {
  const name = `${sts.metadata.name}-${ordinal}`;
  const pod = podFromTemplate(sts.spec!.template, sts, undefined, name);
  pod.metadata.labels = {
    ...(pod.metadata.labels ?? {}),
    'apps.kubernetes.io/pod-index': String(ordinal),
    'controller-revision-hash': revision,
    'statefulset.kubernetes.io/pod-name': name,
  };
  const spec = pod.spec as NonNullable<P['spec']>;
  spec.hostname = name;
  if (sts.spec?.serviceName) spec.subdomain = sts.spec.serviceName;
  const claims = sts.spec?.volumeClaimTemplates ?? [];
  const volumes = (spec.volumes ?? []).filter((v) => !claims.some((t) => t.metadata?.name === v.name));
  for (const t of claims) volumes.push({ name: t.metadata?.name ?? '', persistentVolumeClaim: { claimName: claimName(t, sts, ordinal) } });
  if (volumes.length > 0) spec.volumes = volumes;
  return pod;
}

function reconcileStatefulSet(key: string, ctx: ControllerContext): void {
  const { api, recorder, now } = ctx;
  const [namespace, name] = key.split('/');
  const sts = api.peek(kind('StatefulSet'), namespace, name) as S | undefined;
  if (!sts || sts.metadata.deletionTimestamp) return;
  const revision = ensureRevision(ctx, sts);
  const replicas = sts.spec?.replicas ?? 1;
  const start = sts.spec?.ordinals?.start ?? 0;
  const parallel = sts.spec?.podManagementPolicy === 'Parallel';
  const minReady = sts.spec?.minReadySeconds ?? 0;
  const member = (p: KubeObject) => /^\d+$/.test((p.metadata.name ?? '').slice(name.length + 1)) && (p.metadata.name ?? '').startsWith(`${name}-`);
  const pods = () => claimPods(ctx, sts, sts.spec?.selector ?? {}, member) as P[];
  const ordinalOf = (p: P) => Number(p.metadata.name?.slice(name.length + 1));
  let mine = pods();
  let blocked = false;
  // Create missing pods in order, waiting for each to be ready unless Parallel.
  for (let i = start; i < start + replicas; i++) {
    const podName = `${name}-${i}`;
    const existing = mine.find((p) => p.metadata.name === podName);
    if (existing) {
      if (existing.status?.phase === 'Failed' || existing.status?.phase === 'Succeeded') {
        api.delete(kind('Pod'), namespace, podName);
        blocked = true;
        break;
      }
      if (!parallel && (!isPodReady(existing) || existing.metadata.deletionTimestamp)) {
        blocked = true;
        break;
      }
      continue;
    }
    ensureClaims(ctx, sts, i, podName);
    const created = createPodOrRecord(ctx, sts, newPod(sts, i, revision), SOURCE, (e) => `create Pod ${podName} in StatefulSet ${name} failed error: ${e.message}`);
    if (!created) {
      blocked = true;
      break;
    }
    recorder.event(sts, 'Normal', 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${name} successful`, SOURCE);
    if (!parallel) {
      blocked = true;
      break;
    }
  }
  mine = pods();
  // Scale down from the highest ordinal, one at a time unless Parallel.
  const surplus = mine.filter((p) => ordinalOf(p) >= start + replicas || ordinalOf(p) < start).sort((a, b) => ordinalOf(b) - ordinalOf(a));
  for (const p of surplus) {
    if (p.metadata.deletionTimestamp) {
      if (!parallel) break;
      continue;
    }
    if (!parallel && blocked) break;
    api.delete(kind('Pod'), namespace, p.metadata.name ?? '');
    recorder.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${p.metadata.name} in StatefulSet ${name} successful`, SOURCE);
    if (!parallel) break;
  }
  // Rolling update: from the highest ordinal down to the partition, one at a time.
  if (sts.spec?.updateStrategy?.type !== 'OnDelete' && !blocked) {
    const partition = sts.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
    const current = pods().filter((p) => ordinalOf(p) < start + replicas).sort((a, b) => ordinalOf(b) - ordinalOf(a));
    const allReady = current.length === replicas && current.every((p) => isPodReady(p) && !p.metadata.deletionTimestamp);
    if (allReady) {
      const outdated = current.find((p) => ordinalOf(p) >= start + partition && p.metadata.labels?.['controller-revision-hash'] !== revision);
      if (outdated) {
        api.delete(kind('Pod'), namespace, outdated.metadata.name ?? '');
        recorder.event(sts, 'Normal', 'SuccessfulDelete', `delete Pod ${outdated.metadata.name} in StatefulSet ${name} successful`, SOURCE);
      }
    }
  }
  mine = pods().filter((p) => isPodActive(p) || p.metadata.deletionTimestamp);
  const updated = mine.filter((p) => p.metadata.labels?.['controller-revision-hash'] === revision);
  const status: Record<string, unknown> = {
    availableReplicas: mine.filter((p) => isPodAvailable(p, minReady, now)).length,
    collisionCount: 0,
    currentReplicas: updated.length,
    currentRevision: revision,
    observedGeneration: sts.metadata.generation,
    readyReplicas: mine.filter((p) => isPodReady(p)).length,
    replicas: mine.length,
    updateRevision: revision,
    updatedReplicas: updated.length,
  };
  if (status.readyReplicas === 0) delete status.readyReplicas;
  if (status.currentReplicas === 0) delete status.currentReplicas;
  if (status.updatedReplicas === 0) delete status.updatedReplicas;
  if (!deepEqual(status, sts.status)) api.update({ ...clone(sts), status }, { subresource: 'status' });
}

export const statefulSetController: Controller = {
  name: 'statefulset',
  primary: kind('StatefulSet'),
  watches: [
    {
      kind: kind('Pod'),
      map: (pod) => {
        const ref = controllerOf(pod);
        return ref?.kind === 'StatefulSet' ? [`${pod.metadata.namespace}/${ref.name}`] : [];
      },
    },
  ],
  reconcile: reconcileStatefulSet,
};
