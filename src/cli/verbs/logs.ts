import * as fs from 'node:fs';
import type { ContainerStatus, Pod } from 'kubernetes-types/core/v1';
import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { resolveResource } from '../../api/kinds';
import { StatusError, badRequest } from '../../api/errors';
import { parseLabelSelector, requirementsOfSelector, selectorMatches } from '../../api/selectors';
import { CliError } from '../errors';
import { logFile } from '../../sim/kubelet/logs';
import { parseGoDuration } from '../flags';
import { sleepHost } from '../waiting';
import { ensureDaemon } from '../../reconciler/daemon';
import { byMostActive } from '../../api/podutil';
import { hostNow } from '../../sim/clock';

// kubectl logs: a container's log as the kubelet kept it, with kubectl's
// container defaulting, its errors, and -f, -p, --tail, --since, --timestamps.

type P = Pod & KubeObject;

const USAGE =
  "error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee 'kubectl logs -h' for help and examples";

export const LOG_FLAGS = [
  { name: 'container', short: 'c', kind: 'string' as const },
  { name: 'all-containers', kind: 'bool' as const },
  { name: 'follow', short: 'f', kind: 'bool' as const },
  { name: 'previous', short: 'p', kind: 'bool' as const },
  { name: 'tail', kind: 'int' as const, default: -1 },
  { name: 'since', kind: 'duration' as const },
  { name: 'since-time', kind: 'string' as const },
  { name: 'timestamps', kind: 'bool' as const },
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'prefix', kind: 'bool' as const },
  { name: 'max-log-requests', kind: 'int' as const, default: 5 },
  { name: 'limit-bytes', kind: 'int' as const },
  { name: 'ignore-errors', kind: 'bool' as const },
  { name: 'pod-running-timeout', kind: 'duration' as const, default: 20000 },
  { name: 'insecure-skip-tls-verify-backend', kind: 'bool' as const },
  { name: 'all-pods', kind: 'bool' as const },
];

interface LogLine {
  time: string;
  stream: string;
  text: string;
}

export function readLog(file: string): LogLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: LogLine[] = [];
  for (const raw of text.split('\n')) {
    if (!raw) continue;
    const a = raw.indexOf(' ');
    const b = raw.indexOf(' ', a + 1);
    const c = raw.indexOf(' ', b + 1);
    out.push({ time: raw.slice(0, a), stream: raw.slice(a + 1, b), text: raw.slice(c + 1) });
  }
  return out;
}

interface Target {
  pod: P;
  container: string;
}

// podcmd.FindOrDefaultContainerByName: the annotated default, else the first.
export function defaultContainer(pod: P, warn: (s: string) => void): string {
  const annotated = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'];
  const containers = pod.spec?.containers ?? [];
  if (annotated && containers.some((c) => c.name === annotated)) return annotated;
  const all = [
    ...containers.map((c) => c.name),
    ...(pod.spec?.ephemeralContainers ?? []).map((c) => `${c.name} (ephem)`),
    ...(pod.spec?.initContainers ?? []).map((c) => `${c.name} (init)`),
  ];
  if (all.length > 1) warn(`Defaulted container "${containers[0].name}" out of: ${all.join(', ')}\n`);
  return containers[0]?.name ?? '';
}

function containerNames(pod: P): string[] {
  return [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? []), ...(pod.spec?.ephemeralContainers ?? [])].map((c) => c.name);
}

// Pods behind TYPE/NAME, the one kubectl picks first (AttachablePodForObject).
export function podsFor(api: ApiServer, typed: string, name: string, namespace: string): P[] {
  const r = resolveResource(typed);
  if ('error' in r) throw new CliError(`error: ${r.error}`);
  const info = r.kind;
  if (info.kind === 'Pod') return [api.get(info, namespace, name) as P];
  const owner = api.get(info, namespace, name);
  const selector = (owner.spec as { selector?: unknown } | undefined)?.selector;
  const sel = info.kind === 'ReplicationController' || info.kind === 'Service' ? { matchLabels: selector as Record<string, string> } : (selector as never);
  if (!selector || requirementsOfSelector(sel).length === 0) {
    throw new CliError(`error: cannot attach to ${info.kind.toLowerCase()}s.${info.group}/${name}: selector for ${info.kind} not implemented`);
  }
  const pods = api
    .peekList(kind('Pod'), { namespace })
    .filter((p) => selectorMatches(sel, p.metadata.labels))
    .sort(byMostActive) as P[];
  if (pods.length === 0) throw new CliError(`error: timed out waiting for the condition`);
  return pods;
}

// A container's status, whichever list it is in.
export function statusOf(pod: P, container: string): ContainerStatus | undefined {
  const st = pod.status;
  return [...(st?.initContainerStatuses ?? []), ...(st?.containerStatuses ?? []), ...(st?.ephemeralContainerStatuses ?? [])].find((c) => c.name === container);
}

