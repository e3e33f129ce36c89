import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, containersColumns, get, mapString, nameColumn, num } from './common';
import { formatLabelSelector } from '../../api/selectors';
import { age, humanDuration } from '../duration';
import type { LabelSelector } from 'kubernetes-types/meta/v1';

// apps, batch, autoscaling and policy tables.

const selectorColumn = (path: string[]) => ({
  name: 'Selector',
  priority: 1 as const,
  cell: (o: KubeObject) => formatLabelSelector(get<LabelSelector>(o, ...path)),
});

export const DEPLOYMENT_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Ready', cell: (o) => `${num(get(o, 'status', 'readyReplicas'))}/${num(get(o, 'spec', 'replicas'))}` },
    { name: 'Up-to-date', cell: (o) => num(get(o, 'status', 'updatedReplicas')) },
    { name: 'Available', cell: (o) => num(get(o, 'status', 'availableReplicas')) },
    ageColumn,
    ...containersColumns(['spec', 'template', 'spec', 'containers']),
    {
      name: 'Selector',
      priority: 1,
      cell: (o) => {
        const s = formatLabelSelector(get<LabelSelector>(o, 'spec', 'selector'));
        return s === '<none>' ? '' : s;
      },
    },
  ],
};

export const REPLICASET_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Desired', cell: (o) => num(get(o, 'spec', 'replicas')) },
    { name: 'Current', cell: (o) => num(get(o, 'status', 'replicas')) },
    { name: 'Ready', cell: (o) => num(get(o, 'status', 'readyReplicas')) },
    ageColumn,
    ...containersColumns(['spec', 'template', 'spec', 'containers']),
    selectorColumn(['spec', 'selector']),
  ],
};

export const REPLICATIONCONTROLLER_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Desired', cell: (o) => num(get(o, 'spec', 'replicas')) },
    { name: 'Current', cell: (o) => num(get(o, 'status', 'replicas')) },
    { name: 'Ready', cell: (o) => num(get(o, 'status', 'readyReplicas')) },
    ageColumn,
    ...containersColumns(['spec', 'template', 'spec', 'containers']),
    { name: 'Selector', priority: 1, cell: (o) => mapString(get(o, 'spec', 'selector')) },
  ],
};

export const STATEFULSET_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Ready', cell: (o) => `${num(get(o, 'status', 'readyReplicas'))}/${num(get(o, 'spec', 'replicas'))}` },
    ageColumn,
    ...containersColumns(['spec', 'template', 'spec', 'containers']),
  ],
};

export const DAEMONSET_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Desired', cell: (o) => num(get(o, 'status', 'desiredNumberScheduled')) },
    { name: 'Current', cell: (o) => num(get(o, 'status', 'currentNumberScheduled')) },
    { name: 'Ready', cell: (o) => num(get(o, 'status', 'numberReady')) },
    { name: 'Up-to-date', cell: (o) => num(get(o, 'status', 'updatedNumberScheduled')) },
    { name: 'Available', cell: (o) => num(get(o, 'status', 'numberAvailable')) },
    { name: 'Node Selector', cell: (o) => mapString(get(o, 'spec', 'template', 'spec', 'nodeSelector')) },
    ageColumn,
    ...containersColumns(['spec', 'template', 'spec', 'containers']),
    selectorColumn(['spec', 'selector']),
  ],
};

