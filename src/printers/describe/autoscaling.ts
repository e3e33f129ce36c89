import type { HorizontalPodAutoscaler, HPAScalingRules, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1';
import type { KubeObject } from '../../api/types';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, intOrString, rfc1123z, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, formatSelector, printHeader, writeEvents } from './common';
import { parseQ } from './quantity';

// HorizontalPodAutoscaler (autoscaling/v2) and PodDisruptionBudget (policy/v1):
// the describers of the objects that keep workloads at the right size.

// (*Quantity).String(): canonical, or `<nil>` for a missing quantity.
function q(raw: unknown): string {
  if (raw === undefined || raw === null) return '<nil>';
  return parseQ(raw)?.toString() ?? String(raw);
}

// Go's %q of a metric name.
const quoted = (s: string | undefined) => JSON.stringify(s ?? '');

function describeMetric(w: Writer, metric: MetricSpec, current: MetricStatus | undefined): void {
  switch (metric.type) {
    case 'External': {
      const ext = metric.external!;
      if (ext.target.averageValue !== undefined && ext.target.averageValue !== null) {
        const cur = current?.external?.current.averageValue !== undefined ? q(current.external.current.averageValue) : '<unknown>';
        w.write(LEVEL_1, `${quoted(ext.metric.name)} (target average value):\t${cur} / ${q(ext.target.averageValue)}\n`);
      } else {
        const cur = current?.external ? q(current.external.current.value) : '<unknown>';
        w.write(LEVEL_1, `${quoted(ext.metric.name)} (target value):\t${cur} / ${q(ext.target.value)}\n`);
      }
      break;
    }
    case 'Pods': {
      const pods = metric.pods!;
      const cur = current?.pods ? q(current.pods.current.averageValue) : '<unknown>';
      w.write(LEVEL_1, `${quoted(pods.metric.name)} on pods:\t${cur} / ${q(pods.target.averageValue)}\n`);
      break;
    }
    case 'Object': {
      const o = metric.object!;
      w.write(LEVEL_1, `"${o.metric.name}" on ${o.describedObject.kind}/${o.describedObject.name} `);
      if (o.target.type === 'AverageValue') {
        const cur = current?.object ? q(current.object.current.averageValue) : '<unknown>';
        w.write(LEVEL_0, `(target average value):\t${cur} / ${q(o.target.averageValue)}\n`);
      } else {
        const cur = current?.object ? q(current.object.current.value) : '<unknown>';
        w.write(LEVEL_0, `(target value):\t${cur} / ${q(o.target.value)}\n`);
      }
      break;
    }
    case 'Resource':
    case 'ContainerResource': {
      const res = metric.type === 'Resource' ? metric.resource! : metric.containerResource!;
      const status = metric.type === 'Resource' ? current?.resource : current?.containerResource;
      const container = metric.type === 'ContainerResource' ? ` of container "${metric.containerResource!.container}"` : '';
      w.write(LEVEL_1, `resource ${res.name}${container} on pods`);
      if (res.target.averageValue !== undefined && res.target.averageValue !== null) {
        const cur = status ? q(status.current.averageValue) : '<unknown>';
        w.write(LEVEL_0, `:\t${cur} / ${q(res.target.averageValue)}\n`);
      } else {
        const utilization = status?.current.averageUtilization;
        const cur = utilization !== undefined && utilization !== null ? `${utilization}% (${q(status!.current.averageValue)})` : '<unknown>';
        const target = res.target.averageUtilization !== undefined ? `${res.target.averageUtilization}%` : '<auto>';
        w.write(LEVEL_1, `(as a percentage of request):\t${cur} / ${target}\n`);
      }
      break;
    }
    default:
      w.write(LEVEL_1, `<unknown metric type ${JSON.stringify(metric.type)}>\n`);
  }
}

function describeScalingRules(w: Writer, direction: string, rules: HPAScalingRules | undefined): void {
  if (!rules) return;
  w.write(LEVEL_1, `${direction}:\n`);
  if (rules.stabilizationWindowSeconds !== undefined && rules.stabilizationWindowSeconds !== null) {
    w.write(LEVEL_2, `Stabilization Window: ${rules.stabilizationWindowSeconds} seconds\n`);
  }
  if ((rules.policies ?? []).length > 0) {
    w.write(LEVEL_2, `Select Policy: ${rules.selectPolicy ?? 'Max'}\n`);
    w.write(LEVEL_2, 'Policies:\n');
    for (const p of rules.policies!) w.write(LEVEL_3, `- Type: ${p.type}\tValue: ${p.value}\tPeriod: ${p.periodSeconds} seconds\n`);
  }
}

export function describeHorizontalPodAutoscaler(obj: KubeObject, ctx: DescribeContext): string {
  const hpa = obj as unknown as HorizontalPodAutoscaler;
  const spec = hpa.spec!;
  const status = hpa.status;
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(obj.metadata.creationTimestamp)}\n`);
    w.write(LEVEL_0, `Reference:\t${spec.scaleTargetRef.kind}/${spec.scaleTargetRef.name}\n`);
    w.write(LEVEL_0, 'Metrics:\t( current / target )\n');
    (spec.metrics ?? []).forEach((m, i) => describeMetric(w, m, status?.currentMetrics?.[i]));
    w.write(LEVEL_0, `Min replicas:\t${spec.minReplicas ?? '<unset>'}\n`);
    w.write(LEVEL_0, `Max replicas:\t${spec.maxReplicas}\n`);
    if (spec.behavior) {
      w.write(LEVEL_0, 'Behavior:\n');
      describeScalingRules(w, 'Scale Up', spec.behavior.scaleUp);
      describeScalingRules(w, 'Scale Down', spec.behavior.scaleDown);
    }
    w.write(LEVEL_0, `${spec.scaleTargetRef.kind} pods:\t`);
    w.write(LEVEL_0, `${status?.currentReplicas ?? 0} current / ${status?.desiredReplicas ?? 0} desired\n`);
    const conditions = status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------\t-------\n');
      for (const c of conditions) w.write(LEVEL_1, `${c.type}\t${c.status}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}

export function describePodDisruptionBudget(obj: KubeObject, ctx: DescribeContext): string {
  const pdb = obj as unknown as PodDisruptionBudget;
  const spec = pdb.spec ?? {};
  const status = pdb.status;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    if (spec.minAvailable !== undefined && spec.minAvailable !== null) w.write(LEVEL_0, `Min available:\t${intOrString(spec.minAvailable)}\n`);
    else if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
      w.write(LEVEL_0, `Max unavailable:\t${intOrString(spec.maxUnavailable)}\n`);
    }
    w.write(LEVEL_0, `Selector:\t${spec.selector ? formatSelector(spec.selector) : '<unset>'}\n`);
    w.write(LEVEL_0, 'Status:\n');
    w.write(LEVEL_2, `Allowed disruptions:\t${status?.disruptionsAllowed ?? 0}\n`);
    w.write(LEVEL_2, `Current:\t${status?.currentHealthy ?? 0}\n`);
    w.write(LEVEL_2, `Desired:\t${status?.desiredHealthy ?? 0}\n`);
    w.write(LEVEL_2, `Total:\t${status?.expectedPods ?? 0}\n`);
    writeEvents(w, ctx, eventRef(obj));
  });
}
