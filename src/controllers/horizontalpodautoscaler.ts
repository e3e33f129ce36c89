import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerCondition, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { Pod } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { kindByApiVersion } from '../api/kinds';
import { getScale, hasScale, updateScale } from '../api/scale';
import { matchesRequirements, parseLabelSelector } from '../api/selectors';
import { isPodReady } from '../api/podutil';
import { clone, deepEqual } from '../util/json';
import { parseQuantity } from '../util/quantity';
import { rfc3339 } from '../sim/clock';
import { metricsAvailable, podMetrics } from '../cluster/addons/metrics';

// The horizontal pod autoscaler (pkg/controller/podautoscaler): every sync
// period it reads the target's scale and its pods' CPU usage from the Metrics
// API, computes the replica count that brings utilization to the target,
// clamps it to [min, max], limits scale-up, holds scale-down for the
// stabilization window, and writes the scale and its own status.

type HPA = HorizontalPodAutoscaler & KubeObject;
type P = Pod & KubeObject;

const SYNC_MS = 15_000;
const TOLERANCE = 0.1;
const DOWNSCALE_WINDOW_MS = 300_000;
const NO_METRICS_API = 'unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)';

interface Verdict {
  desired: number;
  // Set when the replica count comes from the metrics.
  utilization?: number;
  averageMilli?: number;
  error?: { reason: string; message: string };
  rescaleReason?: string;
}

function condition(list: HorizontalPodAutoscalerCondition[], type: string, status: boolean, reason: string, message: string, now: number): HorizontalPodAutoscalerCondition {
  const s = status ? 'True' : 'False';
  const old = list.find((c) => c.type === type);
  return { type, status: s, lastTransitionTime: old && old.status === s ? old.lastTransitionTime : rfc3339(now), reason, message };
}

// The CPU target as a utilization percentage (the one metric kubectl autoscale makes).
function cpuTarget(hpa: HPA): number {
  const m = (hpa.spec?.metrics ?? []).find((x) => x.type === 'Resource' && x.resource?.name === 'cpu');
  return m?.resource?.target.averageUtilization ?? 80;
}

function targetPods(ctx: ControllerContext, hpa: HPA, selector: string): P[] {
  const reqs = parseLabelSelector(selector);
  return (ctx.api.peekList(kind('Pod'), { namespace: hpa.metadata.namespace }) as P[]).filter(
    (p) => matchesRequirements(reqs, p.metadata.labels) && !p.metadata.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded',
  );
}

function fromMetrics(ctx: ControllerContext, hpa: HPA, current: number, selector: string): Verdict {
  if (!metricsAvailable(ctx.api)) {
    return { desired: current, error: { reason: 'FailedGetResourceMetric', message: `failed to get cpu utilization: ${NO_METRICS_API}` } };
  }
  const pods = targetPods(ctx, hpa, selector).filter((p) => isPodReady(p));
  const usage = new Map(podMetrics(ctx.api, { namespace: hpa.metadata.namespace }).map((u) => [u.name, u]));
  let used = 0;
  let requested = 0;
  let counted = 0;
  for (const p of pods) {
    const u = usage.get(p.metadata.name ?? '');
    if (!u) continue;
    for (const c of p.spec?.containers ?? []) {
      const req = c.resources?.requests?.cpu;
      if (req === undefined) {
        return { desired: current, error: { reason: 'FailedGetResourceMetric', message: `failed to get cpu utilization: missing request for cpu in container ${c.name} of Pod ${p.metadata.name}` } };
      }
      requested += Math.round((parseQuantity(String(req)) ?? 0) * 1000);
      used += u.containers.find((x) => x.name === c.name)?.cpuMilli ?? 0;
    }
    counted++;
  }
  if (counted === 0 || requested === 0) {
    return { desired: current, error: { reason: 'FailedGetResourceMetric', message: 'failed to get cpu utilization: did not receive metrics for targeted pods (pods might be unready)' } };
  }
  const utilization = Math.floor((used * 100) / requested);
  const ratio = utilization / cpuTarget(hpa);
  const desired = Math.abs(1 - ratio) <= TOLERANCE ? current : Math.ceil(ratio * counted);
  return {
    desired,
    utilization,
    averageMilli: Math.floor(used / counted),
    rescaleReason: `cpu resource utilization (percentage of request) ${desired > current ? 'above' : 'below'} target`,
  };
}

// Scale-down follows the highest recommendation of the last five minutes.
function stabilized(ctx: ControllerContext, hpa: HPA, desired: number, current: number): number {
  const memory = (ctx.api.world.state.hpaRecommendations ??= {});
  const uid = hpa.metadata.uid ?? '';
  const recent = (memory[uid] ?? []).filter((r) => r.at > ctx.now - DOWNSCALE_WINDOW_MS);
  recent.push({ at: ctx.now, replicas: desired });
  memory[uid] = recent;
  if (desired >= current) return desired;
  return Math.min(current, Math.max(...recent.map((r) => r.replicas)));
}

