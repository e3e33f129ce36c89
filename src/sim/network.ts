import type { Container, Pod, Service } from 'kubernetes-types/core/v1';
import { auditServed } from './kubelet/security';
import type { ApiServer } from '../api/server';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { lookupImage } from './images';
import type { HttpRoute } from './images';
import { programFor } from './kubelet/programs';
import type { PodRuntime } from './kubelet/types';
import { isPodReady } from '../api/podutil';
import { PAGES } from './pages';
import { plainHttpToHttps, readContainerFile, serveStatic } from './kubelet/container-world';
import { rfc3339 } from './clock';

// The simulated cluster network: DNS names, service virtual IPs and what a
// pod answers on a port (from its image's behaviour). Probes, shell `curl`,
// port-forward, `minikube service` and the API proxy all come through here.

// cert: the PEM a TLS port presented; tls: the client's TLS handshake met a
// plain-HTTP port.
export type HttpAnswer = { status: number; body: string; headers?: Record<string, string>; cert?: string } | { error: string; tls?: true };

interface Ctx {
  api: ApiServer;
  now: number;
}

function runtimeOf(api: ApiServer, pod: KubeObject): PodRuntime | undefined {
  return api.world.state.runtime[pod.metadata.uid ?? ''];
}

function containerListening(pod: P, port: number, api: ApiServer, now: number): { container: Container; http?: Record<string, HttpRoute>; root?: string; tls?: { cert: string } } | undefined {
  const rt = runtimeOf(api, pod);
  for (const c of pod.spec?.containers ?? []) {
    const crt = rt?.containers.find((x) => x.name === c.name && !x.init);
    if (!crt || crt.phase !== 'running') continue;
    const entry = lookupImage(c.image ?? '').entry;
    const prog = programFor(c, entry);
    // A server image started through a shell (`sh -c "start-zookeeper ..."`)
    // serves its image's ports while that shell runs.
    const ports = prog.kind === 'server' ? prog.ports : entry?.kind === 'server' && !crt.process?.finished ? (entry.ports ?? {}) : undefined;
    if (!ports) continue;
    if ((crt.startedAt ?? 0) + (entry?.readySeconds ?? 0) * 1000 > now) continue;
    const behaviour = ports[String(port)];
    if (behaviour) return { container: c, http: behaviour.http, root: behaviour.root, tls: behaviour.tls };
    // A catalogue entry without port data (generic image): its declared ports answer.
    if (Object.keys(ports).length === 0 && (c.ports ?? []).some((p) => p.containerPort === port)) {
      return { container: c, http: { '/': { status: 200, body: '' } } };
    }
  }
  return undefined;
}

type P = Pod & KubeObject;

// Who asks, as the server sees it: the source address after kube-proxy's
// NAT, the Host header and the other request headers.
export interface RequestInfo {
  clientIP: string;
  host?: string;
  method?: string;
  headers?: Record<string, string>;
  // Absent: the caller does not care (probes, the API proxy).
  scheme?: 'http' | 'https';
}

const UNKNOWN_CLIENT: RequestInfo = { clientIP: '10.244.0.1' };

// registry.k8s.io/echoserver: the request, told back (1.4's layout before 1.10's).
function echoserver(pod: P, c: Container, port: number, url: URL, req: RequestInfo): string {
  const host = req.host ?? `${pod.status?.podIP ?? ''}:${port}`;
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(req.headers ?? {})) headers.set(k.toLowerCase(), v);
  headers.set('host', host);
  const headerLines = [...headers.keys()].sort().map((k) => `${k}=${headers.get(k)}`);
  // nginx builds it from the Host header and its own port.
  const uri = `http://${host.replace(/:\d+$/, '')}:${port}${url.pathname}${url.search}`;
  const query = url.search.slice(1);
  if (lookupImage(c.image ?? '').ref.tag === '1.4') {
    return [
      'CLIENT VALUES:',
      `client_address=${req.clientIP}`,
      `command=${req.method ?? 'GET'}`,
      `real path=${url.pathname}`,
      `query=${query || 'nil'}`,
      'request_version=1.1',
      `request_uri=${uri}`,
      '',
      'SERVER VALUES:',
      'server_version=nginx: 1.10.0 - lua: 10001',
      '',
      'HEADERS RECEIVED:',
      ...headerLines,
      'BODY:',
      '-no body in request-',
    ].join('\n');
  }
  const tab = (lines: string[]) => lines.map((l) => `\t${l}`);
  return [
    '',
    '',
    `Hostname: ${pod.metadata.name}`,
    '',
    'Pod Information:',
    ...tab(['-no pod information available-']),
    '',
    'Server values:',
    ...tab(['server_version=nginx: 1.13.3 - lua: 10008']),
    '',
    'Request Information:',
    ...tab([`client_address=${req.clientIP}`, `method=${req.method ?? 'GET'}`, `real path=${url.pathname}`, `query=${query}`, 'request_version=1.1', 'request_scheme=http', `request_uri=${uri}`]),
    '',
    'Request Headers:',
    ...tab(headerLines),
    '',
    'Request Body:',
    ...tab(['-no body in request-']),
    '',
    '',
  ].join('\n');
}

