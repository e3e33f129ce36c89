import type { Event, ResourceRequirements, Taint, Toleration } from 'kubernetes-types/core/v1';
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import type { FieldRequirement } from '../../api/selectors';
import { formatLabelSelector } from '../../api/selectors';
import { kind } from '../../api/registry';
import type { PrefixWriter, Writer } from './engine';
import { LEVEL_0, LEVEL_1, byteLength, goSort, since, stableSort } from './engine';
import { quantityString } from './quantity';

// Sections many describers share: labels, annotations, taints, tolerations,
// resource requirements, controller references and the Events table.

export interface DescribeContext {
  api: ApiServer;
  now: number;
  showEvents: boolean;
}

// printLabelsMultilineWithIndent: sorted `k=v`, the first on the title line,
// the others after `initialIndent` + `innerIndent` so they align under it.
export function printLabelsMultiline(
  w: Writer,
  title: string,
  labels: Record<string, string> | undefined | null,
  initialIndent = '',
  innerIndent = '\t',
): void {
  w.write(LEVEL_0, `${initialIndent}${title}:${innerIndent}`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, initialIndent + innerIndent);
    w.write(LEVEL_0, `${key}=${labels![key]}\n`);
  });
}

const SKIPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);
const MAX_ANNOTATION_LEN = 140;

function shorten(s: string, max: number): string {
  if (byteLength(s) <= max) return s;
  return `${Buffer.from(s, 'utf8').subarray(0, max).toString('utf8')}...`;
}

// printAnnotationsMultiline: `k: v`; long or multi-line values go on their own lines.
export function printAnnotationsMultiline(w: Writer, title: string, annotations: Record<string, string> | undefined | null): void {
  w.write(LEVEL_0, `${title}:\t`);
  const keys = Object.keys(annotations ?? {})
    .filter((k) => !SKIPPED_ANNOTATIONS.has(k))
    .sort();
  if (keys.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const indent = '\t';
  keys.forEach((key, i) => {
    if (i !== 0) w.write(LEVEL_0, indent);
    const raw = annotations![key];
    const value = raw.endsWith('\n') ? raw.slice(0, -1) : raw;
    if (byteLength(value) + byteLength(key) + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(LEVEL_0, `${key}:\n`);
      for (const s of value.split('\n')) w.write(LEVEL_0, `${indent}  ${shorten(s, MAX_ANNOTATION_LEN - 2)}\n`);
    } else {
      w.write(LEVEL_0, `${key}: ${value}\n`);
    }
  });
}

// Labels and Annotations of an object, as most describers print them.
export function printMeta(w: Writer, obj: KubeObject): void {
  printLabelsMultiline(w, 'Labels', obj.metadata.labels);
  printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
}

// Name, Namespace, Labels, Annotations: the usual head of a description.
export function printHeader(w: Writer, obj: KubeObject): void {
  w.write(LEVEL_0, `Name:\t${obj.metadata.name ?? ''}\n`);
  w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace ?? ''}\n`);
  printMeta(w, obj);
}

// Taint.ToString().
export function taintString(t: Taint): string {
  if (!t.effect) return t.value ? `${t.key}=${t.value}:` : t.key;
  return t.value ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
}

export function printTaintsMultiline(w: Writer, title: string, taints: readonly Taint[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!taints || taints.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = stableSort(taints, (a, b) => `${a.effect},${a.key}` < `${b.effect},${b.key}`);
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    w.write(LEVEL_0, `${taintString(t)}\n`);
  });
}

export function printTolerationsMultiline(w: Writer, title: string, tolerations: readonly Toleration[] | undefined): void {
  w.write(LEVEL_0, `${title}:\t`);
  if (!tolerations || tolerations.length === 0) {
    w.writeLine('<none>');
    return;
  }
  const sorted = stableSort(tolerations, (a, b) => (a.key ?? '') < (b.key ?? ''));
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(LEVEL_0, '\t');
    let s = t.key ?? '';
    if (t.value) s += `=${t.value}`;
    if (t.effect) s += `:${t.effect}`;
    // A bare `operator: Exists` tolerates everything.
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`;
    w.write(LEVEL_0, `${s}\n`);
  });
}

// describeResources: Limits then Requests, resource names sorted.
export function describeResources(w: Writer, resources: ResourceRequirements | undefined, level: number): void {
  if (!resources) return;
  for (const [title, list] of [
    ['Limits', resources.limits],
    ['Requests', resources.requests],
  ] as const) {
    const names = Object.keys(list ?? {}).sort();
    if (names.length > 0) w.write(level, `${title}:\n`);
    for (const name of names) w.write(level + 1, `${name}:\t${quantityString(list![name])}\n`);
  }
}

// metav1.GetControllerOf rendered as `Kind/name`, or '' without a controller.
export function controlledBy(obj: KubeObject): string {
  const ref = (obj.metadata.ownerReferences ?? []).find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}

export function writeControlledBy(w: Writer, obj: KubeObject): void {
  const by = controlledBy(obj);
  if (by) w.write(LEVEL_0, `Controlled By:\t${by}\n`);
}

// labels.Selector.String() of LabelSelectorAsSelector: '' for an empty selector.
export function selectorString(sel: LabelSelector | undefined | null): string {
  const s = formatLabelSelector(sel ?? undefined);
  return s === '<none>' ? '' : s;
}

// metav1.FormatLabelSelector: `<none>` for an empty or missing selector.
export function formatSelector(sel: LabelSelector | undefined | null): string {
  return formatLabelSelector(sel ?? undefined);
}

// ---- events ----

export interface EventRef {
  kind?: string; // omitted for pods, as kubectl clears it
  namespace: string;
  name: string;
  uid: string;
}

export function eventRef(obj: KubeObject, withKind = true): EventRef {
  return {
    kind: withKind ? obj.kind : undefined,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
    uid: obj.metadata.uid ?? '',
  };
}

// searchEvents: events whose involvedObject matches name, namespace, uid and (unless cleared) kind.
export function searchEvents(api: ApiServer, ref: EventRef): Event[] {
  const fieldSelector: FieldRequirement[] = [
    { field: 'involvedObject.name', op: '=', value: ref.name },
    { field: 'involvedObject.namespace', op: '=', value: ref.namespace },
  ];
  if (ref.kind) fieldSelector.push({ field: 'involvedObject.kind', op: '=', value: ref.kind });
  if (ref.uid) fieldSelector.push({ field: 'involvedObject.uid', op: '=', value: ref.uid });
  return api.peekList(kind('Event'), { namespace: ref.namespace || undefined, fieldSelector }) as unknown as Event[];
}

function timeOf(ts: string | null | undefined): number {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

// DescribeEvents: `Events:  <none>`, or a table of its own sorted by lastTimestamp.
export function describeEvents(w: PrefixWriter, events: readonly Event[], now: number): void {
  if (events.length === 0) {
    w.write(LEVEL_0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = goSort(events, (a, b) => timeOf(a.lastTimestamp) < timeOf(b.lastTimestamp));
  w.write(LEVEL_0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(LEVEL_1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp, now);
    let interval = first;
    if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count ?? 0} over ${first})`;
    else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(LEVEL_1, `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${(e.message ?? '').trim()}\n`);
  }
}

// The events section of a describer whose events are searched by the object's reference.
export function writeEvents(w: PrefixWriter, ctx: DescribeContext, ref: EventRef): void {
  if (ctx.showEvents) describeEvents(w, searchEvents(ctx.api, ref), ctx.now);
}
