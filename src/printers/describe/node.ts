import type { Lease } from 'kubernetes-types/coordination/v1';
import type { Node, Pod } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { StatusError } from '../../api/errors';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, rfc1123z, since, tabbed } from './engine';
import type { DescribeContext } from './common';
import { describeEvents, printMeta, printTaintsMultiline, searchEvents } from './common';
import type { Resources } from './quantity';
import type { Quantity } from './quantity';
import { ZERO, addQ, addResources, maxResources, milliValue, parseQ, resourceList, value } from './quantity';

// kubectl describe node (describeNode, describeNodeResource).

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(ROLE_PREFIX)) {
      const role = k.slice(ROLE_PREFIX.length);
      if (role) roles.add(role);
    } else if (k === ROLE_LABEL && v !== '') {
      roles.add(v);
    }
  }
  return [...roles].sort();
}

// The elementwise max of two lists (resource.go's max()).
function maxOf(a: Resources, b: Resources): Resources {
  const out: Resources = new Map(a);
  maxResources(out, b);
  return out;
}

// kubectl's PodRequestsAndLimits: containers summed, init containers as the
// running maximum (restartable ones accumulate), overhead added.
export function podRequestsAndLimits(pod: Pod): { requests: Resources; limits: Resources } {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  const sum = (pick: 'requests' | 'limits'): Resources => {
    const total: Resources = new Map();
    for (const c of pod.spec?.containers ?? []) {
      let list = resourceList(c.resources?.[pick]);
      const allocated = statuses.get(c.name)?.resources;
      if (pick === 'requests' && allocated) {
        const actual = resourceList(allocated.requests);
        list = pod.status?.resize === 'Infeasible' ? actual : maxOf(list, actual);
      }
      addResources(total, list);
    }
    const restartable: Resources = new Map();
    const init: Resources = new Map();
    for (const c of pod.spec?.initContainers ?? []) {
      const list = resourceList(c.resources?.[pick]);
      let effective: Resources;
      if (c.restartPolicy === 'Always') {
        addResources(total, list);
        addResources(restartable, list);
        effective = restartable;
      } else {
        effective = new Map();
        addResources(effective, list);
        addResources(effective, restartable);
      }
      maxResources(init, effective);
    }
    maxResources(total, init);
    const overhead = resourceList(pod.spec?.overhead);
    if (pick === 'requests') addResources(total, overhead);
    else {
      for (const [name, q] of overhead) {
        const cur = total.get(name);
        if (cur && !cur.isZero()) total.set(name, addQ(cur, q));
      }
    }
    return total;
  };
  return { requests: sum('requests'), limits: sum('limits') };
}

// int64(float64 fraction): Go's conversion of NaN or ±Inf on amd64.
function percent(part: number, whole: number): string {
  const f = (part / whole) * 100;
  return Number.isFinite(f) ? String(Math.trunc(f)) : '-9223372036854775808';
}

function cell(q: Quantity | undefined, alloc: Quantity | undefined, milli: boolean): string {
  const v = q ?? ZERO;
  const a = alloc ?? ZERO;
  const pct = milli ? percent(milliValue(v), milliValue(a)) : percent(value(v), value(a));
  return `${v.toString()} (${pct}%)`;
}

// Like cell(), but 0% when nothing is allocatable (the totals guard the division).
function totalCell(q: Quantity | undefined, alloc: Quantity | undefined, milli: boolean): string {
  const a = alloc ?? ZERO;
  if ((milli ? milliValue(a) : value(a)) === 0) return `${(q ?? ZERO).toString()} (0%)`;
  return cell(q, alloc, milli);
}

const STANDARD = ['cpu', 'memory', 'ephemeral-storage'];

function describeNodeResource(w: Writer, pods: Pod[], node: Node, now: number): void {
  w.write(LEVEL_0, `Non-terminated Pods:\t(${pods.length} in total)\n`);
  w.write(LEVEL_1, 'Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n');
  w.write(LEVEL_1, '---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n');
  const allocatable = resourceList(
    Object.keys(node.status?.allocatable ?? {}).length > 0 ? node.status?.allocatable : node.status?.capacity,
  );
  const cpu = allocatable.get('cpu');
  const memory = allocatable.get('memory');
  const totalRequests: Resources = new Map();
  const totalLimits: Resources = new Map();
  for (const pod of pods) {
    const { requests, limits } = podRequestsAndLimits(pod);
    addResources(totalRequests, requests);
    addResources(totalLimits, limits);
    w.write(
      LEVEL_1,
      `${pod.metadata?.namespace}\t${pod.metadata?.name}\t\t${cell(requests.get('cpu'), cpu, true)}\t${cell(limits.get('cpu'), cpu, true)}\t` +
        `${cell(requests.get('memory'), memory, false)}\t${cell(limits.get('memory'), memory, false)}\t${since(pod.metadata?.creationTimestamp, now)}\n`,
    );
  }
  w.write(LEVEL_0, 'Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n');
  w.write(LEVEL_1, 'Resource\tRequests\tLimits\n');
  w.write(LEVEL_1, '--------\t--------\t------\n');
  const hugePages: string[] = [];
  const extended: string[] = [];
  for (const name of allocatable.keys()) {
    if (name.startsWith('hugepages-')) hugePages.push(name);
    else if (!STANDARD.includes(name) && name !== 'pods') extended.push(name);
  }
  for (const name of [...STANDARD, ...hugePages.sort()]) {
    const milli = name === 'cpu';
    const alloc = allocatable.get(name);
    w.write(LEVEL_1, `${name}\t${totalCell(totalRequests.get(name), alloc, milli)}\t${totalCell(totalLimits.get(name), alloc, milli)}\n`);
  }
  for (const name of extended.sort()) {
    const r = totalRequests.get(name) ?? ZERO;
    const l = totalLimits.get(name) ?? ZERO;
    w.write(LEVEL_1, `${name}\t${r.toString()}\t${l.toString()}\n`);
  }
}

