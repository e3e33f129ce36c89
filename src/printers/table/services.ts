import type { Endpoints, Service } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import type { Ingress, IngressClass, NetworkPolicy } from 'kubernetes-types/networking/v1';
import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, joinMore, mapString, nameColumn } from './common';
import { formatLabelSelector } from '../../api/selectors';

// Services and networking tables.

const as = <T>(o: KubeObject): T => o as unknown as T;

function loadBalancerAddresses(ingress: { ip?: string; hostname?: string }[] | undefined, wide: boolean): string {
  const addrs = [...new Set((ingress ?? []).map((i) => i.ip || i.hostname || '').filter((x) => x))].sort();
  const joined = addrs.join(',');
  if (!wide && joined.length > 16) return `${joined.slice(0, 13)}...`;
  return joined;
}

function externalIP(svc: Service, wide: boolean): string {
  const spec = svc.spec ?? {};
  const external = spec.externalIPs ?? [];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(svc.status?.loadBalancer?.ingress, wide);
      const all = [lb, ...external].filter((x) => x).join(',');
      return all || '<pending>';
    }
    case 'ExternalName':
      return spec.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(svc: Service): string {
  const list = svc.spec?.ports ?? [];
  if (list.length === 0) return '<none>';
  return list.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`)).join(',');
}

export const SERVICE_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Type', cell: (o) => as<Service>(o).spec?.type ?? '' },
    {
      name: 'Cluster-IP',
      cell: (o) => {
        const spec = as<Service>(o).spec;
        const ips = spec?.clusterIPs ?? (spec?.clusterIP ? [spec.clusterIP] : []);
        return ips.length > 0 ? ips[0] : '<none>';
      },
    },
    { name: 'External-IP', cell: (o, ctx) => externalIP(as<Service>(o), ctx.wide) },
    { name: 'Port(s)', cell: (o) => ports(as<Service>(o)) },
    ageColumn,
    { name: 'Selector', priority: 1, cell: (o) => mapString(as<Service>(o).spec?.selector) },
  ],
};

function endpointsCell(ep: Endpoints): string {
  const items: string[] = [];
  for (const s of ep.subsets ?? []) {
    const addrs = s.addresses ?? [];
    if (!s.ports || s.ports.length === 0) {
      for (const a of addrs) items.push(a.ip);
      continue;
    }
    for (const p of s.ports) for (const a of addrs) items.push(a.ip.includes(':') ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
  }
  if ((ep.subsets ?? []).length === 0) return '<none>';
  return joinMore(items, 3);
}

export const ENDPOINTS_TABLE: TableDef = {
  columns: [nameColumn, { name: 'Endpoints', cell: (o) => endpointsCell(as<Endpoints>(o)) }, ageColumn],
};

export const ENDPOINTSLICE_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'AddressType', cell: (o) => as<EndpointSlice>(o).addressType },
    {
      name: 'Ports',
      cell: (o) => {
        const ps = as<EndpointSlice>(o).ports ?? [];
        if (ps.length === 0) return '<unset>';
        return joinMore(ps.map((p) => (p.port !== undefined ? String(p.port) : p.name || '*')), 3);
      },
    },
    {
      name: 'Endpoints',
      cell: (o) => {
        const addrs = (as<EndpointSlice>(o).endpoints ?? []).flatMap((e) => e.addresses);
        return addrs.length === 0 ? '<unset>' : joinMore(addrs, 3);
      },
    },
    ageColumn,
  ],
};

export const INGRESS_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Class', cell: (o) => as<Ingress>(o).spec?.ingressClassName ?? '<none>' },
    {
      name: 'Hosts',
      cell: (o) => {
        const hosts = (as<Ingress>(o).spec?.rules ?? []).map((r) => r.host ?? '').filter((h) => h);
        return hosts.length === 0 ? '*' : joinMore(hosts, 3);
      },
    },
    { name: 'Address', cell: (o, ctx) => loadBalancerAddresses(as<Ingress>(o).status?.loadBalancer?.ingress, ctx.wide) },
    { name: 'Ports', cell: (o) => ((as<Ingress>(o).spec?.tls ?? []).length > 0 ? '80, 443' : '80') },
    ageColumn,
  ],
};

export const INGRESSCLASS_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Controller', cell: (o) => as<IngressClass>(o).spec?.controller ?? '' },
    {
      name: 'Parameters',
      cell: (o) => {
        const p = as<IngressClass>(o).spec?.parameters;
        if (!p) return '<none>';
        return `${p.kind}/${p.name}`;
      },
    },
    ageColumn,
  ],
};

export const NETWORKPOLICY_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Pod-Selector', cell: (o) => {
      const s = formatLabelSelector(as<NetworkPolicy>(o).spec?.podSelector);
      return s === '<none>' ? '<none>' : s;
    } },
    ageColumn,
  ],
};
