import * as fs from 'node:fs';
import * as path from 'node:path';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Command } from '../command';
import type { Session } from '../session';
import type { ApiServer, PropagationPolicy } from '../../api/server';
import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import { KINDS, apiVersionOf, discoveryOrder } from '../../api/kinds';
import { kind } from '../../api/registry';
import { apiGroup, apiGroupList, apiResourceList, groupVersions, kindResources, servedGroups, statusSubresource } from '../../api/discovery';
import type { ServedGroup, Subresource } from '../../api/discovery';
import type { APIResourceList } from 'kubernetes-types/meta/v1';
import { StatusError, badRequest, methodNotAllowed, notFound } from '../../api/errors';
import { parseFieldSelector, parseLabelSelector } from '../../api/selectors';
import { supportsField } from '../../api/fields';
import { httpToPod } from '../../sim/network';
import type { HttpAnswer } from '../../sim/network';
import { jsonString } from '../../printers/json';
import { goJsonCompact, goTypeOf } from './create/go-structs';
import { metricsAvailable, nodeMetrics, podMetrics } from '../../cluster/addons/metrics';
import versions from '../../cluster/versions.json';
import { CliError, PlainError } from '../errors';
import { parseBool } from '../flags';
import { ListenError, ServiceBalancer, contentType, hostPort, listen } from '../gateway';
import { klogLine } from '../klog';
import type { P } from '../gateway';

// kubectl proxy: a local HTTP server in front of the API server. kubemu's API
// server is in-process, so the proxy serves the read side of the Kubernetes
// API itself, as kube-apiserver answers it: discovery, lists and objects at
// their paths (JSON, indented for curl and browsers), DELETE of an object
// with its DeleteOptions, Status objects for
// errors, and the pods/services `proxy` subresources answered by the
// simulated apps. `minikube dashboard` serves through the same handler.

interface Reply {
  status: number;
  contentType: string;
  body: string;
}

// --- JSON as the API server writes it -------------------------------------

// encoding/json of a value built here, keys in insertion order.
function orderedJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return jsonString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(orderedJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return `{${entries.map(([k, x]) => `${jsonString(k)}:${orderedJson(x)}`).join(',')}}`;
}

// json.Indent(dst, src, "", "  ") of compact JSON.
export function indentJson(compact: string): string {
  let out = '';
  let depth = 0;
  let inString = false;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i];
    if (inString) {
      out += c;
      if (c === '\\') out += compact[++i];
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      if (compact[i + 1] === close) {
        out += c + close;
        i++;
      } else {
        depth++;
        out += c + newline();
      }
    } else if (c === '}' || c === ']') {
      depth--;
      out += newline() + c;
    } else if (c === ',') {
      out += c + newline();
    } else if (c === ':') {
      out += ': ';
    } else {
      out += c;
    }
  }
  return out;
}

// An object as its Go type encodes it; kinds without a known layout keep
// kind, apiVersion and metadata first, as every API type declares them.
function objectJson(obj: KubeObject): string {
  const type = goTypeOf(obj);
  if (type) return goJsonCompact(obj, type);
  const { kind: k, apiVersion, metadata, ...rest } = obj;
  const head: string[] = [];
  if (k) head.push(`"kind":${jsonString(k)}`);
  if (apiVersion) head.push(`"apiVersion":${jsonString(apiVersion)}`);
  head.push(`"metadata":${goJsonCompact(metadata, 'meta.ObjectMeta')}`);
  const tail = Object.entries(rest)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => `${jsonString(key)}:${orderedJson(v)}`);
  return `{${[...head, ...tail].join(',')}}`;
}

