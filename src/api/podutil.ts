import type { PodSpec } from 'kubernetes-types/core/v1';

// Pod helpers shared by the API server, kubelet and printers.

// QoS class (pkg/apis/core/helper/qos): Guaranteed when every container has
// cpu and memory limits equal to its requests, BestEffort when nothing is set.
export function qosClass(spec: PodSpec | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    for (const name of ['cpu', 'memory']) {
      if (requests[name] !== undefined || limits[name] !== undefined) any = true;
      const limit = limits[name];
      const request = requests[name] ?? limit;
      if (limit === undefined || String(request) !== String(limit)) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

interface PodLike {
  metadata?: { deletionTimestamp?: string; creationTimestamp?: string };
  status?: { phase?: string; conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
}

export function isPodTerminal(pod: PodLike): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

// Counts for a controller: not finished and not being deleted.
export function isPodActive(pod: PodLike): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

export function readyCondition(pod: PodLike): { status: string; lastTransitionTime?: string } | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: PodLike): boolean {
  return readyCondition(pod)?.status === 'True';
}

// Ready for at least minReadySeconds at `now` (podutil.IsPodAvailable).
export function isPodAvailable(pod: PodLike, minReadySeconds: number, now: number): boolean {
  const c = readyCondition(pod);
  if (c?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : 0;
  return since + minReadySeconds * 1000 <= now;
}

// When a ready pod becomes available, for requeueing.
export function availableAt(pod: PodLike, minReadySeconds: number): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  return Date.parse(c.lastTransitionTime) + minReadySeconds * 1000;
}

interface RankedPod extends PodLike {
  spec?: { nodeName?: string };
  status?: PodLike['status'] & { containerStatuses?: { restartCount?: number }[] };
}

// kubectl's podutils.ActivePods, reversed: the order in which `logs`,
// `attach` and `port-forward` pick a workload's pod (assigned, running,
// ready longest, fewest restarts, oldest first). Finished pods stay in the
// running, so a completed Job's pod still has its logs read.
export function byMostActive(a: RankedPod, b: RankedPod): number {
  const assigned = (p: RankedPod) => (p.spec?.nodeName ? 1 : 0);
  if (assigned(a) !== assigned(b)) return assigned(b) - assigned(a);
  const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
  const phase = (p: RankedPod) => phaseRank[p.status?.phase ?? ''] ?? 0;
  if (phase(a) !== phase(b)) return phase(b) - phase(a);
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? -1 : 1;
  const time = (t?: string) => (t ? Date.parse(t) : Infinity);
  if (isPodReady(a)) {
    const d = time(readyCondition(a)?.lastTransitionTime) - time(readyCondition(b)?.lastTransitionTime);
    if (d !== 0) return d;
  }
  const restarts = (p: RankedPod) => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
  if (restarts(a) !== restarts(b)) return restarts(a) - restarts(b);
  return time(a.metadata?.creationTimestamp) - time(b.metadata?.creationTimestamp);
}
