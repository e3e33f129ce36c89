import type { ApiServer } from '../api/server';
import type { Node, NodeSelectorRequirement, NodeSelectorTerm, Pod, PodAffinityTerm, Taint, Toleration } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from '../controllers/types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { selectorMatches } from '../api/selectors';
import { isPodTerminal } from '../api/podutil';
import { parseQuantity } from '../util/quantity';
import { clone } from '../util/json';
import { rfc3339 } from './clock';
import { keyOf } from '../reconciler/reconciler';

// The scheduler (default-scheduler): filters nodes by nodeName, selector,
// required node affinity, taints, cordoning, resources, host ports and
// required pod (anti-)affinity; spreads pods over the nodes that fit; binds,
// or reports why nothing fits in kube-scheduler's words.

type P = Pod & KubeObject;
type N = Node & KubeObject;

const RETRY_MS = 5 * 60 * 1000;

interface Verdict {
  reason?: string; // why this node does not fit
  resolvableByPreemption?: boolean;
}

export function podRequests(pod: Pod): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const c of pod.spec?.containers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? c.resources?.limits ?? {})) {
      sum[k] = (sum[k] ?? 0) + (parseQuantity(String(v)) ?? 0);
    }
  }
  // Init containers run one at a time: the largest counts if larger.
  for (const c of pod.spec?.initContainers ?? []) {
    for (const [k, v] of Object.entries(c.resources?.requests ?? c.resources?.limits ?? {})) {
      const q = parseQuantity(String(v)) ?? 0;
      if (q > (sum[k] ?? 0)) sum[k] = q;
    }
  }
  return sum;
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

function matchRequirement(req: NodeSelectorRequirement, value: string | undefined): boolean {
  switch (req.operator) {
    case 'In':
      return value !== undefined && (req.values ?? []).includes(value);
    case 'NotIn':
      return value === undefined || !(req.values ?? []).includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
      return value !== undefined && Number(value) > Number(req.values?.[0]);
    case 'Lt':
      return value !== undefined && Number(value) < Number(req.values?.[0]);
    default:
      return false;
  }
}

function matchTerm(term: NodeSelectorTerm, node: N): boolean {
  const labels = node.metadata.labels ?? {};
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return (
    exprs.every((r) => matchRequirement(r, labels[r.key])) &&
    fields.every((r) => matchRequirement(r, r.key === 'metadata.name' ? node.metadata.name : undefined))
  );
}

function affinityTermMatches(ctx: ControllerContext, pod: P, term: PodAffinityTerm, node: N, nodes: N[]): boolean {
  const topology = node.metadata.labels?.[term.topologyKey];
  if (topology === undefined) return false;
  const namespaces = term.namespaces && term.namespaces.length > 0 ? term.namespaces : [pod.metadata.namespace ?? 'default'];
  const sameDomain = new Set(nodes.filter((n) => n.metadata.labels?.[term.topologyKey] === topology).map((n) => n.metadata.name));
  return ctx.api
    .peekList(kind('Pod'))
    .some(
      (o) =>
        o.metadata.uid !== pod.metadata.uid &&
        namespaces.includes(o.metadata.namespace ?? '') &&
        !isPodTerminal(o as never) &&
        sameDomain.has((o as P).spec?.nodeName ?? '') &&
        selectorMatches(term.labelSelector, o.metadata.labels),
    );
}