// A list: items without their own kind and apiVersion, as the API server sends them.
function listJson(info: KindInfo, items: KubeObject[], resourceVersion: string, version = info.version): string {
  const list = {
    kind: `${info.kind}List`,
    apiVersion: apiVersionOf(info, version),
    metadata: { resourceVersion },
    items: items.map(({ kind: _k, apiVersion: _a, ...rest }) => {
      void _k;
      void _a;
      return rest as KubeObject;
    }),
  };
  const type = goTypeOf(list);
  if (type) return goJsonCompact(list, type);
  return `{"kind":${jsonString(list.kind)},"apiVersion":${jsonString(list.apiVersion)},"metadata":{"resourceVersion":${jsonString(resourceVersion)}},"items":[${list.items.map(objectJson).join(',')}]}`;
}

// isPrettyPrint: ?pretty=, else curl, wget and browsers get indented JSON.
function pretty(req: IncomingMessage, query: URLSearchParams): boolean {
  const pp = query.get('pretty');
  if (pp) return parseBool(pp) === true;
  const ua = req.headers['user-agent'] ?? '';
  return ua.startsWith('curl') || ua.startsWith('Wget') || ua.startsWith('Mozilla/5.0');
}

function jsonReply(status: number, compact: string, indent: boolean): Reply {
  // The serializer writes compact JSON with a newline, indented JSON without one.
  return { status, contentType: 'application/json', body: indent ? indentJson(compact) : `${compact}\n` };
}

function statusReply(err: StatusError, indent: boolean): Reply {
  const status = err.toStatus();
  return jsonReply(err.code, goJsonCompact(status, 'meta.Status'), indent);
}

function serviceUnavailable(message: string): StatusError {
  return new StatusError(503, 'ServiceUnavailable', message);
}

const NOT_FOUND_ROUTE = new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});

// --- discovery ----------------------------------------------------------------

// The groups in discovery order, and the Metrics API while metrics-server runs.
function proxiedGroups(api: ApiServer): ServedGroup[] {
  const groups = servedGroups(discoveryOrder());
  if (metricsAvailable(api)) groups.push({ group: 'metrics.k8s.io', versions: ['v1beta1'] });
  return groups;
}

// Listed besides status.
const SUBRESOURCES: Record<string, Subresource[]> = {
  Pod: [
    { name: 'eviction', kind: 'Eviction', groupVersion: { group: 'policy', version: 'v1' }, verbs: ['create'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'proxy', kind: 'PodProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] },
  ],
  Service: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] }],
};

// As kube-apiserver lists them: by name, the core group's list without apiVersion.
const AS_APISERVER = { sortByName: true, noCoreApiVersion: true };

function resourceList(group: string, version: string): APIResourceList | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  if (group === 'metrics.k8s.io') {
    const verbs = ['get', 'list'];
    const resources = [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs },
    ];
    return apiResourceList(groupVersion, resources, AS_APISERVER);
  }
  const kinds = groupVersions().get(groupVersion);
  if (!kinds) return undefined;
  return apiResourceList(groupVersion, kindResources(kinds, (k) => [...(SUBRESOURCES[k.kind] ?? []), ...statusSubresource(k)]), AS_APISERVER);
}

// --- the Metrics API ----------------------------------------------------------

function quantityCpu(milli: number): string {
  return milli === 0 ? '0' : `${milli}m`;
}