function reconcileHPA(key: string, ctx: ControllerContext): void {
  const { api, now } = ctx;
  const [namespace, name] = key.split('/');
  const hpa = api.peek(kind('HorizontalPodAutoscaler'), namespace, name) as HPA | undefined;
  if (!hpa) {
    forgetGone(ctx);
    return;
  }
  ctx.requeueAfter('horizontal-pod-autoscaler', key, SYNC_MS);
  const ref = hpa.spec?.scaleTargetRef;
  const info = ref ? kindByApiVersion(ref.apiVersion ?? '', ref.kind) : undefined;
  const prev = hpa.status?.conditions ?? [];
  const next = clone(hpa);
  const status: NonNullable<HPA['status']> = { ...(hpa.status ?? {}), desiredReplicas: hpa.status?.desiredReplicas ?? 0 };
  let scale: KubeObject | undefined;
  try {
    scale = info && hasScale(info) ? getScale(api, info, namespace, ref?.name ?? '') : undefined;
  } catch {
    scale = undefined;
  }
  if (!info || !scale) {
    const message = `the HPA controller was unable to get the target's current scale: ${info ? `${info.resource}.${info.group || 'core'} "${ref?.name}" not found` : `no matches for kind "${ref?.kind}" in group ""`}`;
    ctx.recorder.event(hpa, 'Warning', 'FailedGetScale', message.replace("the HPA controller was unable to get the target's current scale: ", ''), { component: 'horizontal-pod-autoscaler' });
    status.conditions = [condition(prev, 'AbleToScale', false, 'FailedGetScale', message, now)];
    write(ctx, next, status);
    return;
  }
  const current = (scale.spec as { replicas?: number }).replicas ?? 0;
  const selector = (scale.status as { selector?: string }).selector ?? '';
  const min = hpa.spec?.minReplicas ?? 1;
  const max = hpa.spec?.maxReplicas ?? 1;
  let verdict: Verdict;
  if (current === 0 && min !== 0) verdict = { desired: 0 };
  else if (current > max) verdict = { desired: max, rescaleReason: 'Current number of replicas above Spec.MaxReplicas' };
  else if (current < min) verdict = { desired: min, rescaleReason: 'Current number of replicas below Spec.MinReplicas' };
  else verdict = fromMetrics(ctx, hpa, current, selector);

  status.currentReplicas = current;
  const conditions: HorizontalPodAutoscalerCondition[] = [];
  if (current === 0 && min !== 0) {
    conditions.push(condition(prev, 'AbleToScale', true, 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale', now));
    conditions.push(condition(prev, 'ScalingActive', false, 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero', now));
    status.desiredReplicas = 0;
  } else if (verdict.error) {
    ctx.recorder.event(hpa, 'Warning', verdict.error.reason, verdict.error.message, { component: 'horizontal-pod-autoscaler' });
    ctx.recorder.event(hpa, 'Warning', 'FailedComputeMetricsReplicas', `invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: ${verdict.error.message}`, {
      component: 'horizontal-pod-autoscaler',
    });
    conditions.push(condition(prev, 'AbleToScale', true, 'SucceededGetScale', 'the HPA controller was able to get the target\'s current scale', now));
    conditions.push(condition(prev, 'ScalingActive', false, verdict.error.reason, `the HPA was unable to compute the replica count: ${verdict.error.message}`, now));
    status.currentMetrics = [{ type: '' } as MetricStatus];
  } else {
    let desired = verdict.desired;
    if (verdict.utilization !== undefined) desired = stabilized(ctx, hpa, desired, current);
    // Scale-up policy: at most double, or four more, per period.
    desired = Math.min(desired, Math.max(current * 2, current + 4));
    let limited: { reason: string; message: string } | undefined;
    if (desired > max) limited = { reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' };
    else if (desired < min) limited = { reason: 'TooFewReplicas', message: 'the desired replica count is less than the minimum replica count' };
    desired = Math.max(min, Math.min(max, desired));
    if (desired !== current) {
      updateScale(api, info, { ...scale, spec: { replicas: desired } });
      status.lastScaleTime = rfc3339(now);
      ctx.recorder.event(hpa, 'Normal', 'SuccessfulRescale', `New size: ${desired}; reason: ${verdict.rescaleReason ?? 'All metrics below target'}`, { component: 'horizontal-pod-autoscaler' });
    }
    status.desiredReplicas = desired;
    conditions.push(
      condition(prev, 'AbleToScale', true, desired !== current ? 'SucceededRescale' : 'ReadyForNewScale', desired !== current ? `the HPA controller was able to update the target scale to ${desired}` : 'recommended size matches current size', now),
    );
    if (verdict.utilization !== undefined) {
      conditions.push(condition(prev, 'ScalingActive', true, 'ValidMetricFound', 'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)', now));
      status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: verdict.utilization, averageValue: `${verdict.averageMilli}m` } } }];
    }
    conditions.push(condition(prev, 'ScalingLimited', !!limited, limited?.reason ?? 'DesiredWithinRange', limited?.message ?? 'the desired count is within the acceptable range', now));
  }
  status.conditions = conditions;
  write(ctx, next, status);
}

function write(ctx: ControllerContext, hpa: HPA, status: NonNullable<HPA['status']>): void {
  if (deepEqual(hpa.status, status)) return;
  ctx.api.update({ ...hpa, status }, { subresource: 'status' });
}

function forgetGone(ctx: ControllerContext): void {
  const memory = ctx.api.world.state.hpaRecommendations;
  if (!memory) return;
  const live = new Set(ctx.api.peekList(kind('HorizontalPodAutoscaler')).map((h) => h.metadata.uid));
  for (const uid of Object.keys(memory)) if (!live.has(uid)) delete memory[uid];
}

export const horizontalPodAutoscalerController: Controller = {
  name: 'horizontal-pod-autoscaler',
  primary: kind('HorizontalPodAutoscaler'),
  reconcile: reconcileHPA,
};
