import * as http from 'node:http';
import type { Pod, Service } from 'kubernetes-types/core/v1';
import type { Session } from './session';
import type { ApiServer } from '../api/server';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { httpToPod, serviceBackends, targetPortOn } from '../sim/network';
import type { HttpAnswer } from '../sim/network';

// Host-facing listeners: real sockets on 127.0.0.1 (and ::1) that answer as
// the simulated apps do. `kubectl port-forward`, `kubectl proxy`, `minikube
// service`, `minikube tunnel` and `minikube dashboard` all serve through here.
// Every request reads the cluster afresh, so it sees what is there now.

export type P = Pod & KubeObject;
export type S = Service & KubeObject;

export interface Listening {
  server: http.Server;
  host: string;
  port: number;
}

export class ListenError extends Error {}

// Go's net.Listen error: `listen tcp4 127.0.0.1:8080: bind: address already in use`.
function goListenError(err: NodeJS.ErrnoException, network: string, host: string, port: number): string {
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  const why: Record<string, string> = {
    EADDRINUSE: 'bind: address already in use',
    EACCES: 'bind: permission denied',
    EADDRNOTAVAIL: 'bind: cannot assign requested address',
    EAFNOSUPPORT: 'socket: address family not supported by protocol',
  };
  return `listen ${network} ${address}: ${why[err.code ?? ''] ?? err.message}`;
}

// Listens on host:port (port 0: any free port); rejects with Go's error text.
export function listen(handler: http.RequestListener, host: string, port: number, network = 'tcp'): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handler);
    server.once('error', (err: NodeJS.ErrnoException) => reject(new ListenError(goListenError(err, network, host, port))));
    server.listen({ host, port, exclusive: true }, () => {
      const addr = server.address();
      resolve({ server, host, port: typeof addr === 'object' && addr ? addr.port : port });
    });
  });
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

// Resolves on the first of `signals`; the commands that keep serving wait here.
export function untilSignal(signals: NodeJS.Signals[] = ['SIGINT']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (sig: NodeJS.Signals) => {
      for (const s of signals) process.removeListener(s, on);
      resolve(sig);
    };
    for (const s of signals) process.on(s, on);
  });
}

export function closeAll(listeners: Listening[]): void {
  for (const l of listeners) {
    l.server.close();
    l.server.closeAllConnections();
  }
}

// What the simulated apps send: their pages as HTML, everything else as text.
export function contentType(body: string): string {
  return /^\s*</.test(body) ? 'text/html' : 'text/plain; charset=utf-8';
}

// Writes an app's answer; a refused or reset connection closes the socket unanswered.
export function sendAnswer(res: http.ServerResponse, answer: HttpAnswer): void {
  if ('error' in answer) {
    res.socket?.destroy();
    return;
  }
  res.writeHead(answer.status, { 'Content-Type': contentType(answer.body) });
  res.end(answer.body);
}

export function pathAndQuery(req: http.IncomingMessage): string {
  return req.url ?? '/';
}

// What the pod answers on its port now, or why not (gone, not running).
export function askPod(session: Session, namespace: string, name: string, uid: string | undefined, port: number, path: string): HttpAnswer | { gone: string } {
  return session.serve((api) => {
    const pod = api.peek(kind('Pod'), namespace, name) as P | undefined;
    if (!pod || (uid && pod.metadata.uid !== uid) || pod.metadata.deletionTimestamp) return { gone: `pod ${name} is gone` };
    if (pod.status?.phase !== 'Running') return { gone: `pod ${name} is ${pod.status?.phase ?? 'Unknown'}` };
    return httpToPod({ api, now: api.now() }, pod, port, path);
  });
}

// The endpoint a Service port sends to: a ready pod and its container port.
export interface Backend {
  pod: P;
  port: number;
}

// Spreads requests for one Service port over its ready endpoints in turn, as
// kube-proxy would (the order is kept here, per listener, not in the state).
export class ServiceBalancer {
  private turn = 0;

  constructor(
    private readonly session: Session,
    readonly namespace: string,
    readonly name: string,
    // The Service port (spec.ports[].port), or undefined for its first port.
    readonly port: number | undefined,
  ) {}

  // The next backend, or an error text as a client of the ClusterIP would see it.
  next(api: ApiServer): Backend | { error: string } {
    const svc = api.peek(kind('Service'), this.namespace, this.name) as S | undefined;
    if (!svc) return { error: `service ${this.namespace}/${this.name} not found` };
    const sp = (svc.spec?.ports ?? []).find((p) => this.port === undefined || p.port === this.port);
    const refused = { error: `dial tcp ${svc.spec?.clusterIP ?? ''}:${this.port ?? sp?.port ?? 0}: connect: connection refused` };
    if (!sp) return refused;
    const pods = serviceBackends(api, svc);
    if (pods.length === 0) return refused;
    const pod = pods[this.turn++ % pods.length];
    const target = targetPortOn(pod, sp.targetPort, sp.port);
    return target === undefined ? refused : { pod, port: target };
  }

  answer(path: string): HttpAnswer {
    return this.session.serve((api) => {
      const backend = this.next(api);
      if ('error' in backend) return backend;
      return httpToPod({ api, now: api.now() }, backend.pod, backend.port, path);
    });
  }

  handler(): http.RequestListener {
    return (req, res) => {
      try {
        sendAnswer(res, this.answer(pathAndQuery(req)));
      } catch {
        // The cluster could not be read (stopped, deleted): the tunnel is down.
        res.socket?.destroy();
      }
    };
  }
}
