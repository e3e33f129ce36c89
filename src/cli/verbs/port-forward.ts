import { createHash } from 'node:crypto';
import * as net from 'node:net';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Command, CommandContext } from '../command';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { resolveResource } from '../../api/kinds';
import { CliError } from '../errors';
import { klogLine, klogStamp } from '../klog';
import { podsFor } from './logs';
import { askPod, closeAll, hostPort, listen, pathAndQuery, sendAnswer, untilSignal } from '../gateway';
import type { Listening, P, S } from '../gateway';

// kubectl port-forward TYPE/NAME [LOCAL:]REMOTE...: listens on localhost
// (127.0.0.1 and ::1) and hands each connection to the pod's port, as
// client-go's portforward does, with its messages and failures. SIGINT ends
// it cleanly; a pod that goes away ends it with "lost connection to pod".

interface ForwardedPort {
  local: number;
  remote: number;
}

interface ListenAddress {
  address: string;
  network: 'tcp4' | 'tcp6';
  failureMode: 'all' | 'any';
}

const USAGE_ERROR = "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples";

function splitPort(spec: string): [string, string] {
  const parts = spec.split(':');
  return parts.length === 2 ? [parts[0], parts[1]] : [parts[0], parts[0]];
}

function podPortByName(pod: P, name: string): number {
  for (const c of pod.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name === name) return p.containerPort;
  throw new CliError(`error: Pod '${pod.metadata.name}' does not have a named port '${name}'`);
}

// translateServicePortToTargetPort: service ports (by number or name) to the pod's container ports.
function servicePorts(specs: string[], svc: S, pod: P): string[] {
  return specs.map((spec) => {
    let [local, remote] = splitPort(spec);
    let portNum = Number(remote);
    if (!/^\d+$/.test(remote)) {
      const named = (svc.spec?.ports ?? []).find((p) => p.name === remote);
      if (!named) throw new CliError(`error: Service '${svc.metadata.name}' does not have a named port '${remote}'`);
      portNum = named.port;
      if (local === remote) local = String(portNum);
    }
    const sp = (svc.spec?.ports ?? []).find((p) => p.port === portNum);
    if (!sp) throw new CliError(`error: Service ${svc.metadata.name} does not have a service port ${portNum}`);
    let container = portNum;
    if (svc.spec?.clusterIP !== 'None') {
      const target = sp.targetPort;
      if (typeof target === 'string' && !/^\d+$/.test(target)) container = podPortByName(pod, target);
      else if (target !== undefined && Number(target) !== 0) container = Number(target);
      else container = sp.port;
    }
    return local !== String(container) ? `${local}:${container}` : String(container);
  });
}

// convertPodNamedPortToNumber.
function podPorts(specs: string[], pod: P): string[] {
  return specs.map((spec) => {
    const [local, remote] = splitPort(spec);
    if (remote === '') throw new CliError('error: remote port cannot be empty');
    const container = /^\d+$/.test(remote) ? remote : String(podPortByName(pod, remote));
    return local !== remote ? `${local}:${container}` : container;
  });
}

// strconv.ParseUint(s, 10, 16)'s errors.
function parseUint16(text: string, what: string): number {
  const fail = (why: string) => new CliError(`error: error parsing ${what} port '${text}': strconv.ParseUint: parsing ${JSON.stringify(text)}: ${why}`);
  if (!/^\d+$/.test(text)) throw fail('invalid syntax');
  const n = Number(text);
  if (n > 65535) throw fail('value out of range');
  return n;
}

function parsePorts(specs: string[]): ForwardedPort[] {
  return specs.map((spec) => {
    const parts = spec.split(':');
    if (parts.length > 2) throw new CliError(`error: invalid port format '${spec}'`);
    const localText = parts.length === 1 ? parts[0] : parts[0] || '0';
    const remoteText = parts.length === 1 ? parts[0] : parts[1];
    const local = parseUint16(localText, 'local');
    const remote = parseUint16(remoteText, 'remote');
    if (remote === 0) throw new CliError('error: remote port must be > 0');
    return { local, remote };
  });
}

