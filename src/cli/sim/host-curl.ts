import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import type { Output } from '../command';
import type { Session } from '../session';
import type { ApiServer } from '../../api/server';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { nodeInternalIP } from '../../cluster/nodes';
import { httpToPod, pickBackend, serviceHealthCheck, targetPortOn, tcpToPod } from '../../sim/network';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MemFs, runToCompletion } from '../../sim/shell';
import { bundledManifest } from '../manifests';
import { readAssetText } from '../../util/assets';
import { httpResult } from '../../sim/kubelet/container-world';
import type { HttpResult, ShellWorld } from '../../sim/shell';

// `kubemu sim curl`: curl run from the host, for the tutorials' `curl
// http://$(minikube ip):$NODE_PORT` and `curl -LO https://k8s.io/examples/...`.
// With minikube's docker driver on Linux the host reaches the node's IP, where kube-proxy answers on every NodePort;
// here the simulated curl does the same against the simulated cluster. The
// tutorials' example files come from the bundled copies in manifests/, as
// k8s.io (a redirect) and kubernetes.io serve them. The host's network is
// not touched; what `-o FILE` / `-O` saved is written to the host's files,
// as the user's own curl would.

type S = Service & KubeObject;

// The host's address on minikube's docker network.
const HOST_BRIDGE_IP = '192.168.49.1';

function nodePortService(api: ApiServer, port: number): { svc: S; servicePort: ServicePort } | undefined {
  for (const svc of api.peekList(kind('Service')) as S[]) {
    const sp = (svc.spec?.ports ?? []).find((p) => p.nodePort === port);
    if (sp && (svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer')) return { svc, servicePort: sp };
  }
  return undefined;
}

// The sites of the tutorials' example files, on an address of their own
// (TEST-NET-3: nothing else answers there).
const EXAMPLE_SITES: Record<string, string> = { 'k8s.io': '203.0.113.10', 'kubernetes.io': '203.0.113.11', 'raw.githubusercontent.com': '203.0.113.12' };

function exampleSite(req: { host: string; path: string; scheme: string }): HttpResult {
  const url = `${req.scheme}://${req.host}${req.path}`;
  // k8s.io only redirects to kubernetes.io.
  if (req.host === 'k8s.io') {
    const location = `https://kubernetes.io${req.path}`;
    return { status: 301, headers: { Location: location, 'Content-Type': 'text/html; charset=utf-8' }, body: `<a href="${location}">Moved Permanently</a>.\n\n` };
  }
  const file = bundledManifest(url.replace(/\?.*$/, ''));
  if (!file) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: '404: Not Found' };
  return { status: 200, headers: { 'Content-Type': 'text/yaml; charset=utf-8' }, body: readAssetText(file) };
}

// `nodeIP`: curl runs inside that node (`docker exec <node> curl`), where loopback is the node.
function hostWorld(api: ApiServer, files: MemFs, nodeIP?: string): ShellWorld {
  const nodeByIP = new Map(api.peekList(kind('Node')).map((n) => [nodeInternalIP(n), n.metadata.name ?? '']));
  const now = api.now();
  const nodeAt = (ip: string) => nodeByIP.get(nodeIP && ip.startsWith('127.') ? nodeIP : ip);
  const isNode = (ip: string) => nodeAt(ip) !== undefined;
  const backend = (ip: string, port: number) => {
    if (!isNode(ip)) return undefined;
    const hit = nodePortService(api, port);
    const pod = hit ? pickBackend(api, hit.svc) : undefined;
    const target = pod && hit ? targetPortOn(pod, hit.servicePort.targetPort, hit.servicePort.port) : undefined;
    return pod && target !== undefined ? { pod, port: target, local: hit?.svc.spec?.externalTrafficPolicy === 'Local' } : undefined;
  };
  return {
    fs: files,
    resolve: (name) => (name === 'localhost' ? ['127.0.0.1'] : EXAMPLE_SITES[name] ? [EXAMPLE_SITES[name]] : undefined),
    http: (req): HttpResult => {
      if (EXAMPLE_SITES[req.host] === req.ip) return exampleSite(req);
      const node = nodeAt(req.ip);
      const health = node !== undefined ? serviceHealthCheck(api, node, req.port) : undefined;
      if (health) return health;
      const b = backend(req.ip, req.port);
      if (!b) return { error: isNode(req.ip) ? 'refused' : 'timeout' };
      // kube-proxy masquerades NodePort traffic to the node's bridge address,
      // unless externalTrafficPolicy: Local keeps the client's.
      const clientIP = b.local ? HOST_BRIDGE_IP : `${b.pod.status?.podIP?.split('.').slice(0, 3).join('.')}.1`;
      const a = httpToPod({ api, now }, b.pod, b.port, req.path, { clientIP, host: `${req.host}:${req.port}`, method: req.method, headers: req.headers, scheme: req.scheme });
      return httpResult(a);
    },
    tcp: (ip, port) => {
      const b = backend(ip, port);
      return b && tcpToPod({ api, now }, b.pod, b.port) ? 'open' : isNode(ip) ? 'refused' : 'timeout';
    },
  };
}

// `nodeIP`: curl run inside a node (`docker exec <kind node> curl`): localhost
// is the node, and what it saves stays in the node (not kept).
export function hostCurl(session: Session, args: string[], io: Output, nodeIP?: string): number {
  const cwd = process.cwd();
  const files = new MemFs();
  files.mkdirs(cwd);
  // The host directories `-o FILE` writes into exist for curl as they do on the host.
  args.forEach((a, i) => {
    const out = /^-[a-zA-Z]*o$|^--output$/.test(a) ? args[i + 1] : undefined;
    const dir = out ? path.dirname(path.resolve(cwd, out)) : undefined;
    if (dir && fs.existsSync(dir) && fs.statSync(dir).isDirectory()) files.mkdirs(dir);
  });
  const r = session.write((api) =>
    runToCompletion(['curl', ...args], hostWorld(api, files, nodeIP), api.now(), { image: 'curlimages/curl', workingDir: cwd, timeoutMs: 300_000, tty: process.stdout.isTTY === true }),
  );
  if (!nodeIP) saveDownloads(files);
  io.out(r.stdout);
  io.err(r.stderr);
  return r.exitCode ?? 28;
}

// The files curl saved (-o, -O), from its scratch filesystem to the host's.
function saveDownloads(files: MemFs): void {
  for (const [p, node] of Object.entries(files.data.nodes)) {
    if (node.d === undefined) continue;
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, node.d);
  }
}

// Shell functions that make `kubectl`, `minikube`, `kind`, the cluster's node
// addresses in `curl` and the tutorials' repositories in `git` mean kubemu, for the current shell only:
// eval "$(kubemu sim shellenv)".
export function shellEnv(bin: string): string {
  const q = `'${bin.replace(/'/g, `'\\''`)}'`;
  return [
    `kubectl() { ${q} "$@"; }`,
    `minikube() { ${q} minikube "$@"; }`,
    `kind() { ${q} kind "$@"; }`,
    `curl() { case " $* " in *://192.168.49.*|*" 192.168.49."*|*://k8s.io/examples/*|*://kubernetes.io/examples/*|*://raw.githubusercontent.com/kubernetes/website/*) ${q} sim curl "$@" ;; *) command curl "$@" ;; esac; }`,
    `git() { case " $* " in *github.com/kubernetes/kube-state-metrics*|*github.com/elastic/examples*) ${q} sim git "$@" ;; *) command git "$@" ;; esac; }`,
    '',
  ].join('\n');
}
