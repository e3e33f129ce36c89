import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1';
import type { ControllerContext } from '../../controllers/types';
import type { KubeObject } from '../../api/types';
import type { ContainerRuntime } from './types';
import { lookupImage } from '../images';

// Container logs, as the kubelet keeps them under /var/log/pods: one file per
// container run in $KUBEMU_HOME/logs/<ns>_<pod>_<uid>/<container>/<restart>.log,
// in the CRI format (`<RFC3339Nano> <stream> F <text>`), capped in size so a
// chatty container never slows the cluster down.

export const LOG_CAP_BYTES = 1024 * 1024;

type P = Pod & KubeObject;

export function queueOutput(c: ContainerRuntime, at: number, stream: 'stdout' | 'stderr', text: string): void {
  (c.pending ??= []).push({ at, stream, text });
}

export function logDir(home: string, pod: { metadata: { namespace?: string; name?: string; uid?: string } }, container: string): string {
  return path.join(home, 'logs', `${pod.metadata.namespace}_${pod.metadata.name}_${pod.metadata.uid}`, container);
}

export function logFile(home: string, pod: { metadata: { namespace?: string; name?: string; uid?: string } }, container: string, restart: number): string {
  return path.join(logDir(home, pod, container), `${restart}.log`);
}

// RFC 3339 with nanoseconds, as CRI log lines carry.
export function nanoTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}000000Z`;
}

function klogPrefix(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const micro = String(d.getUTCMilliseconds() * 1000).padStart(6, '0');
  return `I${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${micro}       1 log.go:195] `;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// The servers' own log clocks: Redis's `23 Nov 2026 13:18:28.123`, Apache's
// error log `Mon Nov 23 13:18:28.123000 2026`.
function serverTime(ms: number, style: 'redis' | 'apache'): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const clock = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
  if (style === 'redis') return `${two(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${clock}`;
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${two(d.getUTCDate())} ${clock}000 ${d.getUTCFullYear()}`;
}

function render(text: string, at: number, pod: P, c: ContainerRuntime, image: string): string {
  let t = text.startsWith('klog:') ? klogPrefix(at) + text.slice(5) : text;
  const tag = lookupImage(image).ref.tag;
  t = t
    .replace(/\{\{podName\}\}/g, pod.metadata.name ?? '')
    .replace(/\{\{podIP\}\}/g, pod.status?.podIP ?? '')
    .replace(/\{\{startIso\}\}/g, new Date(c.startedAt ?? at).toISOString())
    .replace(/\{\{tag\}\}/g, tag)
    .replace(/\{\{redisTime\}\}/g, serverTime(at, 'redis'))
    .replace(/\{\{apacheTime\}\}/g, serverTime(at, 'apache'));
  return t;
}

// Writes the output that is due by `now` to the container's log.
export function appendLog(ctx: ControllerContext, pod: P, c: ContainerRuntime, now: number): void {
  if (!c.pending || c.pending.length === 0) return;
  const due = c.pending.filter((l) => l.at <= now);
  if (due.length === 0) return;
  c.pending = c.pending.filter((l) => l.at > now);
  const home = ctx.api.world.home;
  if (!home) return;
  const spec = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((x) => x.name === c.name);
  const file = logFile(home, pod, c.name, c.restarts);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let size = 0;
  try {
    size = fs.statSync(file).size;
  } catch {
    size = 0;
  }
  let text = '';
  for (const l of due) {
    const body = render(l.text, l.at, pod, c, spec?.image ?? '');
    const lines = body.endsWith('\n') ? body.slice(0, -1).split('\n') : body.split('\n');
    for (const line of lines) text += `${nanoTime(l.at)} ${l.stream} F ${line}\n`;
  }
  if (size + text.length > LOG_CAP_BYTES) text = text.slice(0, Math.max(0, LOG_CAP_BYTES - size));
  if (text) fs.appendFileSync(file, text, { mode: 0o600 });
}