function check(ctx: ControllerContext, pod: P, node: N, nodes: N[], used: Map<string, { req: Record<string, number>; pods: number; ports: Set<string> }>): Verdict {
  const spec = pod.spec!;
  if (spec.nodeName && spec.nodeName !== node.metadata.name) return { reason: "node(s) didn't match the requested node name" };
  const tolerations = spec.tolerations ?? [];
  if (node.spec?.unschedulable && !tolerates(tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) {
    return { reason: 'node(s) were unschedulable' };
  }
  const labels = node.metadata.labels ?? {};
  const selectorOk = Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v);
  const required = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinityOk = !required || required.nodeSelectorTerms.some((t) => matchTerm(t, node));
  if (!selectorOk || !affinityOk) return { reason: "node(s) didn't match Pod's node affinity/selector" };
  for (const taint of node.spec?.taints ?? []) {
    if ((taint.effect === 'NoSchedule' || taint.effect === 'NoExecute') && !tolerates(tolerations, taint)) {
      return { reason: `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}` };
    }
  }
  const u = used.get(node.metadata.name ?? '') ?? { req: {}, pods: 0, ports: new Set<string>() };
  for (const c of spec.containers) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && u.ports.has(`${p.protocol ?? 'TCP'}/${p.hostPort}`)) {
        return { reason: "node(s) didn't have free ports for the requested pod ports" };
      }
    }
  }
  const alloc = node.status?.allocatable ?? {};
  const maxPods = parseQuantity(String(alloc.pods ?? '110')) ?? 110;
  const insufficient: string[] = [];
  if (u.pods + 1 > maxPods) insufficient.push('Too many pods');
  const req = podRequests(pod);
  for (const [name, amount] of Object.entries(req)) {
    if (amount <= 0) continue;
    const capacity = alloc[name] === undefined ? 0 : (parseQuantity(String(alloc[name])) ?? 0);
    if ((u.req[name] ?? 0) + amount > capacity) insufficient.push(`Insufficient ${name}`);
  }
  if (insufficient.length > 0) return { reason: insufficient.join('|'), resolvableByPreemption: true };
  for (const term of spec.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (!affinityTermMatches(ctx, pod, term, node, nodes)) return { reason: "node(s) didn't match pod affinity rules" };
  }
  for (const term of spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (affinityTermMatches(ctx, pod, term, node, nodes)) return { reason: "node(s) didn't match pod anti-affinity rules" };
  }
  return {};
}

function usage(ctx: ControllerContext): Map<string, { req: Record<string, number>; pods: number; ports: Set<string> }> {
  const used = new Map<string, { req: Record<string, number>; pods: number; ports: Set<string> }>();
  for (const o of ctx.api.peekList(kind('Pod'))) {
    const p = o as P;
    const node = p.spec?.nodeName;
    if (!node || isPodTerminal(p)) continue;
    const u = used.get(node) ?? { req: {}, pods: 0, ports: new Set<string>() };
    u.pods++;
    for (const [k, v] of Object.entries(podRequests(p))) u.req[k] = (u.req[k] ?? 0) + v;
    for (const c of p.spec?.containers ?? []) for (const port of c.ports ?? []) if (port.hostPort) u.ports.add(`${port.protocol ?? 'TCP'}/${port.hostPort}`);
    used.set(node, u);
  }
  return used;
}

