import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { KINDS, apiVersionOf } from '../../src/api/kinds';
import type { KindInfo } from '../../src/api/kinds';
import type { KubeObject } from '../../src/api/types';
import type { ApiServer } from '../../src/api/server';
import { StatusError, badRequest, notFound } from '../../src/api/errors';
import { hasScale, getScale, updateScale, noSuchSubresource } from '../../src/api/scale';
import { patchResource } from '../../src/api/patch';
import { evictPod } from '../../src/api/eviction';
import type { PatchType } from '../../src/api/patch';
import { parseFieldSelector, parseLabelSelector } from '../../src/api/selectors';
import { inVersion } from '../../src/api/conversion';
import { Session } from '../../src/cli/session';
import { oraclePath } from './oracle';
import type { OracleResult } from './oracle';

// kubemu's API server over HTTP, for the real kubectl: discovery (with the
// status and scale subresources), get, list, create, update, patch, delete
// and pods/eviction, backed by the cluster in a kubemu home. The oracle then
// runs the same command against the same cluster as kubemu does, and what
// kubectl prints on its side (messages, errors, printed objects, diffs) can be
// compared byte for byte. The server's side is kubemu's own, so this checks
// the client.

export interface KubemuServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

const ENV = { KUBEMU_DAEMON: '0', KUBEMU_CLOCK: 'manual', KUBEMU_SEED: '42', TZ: 'UTC' };

function groupVersions(): Map<string, KindInfo[]> {
  const out = new Map<string, KindInfo[]>();
  for (const k of KINDS) {
    for (const v of [k.version, ...(k.otherVersions ?? [])]) {
      const gv = apiVersionOf(k, v);
      out.set(gv, [...(out.get(gv) ?? []), k]);
    }
  }
  return out;
}

function resourceList(gv: string, kinds: KindInfo[]): unknown {
  const resources: unknown[] = [];
  for (const k of kinds) {
    resources.push({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.verbs,
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length > 0 ? { categories: k.categories } : {}),
    });
    if (hasScale(k)) {
      resources.push({ name: `${k.resource}/scale`, singularName: '', namespaced: k.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
    }
    if (k.kind === 'Pod') {
      resources.push({ name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    }
    if (k.statusSubresource) {
      resources.push({ name: `${k.resource}/status`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] });
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources };
}

function groupList(): unknown {
  const groups = new Map<string, string[]>();
  for (const k of KINDS) {
    if (!k.group) continue;
    const versions = groups.get(k.group) ?? [];
    for (const v of [k.version, ...(k.otherVersions ?? [])]) if (!versions.includes(v)) versions.push(v);
    groups.set(k.group, versions);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
    })),
  };
}

