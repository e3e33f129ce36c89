import type { Service, ServicePort } from 'kubernetes-types/core/v1';
import type { Output } from '../command';
import type { Session } from '../session';
import type { ApiServer } from '../../api/server';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { nodeInternalIP } from '../../cluster/nodes';
import { httpToPod, pickBackend, targetPortOn, tcpToPod } from '../../sim/network';
import { MemFs, runToCompletion } from '../../sim/shell';
import type { HttpResult, ShellWorld } from '../../sim/shell';

// `kubemu sim curl`: curl run from the host, for the tutorials' `curl
// http://$(minikube ip):$NODE_PORT`. With minikube's docker driver on Linux
// the host reaches the node's IP, where kube-proxy answers on every NodePort;
// here the simulated curl does the same against the simulated cluster. The
// host's files and network are not touched (`-o FILE` writes nowhere).

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

function hostWorld(api: ApiServer): ShellWorld {
  const nodeIPs = new Set(api.peekList(kind('Node')).map(nodeInternalIP));
  const now = api.now();
  const backend = (ip: string, port: number) => {
    if (!nodeIPs.has(ip)) return undefined;
    const hit = nodePortService(api, port);
    const pod = hit ? pickBackend(api, hit.svc) : undefined;
    const target = pod && hit ? targetPortOn(pod, hit.servicePort.targetPort, hit.servicePort.port) : undefined;
    return pod && target !== undefined ? { pod, port: target, local: hit?.svc.spec?.externalTrafficPolicy === 'Local' } : undefined;
  };
  return {
    fs: new MemFs(),
    resolve: (name) => (name === 'localhost' ? ['127.0.0.1'] : undefined),
    http: (req): HttpResult => {
      const b = backend(req.ip, req.port);
      if (!b) return { error: nodeIPs.has(req.ip) ? 'refused' : 'timeout' };
      // kube-proxy masquerades NodePort traffic to the node's bridge address,
      // unless externalTrafficPolicy: Local keeps the client's.
      const clientIP = b.local ? HOST_BRIDGE_IP : `${b.pod.status?.podIP?.split('.').slice(0, 3).join('.')}.1`;
      const a = httpToPod({ api, now }, b.pod, b.port, req.path, { clientIP, host: `${req.host}:${req.port}`, method: req.method, headers: req.headers });
      return 'error' in a ? { error: 'refused' } : { status: a.status, body: a.body };
    },
    tcp: (ip, port) => {
      const b = backend(ip, port);
      return b && tcpToPod({ api, now }, b.pod, b.port) ? 'open' : nodeIPs.has(ip) ? 'refused' : 'timeout';
    },
  };
}

export function hostCurl(session: Session, args: string[], io: Output): number {
  const r = session.write((api) => runToCompletion(['curl', ...args], hostWorld(api), api.now(), { image: 'curlimages/curl', timeoutMs: 300_000, tty: process.stdout.isTTY === true }));
  io.out(r.stdout);
  io.err(r.stderr);
  return r.exitCode ?? 28;
}

// Shell functions that make `kubectl`, `minikube` and the cluster's node
// addresses in `curl` mean kubemu, for the current shell only:
// eval "$(kubemu sim shellenv)".
export function shellEnv(bin: string): string {
  const q = `'${bin.replace(/'/g, `'\\''`)}'`;
  return [
    `kubectl() { ${q} "$@"; }`,
    `minikube() { ${q} minikube "$@"; }`,
    `curl() { case " $* " in *://192.168.49.*|*" 192.168.49."*) ${q} sim curl "$@" ;; *) command curl "$@" ;; esac; }`,
    '',
  ].join('\n');
}