function quantityMemory(bytes: number): string {
  if (bytes === 0) return '0';
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}Mi`;
  return bytes % 1024 === 0 ? `${bytes / 1024}Ki` : String(bytes);
}

function metricsReply(api: ApiServer, segments: string[], indent: boolean): Reply {
  const now = new Date(api.now()).toISOString().replace(/\.\d+Z$/, 'Z');
  const meta = (name: string, namespace: string | undefined, labels: Record<string, string>) => ({ name, namespace, creationTimestamp: now, labels });
  const apiVersion = 'metrics.k8s.io/v1beta1';
  let namespace: string | undefined;
  let rest = segments;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name] = rest;
  if (resource === 'pods') {
    const items = podMetrics(api, { namespace }).map((p) => ({
      kind: 'PodMetrics',
      apiVersion,
      metadata: meta(p.name, p.namespace, p.labels),
      timestamp: now,
      window: '1m0s',
      containers: p.containers.map((c) => ({ name: c.name, usage: { cpu: quantityCpu(c.cpuMilli), memory: quantityMemory(c.memoryBytes) } })),
    }));
    if (name === undefined) return jsonReply(200, orderedJson({ kind: 'PodMetricsList', apiVersion, metadata: {}, items }), indent);
    const one = items.find((i) => i.metadata.name === name);
    if (!one) return statusReply(new StatusError(404, 'NotFound', `podmetrics.metrics.k8s.io "${namespace ?? ''}/${name}" not found`, { name, group: 'metrics.k8s.io', kind: 'pods' }), indent);
    return jsonReply(200, orderedJson(one), indent);
  }
  if (resource === 'nodes' && namespace === undefined) {
    const items = nodeMetrics(api).map((n) => ({
      kind: 'NodeMetrics',
      apiVersion,
      metadata: meta(n.name, undefined, n.labels),
      timestamp: now,
      window: '1m0s',
      usage: { cpu: quantityCpu(n.cpuMilli), memory: quantityMemory(n.memoryBytes) },
    }));
    if (name === undefined) return jsonReply(200, orderedJson({ kind: 'NodeMetricsList', apiVersion, metadata: {}, items }), indent);
    const one = items.find((i) => i.metadata.name === name);
    if (!one) return statusReply(new StatusError(404, 'NotFound', `nodemetrics.metrics.k8s.io "${name}" not found`, { name, group: 'metrics.k8s.io', kind: 'nodes' }), indent);
    return jsonReply(200, orderedJson(one), indent);
  }
  return statusReply(NOT_FOUND_ROUTE, indent);
}

// --- the proxy subresources -------------------------------------------------

// `[scheme:]name[:port]`, as utilnet.SplitSchemeNamePort reads it.
function splitSchemeNamePort(id: string): { name: string; port: string } {
  const parts = id.split(':');
  if (parts.length === 3) return { name: parts[1], port: parts[2] };
  if (parts.length === 2 && (parts[0] === 'http' || parts[0] === 'https')) return { name: parts[1], port: '' };
  if (parts.length === 2) return { name: parts[0], port: parts[1] };
  return { name: parts[0], port: '' };
}

function answerReply(answer: HttpAnswer, indent: boolean): Reply {
  if ('error' in answer) {
    return statusReply(new StatusError(500, '', `error trying to reach service: ${answer.error}`), indent);
  }
  return { status: answer.status, contentType: contentType(answer.body), body: answer.body };
}

function podProxy(api: ApiServer, namespace: string, id: string, rest: string, indent: boolean): Reply {
  const { name, port } = splitSchemeNamePort(id);
  const pod = api.get(kind('Pod'), namespace, name) as P;
  let target = port;
  if (target === '') {
    const first = (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? [])[0];
    target = first ? String(first.containerPort) : '';
  }
  if (!pod.status?.podIP) throw badRequest('address not allowed');
  const portNum = /^\d+$/.test(target) ? Number(target) : (pod.spec?.containers ?? []).flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
  if (portNum === undefined) return answerReply({ error: `dial tcp ${pod.status.podIP}:${target}: connect: connection refused` }, indent);
  return answerReply(httpToPod({ api, now: api.now() }, pod, portNum, rest), indent);
}

// Services pick one ready endpoint per request; the turn is kept per proxy.
const balancers = new Map<string, ServiceBalancer>();

function serviceProxy(session: Session, api: ApiServer, namespace: string, id: string, rest: string, indent: boolean): Reply {
  const { name, port } = splitSchemeNamePort(id);
  const svc = api.get(kind('Service'), namespace, name);
  const ports = ((svc.spec as { ports?: { name?: string; port: number }[] }).ports ?? []);
  const sp = /^\d+$/.test(port) ? ports.find((p) => p.port === Number(port)) : ports.find((p) => (p.name ?? '') === port);
  if (!sp) {
    if (/^\d+$/.test(port)) throw serviceUnavailable(`no service port ${port} found for service "${name}"`);
    throw serviceUnavailable(`no endpoints available for service "${id}"`);
  }
  const key = `${namespace}/${name}:${sp.port}`;
  let balancer = balancers.get(key);
  if (!balancer) balancers.set(key, (balancer = new ServiceBalancer(session, namespace, name, sp.port)));
  const backend = balancer.next(api);
  if ('error' in backend) throw serviceUnavailable(`no endpoints available for service "${id}"`);
  return answerReply(httpToPod({ api, now: api.now() }, backend.pod, backend.port, rest), indent);
}

// --- resources ----------------------------------------------------------------

function kindFor(group: string, version: string, resource: string): KindInfo | undefined {
  return KINDS.find((k) => k.group === group && k.resource === resource && (k.version === version || (k.otherVersions ?? []).includes(version)));
}

function listOptions(info: KindInfo, query: URLSearchParams): { labelSelector?: ReturnType<typeof parseLabelSelector>; fieldSelector?: ReturnType<typeof parseFieldSelector> } {
  const opts: { labelSelector?: ReturnType<typeof parseLabelSelector>; fieldSelector?: ReturnType<typeof parseFieldSelector> } = {};
  const labels = query.get('labelSelector');
  const fields = query.get('fieldSelector');
  try {
    if (labels) opts.labelSelector = parseLabelSelector(labels);
    if (fields) opts.fieldSelector = parseFieldSelector(fields);
  } catch (e) {
    throw badRequest((e as Error).message);
  }
  for (const f of opts.fieldSelector ?? []) {
    if (!supportsField(info, f.field)) throw badRequest(`field label not supported: ${f.field}`);
  }
  return opts;
}

// DELETE of a named object, with DeleteOptions from the body or the query
// (the propagationPolicy of the garbage collection page's curl examples). The
// reply is the object as the deletion left it: gone, or still there with its
// deletionTimestamp and finalizers.
function serveDelete(session: Session, segments: string[], query: URLSearchParams, body: string, indent: boolean): Reply {
  let group = '';
  let version = 'v1';
  let rest: string[];
  if (segments[0] === 'api' && segments[1] === 'v1') rest = segments.slice(2);
  else if (segments[0] === 'apis' && segments.length > 3) [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
  else return statusReply(NOT_FOUND_ROUTE, indent);
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 4) [namespace, rest] = [rest[1], rest.slice(2)];
  const info = kindFor(group, version, rest[0] ?? '');
  if (!info || rest.length !== 2 || info.namespaced !== (namespace !== undefined)) {
    return statusReply(info && rest.length === 1 ? methodNotAllowed('the server does not allow this method on the requested resource') : NOT_FOUND_ROUTE, indent);
  }
  let options: { propagationPolicy?: string; gracePeriodSeconds?: number; orphanDependents?: boolean } = {};
  if (body.trim() !== '') {
    try {
      options = JSON.parse(body) as typeof options;
    } catch (e) {
      return statusReply(badRequest(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (${(e as Error).message})`), indent);
    }
  }
  const policy = query.get('propagationPolicy') ?? options.propagationPolicy ?? (options.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && !['Orphan', 'Background', 'Foreground'].includes(policy)) {
    return statusReply(badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`), indent);
  }
  const grace = query.get('gracePeriodSeconds') ?? options.gracePeriodSeconds;
  try {
    const obj = session.write((api) =>
      api.delete(info, namespace, rest[1], {
        propagationPolicy: policy as PropagationPolicy | undefined,
        gracePeriodSeconds: grace === undefined || grace === null ? undefined : Number(grace),
      }),
    );
    return jsonReply(200, objectJson(obj), indent);
  } catch (e) {
    if (e instanceof StatusError) return statusReply(e, indent);
    throw e;
  }
}

// Serves one API request (path already stripped of the proxy's prefix).
function serveApi(session: Session, req: IncomingMessage, pathname: string, query: URLSearchParams, body = ''): Reply {
  const indent = pretty(req, query);
  const method = req.method ?? 'GET';
  const segments = pathname.split('/').filter((s) => s !== '');
  if (method === 'DELETE') return serveDelete(session, segments, query, body, indent);
  try {
    if (pathname === '/version' || pathname === '/version/') {
      // The version handler always indents.
      return { status: 200, contentType: 'application/json', body: JSON.stringify(versions.serverVersion, null, 2) };
    }
    if (['/healthz', '/livez', '/readyz'].includes(pathname)) return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' };
    // A pod's or service's proxy subresource reaches the application, whose
    // answer may change the state (Session.serve); other requests only read.
    const proxied = segments.includes('proxy');
    const transaction = <T>(fn: (api: ApiServer) => T): T => (proxied ? session.serve(fn) : session.read(fn));
    return transaction((api) => {
      const resourceVersion = api.resourceVersion();
      let group: string;
      let version: string;
      let rest: string[];
      if (segments[0] === 'api') {
        if (segments.length === 1) {
          const doc = { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '192.168.49.2:8443' }] };
          return jsonReply(200, orderedJson(doc), indent);
        }
        if (segments[1] !== 'v1') return statusReply(NOT_FOUND_ROUTE, indent);
        [group, version, rest] = ['', 'v1', segments.slice(2)];
      } else if (segments[0] === 'apis') {
        const groups = proxiedGroups(api);
        if (segments.length === 1) return jsonReply(200, orderedJson(apiGroupList(groups)), indent);
        const g = groups.find((x) => x.group === segments[1]);
        if (!g) return statusReply(NOT_FOUND_ROUTE, indent);
        if (segments.length === 2) return jsonReply(200, orderedJson({ kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g) }), indent);
        if (!g.versions.includes(segments[2])) return statusReply(NOT_FOUND_ROUTE, indent);
        [group, version, rest] = [segments[1], segments[2], segments.slice(3)];
      } else {
        return statusReply(NOT_FOUND_ROUTE, indent);
      }
      if (rest.length === 0) {
        const doc = resourceList(group, version);
        return doc ? jsonReply(200, orderedJson(doc), indent) : statusReply(NOT_FOUND_ROUTE, indent);
      }
      if (group === 'metrics.k8s.io') return metricsReply(api, rest, indent);

      // namespaces/{ns}/{resource}/... or {resource}/...
      let namespace: string | undefined;
      if (rest[0] === 'namespaces' && rest.length >= 3 && kindFor(group, version, rest[2])?.namespaced) {
        namespace = rest[1];
        rest = rest.slice(2);
      }
      const [resource, name, sub, ...subRest] = rest;
      const info = kindFor(group, version, resource);
      if (!info || (namespace !== undefined && !info.namespaced)) return statusReply(NOT_FOUND_ROUTE, indent);

      if (sub === 'proxy' && namespace !== undefined && (info.kind === 'Pod' || info.kind === 'Service')) {
        const target = `/${subRest.join('/')}${pathname.endsWith('/') && subRest.length > 0 ? '/' : ''}${query.toString() ? `?${query.toString()}` : ''}`;
        return info.kind === 'Pod' ? podProxy(api, namespace, name, target, indent) : serviceProxy(session, api, namespace, name, target, indent);
      }
      if (method !== 'GET' && method !== 'HEAD') {
        return statusReply(methodNotAllowed('the server does not allow this method on the requested resource'), indent);
      }
      if (name === undefined) {
        // Without a namespace, a namespaced resource lists across all of them.
        return jsonReply(200, listJson(info, api.list(info, { namespace, ...listOptions(info, query) }), resourceVersion, version), indent);
      }
      if (info.namespaced && namespace === undefined) return statusReply(NOT_FOUND_ROUTE, indent);
      if (sub !== undefined && !(sub === 'status' && info.statusSubresource && subRest.length === 0)) return statusReply(NOT_FOUND_ROUTE, indent);
      const obj = api.tryGet(info, namespace, name);
      if (!obj) throw notFound(info, name);
      if (version !== info.version) obj.apiVersion = apiVersionOf(info, version);
      return jsonReply(200, objectJson(obj), indent);
    });
  } catch (e) {
    if (e instanceof StatusError) return statusReply(e, indent);
    if (e instanceof PlainError) {
      // The API server is down (`minikube stop`): kubectl proxy's responder answers 500.
      return { status: 500, contentType: 'text/plain; charset=utf-8', body: `${e.message.replace(/^The connection to the server (\S+) was refused.*$/, 'dial tcp $1: connect: connection refused')}\n` };
    }
    throw e;
  }
}

// --- the server -----------------------------------------------------------------

export interface ProxyOptions {
  apiPrefix: string;
  staticDir?: string;
  staticPrefix: string;
  // Undefined with --disable-filter.
  filter?: { acceptPaths: RegExp[]; rejectPaths: RegExp[]; acceptHosts: RegExp[]; rejectMethods: RegExp[] };
}

export const DEFAULT_FILTER = {
  acceptHosts: '^localhost$,^127\\.0\\.0\\.1$,^\\[::1\\]$',
  acceptPaths: '^.*',
  rejectPaths: '^/api/.*/pods/.*/exec,^/api/.*/pods/.*/attach',
  rejectMethods: '^$',
};

export function regexps(text: string): RegExp[] {
  return text === '' ? [] : text.split(',').map((p) => new RegExp(p));
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, { 'Content-Type': reply.contentType, ...(reply.contentType.startsWith('text/plain') ? { 'X-Content-Type-Options': 'nosniff' } : {}) });
  res.end(reply.body);
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

// http.FileServer over --www.
function serveStatic(dir: string, rel: string, res: ServerResponse): void {
  const file = path.join(dir, path.normalize(`/${rel}`));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    send(res, { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' });
    return;
  }
  if (stat.isDirectory()) {
    const index = path.join(file, 'index.html');
    if (fs.existsSync(index)) {
      res.writeHead(200, { 'Content-Type': CONTENT_TYPES['.html'] });
      res.end(fs.readFileSync(index));
      return;
    }
    const entries = fs.readdirSync(file, { withFileTypes: true }).map((e) => `<a href="${e.name}${e.isDirectory() ? '/' : ''}">${e.name}${e.isDirectory() ? '/' : ''}</a>\n`);
    send(res, { status: 200, contentType: 'text/html; charset=utf-8', body: `<!doctype html>\n<meta name="viewport" content="width=device-width">\n<pre>\n${entries.join('')}</pre>\n` });
    return;
  }
  res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
  res.end(fs.readFileSync(file));
}

function accepted(filter: NonNullable<ProxyOptions['filter']>, method: string, pathname: string, hostHeader: string): boolean {
  // net.SplitHostPort, or the header as it is.
  const m = /^(?:\[([^\]]*)\]|([^:]*)):\d*$/.exec(hostHeader);
  const host = m ? (m[1] ?? m[2]) : hostHeader;
  const matches = (s: string, res: RegExp[]) => res.some((r) => r.test(s));
  if (matches(pathname, filter.rejectPaths) || matches(method, filter.rejectMethods)) return false;
  return matches(pathname, filter.acceptPaths) && matches(host, filter.acceptHosts);
}

export function proxyHandler(session: Session, opts: ProxyOptions): RequestListener {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const pathname = decodeURIComponent(url.pathname);
    // http.ServeMux: the longer of the two matching prefixes wins.
    const api = pathname.startsWith(opts.apiPrefix);
    if (opts.staticDir && pathname.startsWith(opts.staticPrefix) && (!api || opts.staticPrefix.length > opts.apiPrefix.length)) {
      serveStatic(opts.staticDir, pathname.slice(opts.staticPrefix.length), res);
      return;
    }
    if (!api) {
      send(res, { status: 404, contentType: 'text/plain; charset=utf-8', body: '404 page not found\n' });
      return;
    }
    // stripLeaveSlash, for prefixes other than /api...
    let apiPath = pathname;
    if (!opts.apiPrefix.startsWith('/api')) {
      apiPath = pathname.slice(opts.apiPrefix.length);
      if (!apiPath.startsWith('/')) apiPath = `/${apiPath}`;
    }
    if (opts.filter && !accepted(opts.filter, req.method ?? 'GET', apiPath, req.headers.host ?? '')) {
      send(res, { status: 403, contentType: 'text/plain; charset=utf-8', body: 'Forbidden\n' });
      return;
    }
    if (req.method !== 'DELETE') {
      send(res, serveApi(session, req, apiPath, url.searchParams));
      return;
    }
    // Only a DELETE's body (DeleteOptions) is read.
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => send(res, serveApi(session, req, apiPath, url.searchParams, Buffer.concat(chunks).toString('utf8'))));
  };
}

export const command: Command = {
  flags: [
    { name: 'port', short: 'p', kind: 'int', default: 8001 },
    { name: 'address', kind: 'string', default: '127.0.0.1' },
    { name: 'api-prefix', kind: 'string', default: '/' },
    { name: 'www', short: 'w', kind: 'string' },
    { name: 'www-prefix', short: 'P', kind: 'string', default: '/static/' },
    { name: 'accept-paths', kind: 'string', default: DEFAULT_FILTER.acceptPaths },
    { name: 'reject-paths', kind: 'string', default: DEFAULT_FILTER.rejectPaths },
    { name: 'accept-hosts', kind: 'string', default: DEFAULT_FILTER.acceptHosts },
    { name: 'reject-methods', kind: 'string', default: DEFAULT_FILTER.rejectMethods },
    { name: 'disable-filter', kind: 'bool' },
    { name: 'unix-socket', short: 'u', kind: 'string' },
    { name: 'keepalive', kind: 'duration' },
    { name: 'append-server-path', kind: 'bool' },
  ],
  async run(ctx) {
    const flags = ctx.flags;
    if (flags.int('port') !== 8001 && flags.str('unix-socket')) throw new CliError('error: cannot set --unix-socket and --port at the same time');
    if (flags.str('unix-socket')) throw new CliError('error: kubemu serves the proxy on TCP only; --unix-socket is not simulated');
    const session = ctx.session();
    session.ensureCluster();
    const withSlash = (s: string) => (s.endsWith('/') ? s : `${s}/`);
    const opts: ProxyOptions = {
      apiPrefix: withSlash(flags.str('api-prefix')),
      staticDir: flags.str('www') || undefined,
      staticPrefix: withSlash(flags.str('www-prefix')),
      filter: flags.bool('disable-filter')
        ? undefined
        : {
            acceptPaths: regexps(flags.str('accept-paths')),
            rejectPaths: regexps(flags.str('reject-paths')),
            acceptHosts: regexps(flags.str('accept-hosts')),
            rejectMethods: regexps(flags.str('reject-methods')),
          },
    };
    if (flags.bool('disable-filter')) ctx.io.err(klogLine('W', 'proxy.go:177', 'Request filter disabled, your proxy is vulnerable to XSRF attacks, please be cautious'));
    let listening;
    try {
      listening = await listen(proxyHandler(session, opts), flags.str('address'), flags.int('port'));
    } catch (e) {
      if (e instanceof ListenError) throw new CliError(`error: ${e.message}`);
      throw e;
    }
    ctx.io.out(`Starting to serve on ${hostPort(listening.host, listening.port)}\n`);
    // kubectl proxy has no signal handler: it serves until a signal ends the process.
    return new Promise<number>(() => undefined);
  },
};
