import type { CronJob, Job } from 'kubernetes-types/batch/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { controllerOf, controllerRef } from './podtemplate';
import { clone, deepEqual, nullTimestamp } from '../util/json';
import { rfc3339 } from '../sim/clock';

// The CronJob controller (pkg/controller/cronjob): a Job per schedule time,
// named <cronjob>-<minutes since the epoch>, concurrency policies, history
// limits, and a timer for the next schedule so `sim advance` fires each one.

type C = CronJob & KubeObject;
type J = Job & KubeObject;
const SOURCE = { component: 'cronjob-controller' };
const SCHEDULED_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

interface Cron {
  next(after: number): number | undefined;
}

function parse(cj: C): Cron | undefined {
  const schedule = cj.spec?.schedule ?? '';
  const macros: Record<string, string> = {
    '@yearly': '0 0 1 1 *',
    '@annually': '0 0 1 1 *',
    '@monthly': '0 0 1 * *',
    '@weekly': '0 0 * * 0',
    '@daily': '0 0 * * *',
    '@midnight': '0 0 * * *',
    '@hourly': '0 * * * *',
  };
  const expr = macros[schedule] ?? schedule;
  const { CronExpressionParser } = require('cron-parser') as typeof import('cron-parser');
  try {
    CronExpressionParser.parse(expr, { tz: cj.spec?.timeZone ?? 'UTC' });
  } catch {
    return undefined;
  }
  return {
    next(after: number) {
      const it = CronExpressionParser.parse(expr, { currentDate: new Date(after), tz: cj.spec?.timeZone ?? 'UTC' });
      return it.next().getTime();
    },
  };
}

// mostRecentScheduleTime: the latest schedule time not after now, counting
// from the last one (or creation), or from startingDeadlineSeconds ago if
// that is later; and how many were missed (estimated as upstream does, from
// the interval between two schedules, so a long outage costs no long walk).
function mostRecent(cron: Cron, cj: C, lastSchedule: string | undefined, now: number): { at?: number; missed: number } {
  let earliest = Date.parse(lastSchedule ?? cj.metadata.creationTimestamp ?? '') || now;
  const deadline = cj.spec?.startingDeadlineSeconds;
  if (deadline !== undefined && deadline !== null) earliest = Math.max(earliest, now - deadline * 1000);
  const t1 = cron.next(earliest);
  if (t1 === undefined || t1 > now) return { missed: 0 };
  const t2 = cron.next(t1);
  if (t2 === undefined || t2 > now) return { at: t1, missed: 0 };
  const interval = Math.max(1000, Math.round((t2 - t1) / 1000) * 1000);
  const missed = Math.floor((now - t1) / interval) + 1;
  let at: number | undefined;
  for (let t = cron.next(t1 + (missed - 2) * interval); t !== undefined && t <= now; t = cron.next(t)) at = t;
  return { at, missed };
}

function jobFinished(job: J): 'Complete' | 'Failed' | undefined {
  const c = (job.status?.conditions ?? []).find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

function jobsOf(ctx: ControllerContext, cj: C): J[] {
  return ctx.api
    .peekList(kind('Job'), { namespace: cj.metadata.namespace })
    .filter((j) => controllerOf(j)?.uid === cj.metadata.uid) as J[];
}

function newJob(cj: C, at: number): KubeObject {
  const t = clone(cj.spec!.jobTemplate);
  const meta = t.metadata ?? {};
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cj.metadata.name}-${Math.floor(at / 60000)}`,
      namespace: cj.metadata.namespace,
      labels: { ...(meta.labels ?? {}) },
      annotations: { ...(meta.annotations ?? {}), [SCHEDULED_ANNOTATION]: rfc3339(at) },
      ownerReferences: [controllerRef(cj)],
    },
    spec: t.spec,
  };
  const spec = job.spec as { template?: { metadata?: { creationTimestamp?: string } } };
  if (spec.template?.metadata) nullTimestamp(spec.template.metadata);
  return job;
}

function cleanupHistory(ctx: ControllerContext, cj: C, jobs: J[]): void {
  const limits = { Complete: cj.spec?.successfulJobsHistoryLimit ?? 3, Failed: cj.spec?.failedJobsHistoryLimit ?? 1 };
  for (const state of ['Complete', 'Failed'] as const) {
    const done = jobs
      .filter((j) => jobFinished(j) === state)
      .sort((a, b) => Date.parse(a.metadata.creationTimestamp ?? '') - Date.parse(b.metadata.creationTimestamp ?? ''));
    for (const j of done.slice(0, Math.max(0, done.length - limits[state]))) {
      ctx.api.delete(kind('Job'), j.metadata.namespace, j.metadata.name ?? '', { propagationPolicy: 'Background' });
      ctx.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${j.metadata.name}`, SOURCE);
    }
  }
}

