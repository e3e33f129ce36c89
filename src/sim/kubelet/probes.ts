import type { Container, Pod, Probe } from 'kubernetes-types/core/v1';
import type { ControllerContext } from '../../controllers/types';
import type { KubeObject } from '../../api/types';
import type { PodRuntime } from './types';
import { httpToPod, tcpToPod } from '../network';
import { execProbe } from './run';

// One probe attempt, answered by what the container's image serves, with the
// kubelet's failure messages.

type P = Pod & KubeObject;

function resolvePort(spec: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  for (const p of spec.ports ?? []) if (p.name === port) return p.containerPort;
  return port !== undefined && /^\d+$/.test(port) ? Number(port) : undefined;
}

export function probeOnce(
  ctx: ControllerContext,
  pod: P,
  spec: Container,
  probe: Probe,
  rt: PodRuntime,
): { ok: boolean; message: string } {
  const ip = rt.ip ?? '';
  const probeCtx = { api: ctx.api, now: ctx.now };
  if (probe.httpGet) {
    const port = resolvePort(spec, probe.httpGet.port);
    const path = probe.httpGet.path ?? '/';
    const url = `${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${ip}:${port}${path}`;
    if (port === undefined) return { ok: false, message: `Get "${url}": dial tcp: address ${probe.httpGet.port}: invalid port` };
    const answer = httpToPod(probeCtx, pod, port, path);
    if ('error' in answer) return { ok: false, message: `Get "${url}": ${answer.error}` };
    if (answer.status >= 200 && answer.status < 400) return { ok: true, message: '' };
    return { ok: false, message: `HTTP probe failed with statuscode: ${answer.status}` };
  }
  if (probe.tcpSocket) {
    const port = resolvePort(spec, probe.tcpSocket.port);
    if (port !== undefined && tcpToPod(probeCtx, pod, port)) return { ok: true, message: '' };
    return { ok: false, message: `dial tcp ${ip}:${port}: connect: connection refused` };
  }
  if (probe.grpc) {
    if (tcpToPod(probeCtx, pod, probe.grpc.port)) return { ok: true, message: '' };
    return { ok: false, message: `timeout: failed to connect service "${ip}:${probe.grpc.port}" within 1s: context deadline exceeded` };
  }
  if (probe.exec) return execProbe(ctx, pod, spec, rt, probe.exec.command ?? [], (probe.timeoutSeconds ?? 1) * 1000);
  return { ok: true, message: '' };
}
