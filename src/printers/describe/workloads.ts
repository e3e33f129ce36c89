import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import type { CronJob, Job, JobTemplateSpec } from 'kubernetes-types/batch/v1';
import type { Pod, ReplicationController } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import type { Requirement } from '../../api/selectors';
import { formatLabels, requirementsOfSelector } from '../../api/selectors';
import { sameTemplate } from '../../controllers/deployment';
import type { PrefixWriter, Writer } from './engine';
import { LEVEL_0, LEVEL_1, goList, humanDurationBetween, intOrString, printBoolPtr, rfc1123z, stableSort, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, formatSelector, printHeader, printLabelsMultiline, printMeta, selectorString, writeControlledBy, writeEvents } from './common';
import { describePodTemplate } from './containers';
import { claimStorageClass } from './claims';
import { quantityString } from './quantity';

// Deployment, ReplicaSet, ReplicationController, StatefulSet, DaemonSet, Job, CronJob.

interface PodCounts {
  running: number;
  waiting: number;
  succeeded: number;
  failed: number;
}

// getPodStatusForController: phases of the pods the selector finds that this
// controller controls. A nil selector selects nothing.
function podStatusFor(ctx: DescribeContext, owner: KubeObject, selector: Requirement[] | undefined): PodCounts {
  const counts: PodCounts = { running: 0, waiting: 0, succeeded: 0, failed: 0 };
  if (!selector) return counts;
  for (const p of ctx.api.peekList(kind('Pod'), { namespace: owner.metadata.namespace, labelSelector: selector })) {
    const ref = (p.metadata.ownerReferences ?? []).find((r) => r.controller);
    if (!ref || ref.uid !== owner.metadata.uid) continue;
    const phase = (p as unknown as Pod).status?.phase;
    if (phase === 'Running') counts.running++;
    else if (phase === 'Pending') counts.waiting++;
    else if (phase === 'Succeeded') counts.succeeded++;
    else if (phase === 'Failed') counts.failed++;
  }
  return counts;
}

function labelSelectorRequirements(sel: LabelSelector | undefined | null): Requirement[] | undefined {
  return sel ? requirementsOfSelector(sel) : undefined;
}

function podsStatusLine(c: PodCounts): string {
  return `${c.running} Running / ${c.waiting} Waiting / ${c.succeeded} Succeeded / ${c.failed} Failed`;
}

// The Type/Status/Reason table of ReplicaSet, ReplicationController and Deployment conditions.
function conditionsTable(w: Writer, conditions: readonly { type: string; status: string; reason?: string }[] | undefined): void {
  if (!conditions || conditions.length === 0) return;
  w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tReason\n');
  w.write(LEVEL_1, '----\t------\t------\n');
  for (const c of conditions) w.write(LEVEL_1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
}

function finish(w: PrefixWriter, ctx: DescribeContext, obj: KubeObject): void {
  writeEvents(w, ctx, eventRef(obj));
}

function creationTimestamp(obj: KubeObject): string {
  return rfc1123z(obj.metadata.creationTimestamp);
}

export function describeDeployment(obj: KubeObject, ctx: DescribeContext): string {
  const d = obj as unknown as Deployment & KubeObject;
  const spec = d.spec!;
  const status = d.status ?? {};
  // The ReplicaSets it controls, oldest first; the new one has its template.
  const owned = ctx.api
    .peekList(kind('ReplicaSet'), { namespace: obj.metadata.namespace, labelSelector: requirementsOfSelector(spec.selector) })
    .filter((rs) => (rs.metadata.ownerReferences ?? []).some((r) => r.controller && r.uid === obj.metadata.uid)) as (ReplicaSet &
    KubeObject)[];
  const sorted = stableSort(owned, (a, b) => {
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    return ta === tb ? (a.metadata.name ?? '') < (b.metadata.name ?? '') : Date.parse(ta) < Date.parse(tb);
  });
  const newRS = sorted.find((rs) => sameTemplate(rs, d));
  const oldRSs = sorted.filter((rs) => rs !== newRS);
  const rsList = (list: (ReplicaSet & KubeObject)[]) =>
    list.map((rs) => `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${creationTimestamp(obj)}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(
      LEVEL_0,
      `Replicas:\t${spec.replicas ?? 0} desired | ${status.updatedReplicas ?? 0} updated | ${status.replicas ?? 0} total | ` +
        `${status.availableReplicas ?? 0} available | ${status.unavailableReplicas ?? 0} unavailable\n`,
    );
    w.write(LEVEL_0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
    w.write(LEVEL_0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
    const ru = spec.strategy?.rollingUpdate;
    if (ru) {
      w.write(LEVEL_0, `RollingUpdateStrategy:\t${intOrString(ru.maxUnavailable)} max unavailable, ${intOrString(ru.maxSurge)} max surge\n`);
    }
    describePodTemplate(w, spec.template);
    conditionsTable(w, status.conditions);
    if (owned.length > 0) {
      w.write(LEVEL_0, `OldReplicaSets:\t${rsList(oldRSs)}\n`);
      w.write(LEVEL_0, `NewReplicaSet:\t${rsList(newRS ? [newRS] : [])}\n`);
    }
    finish(w, ctx, obj);
  });
}

export function describeReplicaSet(obj: KubeObject, ctx: DescribeContext): string {
  const rs = obj as unknown as ReplicaSet;
  const spec = rs.spec!;
  const counts = podStatusFor(ctx, obj, labelSelectorRequirements(spec.selector));
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, `Selector:\t${formatSelector(spec.selector)}\n`);
    printMeta(w, obj);
    writeControlledBy(w, obj);
    w.write(LEVEL_0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
    w.write(LEVEL_0, 'Pods Status:\t');
    w.write(LEVEL_0, `${podsStatusLine(counts)}\n`);
    describePodTemplate(w, spec.template);
    conditionsTable(w, rs.status?.conditions);
    finish(w, ctx, obj);
  });
}

export function describeReplicationController(obj: KubeObject, ctx: DescribeContext): string {
  const rc = obj as unknown as ReplicationController;
  const spec = rc.spec ?? {};
  const selector = Object.entries(spec.selector ?? {}).map(([key, value]): Requirement => ({ key, op: '=', values: [value] }));
  const counts = podStatusFor(ctx, obj, selector);
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `Replicas:\t${rc.status?.replicas ?? 0} current / ${spec.replicas ?? 0} desired\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(w, spec.template);
    conditionsTable(w, rc.status?.conditions);
    finish(w, ctx, obj);
  });
}