function reconcileCronJob(key: string, ctx: ControllerContext): void {
  const { api, recorder, now } = ctx;
  const [namespace, name] = key.split('/');
  const cj = api.peek(kind('CronJob'), namespace, name) as C | undefined;
  if (!cj || cj.metadata.deletionTimestamp) return;
  const status = clone(cj.status ?? {});
  let jobs = jobsOf(ctx, cj);
  // Finished jobs leave the active list.
  const active = new Set((status.active ?? []).map((r) => r.name ?? ''));
  for (const j of jobs) {
    const state = jobFinished(j);
    if (state && active.has(j.metadata.name ?? '')) {
      active.delete(j.metadata.name ?? '');
      recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata.name}, condition: ${state}`, SOURCE);
      if (state === 'Complete') status.lastSuccessfulTime = j.status?.completionTime ?? rfc3339(now);
    }
  }
  const cron = parse(cj);
  if (cron && !cj.spec?.suspend) {
    const { at: due, missed } = mostRecent(cron, cj, status.lastScheduleTime, now);
    if (due !== undefined) {
      if (missed > 100) recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew', SOURCE);
      const deadline = cj.spec?.startingDeadlineSeconds;
      const late = deadline !== undefined && now - due > deadline * 1000;
      const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
      if (!late && !(policy === 'Forbid' && active.size > 0)) {
        if (policy === 'Replace') {
          for (const a of active) {
            api.delete(kind('Job'), namespace, a, { propagationPolicy: 'Background' });
            recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${a}`, SOURCE);
          }
          active.clear();
        }
        const job = newJob(cj, due);
        if (!api.peek(kind('Job'), namespace, job.metadata.name ?? '')) {
          const created = api.create(job, { fieldManager: 'kube-controller-manager' });
          active.add(created.metadata.name ?? '');
          recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata.name}`, SOURCE);
        }
      }
      status.lastScheduleTime = rfc3339(due);
    }
    const next = cron.next(Math.max(now, Date.parse(status.lastScheduleTime ?? '') || 0));
    if (next !== undefined) ctx.requeueAt('cronjob', key, next);
  }
  jobs = jobsOf(ctx, cj);
  const refs = jobs
    .filter((j) => active.has(j.metadata.name ?? ''))
    .map((j) => ({ apiVersion: 'batch/v1', kind: 'Job', name: j.metadata.name ?? '', namespace: j.metadata.namespace, resourceVersion: j.metadata.resourceVersion, uid: j.metadata.uid }));
  if (refs.length > 0) status.active = refs;
  else delete status.active;
  if (!deepEqual(status, cj.status ?? {})) api.update({ ...clone(cj), status }, { subresource: 'status' });
  cleanupHistory(ctx, cj, jobsOf(ctx, cj));
}

export const cronJobController: Controller = {
  name: 'cronjob',
  primary: kind('CronJob'),
  watches: [
    {
      kind: kind('Job'),
      map: (job) => {
        const ref = controllerOf(job);
        return ref?.kind === 'CronJob' ? [`${job.metadata.namespace}/${ref.name}`] : [];
      },
    },
  ],
  reconcile: reconcileCronJob,
};
