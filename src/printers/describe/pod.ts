import type { Container, Pod as PodV130, PodSpec, ResourceRequirements } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, rfc1123z, since, tabbed } from './engine';
import type { DescribeContext } from './common';
import {
  controlledBy,
  describeResources,
  eventRef,
  printAnnotationsMultiline,
  printLabelsMultiline,
  printTolerationsMultiline,
  writeEvents,
} from './common';
import { describeContainers, describeTopologySpread, envResolver } from './containers';
import { describeVolumes } from './volumes';
import type { Resources } from './quantity';
import { ZERO, addQ, resourceList } from './quantity';

// kubectl describe pod (describePod).

// Pod-level resources arrived in 1.32, after the kubernetes-types release we build with.
type Pod = Omit<PodV130, 'spec'> & { spec?: PodSpec & { resources?: ResourceRequirements } };

const QOS_RESOURCES = ['cpu', 'memory'];

// The cpu and memory entries above zero, summed into `into`.
function addPositive(into: Resources, list: ResourceRequirements['requests']): void {
  for (const [name, q] of resourceList(list)) {
    if (!QOS_RESOURCES.includes(name) || q.cmp(ZERO) <= 0) continue;
    const cur = into.get(name);
    into.set(name, cur ? addQ(q, cur) : q);
  }
}

function limitsCoverCpuAndMemory(list: ResourceRequirements['limits']): boolean {
  const positive = [...resourceList(list)].filter(([n, q]) => QOS_RESOURCES.includes(n) && q.cmp(ZERO) > 0);
  return QOS_RESOURCES.every((r) => positive.some(([n]) => n === r));
}

// qos.GetPodQOS: status.qosClass, else computed from requests and limits.
export function podQOS(pod: Pod): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const requests: Resources = new Map();
  const limits: Resources = new Map();
  let guaranteed = true;
  const podLevel = pod.spec?.resources;
  const sources: ResourceRequirements[] = podLevel
    ? [podLevel]
    : [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c: Container) => c.resources ?? {});
  for (const r of sources) {
    addPositive(requests, r.requests);
    addPositive(limits, r.limits);
    if ((!podLevel || r.limits) && !limitsCoverCpuAndMemory(r.limits)) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      if (!lim || lim.cmp(req) !== 0) guaranteed = false;
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

function describePodIPs(w: Writer, pod: Pod): void {
  const ips = pod.status?.podIPs ?? [];
  if (ips.length === 0) {
    w.write(LEVEL_0, 'IPs:\t<none>\n');
    return;
  }
  w.write(LEVEL_0, 'IPs:\n');
  for (const ip of ips) w.write(LEVEL_1, `IP:\t${ip.ip}\n`);
}

function conditionsTable(w: Writer, title: string, rows: [string, string][]): void {
  w.write(LEVEL_0, `${title}:\n  Type\tStatus\n`);
  for (const [type, status] of rows) w.write(LEVEL_1, `${type} \t${status} \n`);
}

export function describePod(obj: KubeObject, ctx: DescribeContext): string {
  const pod = obj as unknown as Pod;
  const spec = pod.spec ?? { containers: [] };
  const status = pod.status ?? {};
  const meta = obj.metadata;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${meta.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace}\n`);
    if (spec.priority !== undefined && spec.priority !== null) w.write(LEVEL_0, `Priority:\t${spec.priority}\n`);
    if (spec.priorityClassName) w.write(LEVEL_0, `Priority Class Name:\t${spec.priorityClassName}\n`);
    if (spec.runtimeClassName) w.write(LEVEL_0, `Runtime Class Name:\t${spec.runtimeClassName}\n`);
    if (spec.serviceAccountName) w.write(LEVEL_0, `Service Account:\t${spec.serviceAccountName}\n`);
    w.write(LEVEL_0, spec.nodeName ? `Node:\t${spec.nodeName}/${status.hostIP ?? ''}\n` : 'Node:\t<none>\n');
    if (status.startTime) w.write(LEVEL_0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
      w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, ctx.now)})\n`);
      w.write(LEVEL_0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? 0}s\n`);
    } else {
      w.write(LEVEL_0, `Status:\t${status.phase ?? ''}\n`);
    }
    if (status.reason) w.write(LEVEL_0, `Reason:\t${status.reason}\n`);
    if (status.message) w.write(LEVEL_0, `Message:\t${status.message}\n`);
    const seccomp = spec.securityContext?.seccompProfile;
    if (seccomp) {
      w.write(LEVEL_0, `SeccompProfile:\t${seccomp.type}\n`);
      if (seccomp.type === 'Localhost') w.write(LEVEL_0, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
    }
    w.write(LEVEL_0, `IP:\t${status.podIP ?? ''}\n`);
    describePodIPs(w, pod);
    const by = controlledBy(obj);
    if (by) w.write(LEVEL_0, `Controlled By:\t${by}\n`);
    if (status.nominatedNodeName) w.write(LEVEL_0, `NominatedNodeName:\t${status.nominatedNodeName}\n`);
    if (spec.resources) {
      w.write(LEVEL_0, 'Resources:\n');
      describeResources(w, spec.resources, LEVEL_1);
    }
    const resolve = envResolver(pod);
    if ((spec.initContainers ?? []).length > 0) {
      describeContainers(w, 'Init Containers', spec.initContainers!, status.initContainerStatuses, resolve, '');
    }
    describeContainers(w, 'Containers', spec.containers ?? [], status.containerStatuses, resolve, '');
    if ((spec.ephemeralContainers ?? []).length > 0) {
      describeContainers(w, 'Ephemeral Containers', spec.ephemeralContainers as Container[], status.ephemeralContainerStatuses, resolve, '');
    }
    const conditions = status.conditions ?? [];
    if ((spec.readinessGates ?? []).length > 0) {
      conditionsTable(
        w,
        'Readiness Gates',
        spec.readinessGates!.map((g) => [g.conditionType, conditions.find((c) => c.type === g.conditionType)?.status ?? '<none>']),
      );
    }
    if (conditions.length > 0) conditionsTable(w, 'Conditions', conditions.map((c) => [c.type, c.status]));
    describeVolumes(w, spec.volumes, '');
    w.write(LEVEL_0, `QoS Class:\t${podQOS(pod)}\n`);
    printLabelsMultiline(w, 'Node-Selectors', spec.nodeSelector);
    printTolerationsMultiline(w, 'Tolerations', spec.tolerations);
    describeTopologySpread(w, spec.topologySpreadConstraints, '');
    // Pod events are searched without a kind; a mirror pod's by its source pod's uid.
    const ref = eventRef(obj, false);
    const mirror = meta.annotations?.['kubernetes.io/config.mirror'];
    if (mirror !== undefined) ref.uid = mirror;
    writeEvents(w, ctx, ref);
  });
}
