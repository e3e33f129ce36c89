import type { DaemonSet } from 'kubernetes-types/apps/v1';
import type { Node, Toleration } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { isPodActive, isPodAvailable, isPodReady } from '../api/podutil';
import { claimPods, controllerOf, controllerRef, createPodOrRecord, podFromTemplate, templateHash } from './podtemplate';
import { ownersOfPod } from './replicaset';
import { clone, deepEqual } from '../util/json';

// The DaemonSet controller (pkg/controller/daemon): one pod per eligible node,
// pinned by node affinity, labelled with the template's revision; a
// ControllerRevision per template; rolling replacement within maxUnavailable.

type DS = DaemonSet & KubeObject;
type N = Node & KubeObject;
const SOURCE = { component: 'daemonset-controller' };

// Tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations).
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function nodeEligible(ds: DS, node: N): boolean {
  const sel = ds.spec?.template?.spec?.nodeSelector ?? {};
  if (!Object.entries(sel).every(([k, v]) => node.metadata.labels?.[k] === v)) return false;
  const tolerations = [...(ds.spec?.template?.spec?.tolerations ?? []), ...DAEMON_TOLERATIONS];
  return (node.spec?.taints ?? []).every(
    (t) =>
      t.effect === 'PreferNoSchedule' ||
      tolerations.some((x) => (x.operator === 'Exists' && (!x.key || x.key === t.key)) || (x.key === t.key && (x.value ?? '') === (t.value ?? ''))),
  );
}

function ensureRevision(ctx: ControllerContext, ds: DS): string {
  const hash = templateHash(ds.spec?.template);
  const name = `${ds.metadata.name}-${hash}`;
  if (!ctx.api.peek(kind('ControllerRevision'), ds.metadata.namespace, name)) {
    const revisions = ctx.api.peekList(kind('ControllerRevision'), { namespace: ds.metadata.namespace }).filter((r) => controllerOf(r)?.uid === ds.metadata.uid);
    const max = revisions.reduce((m, r) => Math.max(m, Number(r.revision ?? 0)), 0);
    ctx.api.create({
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ds.metadata.namespace,
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), 'controller-revision-hash': hash },
        annotations: ds.metadata.annotations?.['kubernetes.io/change-cause'] ? { 'kubernetes.io/change-cause': ds.metadata.annotations['kubernetes.io/change-cause'] } : undefined,
        ownerReferences: [controllerRef(ds)],
      },
      data: { spec: { template: { ...clone(ds.spec?.template), $patch: 'replace' } } },
      revision: max + 1,
    });
  }
  return hash;
}

function daemonPod(ds: DS, node: string, hash: string): KubeObject {
  const pod = podFromTemplate(ds.spec!.template, ds);
  pod.metadata.labels = { ...(pod.metadata.labels ?? {}), 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) };
  const spec = pod.spec as NonNullable<DaemonSet['spec']>['template']['spec'] & object;
  spec.affinity = {
    ...(spec.affinity ?? {}),
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }],
      },
    },
  };
  const tol = [...(spec.tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) if (!tol.some((x) => x.key === t.key && x.effect === t.effect)) tol.push(t);
  spec.tolerations = tol;
  return pod;
}

function nodeOfPod(pod: KubeObject): string | undefined {
  const spec = pod.spec as { nodeName?: string; affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: { matchFields?: { values?: string[] }[] }[] } } } };
  return spec.nodeName ?? spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.values?.[0];
}

export const daemonSetController: Controller = {
  name: 'daemonset',
  primary: kind('DaemonSet'),
  watches: [
    { kind: kind('Node'), map: (_n, api) => api.peekList(kind('DaemonSet')).map((d) => `${d.metadata.namespace}/${d.metadata.name}`) },
    { kind: kind('Pod'), map: ownersOfPod(kind('DaemonSet')) },
  ],
  reconcile(key, ctx) {
    const { api, recorder } = ctx;
    const [namespace, name] = key.split('/');
    const ds = api.peek(kind('DaemonSet'), namespace, name) as DS | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return;
    const hash = ensureRevision(ctx, ds);
    const nodes = api.peekList(kind('Node')) as N[];
    // Orphans the selector matches (a DaemonSet deleted with --cascade=orphan
    // left them) are adopted, so a node keeps its one pod.
    const pods = claimPods(ctx, ds, ds.spec?.selector ?? {});
    const eligible = nodes.filter((n) => nodeEligible(ds, n));
    const maxUnavailable = typeof ds.spec?.updateStrategy?.rollingUpdate?.maxUnavailable === 'number' ? ds.spec.updateStrategy.rollingUpdate.maxUnavailable : 1;
    let unavailable = 0;
    for (const node of eligible) {
      const mine = pods.filter((p) => nodeOfPod(p) === node.metadata.name && isPodActive(p));
      if (!mine.some((p) => isPodAvailable(p as never, ds.spec?.minReadySeconds ?? 0, ctx.now))) unavailable++;
    }
    for (const node of eligible) {
      const nodeName = node.metadata.name ?? '';
      const mine = pods.filter((p) => nodeOfPod(p) === nodeName && isPodActive(p));
      if (mine.length === 0) {
        const created = createPodOrRecord(ctx, ds, daemonPod(ds, nodeName, hash), SOURCE);
        if (created) recorder.event(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE);
        continue;
      }
      // Rolling update: replace an outdated pod when the budget allows.
      const outdated = mine.find((p) => p.metadata.labels?.['controller-revision-hash'] !== hash);
      const isUpdate = ds.spec?.updateStrategy?.type !== 'OnDelete';
      if (outdated && isUpdate && (unavailable < maxUnavailable || !isPodReady(outdated as never))) {
        api.delete(kind('Pod'), namespace, outdated.metadata.name ?? '');
        recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${outdated.metadata.name}`, SOURCE);
        unavailable++;
      }
    }
    for (const p of pods) {
      const n = nodeOfPod(p);
      if (isPodActive(p) && !eligible.some((e) => e.metadata.name === n)) {
        api.delete(kind('Pod'), namespace, p.metadata.name ?? '');
        recorder.event(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, SOURCE);
      }
    }
    const current = api.peekList(kind('Pod'), { namespace }).filter((p) => controllerOf(p)?.uid === ds.metadata.uid && isPodActive(p));
    const scheduled = current.filter((p) => (p.spec as { nodeName?: string }).nodeName);
    const status = {
      currentNumberScheduled: eligible.filter((n) => current.some((p) => nodeOfPod(p) === n.metadata.name)).length,
      desiredNumberScheduled: eligible.length,
      numberAvailable: scheduled.filter((p) => isPodAvailable(p as never, ds.spec?.minReadySeconds ?? 0, ctx.now)).length,
      numberMisscheduled: 0,
      numberReady: scheduled.filter((p) => isPodReady(p as never)).length,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: current.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
    } as Record<string, number | undefined>;
    if (status.numberAvailable === 0) delete status.numberAvailable;
    const unavailableNow = (status.desiredNumberScheduled ?? 0) - (status.numberAvailable ?? 0);
    if (unavailableNow > 0) status.numberUnavailable = unavailableNow;
    if (!deepEqual(status, ds.status)) api.update({ ...clone(ds), status }, { subresource: 'status' });
  },
};
