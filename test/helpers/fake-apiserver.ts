import * as http from 'node:http';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { KINDS, apiVersionOf } from '../../src/api/kinds';
import type { KindInfo } from '../../src/api/kinds';
import { oraclePath } from './oracle';
import type { OracleResult } from './oracle';
import { withFlags } from './kubemu-cli';

// A minimal API server for the real kubectl, for the commands that need one even
// with --dry-run=client (`run`, `create role` and `create clusterrole` read
// discovery; `create job --from` reads the cron job). It serves legacy discovery
// built from kubemu's own kinds registry, so the oracle sees the resources kubemu
// serves, the objects it is given, and answers creates with `createResponse` (the
// object kubemu's server made) so typed printing can be compared too.

export interface FakeServerOptions {
  objects?: Record<string, unknown>[];
  // What creates (POST) are answered with. kubectl's typed clients send protobuf,
  // so the request body is not looked at.
  createResponse?: () => Record<string, unknown>;
  // OpenAPI v3 documents by path ("api/v1", "apis/apps/v1"), served at
  // /openapi/v3/<path> with the /openapi/v3 index listing them (`explain` reads these).
  openapiV3?: Record<string, unknown>;
}

export interface FakeServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

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
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: kinds.map((k) => ({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.verbs,
      ...(k.shortNames.length > 0 ? { shortNames: k.shortNames } : {}),
      ...(k.categories.length > 0 ? { categories: k.categories } : {}),
    })),
  };
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

// The object's REST path: /api/v1/namespaces/ns/pods/name or /apis/g/v/kind/name.
function objectPath(obj: Record<string, unknown>): string | undefined {
  const meta = (obj.metadata ?? {}) as { name?: string; namespace?: string };
  const info = KINDS.find((k) => apiVersionOf(k) === obj.apiVersion && k.kind === obj.kind);
  if (!info || !meta.name) return undefined;
  const prefix = info.group ? `/apis/${info.group}/${info.version}` : `/api/${info.version}`;
  const ns = info.namespaced ? `/namespaces/${meta.namespace ?? 'default'}` : '';
  return `${prefix}${ns}/${info.resource}/${meta.name}`;
}

function status(code: number, reason: string, message: string, details?: Record<string, string>): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

export function startFakeServer(opts: FakeServerOptions = {}): Promise<FakeServer> {
  const gvs = groupVersions();
  const objects = new Map<string, unknown>();
  for (const o of opts.objects ?? []) {
    const p = objectPath(o);
    if (p) objects.set(p, o);
  }
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = (req.url ?? '').split('?')[0];
      requests.push(`${req.method} ${req.url}`);
      const send = (code: number, body: unknown) => {
        res.writeHead(code, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        if (opts.createResponse) return send(201, opts.createResponse());
        return send(405, status(405, 'MethodNotAllowed', 'the fake server does not create objects'));
      }
      if (opts.openapiV3 && url === '/openapi/v3') {
        const paths: Record<string, { serverRelativeURL: string }> = {};
        for (const p of Object.keys(opts.openapiV3)) paths[p] = { serverRelativeURL: `/openapi/v3/${p}` };
        return send(200, { paths });
      }
      if (opts.openapiV3 && url.startsWith('/openapi/v3/')) {
        const doc = opts.openapiV3[url.slice('/openapi/v3/'.length)];
        return doc ? send(200, doc) : send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
      }
      if (url === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'] });
      if (url === '/apis') return send(200, groupList());
      const gv = url.startsWith('/api/') ? url.slice(5) : url.startsWith('/apis/') ? url.slice(6) : '';
      if (gvs.has(gv)) return send(200, resourceList(gv, gvs.get(gv)!));
      const obj = objects.get(url);
      if (obj) return send(200, obj);
      const m = /^\/apis?\/(?:([^/]+)\/)?v\d[^/]*\/(?:namespaces\/[^/]+\/)?([^/]+)\/([^/]+)$/.exec(url);
      if (m) {
        const group = url.startsWith('/apis/') ? m[1] : '';
        const qualified = group ? `${m[2]}.${group}` : m[2];
        return send(404, status(404, 'NotFound', `${qualified} "${m[3]}" not found`, { name: m[3], group, kind: m[2] }));
      }
      send(404, status(404, 'NotFound', 'the server could not find the requested resource'));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    });
  });
}

// Runs the real kubectl against a fake server. The child runs asynchronously, since
// the server lives in this process; its discovery cache goes to a fresh directory.
export async function runOracleAgainst(server: FakeServer, args: string[], opts: { input?: string } = {}): Promise<OracleResult> {
  if (!oraclePath) throw new Error('no oracle');
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-oracle-cache-'));
  try {
    return await new Promise<OracleResult>((resolve, reject) => {
      const full = withFlags(args, [`--server=${server.url}`, `--cache-dir=${cacheDir}`]);
      const child = spawn(oraclePath!, full, {
        env: { PATH: process.env.PATH, HOME: cacheDir, KUBECONFIG: '/dev/null', TZ: 'UTC' },
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