function render(template: string, pod: P, c: Container, ctx: Ctx, url: URL, req: RequestInfo, port: number): string {
  if (template in PAGES) return PAGES[template];
  if (template === 'echoserver') return echoserver(pod, c, port, url, req);
  const tag = lookupImage(c.image ?? '').ref.tag;
  return template.replace(/\{\{([^}]+)\}\}/g, (_m, key: string) => {
    switch (key) {
      case 'podName':
        return pod.metadata.name ?? '';
      case 'tag':
        return tag;
      case 'tagVersion':
        return tag.replace(/^v/, '');
      case 'nowGo':
        return goTimeString(ctx.now);
      case 'clientAddr':
        return `${req.clientIP}:54321`;
      case 'host':
        return req.host ?? `${pod.status?.podIP ?? ''}:${port}`;
      default:
        if (key.startsWith('query.')) return url.searchParams.get(key.slice(6)) ?? '';
        if (key.startsWith('arg.')) {
          const flag = `-${key.slice(4)}=`;
          const arg = [...(c.args ?? []), ...(c.command ?? [])].find((a) => a.startsWith(flag) || a.startsWith(`-${flag}`));
          return arg ? arg.slice(arg.indexOf('=') + 1) : '';
        }
        return '';
    }
  });
}

// Go's time.Time String() as agnhost's `NOW:` prints it.
function goTimeString(ms: number): string {
  const iso = rfc3339(ms).replace('T', ' ').replace('Z', '');
  const frac = String(ms % 1000).padStart(3, '0');
  return `${iso}.${frac}${'000000'} +0000 UTC`;
}

// A terminating pod keeps its address (and serves) until its containers end;
// a live pod that reuses the address wins.
export function podByIP(api: ApiServer, ip: string): P | undefined {
  const pods = api.peekList(kind('Pod')).filter((p) => (p as P).status?.podIP === ip) as P[];
  return pods.find((p) => !p.metadata.deletionTimestamp) ?? pods.find((p) => runtimeOf(api, p)?.containers.some((c) => c.phase === 'running'));
}