function waitingError(pod: P, container: string): StatusError | undefined {
  const cs = statusOf(pod, container);
  const waiting = cs?.state?.waiting;
  if (!cs || (waiting && !cs.lastState?.terminated && (cs.restartCount ?? 0) === 0)) {
    const reason = waiting?.reason ?? 'ContainerCreating';
    const why = reason === 'ErrImagePull' ? 'image can\'t be pulled' : reason === 'ImagePullBackOff' ? 'trying and failing to pull image' : reason;
    return badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${why}`);
  }
  return undefined;
}

export const command: Command = {
  flags: LOG_FLAGS,
  run(ctx: CommandContext) {
    const flags = ctx.flags;
    const selector = flags.str('selector');
    if (ctx.args.length === 0 && !selector) throw new CliError(USAGE);
    const namespace = ctx.namespace();
    const session = ctx.session();
    const warn = (s: string) => ctx.io.err(s);
    const targets: Target[] = session.read((api) => {
      let pods: P[];
      let explicitContainer = flags.str('container');
      if (selector) {
        let reqs;
        try {
          reqs = parseLabelSelector(selector);
        } catch (e) {
          throw new CliError(`error: ${(e as Error).message}`);
        }
        pods = api.list(kind('Pod'), { namespace, labelSelector: reqs }) as P[];
        if (pods.length === 0) {
          ctx.io.err(`No resources found in ${namespace} namespace.\n`);
          return [];
        }
      } else {
        const [first, second] = ctx.args;
        let typed = 'pod';
        let name = first;
        if (first.includes('/')) [typed, name] = [first.slice(0, first.indexOf('/')), first.slice(first.indexOf('/') + 1)];
        if (second !== undefined && !explicitContainer) explicitContainer = second;
        try {
          pods = podsFor(api, typed, name, namespace);
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) {
            throw new CliError(`error: error from server (NotFound): ${e.message} in namespace "${namespace}"`);
          }
          throw e;
        }
        if (pods.length > 1) warn(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`);
        pods = [pods[0]];
      }
      const out: Target[] = [];
      for (const pod of pods) {
        if (flags.bool('all-containers')) {
          for (const c of containerNames(pod)) out.push({ pod, container: c });
          continue;
        }
        const container = explicitContainer || defaultContainer(pod, warn);
        if (!containerNames(pod).includes(container)) throw new CliError(`error: container ${container} is not valid for pod ${pod.metadata.name}`);
        out.push({ pod, container });
      }
      return out;
    });
    if (targets.length === 0) return 0;
    const previous = flags.bool('previous');
    const sinceMs = flags.duration('since');
    const sinceTime = flags.str('since-time') ? Date.parse(flags.str('since-time')) : undefined;
    const now = session.read((api) => api.now());
    const cutoff = sinceMs > 0 ? now - sinceMs : sinceTime;
    const prefix = flags.bool('prefix');
    const format = (t: Target, l: LogLine) =>
      `${prefix ? `[pod/${t.pod.metadata.name}/${t.container}] ` : ''}${flags.bool('timestamps') ? `${l.time} ` : ''}${l.text}\n`;
    const printed = new Map<Target, number>();
    for (const t of targets) {
      const cs = statusOf(t.pod, t.container);
      const restart = cs?.restartCount ?? 0;
      if (previous) {
        if (!cs?.lastState?.terminated) {
          throw badRequest(`previous terminated container "${t.container}" in pod "${t.pod.metadata.name}" not found`);
        }
      } else {
        const err = waitingError(t.pod, t.container);
        if (err) throw err;
      }
      const runNumber = previous ? restart - 1 : cs?.state?.waiting ? restart - 1 : restart;
      let lines = readLog(logFile(session.home, t.pod, t.container, Math.max(0, runNumber)));
      if (cutoff !== undefined) lines = lines.filter((l) => Date.parse(l.time) >= cutoff);
      const tail = flags.int('tail');
      if (tail >= 0) lines = lines.slice(Math.max(0, lines.length - tail));
      for (const l of lines) ctx.io.out(format(t, l));
      printed.set(t, lines.length);
    }
    if (!flags.bool('follow')) return 0;
    ensureDaemon(session.home, ctx.env);
    const limit = flags.str('request-timeout') !== '0' ? parseGoDuration(flags.str('request-timeout')) : undefined;
    const started = hostNow();
    for (;;) {
      if (limit && hostNow() - started >= limit) return 0;
      sleepHost(200);
      const states = session.read((api) =>
        targets.map((t) => {
          const pod = api.peek(kind('Pod'), t.pod.metadata.namespace, t.pod.metadata.name ?? '') as P | undefined;
          const cs = pod ? statusOf(pod, t.container) : undefined;
          return { t, restart: cs?.restartCount ?? 0, done: !pod || !!cs?.state?.terminated };
        }),
      );
      for (const s of states) {
        const lines = readLog(logFile(session.home, s.t.pod, s.t.container, s.restart));
        const from = printed.get(s.t) ?? 0;
        for (const l of lines.slice(from)) ctx.io.out(format(s.t, l));
        printed.set(s.t, lines.length);
      }
      if (states.every((s) => s.done)) return 0;
    }
  },
};
