import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { formatLabels } from '../../api/selectors';
import { LEVEL_0, LEVEL_1, LEVEL_2, LEVEL_3, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, printHeader, writeEvents } from './common';

// Service (1.32: endpoints from EndpointSlices) and Endpoints.

function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// formatEndpointSlices: ready (or unknown) endpoints of the slice ports named
// like the service port, at most three then `+ N more...`; `<none>` without slices.
export function formatEndpointSlices(slices: readonly EndpointSlice[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const MAX = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  const ready = (e: EndpointSlice['endpoints'][number]) => e.conditions?.ready !== false;
  for (const slice of slices) {
    const endpoints = slice.endpoints ?? [];
    if ((slice.ports ?? []).length === 0) {
      // Headless services may have no ports.
      for (const e of endpoints) {
        if (list.length === MAX) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(e.addresses[0]);
        count++;
      }
      continue;
    }
    for (const port of slice.ports!) {
      if ((port.name ?? '') !== portName) continue;
      for (const e of endpoints) {
        if (list.length === MAX) more = true;
        if (!ready(e)) continue;
        if (!more) list.push(joinHostPort(e.addresses[0], port.port ?? 0));
        count++;
      }
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - MAX} more...` : text;
}

export function describeService(obj: KubeObject, ctx: DescribeContext): string {
  const svc = obj as unknown as Service;
  const spec = svc.spec ?? {};
  const slices = ctx.api.peekList(kind('EndpointSlice'), {
    namespace: obj.metadata.namespace,
    labelSelector: [{ key: 'kubernetes.io/service-name', op: '=', values: [obj.metadata.name ?? ''] }],
  }) as unknown as EndpointSlice[];
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, `Selector:\t${formatLabels(spec.selector)}\n`);
    w.write(LEVEL_0, `Type:\t${spec.type ?? ''}\n`);
    if (spec.ipFamilyPolicy) w.write(LEVEL_0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
    w.write(LEVEL_0, `IP Families:\t${(spec.ipFamilies ?? []).join(',') || '<none>'}\n`);
    w.write(LEVEL_0, `IP:\t${spec.clusterIP ?? ''}\n`);
    w.write(LEVEL_0, `IPs:\t${(spec.clusterIPs ?? []).join(',') || '<none>'}\n`);
    if ((spec.externalIPs ?? []).length > 0) w.write(LEVEL_0, `External IPs:\t${spec.externalIPs!.join(',')}\n`);
    if (spec.loadBalancerIP) w.write(LEVEL_0, `Desired LoadBalancer IP:\t${spec.loadBalancerIP}\n`);
    if (spec.externalName) w.write(LEVEL_0, `External Name:\t${spec.externalName}\n`);
    const ingress = svc.status?.loadBalancer?.ingress ?? [];
    if (ingress.length > 0) {
      const text = ingress.map((i) => (i.ip ? (i.ipMode ? `${i.ip} (${i.ipMode})` : i.ip) : (i.hostname ?? ''))).join(', ');
      w.write(LEVEL_0, `LoadBalancer Ingress:\t${text}\n`);
    }
    for (const p of spec.ports ?? []) {
      const name = p.name || '<unset>';
      const protocol = p.protocol ?? '';
      w.write(LEVEL_0, `Port:\t${name}\t${p.port}/${protocol}\n`);
      w.write(LEVEL_0, `TargetPort:\t${p.targetPort ?? 0}/${protocol}\n`);
      if (p.nodePort) w.write(LEVEL_0, `NodePort:\t${name}\t${p.nodePort}/${protocol}\n`);
      w.write(LEVEL_0, `Endpoints:\t${formatEndpointSlices(slices, p.name ?? '')}\n`);
    }
    w.write(LEVEL_0, `Session Affinity:\t${spec.sessionAffinity ?? ''}\n`);
    if (spec.externalTrafficPolicy) w.write(LEVEL_0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
    if (spec.internalTrafficPolicy) w.write(LEVEL_0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
    if (spec.healthCheckNodePort) w.write(LEVEL_0, `HealthCheck NodePort:\t${spec.healthCheckNodePort}\n`);
    if ((spec.loadBalancerSourceRanges ?? []).length > 0) {
      w.write(LEVEL_0, `LoadBalancer Source Ranges:\t${spec.loadBalancerSourceRanges!.join(',')}\n`);
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}

export function describeEndpoints(obj: KubeObject, ctx: DescribeContext): string {
  const ep = obj as unknown as Endpoints;
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, 'Subsets:\n');
    for (const subset of ep.subsets ?? []) {
      const ips = (list: { ip: string }[] | undefined) => (list ?? []).map((a) => a.ip).join(',') || '<none>';
      w.write(LEVEL_1, `Addresses:\t${ips(subset.addresses)}\n`);
      w.write(LEVEL_1, `NotReadyAddresses:\t${ips(subset.notReadyAddresses)}\n`);
      if ((subset.ports ?? []).length > 0) {
        w.write(LEVEL_1, 'Ports:\n');
        w.write(LEVEL_2, 'Name\tPort\tProtocol\n');
        w.write(LEVEL_2, '----\t----\t--------\n');
        for (const p of subset.ports!) w.write(LEVEL_2, `${p.name || '<unset>'}\t${p.port}\t${p.protocol ?? ''}\n`);
      }
      w.write(LEVEL_0, '\n');
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}

export function describeEndpointSlice(obj: KubeObject, ctx: DescribeContext): string {
  const eps = obj as unknown as EndpointSlice;
  const orUnset = (v: string | number | boolean | undefined | null) => (v === undefined || v === null ? '<unset>' : String(v));
  return tabbed((w) => {
    printHeader(w, obj);
    w.write(LEVEL_0, `AddressType:\t${eps.addressType}\n`);
    const ports = eps.ports ?? [];
    if (ports.length === 0) w.write(LEVEL_0, 'Ports: <unset>\n');
    else {
      w.write(LEVEL_0, 'Ports:\n');
      w.write(LEVEL_1, 'Name\tPort\tProtocol\n');
      w.write(LEVEL_1, '----\t----\t--------\n');
      for (const p of ports) w.write(LEVEL_1, `${p.name || '<unset>'}\t${orUnset(p.port)}\t${p.protocol ?? ''}\n`);
    }
    const endpoints = eps.endpoints ?? [];
    if (endpoints.length === 0) w.write(LEVEL_0, 'Endpoints: <none>\n');
    else {
      w.write(LEVEL_0, 'Endpoints:\n');
      for (const e of endpoints) {
        w.write(LEVEL_1, `- Addresses:\t${e.addresses.join(', ') || '<none>'}\n`);
        w.write(LEVEL_2, 'Conditions:\n');
        w.write(LEVEL_3, `Ready:\t${orUnset(e.conditions?.ready)}\n`);
        w.write(LEVEL_2, `Hostname:\t${orUnset(e.hostname)}\n`);
        if (e.targetRef) w.write(LEVEL_2, `TargetRef:\t${e.targetRef.kind ?? ''}/${e.targetRef.name ?? ''}\n`);
        w.write(LEVEL_2, `NodeName:\t${orUnset(e.nodeName)}\n`);
        w.write(LEVEL_2, `Zone:\t${orUnset(e.zone)}\n`);
      }
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}
