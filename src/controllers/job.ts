import type { Job, JobCondition } from 'kubernetes-types/batch/v1';
import type { Pod } from 'kubernetes-types/core/v1';
import { withoutFinalizer } from './finalizers';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { isPodActive, isPodReady } from '../api/podutil';
import { controllerOf, createPodOrRecord, podFromTemplate } from './podtemplate';
import { clone, deepEqual } from '../util/json';
import { rfc3339 } from '../sim/clock';
import { StatusError } from '../api/errors';

// The Job controller (pkg/controller/job): runs pods until enough succeed,
// counting finished pods through the job-tracking finalizer as the real one
// does, backs off after failures, gives up at backoffLimit or
// activeDeadlineSeconds, and deletes finished Jobs after ttlSecondsAfterFinished.

type J = Job & KubeObject;
type P = Pod & KubeObject;

export const TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
const SOURCE = { component: 'job-controller' };
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 6 * 60_000;

function condition(type: string, reason: string, message: string, now: number): JobCondition {
  const ts = rfc3339(now);
  return { type, status: 'True', reason, message, lastProbeTime: ts, lastTransitionTime: ts };
}

function finished(job: J): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

function removeFinalizer(ctx: ControllerContext, pod: P): void {
  if (!(pod.metadata.finalizers ?? []).includes(TRACKING_FINALIZER)) return;
  try {
    ctx.api.update(withoutFinalizer(pod, TRACKING_FINALIZER));
  } catch (e) {
    if (!(e instanceof StatusError && e.code === 404)) throw e;
  }
}

function reconcileJob(key: string, ctx: ControllerContext): void {
  const { api, recorder, now } = ctx;
  const [namespace, name] = key.split('/');
  const job = api.peek(kind('Job'), namespace, name) as J | undefined;
  if (!job) {
    // A deleted Job's pods must not keep its tracking finalizer forever.
    for (const p of api.peekList(kind('Pod'), { namespace })) {
      const ref = controllerOf(p);
      if (ref?.kind === 'Job' && ref.name === name) removeFinalizer(ctx, p as P);
    }
    return;
  }
  const pods = api.peekList(kind('Pod'), { namespace }).filter((p) => controllerOf(p)?.uid === job.metadata.uid) as P[];
  const status = clone(job.status ?? {});
  let succeeded = status.succeeded ?? 0;
  let failed = status.failed ?? 0;
  // Count finished pods once, then let them go.
  for (const p of pods) {
    if (!(p.metadata.finalizers ?? []).includes(TRACKING_FINALIZER)) continue;
    if (p.status?.phase === 'Succeeded') succeeded++;
    else if (p.status?.phase === 'Failed') failed++;
    else if (!p.metadata.deletionTimestamp) continue;
    else failed++;
    removeFinalizer(ctx, p);
  }
  const active = pods.filter((p) => isPodActive(p));
  if (job.metadata.deletionTimestamp) return;
  const spec = job.spec!;
  const completions = spec.completions ?? undefined;
  const conditions = [...(status.conditions ?? [])];
  const done = finished(job);
  if (!done) {
    status.startTime ??= rfc3339(now);
    const start = Date.parse(status.startTime);
    const backoffLimit = spec.backoffLimit ?? 6;
    const deadline = spec.activeDeadlineSeconds;
    let failure: { reason: string; message: string } | undefined;
    if (failed > backoffLimit) failure = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
    else if (deadline !== undefined && now >= start + deadline * 1000) {
      failure = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
    } else if (deadline !== undefined) ctx.requeueAt('job', key, start + deadline * 1000);
    const complete = completions !== undefined ? succeeded >= completions : succeeded > 0 && active.length === 0;
    if (failure) {
      for (const p of active) api.delete(kind('Pod'), namespace, p.metadata.name ?? '');
      conditions.push(condition('FailureTarget', failure.reason, failure.message, now));
      conditions.push(condition('Failed', failure.reason, failure.message, now));
      recorder.event(job, 'Warning', failure.reason, failure.message, SOURCE);
    } else if (complete) {
      conditions.push(condition('SuccessCriteriaMet', 'CompletionsReached', 'Reached expected number of succeeded pods', now));
      conditions.push(condition('Complete', 'CompletionsReached', 'Reached expected number of succeeded pods', now));
      status.completionTime = rfc3339(now);
      recorder.event(job, 'Normal', 'Completed', 'Job completed', SOURCE);
    } else if (!spec.suspend) {
      const parallelism = spec.parallelism ?? 1;
      const remaining = completions !== undefined ? completions - succeeded : 1;
      const want = Math.max(0, Math.min(parallelism, remaining));
      // After failures, new pods wait an exponential back-off.
      const lastFailure = pods
        .filter((p) => p.status?.phase === 'Failed')
        .map((p) => Date.parse(p.status?.containerStatuses?.[0]?.state?.terminated?.finishedAt ?? p.metadata.creationTimestamp ?? ''))
        .reduce((m, t) => Math.max(m, t || 0), 0);
      const delay = failed > 0 ? Math.min(BACKOFF_BASE_MS * 2 ** (failed - 1), BACKOFF_MAX_MS) : 0;
      if (active.length < want && now < lastFailure + delay) ctx.requeueAt('job', key, lastFailure + delay);
      else {
        for (let i = active.length; i < want; i++) {
          const pod = podFromTemplate(spec.template, job);
          pod.metadata.finalizers = [...(pod.metadata.finalizers ?? []), TRACKING_FINALIZER];
          const created = createPodOrRecord(ctx, job, pod, SOURCE);
          if (!created) break;
          active.push(created as P);
          recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, SOURCE);
        }
      }
    }
  }
  const current = api.peekList(kind('Pod'), { namespace }).filter((p) => controllerOf(p)?.uid === job.metadata.uid && isPodActive(p));
  const next: NonNullable<Job['status']> = {
    ...status,
    conditions: conditions.length > 0 ? conditions : undefined,
    ready: current.filter((p) => isPodReady(p as P)).length,
    terminating: api.peekList(kind('Pod'), { namespace }).filter((p) => controllerOf(p)?.uid === job.metadata.uid && p.metadata.deletionTimestamp).length,
    uncountedTerminatedPods: {},
  };
  if (current.length > 0) next.active = current.length;
  else delete next.active;
  if (succeeded > 0) next.succeeded = succeeded;
  if (failed > 0) next.failed = failed;
  if (!next.conditions) delete next.conditions;
  if (!deepEqual(next, job.status)) api.update({ ...clone(job), status: next }, { subresource: 'status' });
  // TTL after finished (pkg/controller/ttlafterfinished).
  const fin = (next.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (fin && spec.ttlSecondsAfterFinished !== undefined) {
    const expiry = Date.parse(fin.lastTransitionTime ?? '') + spec.ttlSecondsAfterFinished * 1000;
    if (now >= expiry) api.delete(kind('Job'), namespace, name, { propagationPolicy: 'Background' });
    else ctx.requeueAt('job', key, expiry);
  }
}

export const jobController: Controller = {
  name: 'job',
  primary: kind('Job'),
  watches: [
    {
      kind: kind('Pod'),
      map: (pod) => {
        const ref = controllerOf(pod);
        return ref?.kind === 'Job' ? [`${pod.metadata.namespace}/${ref.name}`] : [];
      },
    },
  ],
  reconcile: reconcileJob,
};
