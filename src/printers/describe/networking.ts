import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Service } from 'kubernetes-types/core/v1';
import type {
  Ingress,
  IngressBackend,
  IngressClass,
  NetworkPolicy,
  NetworkPolicyEgressRule,
  NetworkPolicyIngressRule,
  NetworkPolicyPeer,
  NetworkPolicyPort,
} from 'kubernetes-types/networking/v1';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { StatusError } from '../../api/errors';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, LEVEL_2, goTimeString, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, formatSelector, printAnnotationsMultiline, printLabelsMultiline, printMeta, writeEvents } from './common';
import { formatEndpointSlices } from './service';

// Ingress, IngressClass and NetworkPolicy (networking.k8s.io/v1).

function serviceBackendString(backend: IngressBackend['service']): string {
  if (!backend) return '';
  const port = backend.port?.number ? String(backend.port.number) : (backend.port?.name ?? '');
  return `${backend.name}:${port}`;
}

// describeBackendV1: `svc:port (endpoints)`, or the resource a backend names.
function describeBackend(api: ApiServer, namespace: string, backend: IngressBackend): string {
  if (backend.service) {
    const sb = serviceBackendString(backend.service);
    let service: Service;
    try {
      service = api.get(kind('Service'), namespace, backend.service.name) as unknown as Service;
    } catch (e) {
      if (e instanceof StatusError) return `${sb} (<error: ${e.message}>)`;
      throw e;
    }
    const slices = api.peekList(kind('EndpointSlice'), {
      namespace,
      labelSelector: [{ key: 'kubernetes.io/service-name', op: '=', values: [backend.service.name] }],
    }) as unknown as EndpointSlice[];
    let portName = '';
    for (const sp of service.spec?.ports ?? []) {
      const number = backend.service.port?.number ?? 0;
      const name = backend.service.port?.name ?? '';
      if (number !== 0 && number === sp.port) portName = sp.name ?? '';
      else if (name && name === sp.name) portName = sp.name;
    }
    return `${sb} (${formatEndpointSlices(slices, portName)})`;
  }
  if (backend.resource) {
    return `APIGroup: ${backend.resource.apiGroup ?? '<none>'}, Kind: ${backend.resource.kind}, Name: ${backend.resource.name}`;
  }
  return '';
}

export function describeIngress(obj: KubeObject, ctx: DescribeContext): string {
  const ing = obj as unknown as Ingress;
  const spec = ing.spec ?? {};
  const ns = obj.metadata.namespace ?? '';
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    printLabelsMultiline(w, 'Labels', obj.metadata.labels);
    w.write(LEVEL_0, `Namespace:\t${ns}\n`);
    // The load balancer's IPs and hostnames, de-duplicated and sorted.
    const addresses = new Set<string>();
    for (const i of ing.status?.loadBalancer?.ingress ?? []) {
      if (i.ip) addresses.add(i.ip);
      else if (i.hostname) addresses.add(i.hostname);
    }
    w.write(LEVEL_0, `Address:\t${[...addresses].sort().join(',')}\n`);
    w.write(LEVEL_0, `Ingress Class:\t${spec.ingressClassName ?? '<none>'}\n`);
    const defaultBackend = spec.defaultBackend ? describeBackend(ctx.api, ns, spec.defaultBackend) : '<default>';
    w.write(LEVEL_0, `Default backend:\t${defaultBackend}\n`);
    if ((spec.tls ?? []).length > 0) {
      w.write(LEVEL_0, 'TLS:\n');
      for (const t of spec.tls!) {
        const hosts = (t.hosts ?? []).join(',');
        w.write(LEVEL_1, t.secretName ? `${t.secretName} terminates ${hosts}\n` : `SNI routes ${hosts}\n`);
      }
    }
    w.write(LEVEL_0, 'Rules:\n  Host\tPath\tBackends\n');
    w.write(LEVEL_1, '----\t----\t--------\n');
    let count = 0;
    for (const rule of spec.rules ?? []) {
      if (!rule.http) continue;
      count++;
      w.write(LEVEL_1, `${rule.host || '*'}\t\n`);
      for (const path of rule.http.paths) w.write(LEVEL_2, `\t${path.path ?? ''} \t${describeBackend(ctx.api, ns, path.backend)}\n`);
    }
    if (count === 0) w.write(LEVEL_1, `*\t*\t${defaultBackend}\n`);
    printAnnotationsMultiline(w, 'Annotations', obj.metadata.annotations);
    writeEvents(w, ctx, eventRef(obj));
  });
}

