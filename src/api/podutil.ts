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