// `0/1 nodes are available: 1 Insufficient cpu. preemption: ...`
function failureMessage(total: number, verdicts: Verdict[], extra?: string): string {
  if (extra) {
    return `0/${total} nodes are available: ${extra}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
  }
  const counts = new Map<string, number>();
  const preempt = new Map<string, number>();
  for (const v of verdicts) {
    for (const r of (v.reason ?? '').split('|')) counts.set(r, (counts.get(r) ?? 0) + 1);
    const p = v.resolvableByPreemption ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
    preempt.set(p, (preempt.get(p) ?? 0) + 1);
  }
  const fmt = (m: Map<string, number>) =>
    [...m.entries()]
      .map(([r, n]) => `${n} ${r}`)
      .sort()
      .join(', ');
  return `0/${total} nodes are available: ${fmt(counts)}. preemption: 0/${total} nodes are available: ${fmt(preempt)}.`;
}

function unboundClaims(ctx: ControllerContext, pod: P): string | undefined {
  for (const v of pod.spec?.volumes ?? []) {
    const claim = v.persistentVolumeClaim?.claimName;
    if (!claim) continue;
    const pvc = ctx.api.peek(kind('PersistentVolumeClaim'), pod.metadata.namespace, claim);
    if (!pvc) return `persistentvolumeclaim "${claim}" not found`;
    if ((pvc.status as { phase?: string } | undefined)?.phase !== 'Bound') return 'pod has unbound immediate PersistentVolumeClaims';
  }
  return undefined;
}

function setScheduledCondition(pod: P, status: 'True' | 'False', now: number, reason?: string, message?: string): P {
  const next = clone(pod);
  const st = (next as { status?: Pod['status'] }).status ?? {};
  const conds = (st.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
  const prev = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
  const cond = {
    type: 'PodScheduled',
    status,
    lastProbeTime: null as unknown as string,
    lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : rfc3339(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
  (next as { status?: Pod['status'] }).status = { ...st, conditions: [...conds, cond] };
  return next;
}

function schedulable(pod: P | undefined): pod is P {
  return (
    !!pod &&
    !pod.spec?.nodeName &&
    !pod.metadata.deletionTimestamp &&
    (pod.spec?.schedulerName ?? 'default-scheduler') === 'default-scheduler' &&
    (pod.spec?.schedulingGates ?? []).length === 0 &&
    !isPodTerminal(pod)
  );
}

// Drops the attempts of pods that were deleted while pending.
function forgetGonePods(api: ApiServer): void {
  const attempts = api.world.state.schedulingAttempts;
  if (!attempts || Object.keys(attempts).length === 0) return;
  const live = new Set(api.peekList(kind('Pod')).map((p) => p.metadata.uid));
  for (const uid of Object.keys(attempts)) if (!live.has(uid)) delete attempts[uid];
}

export const scheduler: Controller = {
  name: 'scheduler',
  primary: kind('Pod'),
  watches: [
    // Any node change, or a pod going away, may make room.
    {
      kind: kind('Node'),
      map: (_n, api) => api.peekList(kind('Pod')).filter((p) => schedulable(p as P)).map(keyOf),
    },
    {
      kind: kind('PersistentVolumeClaim'),
      map: (pvc, api) =>
        api
          .peekList(kind('Pod'), { namespace: pvc.metadata.namespace })
          .filter((p) => schedulable(p as P) && (p as P).spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata.name))
          .map(keyOf),
    },
    {
      kind: kind('Pod'),
      map: (p, api, type) =>
        type === 'DELETED' || isPodTerminal(p as P) ? api.peekList(kind('Pod')).filter((o) => schedulable(o as P)).map(keyOf) : [],
    },
  ],
  reconcile(key, ctx) {
    const { api, recorder, now } = ctx;
    const [namespace, name] = key.split('/');
    const pod = api.peek(kind('Pod'), namespace, name) as P | undefined;
    if (!pod) forgetGonePods(api);
    if (!schedulable(pod)) return;
    const nodes = api.peekList(kind('Node')) as N[];
    const claimProblem = unboundClaims(ctx, pod);
    const used = usage(ctx);
    const verdicts = nodes.map((n) => ({ node: n, verdict: check(ctx, pod, n, nodes, used) }));
    const fits = verdicts.filter((v) => !v.verdict.reason);
    if (claimProblem || fits.length === 0) {
      const message = failureMessage(nodes.length, verdicts.map((v) => v.verdict), claimProblem);
      const prev = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
      // One attempt per change of the verdict, then one per retry period: not one
      // per reconcile (the condition written here comes back as a pod update).
      const attempts = (api.world.state.schedulingAttempts ??= {});
      const last = attempts[pod.metadata.uid ?? ''];
      if (prev?.message !== message) api.update(setScheduledCondition(pod, 'False', now, 'Unschedulable', message), { subresource: 'status' });
      if (!last || last.message !== message || now - last.at >= RETRY_MS) {
        recorder.event(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' });
        attempts[pod.metadata.uid ?? ''] = { at: now, message };
      }
      ctx.requeueAfter(this.name, key, RETRY_MS);
      return;
    }
    // Spread: fewest pods first, then the least requested cpu, then by name.
    fits.sort((a, b) => {
      const ua = used.get(a.node.metadata.name ?? '');
      const ub = used.get(b.node.metadata.name ?? '');
      const pa = ua?.pods ?? 0;
      const pb = ub?.pods ?? 0;
      if (pa !== pb) return pa - pb;
      const ca = ua?.req.cpu ?? 0;
      const cb = ub?.req.cpu ?? 0;
      if (ca !== cb) return ca - cb;
      return (a.node.metadata.name ?? '') < (b.node.metadata.name ?? '') ? -1 : 1;
    });
    const target = fits[0].node.metadata.name ?? '';
    delete api.world.state.schedulingAttempts?.[pod.metadata.uid ?? ''];
    const bound = clone(pod);
    bound.spec = { ...bound.spec!, nodeName: target };
    const updated = api.update(bound, { subresource: 'binding' }) as P;
    recorder.schedulerEvent(updated, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${namespace}/${name} to ${target}`);
  },
};
