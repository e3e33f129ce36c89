import type { EndpointAddress, EndpointPort, Pod, Service } from 'kubernetes-types/core/v1';
import type { Endpoint, EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { isPodReady, isPodTerminal } from '../api/podutil';
import { controllerRef } from './podtemplate';
import { clone, deepEqual } from '../util/json';
import { targetPortOn } from '../sim/network';
import { keyOf } from '../reconciler/reconciler';

// The endpoints and EndpointSlice controllers (pkg/controller/endpoint,
// endpointslice): a Service with a selector lists its pods' IPs, ready ones in
// addresses and the others in notReadyAddresses (unless published anyway),
// with target ports resolved per pod.

type S = Service & KubeObject;
type P = Pod & KubeObject;

interface Backend {
  pod: P;
  ready: boolean;
  terminating: boolean;
}

function backends(ctx: ControllerContext, svc: S): Backend[] {
  const selector = svc.spec?.selector ?? {};
  return ctx.api
    .peekList(kind('Pod'), { namespace: svc.metadata.namespace })
    .filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))
    .map((p) => p as P)
    .filter((p) => p.status?.podIP && !isPodTerminal(p))
    .map((pod) => ({ pod, ready: isPodReady(pod) && !pod.metadata.deletionTimestamp, terminating: !!pod.metadata.deletionTimestamp }));
}

function ports(svc: S, pod: P): EndpointPort[] {
  return (svc.spec?.ports ?? [])
    .map((sp) => {
      const port = targetPortOn(pod, sp.targetPort, sp.port);
      if (port === undefined) return undefined;
      const p: EndpointPort = { port, protocol: sp.protocol ?? 'TCP' };
      if (sp.name) p.name = sp.name;
      if (sp.appProtocol) p.appProtocol = sp.appProtocol;
      return p;
    })
    .filter((p): p is EndpointPort => p !== undefined);
}

function address(pod: P): EndpointAddress {
  return {
    ip: pod.status?.podIP ?? '',
    nodeName: pod.spec?.nodeName,
    targetRef: { kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid },
  };
}

function reconcileEndpoints(ctx: ControllerContext, svc: S, list: Backend[]): void {
  const { api } = ctx;
  const publish = svc.spec?.publishNotReadyAddresses === true;
  // Pods with the same resolved ports share a subset.
  const subsets = new Map<string, { addresses: EndpointAddress[]; notReadyAddresses: EndpointAddress[]; ports: EndpointPort[] }>();
  for (const b of list) {
    if (b.terminating && !publish) continue;
    const ps = ports(svc, b.pod);
    const key = JSON.stringify(ps);
    const s = subsets.get(key) ?? { addresses: [], notReadyAddresses: [], ports: ps };
    if (b.ready || publish) s.addresses.push(address(b.pod));
    else s.notReadyAddresses.push(address(b.pod));
    subsets.set(key, s);
  }
  const byIP = (a: EndpointAddress, b: EndpointAddress) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0);
  const wanted = [...subsets.values()].map((s) => {
    const out: Record<string, unknown> = {};
    if (s.addresses.length) out.addresses = s.addresses.sort(byIP);
    if (s.notReadyAddresses.length) out.notReadyAddresses = s.notReadyAddresses.sort(byIP);
    if (s.ports.length) out.ports = s.ports;
    return out;
  });
  const name = svc.metadata.name ?? '';
  const existing = api.peek(kind('Endpoints'), svc.metadata.namespace, name);
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (!existing) {
    api.create({
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace: svc.metadata.namespace, labels },
      ...(wanted.length ? { subsets: wanted } : {}),
    });
    return;
  }
  const current = (existing.subsets as unknown[] | undefined) ?? [];
  if (deepEqual(current, wanted) && deepEqual(existing.metadata.labels ?? {}, labels)) return;
  const next = clone(existing);
  next.metadata.labels = labels;
  if (wanted.length) next.subsets = wanted;
  else delete next.subsets;
  api.update(next);
}

function reconcileSlice(ctx: ControllerContext, svc: S, list: Backend[]): void {
  const { api } = ctx;
  const name = svc.metadata.name ?? '';
  const slices = api
    .peekList(kind('EndpointSlice'), { namespace: svc.metadata.namespace })
    .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === name);
  const endpoints: Endpoint[] = list
    .map((b) => ({
      addresses: [b.pod.status?.podIP ?? ''],
      conditions: { ready: b.ready, serving: isPodReady(b.pod), terminating: b.terminating },
      nodeName: b.pod.spec?.nodeName,
      targetRef: { kind: 'Pod', name: b.pod.metadata.name, namespace: b.pod.metadata.namespace, uid: b.pod.metadata.uid },
    }))
    .sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : 1));
  const slicePorts = list.length > 0 ? ports(svc, list[0].pod).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol })) : [];
  const labels = {
    ...(svc.metadata.labels ?? {}),
    'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
    'kubernetes.io/service-name': name,
  };
  const body = { addressType: 'IPv4', endpoints, ports: slicePorts } as Partial<EndpointSlice>;
  if (slices.length === 0) {
    api.create({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { generateName: `${name}-`, namespace: svc.metadata.namespace, labels, ownerReferences: [controllerRef(svc)] },
      ...body,
    } as KubeObject);
    return;
  }
  const [first, ...extra] = slices;
  for (const s of extra) api.delete(kind('EndpointSlice'), s.metadata.namespace, s.metadata.name ?? '');
  const next = { ...clone(first), ...body, metadata: { ...first.metadata, labels } } as KubeObject;
  if (!deepEqual(next, first)) api.update(next);
}

export const endpointsController: Controller = {
  name: 'endpoints',
  primary: kind('Service'),
  watches: [
    {
      kind: kind('Pod'),
      map: (pod, api) =>
        api
          .peekList(kind('Service'), { namespace: pod.metadata.namespace })
          .filter((s) => Object.keys((s as S).spec?.selector ?? {}).length > 0)
          .map(keyOf),
    },
  ],
  reconcile(key, ctx) {
    const [namespace, name] = key.split('/');
    const svc = ctx.api.peek(kind('Service'), namespace, name) as S | undefined;
    if (!svc) {
      // A deleted Service's Endpoints go with it (its slices by owner reference).
      const ep = ctx.api.peek(kind('Endpoints'), namespace, name);
      if (ep) ctx.api.delete(kind('Endpoints'), namespace, name);
      return;
    }
    // Services without a selector keep the Endpoints their owner writes.
    if (Object.keys(svc.spec?.selector ?? {}).length === 0 || svc.spec?.type === 'ExternalName') return;
    const list = backends(ctx, svc);
    reconcileEndpoints(ctx, svc, list);
    reconcileSlice(ctx, svc, list);
  },
};