function describeLease(w: Writer, ctx: DescribeContext, node: KubeObject): void {
  let lease: Lease;
  try {
    lease = ctx.api.get(kind('Lease'), 'kube-node-lease', node.metadata.name ?? '') as unknown as Lease;
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
    w.write(LEVEL_0, `Lease:\tFailed to get lease: ${e.message}\n`);
    return;
  }
  const spec = lease.spec ?? {};
  w.write(LEVEL_0, 'Lease:\n');
  w.write(LEVEL_1, `HolderIdentity:\t${spec.holderIdentity ?? '<unset>'}\n`);
  w.write(LEVEL_1, `AcquireTime:\t${spec.acquireTime ? rfc1123z(spec.acquireTime) : '<unset>'}\n`);
  w.write(LEVEL_1, `RenewTime:\t${spec.renewTime ? rfc1123z(spec.renewTime) : '<unset>'}\n`);
}

export function describeNode(obj: KubeObject, ctx: DescribeContext): string {
  const node = obj as unknown as Node;
  const spec = node.spec ?? {};
  const status = node.status ?? {};
  const name = obj.metadata.name ?? '';
  const pods = ctx.api.peekList(kind('Pod'), {
    fieldSelector: [
      { field: 'spec.nodeName', op: '=', value: name },
      { field: 'status.phase', op: '!=', value: 'Succeeded' },
      { field: 'status.phase', op: '!=', value: 'Failed' },
    ],
  }) as unknown as Pod[];
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    const roles = nodeRoles(node);
    w.write(LEVEL_0, `Roles:\t${roles.length > 0 ? roles.join(',') : '<none>'}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `CreationTimestamp:\t${rfc1123z(obj.metadata.creationTimestamp)}\n`);
    printTaintsMultiline(w, 'Taints', spec.taints);
    w.write(LEVEL_0, `Unschedulable:\t${spec.unschedulable === true}\n`);
    describeLease(w, ctx, obj);
    const conditions = status.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
        );
      }
    }
    w.write(LEVEL_0, 'Addresses:\n');
    for (const a of status.addresses ?? []) w.write(LEVEL_1, `${a.type}:\t${a.address}\n`);
    for (const [title, list] of [
      ['Capacity', status.capacity],
      ['Allocatable', status.allocatable],
    ] as const) {
      const names = Object.keys(list ?? {}).sort();
      if (names.length === 0) continue;
      w.write(LEVEL_0, `${title}:\n`);
      for (const n of names) w.write(LEVEL_0, `  ${n}:\t${(parseQ(list![n]) ?? ZERO).toString()}\n`);
    }
    const info = status.nodeInfo;
    w.write(LEVEL_0, 'System Info:\n');
    const infoRows: [string, string | undefined][] = [
      ['Machine ID', info?.machineID],
      ['System UUID', info?.systemUUID],
      ['Boot ID', info?.bootID],
      ['Kernel Version', info?.kernelVersion],
      ['OS Image', info?.osImage],
      ['Operating System', info?.operatingSystem],
      ['Architecture', info?.architecture],
      ['Container Runtime Version', info?.containerRuntimeVersion],
      ['Kubelet Version', info?.kubeletVersion],
      ['Kube-Proxy Version', info?.kubeProxyVersion],
    ];
    for (const [label, value] of infoRows) w.write(LEVEL_0, `  ${label}:\t${value ?? ''}\n`);
    if (spec.podCIDR) w.write(LEVEL_0, `PodCIDR:\t${spec.podCIDR}\n`);
    if ((spec.podCIDRs ?? []).length > 0) w.write(LEVEL_0, `PodCIDRs:\t${spec.podCIDRs!.join(',')}\n`);
    if (spec.providerID) w.write(LEVEL_0, `ProviderID:\t${spec.providerID}\n`);
    describeNodeResource(w, pods, node, ctx.now);
    if (ctx.showEvents) {
      // Controllers name the node by uid, the kubelet by name: both are searched.
      const ref = { kind: 'Node', namespace: '', name, uid: obj.metadata.uid ?? '' };
      const events = [...searchEvents(ctx.api, ref), ...searchEvents(ctx.api, { ...ref, uid: name })];
      describeEvents(w, events, ctx.now);
    }
  });
}