export function describeIngressClass(obj: KubeObject, ctx: DescribeContext): string {
  const ic = obj as unknown as IngressClass;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `Controller:\t${ic.spec?.controller ?? ''}\n`);
    const params = ic.spec?.parameters;
    if (params) {
      w.write(LEVEL_0, 'Parameters:\n');
      if (params.apiGroup) w.write(LEVEL_1, `APIGroup:\t${params.apiGroup}\n`);
      w.write(LEVEL_1, `Kind:\t${params.kind}\n`);
      w.write(LEVEL_1, `Name:\t${params.name}\n`);
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}

function printPorts(w: Writer, indent: string, ports: readonly NetworkPolicyPort[] | undefined): void {
  if (!ports || ports.length === 0) {
    w.write(LEVEL_0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    return;
  }
  for (const p of ports) {
    const port = p.port === undefined || p.port === null ? '<nil>' : String(p.port);
    const proto = p.protocol ?? 'TCP';
    if (p.endPort === undefined || p.endPort === null) w.write(LEVEL_0, `${indent}To Port: ${port}/${proto}\n`);
    else w.write(LEVEL_0, `${indent}To Port Range: ${port}-${p.endPort}/${proto}\n`);
  }
}

function printPeers(w: Writer, indent: string, title: 'From' | 'To', peers: readonly NetworkPolicyPeer[] | undefined): void {
  if (!peers || peers.length === 0) {
    const what = title === 'From' ? 'source' : 'destination';
    w.write(LEVEL_0, `${indent}${title}: <any> (traffic not restricted by ${what})\n`);
    return;
  }
  for (const peer of peers) {
    w.write(LEVEL_0, `${indent}${title}:\n`);
    if (peer.podSelector && peer.namespaceSelector) {
      w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatSelector(peer.namespaceSelector)}\n`);
      w.write(LEVEL_1, `${indent}PodSelector: ${formatSelector(peer.podSelector)}\n`);
    } else if (peer.podSelector) {
      w.write(LEVEL_1, `${indent}PodSelector: ${formatSelector(peer.podSelector)}\n`);
    } else if (peer.namespaceSelector) {
      w.write(LEVEL_1, `${indent}NamespaceSelector: ${formatSelector(peer.namespaceSelector)}\n`);
    } else if (peer.ipBlock) {
      w.write(LEVEL_1, `${indent}IPBlock:\n`);
      w.write(LEVEL_2, `${indent}CIDR: ${peer.ipBlock.cidr}\n`);
      w.write(LEVEL_2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
    }
  }
}

function printRules(
  w: Writer,
  rules: readonly (NetworkPolicyIngressRule | NetworkPolicyEgressRule)[] | undefined,
  direction: 'ingress' | 'egress',
): void {
  const indent = '    ';
  if (!rules || rules.length === 0) {
    w.write(LEVEL_0, `${indent}<none> (Selected pods are isolated for ${direction} connectivity)\n`);
    return;
  }
  rules.forEach((rule, i) => {
    printPorts(w, indent, rule.ports);
    if (direction === 'ingress') printPeers(w, indent, 'From', (rule as NetworkPolicyIngressRule).from);
    else printPeers(w, indent, 'To', (rule as NetworkPolicyEgressRule).to);
    if (i !== rules.length - 1) w.write(LEVEL_0, `${indent}----------\n`);
  });
}

export function describeNetworkPolicy(obj: KubeObject): string {
  const np = obj as unknown as NetworkPolicy;
  const spec: NonNullable<NetworkPolicy['spec']> = np.spec ?? { podSelector: {} };
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, `Created on:\t${goTimeString(obj.metadata.creationTimestamp)}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, 'Spec:\n');
    w.write(LEVEL_1, 'PodSelector: ');
    const sel = spec.podSelector;
    const empty = Object.keys(sel?.matchLabels ?? {}).length === 0 && (sel?.matchExpressions ?? []).length === 0;
    w.write(LEVEL_2, empty ? '<none> (Allowing the specific traffic to all pods in this namespace)\n' : `${formatSelector(sel)}\n`);
    const types = spec.policyTypes;
    if ((types ?? []).includes('Ingress')) {
      w.write(LEVEL_1, 'Allowing ingress traffic:\n');
      printRules(w, spec.ingress, 'ingress');
    } else {
      w.write(LEVEL_1, 'Not affecting ingress traffic\n');
    }
    if ((types ?? []).includes('Egress')) {
      w.write(LEVEL_1, 'Allowing egress traffic:\n');
      printRules(w, spec.egress, 'egress');
    } else {
      w.write(LEVEL_1, 'Not affecting egress traffic\n');
    }
    w.write(LEVEL_1, `Policy Types: ${(types ?? []).join(', ') || '<none>'}\n`);
  });
}
