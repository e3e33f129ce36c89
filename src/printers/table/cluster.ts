import type { Node } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, get, nameColumn } from './common';
import { age } from '../duration';

// Nodes, namespaces, service accounts, leases and events.

const as = <T>(o: KubeObject): T => o as unknown as T;

function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
  let s = !ready ? 'Unknown' : ready.status === 'True' ? 'Ready' : 'NotReady';
  if (node.spec?.unschedulable) s += ',SchedulingDisabled';
  return s;
}

function nodeRoles(node: Node): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role') roles.add(v);
  }
  const list = [...roles].filter((r) => r).sort();
  return list.length > 0 ? list.join(',') : '<none>';
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? '<none>';
}

const orUnknown = (s: string | undefined) => (s ? s : '<unknown>');

export const NODE_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Status', cell: (o) => nodeStatus(as<Node>(o)) },
    { name: 'Roles', cell: (o) => nodeRoles(as<Node>(o)) },
    ageColumn,
    { name: 'Version', cell: (o) => as<Node>(o).status?.nodeInfo?.kubeletVersion ?? '' },
    { name: 'Internal-IP', priority: 1, cell: (o) => address(as<Node>(o), 'InternalIP') },
    { name: 'External-IP', priority: 1, cell: (o) => address(as<Node>(o), 'ExternalIP') },
    { name: 'OS-Image', priority: 1, cell: (o) => orUnknown(as<Node>(o).status?.nodeInfo?.osImage) },
    { name: 'Kernel-Version', priority: 1, cell: (o) => orUnknown(as<Node>(o).status?.nodeInfo?.kernelVersion) },
    { name: 'Container-Runtime', priority: 1, cell: (o) => orUnknown(as<Node>(o).status?.nodeInfo?.containerRuntimeVersion) },
  ],
};

export const NAMESPACE_TABLE: TableDef = {
  columns: [nameColumn, { name: 'Status', cell: (o) => String(get(o, 'status', 'phase') ?? '') }, ageColumn],
};

export const SERVICEACCOUNT_TABLE: TableDef = {
  columns: [nameColumn, { name: 'Secrets', cell: (o) => String((get<unknown[]>(o, 'secrets') ?? []).length) }, ageColumn],
};

export const LEASE_TABLE: TableDef = {
  columns: [nameColumn, { name: 'Holder', cell: (o) => String(get(o, 'spec', 'holderIdentity') ?? '') }, ageColumn],
};

interface EventLike {
  lastTimestamp?: string | null;
  firstTimestamp?: string | null;
  eventTime?: string | null;
  series?: { lastObservedTime?: string; count?: number };
  count?: number;
  type?: string;
  reason?: string;
  message?: string;
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
}

function lastSeen(e: EventLike, now: number): string {
  const t = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
  return t ? age(t, now) : '<unknown>';
}

function firstSeen(e: EventLike, now: number): string {
  const t = e.firstTimestamp ?? e.eventTime;
  return t ? age(t, now) : '<unknown>';
}

function source(e: EventLike): string {
  const component = e.source?.component || e.reportingComponent || '';
  return e.source?.host ? `${component}, ${e.source.host}` : component;
}

export const EVENT_TABLE: TableDef = {
  columns: [
    { name: 'Last Seen', cell: (o, ctx) => lastSeen(as<EventLike>(o), ctx.now) },
    { name: 'Type', cell: (o) => as<EventLike>(o).type ?? '' },
    { name: 'Reason', cell: (o) => as<EventLike>(o).reason ?? '' },
    {
      name: 'Object',
      cell: (o) => {
        const io = as<EventLike>(o).involvedObject;
        return `${(io?.kind ?? '').toLowerCase()}/${io?.name ?? ''}`;
      },
    },
    { name: 'Subobject', priority: 1, cell: (o) => as<EventLike>(o).involvedObject?.fieldPath ?? '' },
    { name: 'Source', priority: 1, cell: (o) => source(as<EventLike>(o)) },
    { name: 'Message', cell: (o) => (as<EventLike>(o).message ?? '').trim() },
    { name: 'First Seen', priority: 1, cell: (o, ctx) => firstSeen(as<EventLike>(o), ctx.now) },
    {
      name: 'Count',
      priority: 1,
      cell: (o) => {
        const e = as<EventLike>(o);
        return String(e.series?.count ?? e.count ?? 1);
      },
    },
    { name: 'Name', priority: 1, cell: (o) => o.metadata.name ?? '' },
  ],
};
