import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, nameColumn } from './common';
import { humanDuration } from '../duration';

// The pod row: READY, STATUS and RESTARTS as printPod computes them.

interface PodRow {
  ready: string;
  status: string;
  restarts: string;
}

function lastTerminated(cs: ContainerStatus): number | undefined {
  const t = cs.lastState?.terminated?.finishedAt;
  return t ? Date.parse(t) : undefined;
}

function restartsCell(count: number, last: number | undefined, now: number): string {
  if (count !== 0 && last !== undefined) return `${count} (${humanDuration(now - last)} ago)`;
  return String(count);
}

function isRestartableInit(spec: Pod['spec'], name: string): boolean {
  return (spec?.initContainers ?? []).some((c) => c.name === name && c.restartPolicy === 'Always');
}

export function podRow(podObj: KubeObject, now: number): PodRow {
  const pod = podObj as unknown as Pod;
  const spec = pod.spec;
  const status = pod.status ?? {};
  const initContainers = spec?.initContainers ?? [];
  const sidecars = initContainers.filter((c) => c.restartPolicy === 'Always').length;
  const total = (spec?.containers ?? []).length + sidecars;
  let ready = 0;
  let restarts = 0;
  let lastRestart: number | undefined;
  const noteRestart = (cs: ContainerStatus) => {
    restarts += cs.restartCount ?? 0;
    const t = lastTerminated(cs);
    if (t !== undefined && (lastRestart === undefined || t > lastRestart)) lastRestart = t;
  };
  let reason: string = status.phase ?? '';
  if (status.reason) reason = status.reason;
  const scheduled = (status.conditions ?? []).find((c) => c.type === 'PodScheduled');
  if (scheduled?.reason === 'SchedulingGated') reason = 'SchedulingGated';

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i];
    noteRestart(cs);
    const sidecar = isRestartableInit(spec, cs.name);
    if (cs.state?.terminated && cs.state.terminated.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    if (cs.state?.terminated) {
      const t = cs.state.terminated;
      if (t.reason) reason = `Init:${t.reason}`;
      else if (t.signal) reason = `Init:Signal:${t.signal}`;
      else reason = `Init:ExitCode:${t.exitCode}`;
    } else if (cs.state?.waiting?.reason && cs.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${cs.state.waiting.reason}`;
    } else {
      reason = `Init:${i}/${initContainers.length}`;
    }
    initializing = true;
    break;
  }

  const initializedTrue = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initializedTrue) {
    restarts = 0;
    lastRestart = undefined;
    for (const cs of initStatuses) if (isRestartableInit(spec, cs.name)) noteRestart(cs);
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      noteRestart(cs);
      if (cs.state?.waiting?.reason) reason = cs.state.waiting.reason;
      else if (cs.state?.terminated?.reason) reason = cs.state.terminated.reason;
      else if (cs.state?.terminated) {
        reason = cs.state.terminated.signal ? `Signal:${cs.state.terminated.signal}` : `ExitCode:${cs.state.terminated.exitCode}`;
      } else if (cs.ready && cs.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata?.deletionTimestamp) {
    if (status.reason === 'NodeLost') reason = 'Unknown';
    else if (status.phase !== 'Succeeded' && status.phase !== 'Failed') reason = 'Terminating';
  }
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsCell(restarts, lastRestart, now) };
}

function readinessGates(podObj: KubeObject): string {
  const pod = podObj as unknown as Pod;
  const gates = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conds = pod.status?.conditions ?? [];
  const trueCount = gates.filter((g) => conds.some((c) => c.type === g.conditionType && c.status === 'True')).length;
  return `${trueCount}/${gates.length}`;
}

export const POD_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Ready', cell: (o, ctx) => podRow(o, ctx.now).ready },
    { name: 'Status', cell: (o, ctx) => podRow(o, ctx.now).status },
    { name: 'Restarts', cell: (o, ctx) => podRow(o, ctx.now).restarts },
    ageColumn,
    { name: 'IP', priority: 1, cell: (o) => (o as unknown as Pod).status?.podIPs?.[0]?.ip ?? (o as unknown as Pod).status?.podIP ?? '<none>' },
    { name: 'Node', priority: 1, cell: (o) => (o as unknown as Pod).spec?.nodeName || '<none>' },
    { name: 'Nominated Node', priority: 1, cell: (o) => (o as unknown as Pod).status?.nominatedNodeName || '<none>' },
    { name: 'Readiness Gates', priority: 1, cell: readinessGates },
  ],
};