// OpenAPI v3, only as far as kubectl reads it to learn that the server
// validates fields and does dry runs itself: each kind's PATCH operation
// with its query parameters.
function openapiRoot(gvs: Map<string, KindInfo[]>): unknown {
  const paths: Record<string, unknown> = {};
  for (const gv of gvs.keys()) {
    const p = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}` };
  }
  return { paths };
}

function openapiDoc(gv: string, kinds: KindInfo[]): unknown {
  const version = gv.includes('/') ? gv.split('/')[1] : gv;
  const paths: Record<string, unknown> = {};
  for (const k of kinds) {
    const prefix = k.group ? `/apis/${gv}` : `/api/${gv}`;
    const ns = k.namespaced ? '/namespaces/{namespace}' : '';
    paths[`${prefix}${ns}/${k.resource}/{name}`] = {
      patch: {
        'x-kubernetes-group-version-kind': { group: k.group, version, kind: k.kind },
        parameters: ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
        responses: {},
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}

interface Route {
  info: KindInfo;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

// /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments, ...
function route(url: string): Route | undefined {
  const m = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(url);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3];
  const info = KINDS.find((k) => k.group === group && k.resource === m[5] && (k.version === version || (k.otherVersions ?? []).includes(version)));
  if (!info) return undefined;
  return { info, version, namespace: m[4], name: m[6] ? decodeURIComponent(m[6]) : undefined, subresource: m[7] };
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
};

function handle(api: ApiServer, method: string, r: Route, query: URLSearchParams, body: string, contentType: string): { code: number; body: unknown } {
  const dryRun = query.get('dryRun') === 'All';
  const fieldManager = query.get('fieldManager') ?? undefined;
  const versioned = (o: KubeObject) => inVersion(o, apiVersionOf(r.info, r.version));
  if (!r.name) {
    if (method === 'GET') {
      const items = api.list(r.info, {
        namespace: r.namespace,
        labelSelector: query.get('labelSelector') ? parseLabelSelector(query.get('labelSelector')!) : undefined,
        fieldSelector: query.get('fieldSelector') ? parseFieldSelector(query.get('fieldSelector')!) : undefined,
      });
      return {
        code: 200,
        body: { apiVersion: apiVersionOf(r.info, r.version), kind: `${r.info.kind}List`, metadata: { resourceVersion: api.resourceVersion() }, items: items.map(versioned) },
      };
    }
    if (method === 'POST') {
      if (!contentType.startsWith('application/json')) throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json`);
      const obj = JSON.parse(body) as KubeObject;
      obj.metadata ??= {};
      if (r.info.namespaced) obj.metadata.namespace = r.namespace;
      return { code: 201, body: versioned(api.create(obj, { dryRun, fieldManager })) };
    }
    throw new StatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }
  const ns = r.info.namespaced ? r.namespace : undefined;
  if (r.subresource === 'eviction' && r.info.kind === 'Pod' && method === 'POST') {
    const eviction = JSON.parse(body) as { deleteOptions?: { gracePeriodSeconds?: number; dryRun?: string[] } };
    const opts = eviction.deleteOptions ?? {};
    evictPod(api, ns ?? 'default', r.name, { gracePeriodSeconds: opts.gracePeriodSeconds, dryRun: dryRun || (opts.dryRun ?? []).includes('All') });
    return { code: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' } };
  }
  if (r.subresource && r.subresource !== 'status' && r.subresource !== 'scale') throw noSuchSubresource();
  if (r.subresource === 'scale' && !hasScale(r.info)) throw noSuchSubresource();
  if (r.subresource === 'status' && !r.info.statusSubresource) throw noSuchSubresource();
  switch (method) {
    case 'GET':
      return { code: 200, body: r.subresource === 'scale' ? getScale(api, r.info, ns, r.name) : versioned(api.get(r.info, ns, r.name)) };
    case 'PUT': {
      const obj = JSON.parse(body) as KubeObject;
      if (r.subresource === 'scale') return { code: 200, body: updateScale(api, r.info, { ...obj, metadata: { ...obj.metadata, namespace: ns } }, { dryRun }) };
      if (!api.peek(r.info, ns, r.name)) throw notFound(r.info, r.name);
      obj.metadata = { ...obj.metadata, namespace: ns };
      return { code: 200, body: versioned(api.update(obj, { dryRun, fieldManager, subresource: r.subresource === 'status' ? 'status' : undefined })) };
    }
    case 'PATCH': {
      const type = PATCH_TYPES[contentType.split(';')[0]];
      if (!type) throw new StatusError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`);
      const sub = r.subresource === 'status' || r.subresource === 'scale' ? r.subresource : undefined;
      const { after } = patchResource(api, r.info, ns, r.name, type, body, { dryRun, fieldManager, subresource: sub });
      return { code: 200, body: sub === 'scale' ? after : versioned(after) };
    }
    case 'DELETE': {
      const opts = (body ? JSON.parse(body) : {}) as { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; gracePeriodSeconds?: number };
      const gone = api.delete(r.info, ns, r.name, { dryRun, propagationPolicy: opts.propagationPolicy, gracePeriodSeconds: opts.gracePeriodSeconds });
      return { code: 200, body: versioned(gone) };
    }
    default:
      throw badRequest(`unsupported method ${method}`);
  }
}

// Serves the cluster in `home` until closed.
export function startKubemuServer(home: string): Promise<KubemuServer> {
  const session = new Session({ ...process.env, ...ENV, KUBEMU_HOME: home });
  const gvs = groupVersions();
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const [url, qs] = (req.url ?? '').split('?');
      const query = new URLSearchParams(qs ?? '');
      const method = req.method ?? 'GET';
      requests.push(`${method} ${req.url}`);
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
      if (url === '/apis') return send(200, groupList());
      if (url === '/openapi/v3') return send(200, openapiRoot(gvs));
      if (url.startsWith('/openapi/v3/')) {
        const gvPath = url.slice('/openapi/v3/'.length).replace(/^apis?\//, '');
        if (gvs.has(gvPath)) return send(200, openapiDoc(gvPath, gvs.get(gvPath)!));
      }
      const gv = url.startsWith('/api/') ? url.slice(5) : url.startsWith('/apis/') ? url.slice(6) : '';
      if (gvs.has(gv)) return send(200, resourceList(gv, gvs.get(gv)!));
      const r = route(url);
      if (!r) return send(404, new StatusError(404, 'NotFound', 'the server could not find the requested resource', {}).toStatus());
      const body = Buffer.concat(chunks).toString('utf8');
      try {
        const run = (api: ApiServer) => handle(api, method, r, query, body, req.headers['content-type'] ?? '');
        const out = method === 'GET' ? session.read(run) : session.write(run);
        send(out.code, out.body);
      } catch (e) {
        if (e instanceof StatusError) send(e.code, e.toStatus());
        else send(500, new StatusError(500, 'InternalError', String(e)).toStatus());
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

// Copies a kubemu home, so kubemu and the oracle each change their own copy.
export function copyHome(home: string): string {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-oracle-home-'));
  fs.cpSync(home, copy, { recursive: true });
  return copy;
}

// Runs the real kubectl against a server; asynchronous, as the server lives in
// this process. `env` adds variables (KUBE_EDITOR, KUBECTL_EXTERNAL_DIFF).
export async function runOracleOn(
  server: KubemuServer,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<OracleResult> {
  if (!oraclePath) throw new Error('no oracle');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-oracle-cache-'));
  try {
    return await new Promise<OracleResult>((resolve, reject) => {
      const child = spawn(oraclePath!, [...args, `--server=${server.url}`, `--cache-dir=${cacheDir}`], {
        cwd: opts.cwd,
        env: { PATH: process.env.PATH, HOME: cacheDir, KUBECONFIG: '/dev/null', TZ: 'UTC', ...opts.env },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      child.on('error', reject);
      child.on('close', (code) => resolve({ stdout, stderr, status: code ?? -1 }));
      child.stdin.end(opts.input ?? '');
    });
  } finally {
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
}

export interface Compared {
  kubemu: OracleResult;
  oracle: OracleResult;
}

// What differs between runs and not between the two: the binary's name, the
// random digits of temporary names, file times.
export function normalizeRun(r: OracleResult): OracleResult {
  const norm = (t: string) =>
    t
      .replace(/kubectl\.1\.\d+/g, 'kubectl')
      .replace(/kubectl-edit-\d+/g, 'kubectl-edit-N')
      .replace(/(LIVE|MERGED)-\d+/g, '$1-N')
      .replace(/\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} [+-]\d{4}$/gm, '\tTIME');
  return { stdout: norm(r.stdout), stderr: norm(r.stderr), status: r.status };
}

// Runs `args` with the real kubectl against a copy of the cluster in `home`,
// then with kubemu on `home` itself (so the next command sees kubemu's
// changes); both results normalized.
export async function compareLive(
  home: string,
  args: string[],
  run: (args: string[], env: NodeJS.ProcessEnv) => OracleResult,
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {},
): Promise<Compared> {
  const copy = copyHome(home);
  const server = await startKubemuServer(copy);
  let oracle: OracleResult;
  try {
    oracle = await runOracleOn(server, args, opts);
  } finally {
    await server.close();
    fs.rmSync(copy, { recursive: true, force: true });
  }
  return { oracle: normalizeRun(oracle), kubemu: normalizeRun(run(args, opts.env ?? {})) };
}

// Manifests the verb tests share, written into `dir`.
export const MANIFESTS: Record<string, string> = {
  'web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`,
  'rc.yaml': `apiVersion: v1
kind: ReplicationController
metadata:
  name: rc1
spec:
  replicas: 1
  selector:
    app: rc1
  template:
    metadata:
      labels:
        app: rc1
    spec:
      containers:
      - name: a
        image: nginx
        ports:
        - containerPort: 80
        - containerPort: 53
          protocol: UDP
      - name: b
        image: nginx
        ports:
        - containerPort: 53
`,
  'svc.yaml': `apiVersion: v1
kind: Service
metadata:
  name: s1
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - port: 80
`,
  'secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: sec
data:
  a: YQ==
  b: Yg==
`,
};

export function writeManifests(dir: string, extra: Record<string, string> = {}): void {
  for (const [name, text] of Object.entries({ ...MANIFESTS, ...extra })) fs.writeFileSync(path.join(dir, name), text);
}

// A variant of a manifest: `edits` are [from, to] text replacements.
export function variant(name: string, edits: [string, string][]): string {
  return edits.reduce((t, [a, b]) => t.replace(a, b), MANIFESTS[name]);
}