// An HTTP request to a pod's port.
export function httpToPod(ctx: Ctx, pod: P, port: number, pathAndQuery: string, req: RequestInfo = UNKNOWN_CLIENT): HttpAnswer {
  const ip = pod.status?.podIP ?? '';
  const listening = containerListening(pod, port, ctx.api, ctx.now);
  if (!listening) return { error: `dial tcp ${ip}:${port}: connect: connection refused` };
  const url = new URL(`http://x${pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`}`);
  const tls = listening.tls;
  if (req.scheme === 'https' && !tls) return { error: `tls: first record does not look like a TLS handshake`, tls: true };
  if (req.scheme === 'http' && tls) return plainHttpToHttps(listening.container.image ?? '');
  const cert = tls && req.scheme === 'https' ? readContainerFile(ctx.api, pod, listening.container, tls.cert, ctx.now) : undefined;
  if (tls && req.scheme === 'https' && cert === undefined) return { error: `dial tcp ${ip}:${port}: connect: connection refused` };
  if (listening.root) return { ...serveStatic(ctx.api, pod, listening.container, listening.root, url.pathname, ctx.now), ...(cert === undefined ? {} : { cert }) };
  const routes = listening.http;
  if (!routes) return { error: `read tcp ${ip}:${port}: read: connection reset by peer` };
  const route = routes[url.pathname] ?? (routes['/'] && Object.keys(routes).length === 1 ? routes['/'] : undefined);
  if (!route) return { status: 404, body: '404 page not found\n' };
  if (route.body.startsWith('app:')) {
    // Loaded on use: the apps call the image tools, which use this module.
    const { WEB_APPS } = require('./images/web-apps') as typeof import('./images/web-apps');
    const app = WEB_APPS[route.body.slice(4)];
    if (app) return app({ api: ctx.api, now: ctx.now, appData: (ctx.api.world.state.appData ??= {}) }, pod, listening.container, url);
  }
  auditServed(ctx.api.world.state, pod, listening.container.name, ctx.now);
  const expand = (t: string) => render(t, pod, listening.container, ctx, url, req, port);
  const headers = route.headers ? Object.fromEntries(Object.entries(route.headers).map(([k, v]) => [k, expand(v)])) : undefined;
  return { status: route.status, body: expand(route.body), ...(headers ? { headers } : {}) };
}

export function tcpToPod(ctx: Ctx, pod: P, port: number): boolean {
  return containerListening(pod, port, ctx.api, ctx.now) !== undefined;
}

// Resolves a Service port to a container port on one pod.
export function targetPortOn(pod: P, target: number | string | undefined, fallback: number): number | undefined {
  if (typeof target === 'number') return target;
  if (target === undefined || target === '') return fallback;
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === target) return p.containerPort;
  return /^\d+$/.test(target) ? Number(target) : undefined;
}

// The ready pods behind a Service, as its endpoints would list them.
export function serviceBackends(api: ApiServer, svc: Service & KubeObject): P[] {
  const selector = svc.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return [];
  return api
    .peekList(kind('Pod'), { namespace: svc.metadata.namespace })
    .filter((p) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))
    .filter((p) => isPodReady(p as P) && !p.metadata.deletionTimestamp && (p as P).status?.podIP) as P[];
}

// Round-robin over a Service's ready pods, by a counter kept in the state.
export function pickBackend(api: ApiServer, svc: Service & KubeObject): P | undefined {
  const pods = serviceBackends(api, svc);
  if (pods.length === 0) return undefined;
  const state = api.world.state as { lbCounter?: number };
  const n = state.lbCounter ?? 0;
  state.lbCounter = n + 1;
  api.dirty = true;
  return pods[n % pods.length];
}

// Cluster DNS: <svc>, <svc>.<ns>, <svc>.<ns>.svc, <svc>.<ns>.svc.cluster.local,
// pod hostnames under headless services, and the API server.
export function resolveName(api: ApiServer, name: string, fromNamespace: string): string[] | undefined {
  const n = name.replace(/\.$/, '');
  const parts = n.split('.');
  const svcInfo = kind('Service');
  const candidates: [string, string][] = [];
  if (parts.length === 1) candidates.push([fromNamespace, parts[0]]);
  if (parts.length === 2) candidates.push([parts[1], parts[0]]);
  if (parts.length >= 3 && parts[2] === 'svc') candidates.push([parts[1], parts[0]]);
  for (const [ns, svcName] of candidates) {
    const svc = api.peek(svcInfo, ns, svcName) as (Service & KubeObject) | undefined;
    if (!svc) continue;
    if (svc.spec?.type === 'ExternalName') return [];
    if (svc.spec?.clusterIP && svc.spec.clusterIP !== 'None') return [svc.spec.clusterIP];
    return serviceBackends(api, svc).map((p) => p.status?.podIP ?? '');
  }
  // <pod-hostname>.<headless-svc>.<ns>.svc.cluster.local (StatefulSet pods)
  if (parts.length >= 4 && parts[3] === 'svc') {
    const [host, svcName, ns] = parts;
    const pod = api.peekList(kind('Pod'), { namespace: ns }).find(
      (p) => ((p as P).spec?.hostname ?? p.metadata.name) === host && (p as P).spec?.subdomain === svcName,
    ) as P | undefined;
    if (pod?.status?.podIP) return [pod.status.podIP];
  }
  return undefined;
}

// kube-proxy's health check server on a LoadBalancer's healthCheckNodePort
// (externalTrafficPolicy: Local): 200 while the node has a ready endpoint of
// the service, 503 otherwise, with its JSON report.
export function serviceHealthCheck(api: ApiServer, nodeName: string, port: number): { status: number; body: string; headers: Record<string, string> } | undefined {
  const svc = (api.peekList(kind('Service')) as (Service & KubeObject)[]).find((s) => s.spec?.healthCheckNodePort === port);
  if (!svc) return undefined;
  const local = serviceBackends(api, svc).filter((p) => p.spec?.nodeName === nodeName).length;
  const body = `{\n\t"service": {\n\t\t"namespace": ${JSON.stringify(svc.metadata.namespace)},\n\t\t"name": ${JSON.stringify(svc.metadata.name)}\n\t},\n\t"localEndpoints": ${local},\n\t"serviceProxyHealthy": true\n}`;
  // Go's net/http adds Content-Length and Date, and writes headers sorted.
  const headers = {
    'Content-Length': String(Buffer.byteLength(body)),
    'Content-Type': 'application/json',
    Date: new Date(api.now()).toUTCString(),
    'X-Content-Type-Options': 'nosniff',
    'X-Load-Balancing-Endpoint-Weight': String(local),
  };
  return { status: local > 0 ? 200 : 503, body, headers };
}