export function describeStatefulSet(obj: KubeObject, ctx: DescribeContext): string {
  const sts = obj as unknown as StatefulSet;
  const spec = sts.spec!;
  const counts = podStatusFor(ctx, obj, labelSelectorRequirements(spec.selector));
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, `CreationTimestamp:\t${creationTimestamp(obj)}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `Replicas:\t${spec.replicas ?? 0} desired | ${sts.status?.replicas ?? 0} total\n`);
    w.write(LEVEL_0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
    const ru = spec.updateStrategy?.rollingUpdate;
    if (ru && ru.partition !== undefined && ru.partition !== null) {
      w.write(LEVEL_1, `Partition:\t${ru.partition}\n`);
      if (ru.maxUnavailable !== undefined && ru.maxUnavailable !== null) w.write(LEVEL_1, `MaxUnavailable:\t${intOrString(ru.maxUnavailable)}\n`);
    }
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(w, spec.template);
    const templates = spec.volumeClaimTemplates ?? [];
    if (templates.length === 0) {
      w.write(LEVEL_0, 'Volume Claims:\t<none>\n');
    } else {
      w.write(LEVEL_0, 'Volume Claims:\n');
      for (const pvc of templates) {
        w.write(LEVEL_1, `Name:\t${pvc.metadata?.name ?? ''}\n`);
        w.write(LEVEL_1, `StorageClass:\t${claimStorageClass(pvc)}\n`);
        printLabelsMultiline(w, 'Labels', pvc.metadata?.labels, '  ');
        printLabelsMultiline(w, 'Annotations', pvc.metadata?.annotations, '  ');
        const storage = pvc.spec?.resources?.requests?.storage;
        w.write(LEVEL_1, `Capacity:\t${storage === undefined ? '<default>' : quantityString(storage)}\n`);
        w.write(LEVEL_1, `Access Modes:\t${goList(pvc.spec?.accessModes)}\n`);
      }
    }
    finish(w, ctx, obj);
  });
}

export function describeDaemonSet(obj: KubeObject, ctx: DescribeContext): string {
  const ds = obj as unknown as DaemonSet;
  const spec = ds.spec!;
  const status = ds.status;
  const counts = podStatusFor(ctx, obj, labelSelectorRequirements(spec.selector));
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    w.write(LEVEL_0, `Node-Selector:\t${formatLabels(spec.template?.spec?.nodeSelector)}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `Desired Number of Nodes Scheduled: ${status?.desiredNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Current Number of Nodes Scheduled: ${status?.currentNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Up-to-date Pods: ${status?.updatedNumberScheduled ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Scheduled with Available Pods: ${status?.numberAvailable ?? 0}\n`);
    w.write(LEVEL_0, `Number of Nodes Misscheduled: ${status?.numberMisscheduled ?? 0}\n`);
    w.write(LEVEL_0, `Pods Status:\t${podsStatusLine(counts)}\n`);
    describePodTemplate(w, spec.template);
    finish(w, ctx, obj);
  });
}