function jobStatus(job: Job): string {
  const conds = job.status?.conditions ?? [];
  const has = (t: string) => conds.some((c) => c.type === t && c.status === 'True');
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (has('Suspended')) return 'Suspended';
  if (has('FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: Job): string {
  const succeeded = job.status?.succeeded ?? 0;
  if (job.spec?.completions !== undefined && job.spec.completions !== null) return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  if (parallelism > 1) return `${succeeded}/1 of ${parallelism}`;
  return `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = job.status?.startTime;
  if (!start) return '';
  const end = job.status?.completionTime ? Date.parse(job.status.completionTime) : now;
  return humanDuration(end - Date.parse(start));
}

export const JOB_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Status', cell: (o) => jobStatus(o as unknown as Job) },
    { name: 'Completions', cell: (o) => jobCompletions(o as unknown as Job) },
    { name: 'Duration', cell: (o, ctx) => jobDuration(o as unknown as Job, ctx.now) },
    ageColumn,
    ...containersColumns(['spec', 'template', 'spec', 'containers']),
    selectorColumn(['spec', 'selector']),
  ],
};

export const CRONJOB_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Schedule', cell: (o) => String(get(o, 'spec', 'schedule') ?? '') },
    { name: 'Timezone', cell: (o) => String(get(o, 'spec', 'timeZone') ?? '<none>') },
    {
      name: 'Suspend',
      cell: (o) => {
        const s = (o as unknown as CronJob).spec?.suspend;
        return s === undefined ? '<unset>' : s ? 'True' : 'False';
      },
    },
    { name: 'Active', cell: (o) => String(((o as unknown as CronJob).status?.active ?? []).length) },
    {
      name: 'Last Schedule',
      cell: (o, ctx) => {
        const t = (o as unknown as CronJob).status?.lastScheduleTime;
        return t ? age(t, ctx.now) : '<none>';
      },
    },
    ageColumn,
    ...containersColumns(['spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers']),
    selectorColumn(['spec', 'jobTemplate', 'spec', 'selector']),
  ],
};

export const CONTROLLERREVISION_TABLE: TableDef = {
  columns: [
    nameColumn,
    {
      name: 'Controller',
      cell: (o) => {
        const ref = (o.metadata.ownerReferences ?? []).find((r) => r.controller);
        if (!ref) return '<none>';
        const group = ref.apiVersion.includes('/') ? `.${ref.apiVersion.split('/')[0]}` : '';
        return `${ref.kind.toLowerCase()}${group}/${ref.name}`;
      },
    },
    { name: 'Revision', cell: (o) => String(get(o, 'revision') ?? 0) },
    ageColumn,
  ],
};

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'Resource': {
      const r = spec.resource!;
      if (r.target.type === 'Utilization' && r.target.averageUtilization !== undefined) {
        const cur = status?.resource?.current.averageUtilization;
        return `${r.name}: ${cur === undefined ? '<unknown>' : `${cur}%`}/${r.target.averageUtilization}%`;
      }
      const cur = status?.resource?.current.averageValue;
      return `${r.name}: ${cur ?? '<unknown>'}/${r.target.averageValue ?? '<auto>'}`;
    }
    case 'Pods': {
      const cur = status?.pods?.current.averageValue;
      return `${cur ?? '<unknown>'}/${spec.pods?.target.averageValue ?? '<auto>'}`;
    }
    case 'Object': {
      const t = spec.object?.target;
      const cur = t?.type === 'AverageValue' ? status?.object?.current.averageValue : status?.object?.current.value;
      const target = t?.type === 'AverageValue' ? `${t.averageValue} (avg)` : t?.value;
      return `${cur ?? '<unknown>'}/${target ?? '<auto>'}`;
    }
    case 'External': {
      const t = spec.external?.target;
      const cur = t?.type === 'AverageValue' ? status?.external?.current.averageValue : status?.external?.current.value;
      const target = t?.type === 'AverageValue' ? `${t.averageValue} (avg)` : t?.value;
      return `${cur ?? '<unknown>'}/${target ?? '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

function hpaTargets(hpa: HorizontalPodAutoscaler): string {
  const metrics = hpa.spec?.metrics ?? [];
  if (metrics.length === 0) return '<none>';
  const cells = metrics.map((m, i) => formatMetric(m, hpa.status?.currentMetrics?.[i]));
  if (cells.length > 2) return `${cells.slice(0, 2).join(', ')} + ${cells.length - 2} more...`;
  return cells.join(', ');
}

export const HPA_TABLE: TableDef = {
  columns: [
    nameColumn,
    {
      name: 'Reference',
      cell: (o) => {
        const ref = (o as unknown as HorizontalPodAutoscaler).spec?.scaleTargetRef;
        return `${ref?.kind ?? ''}/${ref?.name ?? ''}`;
      },
    },
    { name: 'Targets', cell: (o) => hpaTargets(o as unknown as HorizontalPodAutoscaler) },
    {
      name: 'MinPods',
      cell: (o) => {
        const m = (o as unknown as HorizontalPodAutoscaler).spec?.minReplicas;
        return m === undefined ? '<unset>' : String(m);
      },
    },
    { name: 'MaxPods', cell: (o) => num(get(o, 'spec', 'maxReplicas')) },
    { name: 'Replicas', cell: (o) => num(get(o, 'status', 'currentReplicas')) },
    ageColumn,
  ],
};

const intOrNA = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));

export const PDB_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Min Available', cell: (o) => intOrNA(get(o, 'spec', 'minAvailable')) },
    { name: 'Max Unavailable', cell: (o) => intOrNA(get(o, 'spec', 'maxUnavailable')) },
    { name: 'Allowed Disruptions', cell: (o) => num(get(o, 'status', 'disruptionsAllowed')) },
    ageColumn,
  ],
};
