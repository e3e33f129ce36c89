import type { Pod } from 'kubernetes-types/core/v1';
import type { ApiServer, ListOptions } from '../../api/server';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { isPodReady } from '../../api/podutil';
import { parseTime } from '../../sim/clock';
import { lookupImage, pullImage } from '../../sim/images';
import { parseQuantity } from '../../util/quantity';
import { metricsSettings } from './index';

// The simulated metrics-server: the Metrics API (metrics.k8s.io) is served
// once a metrics-server pod has run for one metric resolution, and reports
// for each pod that has run that long the usage its images declare in the
// image catalogue; a node's usage is its pods' plus the node's own base.

type P = Pod & KubeObject;

export interface ContainerUsage {
  name: string;
  cpuMilli: number;
  memoryBytes: number;
}

export interface PodUsage {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  containers: ContainerUsage[];
}

export interface NodeUsage {
  name: string;
  labels: Record<string, string>;
  cpuMilli: number;
  memoryBytes: number;
}

function resolutionMs(): number {
  return metricsSettings().resolutionSeconds * 1000;
}

// When every container of the pod has been running since (undefined: not all running).
function runningSince(pod: P): number | undefined {
  const statuses = pod.status?.containerStatuses ?? [];
  if (pod.status?.phase !== 'Running' || statuses.length === 0) return undefined;
  let latest = 0;
  for (const cs of statuses) {
    const started = parseTime(cs.state?.running?.startedAt);
    if (started === undefined) return undefined;
    latest = Math.max(latest, started);
  }
  return latest;
}

function scraped(pod: P, now: number): boolean {
  const since = runningSince(pod);
  return since !== undefined && since + resolutionMs() <= now && !pod.metadata.deletionTimestamp;
}

// Whether `kubectl top` finds the Metrics API.
export function metricsAvailable(api: ApiServer): boolean {
  const now = api.now();
  return api
    .peekList(kind('Pod'), { namespace: 'kube-system' })
    .some((p) => p.metadata.labels?.['k8s-app'] === 'metrics-server' && isPodReady(p as P) && scraped(p as P, now));
}

function imageUsage(image: string): { cpu: string; memory: string } {
  const pulled = pullImage(image, false);
  if (pulled.ok) return pulled.entry.usage;
  return lookupImage(image).entry?.usage ?? { cpu: '0', memory: '0' };
}

function containerUsage(pod: P): ContainerUsage[] {
  return (pod.spec?.containers ?? []).map((c) => {
    const usage = imageUsage(c.image ?? '');
    return {
      name: c.name,
      cpuMilli: Math.round((parseQuantity(usage.cpu) ?? 0) * 1000),
      memoryBytes: Math.round(parseQuantity(usage.memory) ?? 0),
    };
  });
}

// PodMetrics for the pods in the last scrape, in etcd order.
export function podMetrics(api: ApiServer, opts: ListOptions = {}): PodUsage[] {
  const now = api.now();
  return (api.peekList(kind('Pod'), opts) as P[])
    .filter((p) => scraped(p, now))
    .map((p) => ({
      namespace: p.metadata.namespace ?? '',
      name: p.metadata.name ?? '',
      labels: p.metadata.labels ?? {},
      containers: containerUsage(p),
    }));
}

export function nodeMetrics(api: ApiServer, opts: ListOptions = {}): NodeUsage[] {
  const base = metricsSettings().nodeBase;
  const baseCpu = Math.round((parseQuantity(base.cpu) ?? 0) * 1000);
  const baseMemory = Math.round(parseQuantity(base.memory) ?? 0);
  const now = api.now();
  const pods = (api.peekList(kind('Pod')) as P[]).filter((p) => scraped(p, now));
  return api.peekList(kind('Node'), opts).map((node) => {
    const name = node.metadata.name ?? '';
    let cpuMilli = baseCpu;
    let memoryBytes = baseMemory;
    for (const p of pods) {
      if (p.spec?.nodeName !== name) continue;
      for (const c of containerUsage(p)) {
        cpuMilli += c.cpuMilli;
        memoryBytes += c.memoryBytes;
      }
    }
    return { name, labels: node.metadata.labels ?? {}, cpuMilli, memoryBytes };
  });
}