function optionalNumber(w: Writer, title: string, v: number | undefined | null, unit = ''): void {
  if (v !== undefined && v !== null) w.write(LEVEL_0, `${title}:\t${v}${unit}\n`);
}

// capIndexesListOrNone: the completed indexes, cut after the first comma past 50 characters.
function capIndexes(indexes: string | undefined, softLimit = 50): string {
  if (!indexes) return '<none>';
  const comma = indexes.indexOf(',', softLimit);
  return comma < 0 ? indexes : `${indexes.slice(0, comma + 1)}...`;
}

export function describeJob(obj: KubeObject, ctx: DescribeContext): string {
  const job = obj as unknown as Job;
  const spec = job.spec!;
  const status = job.status ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, `Selector:\t${selectorString(spec.selector)}\n`);
    printMeta(w, obj);
    writeControlledBy(w, obj);
    optionalNumber(w, 'Parallelism', spec.parallelism);
    w.write(LEVEL_0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
    if (spec.completionMode) w.write(LEVEL_0, `Completion Mode:\t${spec.completionMode}\n`);
    if (spec.suspend !== undefined && spec.suspend !== null) w.write(LEVEL_0, `Suspend:\t${spec.suspend}\n`);
    optionalNumber(w, 'Backoff Limit', spec.backoffLimit);
    optionalNumber(w, 'TTL Seconds After Finished', spec.ttlSecondsAfterFinished);
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    if (status.completionTime) w.write(LEVEL_0, `Completed At:\t${rfc1123z(status.completionTime)}\n`);
    if (status.startTime && status.completionTime) {
      w.write(LEVEL_0, `Duration:\t${humanDurationBetween(status.startTime, status.completionTime)}\n`);
    }
    optionalNumber(w, 'Active Deadline Seconds', spec.activeDeadlineSeconds, 's');
    const ready = status.ready === undefined || status.ready === null ? '' : ` (${status.ready} Ready)`;
    w.write(LEVEL_0, `Pods Statuses:\t${status.active ?? 0} Active${ready} / ${status.succeeded ?? 0} Succeeded / ${status.failed ?? 0} Failed\n`);
    if (spec.completionMode === 'Indexed') w.write(LEVEL_0, `Completed Indexes:\t${capIndexes(status.completedIndexes)}\n`);
    describePodTemplate(w, spec.template);
    finish(w, ctx, obj);
  });
}

function describeJobTemplate(w: Writer, template: JobTemplateSpec | undefined): void {
  const spec = template?.spec;
  w.write(LEVEL_0, `Selector:\t${spec?.selector ? selectorString(spec.selector) : '<unset>'}\n`);
  w.write(LEVEL_0, `Parallelism:\t${spec?.parallelism ?? '<unset>'}\n`);
  w.write(LEVEL_0, `Completions:\t${spec?.completions ?? '<unset>'}\n`);
  optionalNumber(w, 'Active Deadline Seconds', spec?.activeDeadlineSeconds, 's');
  describePodTemplate(w, spec?.template);
}

export function describeCronJob(obj: KubeObject, ctx: DescribeContext): string {
  const cj = obj as unknown as CronJob;
  const spec = cj.spec!;
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, `Schedule:\t${spec.schedule}\n`);
    w.write(LEVEL_0, `Concurrency Policy:\t${spec.concurrencyPolicy ?? ''}\n`);
    w.write(LEVEL_0, `Suspend:\t${printBoolPtr(spec.suspend)}\n`);
    w.write(LEVEL_0, `Successful Job History Limit:\t${spec.successfulJobsHistoryLimit ?? '<unset>'}\n`);
    w.write(LEVEL_0, `Failed Job History Limit:\t${spec.failedJobsHistoryLimit ?? '<unset>'}\n`);
    const deadline = spec.startingDeadlineSeconds;
    w.write(LEVEL_0, `Starting Deadline Seconds:\t${deadline === undefined || deadline === null ? '<unset>' : `${deadline}s`}\n`);
    describeJobTemplate(w, spec.jobTemplate);
    const last = cj.status?.lastScheduleTime;
    w.write(LEVEL_0, `Last Schedule Time:\t${last ? rfc1123z(last) : '<unset>'}\n`);
    const active = cj.status?.active ?? [];
    w.write(LEVEL_0, 'Active Jobs:\t');
    w.writeLine(active.length === 0 ? '<none>' : active.map((j) => j.name ?? '').join(', '));
    finish(w, ctx, obj);
  });
}