function parseAddresses(list: string[]): ListenAddress[] {
  const parsed = new Map<string, ListenAddress>();
  for (const address of list) {
    if (address === 'localhost') {
      if (!parsed.has('127.0.0.1')) parsed.set('127.0.0.1', { address: '127.0.0.1', network: 'tcp4', failureMode: 'all' });
      if (!parsed.has('::1')) parsed.set('::1', { address: '::1', network: 'tcp6', failureMode: 'all' });
    } else if (net.isIPv4(address)) {
      parsed.set(address, { address, network: 'tcp4', failureMode: 'any' });
    } else if (net.isIPv6(address)) {
      parsed.set(address, { address, network: 'tcp6', failureMode: 'any' });
    } else {
      throw new CliError(`error: ${address} is not a valid IP`);
    }
  }
  return [...parsed.values()].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

// The pod to forward to, and the ports translated to its container ports.
function resolveTarget(api: ApiServer, ctx: CommandContext, namespace: string): { pod: P; ports: string[] } {
  const [target, ...specs] = ctx.args;
  const slash = target.indexOf('/');
  const typed = slash < 0 ? 'pod' : target.slice(0, slash);
  const name = slash < 0 ? target : target.slice(slash + 1);
  const pod = podsFor(api, typed, name, namespace)[0];
  const resolved = resolveResource(typed);
  if ('kind' in resolved && resolved.kind.kind === 'Service') {
    const svc = api.get(kind('Service'), namespace, name) as S;
    return { pod, ports: servicePorts(specs, svc, pod) };
  }
  return { pod, ports: podPorts(specs, pod) };
}

// How the kubelet reports a refused connection inside the pod (cri-dockerd runs socat).
function forwardError(pod: P, port: ForwardedPort): string {
  const sandbox = createHash('sha256').update(pod.metadata.uid ?? '').digest('hex');
  const now = new Date(klogStamp().now);
  const stamp = `${now.getFullYear()}/${String(now.getMonth() + 1).padStart(2, '0')}/${String(now.getDate()).padStart(2, '0')} ${now.toTimeString().slice(0, 8)}`;
  const err = `an error occurred forwarding ${port.local} -> ${port.remote}: error forwarding port ${port.remote} to pod ${sandbox}, uid : exit status 1: ${stamp} socat[${4000 + (port.remote % 1000)}] E connect(5, AF=2 127.0.0.1:${port.remote}, 16): Connection refused`;
  return klogLine('E', 'portforward.go:424', `"Unhandled Error" err=${JSON.stringify(err)}`);
}

export const command: Command = {
  flags: [
    { name: 'address', kind: 'stringSlice', default: ['localhost'] },
    { name: 'pod-running-timeout', kind: 'duration', default: 60_000 },
  ],
  async run(ctx) {
    if (ctx.args.length < 2) throw new CliError(USAGE_ERROR);
    const namespace = ctx.namespace();
    const session = ctx.session();
    const addresses = parseAddresses(ctx.flags.list('address'));
    const { pod, ports: specs } = session.read((api) => resolveTarget(api, ctx, namespace));
    const ports = parsePorts(specs);
    const current = session.read((api) => api.get(kind('Pod'), namespace, pod.metadata.name ?? '') as P);
    if (current.status?.phase !== 'Running') {
      throw new CliError(`error: unable to forward port because pod is not running. Current status=${current.status?.phase ?? ''}`);
    }

    let lost: (() => void) | undefined;
    const lostConnection = new Promise<void>((resolve) => (lost = resolve));
    const listeners: Listening[] = [];
    let anyPort = false;
    for (const port of ports) {
      const errors: string[] = [];
      const failures = { all: 0, any: 0 };
      let allSucceeded = 0;
      for (const addr of addresses) {
        const handler = (req: IncomingMessage, res: ServerResponse) => {
          const answer = askPod(session, namespace, pod.metadata.name ?? '', pod.metadata.uid, port.remote, pathAndQuery(req));
          if ('gone' in answer) {
            res.socket?.destroy();
            lost?.();
            return;
          }
          if ('error' in answer) {
            ctx.io.err(forwardError(pod, port));
            sendAnswer(res, answer);
            lost?.();
            return;
          }
          sendAnswer(res, answer);
        };
        try {
          const l = await listen(handler, addr.address, port.local, addr.network);
          // Port 0 picks a port once; the other addresses take the same one.
          port.local = l.port;
          l.server.on('connection', () => ctx.io.out(`Handling connection for ${port.local}\n`));
          ctx.io.out(`Forwarding from ${hostPort(addr.address, l.port)} -> ${port.remote}\n`);
          listeners.push(l);
          if (addr.failureMode === 'all') allSucceeded++;
        } catch (e) {
          errors.push(`unable to create listener: Error ${(e as Error).message}`);
          failures[addr.failureMode]++;
        }
      }
      const failed = (allSucceeded === 0 && failures.all > 0) || failures.any > 0;
      if (failed) ctx.io.err(`Unable to listen on port ${port.local}: Listeners failed to create with the following errors: [${errors.join(' ')}]\n`);
      else anyPort = true;
    }
    if (!anyPort) {
      closeAll(listeners);
      throw new CliError(`error: unable to listen on any of the requested ports: [${ports.map((p) => `{${p.local} ${p.remote}}`).join(' ')}]`);
    }

    // The pod going away closes the kubelet's stream, as a deleted pod does.
    const watch = setInterval(() => {
      try {
        const gone = session.read((api) => {
          const p = api.peek(kind('Pod'), namespace, pod.metadata.name ?? '');
          return !p || p.metadata.uid !== pod.metadata.uid;
        });
        if (gone) lost?.();
      } catch {
        lost?.();
      }
    }, 1000);
    const outcome = await Promise.race([untilSignal(['SIGINT']).then(() => 'interrupted' as const), lostConnection.then(() => 'lost' as const)]);
    clearInterval(watch);
    closeAll(listeners);
    if (outcome === 'lost') throw new CliError('error: lost connection to pod');
    return 0;
  },
};
