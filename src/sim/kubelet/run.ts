import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ControllerContext } from '../../controllers/types';
import type { KubeObject } from '../../api/types';
import type { ContainerRuntime, PodRuntime } from './types';
import type { Program, ServerProgram } from './programs';
import { parseQuantity } from '../../util/quantity';
import { lookupImage } from '../images';
import { queueOutput } from './logs';
import { advance, handleSignal, runToCompletion, startProcess } from '../shell';
import type { AdvanceResult } from '../shell';
import { containerEnv, containerWorld, expandArgv, processUser } from './container-world';

// Runs a container's program over simulated time: an image's server writes
// its start-up log and serves; a shell program is interpreted (sim/shell)
// against the container's world, its output going to the container's log.

type P = Pod & KubeObject;

// A shell process is simulated this far past the kubelet's now, so a busy
// script does not need a wake-up per millisecond; what it prints later is
// queued and logged when due.
const LOOKAHEAD_MS = 1000;

const OOM_AFTER_MS = 1500;

// Bytes a server uses: what `stress --vm-bytes N` asks for, else the image's usual use.
function memoryUse(prog: ServerProgram, spec: Container): number {
  const i = prog.argv.indexOf('--vm-bytes');
  const asked = i >= 0 ? /^(\d+)([BKMG]?)$/i.exec(prog.argv[i + 1] ?? '') : null;
  if (asked) return Number(asked[1]) * 1024 ** ' KMG'.indexOf((asked[2] || ' ').toUpperCase().replace('B', ' '));
  return parseQuantity(lookupImage(spec.image ?? '').entry?.usage.memory ?? '0') ?? 0;
}

export interface StartResult {
  // The program could not be started at all (missing executable).
  startError?: string;
}

// Absolute paths in the argv, read as the program starts (its config files).
function startFiles(ctx: ControllerContext, pod: P, spec: Container, rt: PodRuntime, argv: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const paths = argv.filter((a) => a.startsWith('/') && !a.includes(' '));
  if (paths.length === 0) return files;
  const fs = containerWorld(ctx.api, pod, spec, rt).fs;
  for (const p of paths) {
    const text = fs.read(p, ctx.now);
    if (text !== undefined) files[p] = text;
  }
  return files;
}

function takeResult(c: ContainerRuntime, r: AdvanceResult): void {
  for (const o of r.output) queueOutput(c, o.at, o.stream, o.text);
  c.wakeAt = r.nextWakeAt;
  if (r.finished) {
    c.exitAt = r.finished.at;
    c.exitCode = r.finished.exitCode;
  }
}

function advanceShell(ctx: ControllerContext, pod: P, spec: Container, c: ContainerRuntime, rt: PodRuntime, until: number): AdvanceResult | undefined {
  if (!c.process) return undefined;
  const r = advance(c.process, containerWorld(ctx.api, pod, spec, rt), until + LOOKAHEAD_MS);
  takeResult(c, r);
  return r;
}

export function startProgram(ctx: ControllerContext, pod: P, spec: Container, c: ContainerRuntime, prog: Program, rt: PodRuntime): StartResult {
  const start = c.startedAt ?? ctx.now;
  c.exitAt = undefined;
  c.exitCode = undefined;
  c.exitReason = undefined;
  c.wakeAt = undefined;
  c.env = containerEnv(ctx.api, pod, spec);
  if (prog.kind === 'server') {
    c.argv = prog.argv;
    c.startFiles = startFiles(ctx, pod, spec, rt, prog.argv);
    for (const line of prog.logs) queueOutput(c, start + line.after, 'stdout', line.text);
    const limit = parseQuantity(String(spec.resources?.limits?.memory ?? ''));
    if (limit !== undefined && memoryUse(prog, spec) > limit) {
      // The kernel's OOM killer ends it as soon as it has allocated past the limit.
      c.exitAt = start + OOM_AFTER_MS;
      c.exitCode = 137;
      c.exitReason = 'OOMKilled';
      return {};
    }
    if (prog.exitAfterMs !== undefined) {
      c.exitAt = start + prog.exitAfterMs;
      c.exitCode = prog.exitCode ?? 0;
    }
    return {};
  }
  const env = c.env;
  const argv = expandArgv(prog.argv, env);
  c.argv = argv;
  c.startFiles = {};
  c.process = startProcess(argv, start, {
    env,
    hostname: pod.spec?.hostname ?? pod.metadata.name,
    image: spec.image,
    workingDir: spec.workingDir,
    pid1: pod.spec?.shareProcessNamespace !== true,
    stdin: spec.stdin ? attachedInput(ctx, pod, spec) : 'null',
    ...processUser(pod, spec),
  });
  const r = advanceShell(ctx, pod, spec, c, rt, start);
  if (r?.startError) {
    c.process = undefined;
    c.exitAt = undefined;
    return { startError: r.startError };
  }
  return {};
}

// What `kubectl run -i` sent, else a terminal that stays open.
function attachedInput(ctx: ControllerContext, pod: P, spec: Container): 'open' | { data: string } {
  const inputs = ctx.api.world.state.attachStdin;
  const key = `${pod.metadata.namespace}/${pod.metadata.name}/${spec.name}`;
  const data = inputs?.[key];
  if (data === undefined) return 'open';
  if (spec.stdinOnce !== false) delete inputs![key];
  return { data };
}

// A session attached to the container ended (`exit` typed in `kubectl run -it`):
// its shell ends with that code.
export function endAttachedProgram(c: ContainerRuntime, at: number, code: number): void {
  if (c.phase !== 'running' || c.exitAt !== undefined) return;
  c.exitAt = at;
  c.exitCode = code;
}

// Moves the program to `until`; an exit due by then is returned.
export function advanceProgram(ctx: ControllerContext, pod: P, spec: Container, c: ContainerRuntime, rt: PodRuntime, until: number): { exit?: { exitCode: number; at: number; reason?: string } } {
  if (c.process && (c.exitAt === undefined || c.exitAt > until)) advanceShell(ctx, pod, spec, c, rt, until);
  if (c.exitAt !== undefined && c.exitAt <= until) return { exit: { exitCode: c.exitCode ?? 0, at: c.exitAt, reason: c.exitReason } };
  return {};
}

// SIGTERM (or KILL) from the kubelet. Sets when the container will be gone,
// if it goes by itself.
export function signalProgram(ctx: ControllerContext, pod: P, spec: Container, c: ContainerRuntime, prog: Program, rt: PodRuntime, signal: 'TERM' | 'KILL'): void {
  if (c.process) {
    handleSignal(c.process, signal, ctx.now);
    advanceShell(ctx, pod, spec, c, rt, ctx.now);
    return;
  }
  if (signal === 'KILL' || prog.sigterm === 'exit') {
    c.exitAt = Math.min(c.exitAt ?? Infinity, ctx.now + 100);
    c.exitCode = signal === 'KILL' ? 137 : 0;
  }
}

// An exec probe: the command run in the container, bounded by the probe's timeout.
export function execProbe(ctx: ControllerContext, pod: P, spec: Container, rt: PodRuntime, argv: string[], timeoutMs: number): { ok: boolean; message: string; durationMs: number; timedOut: boolean; exitCode?: number; output: string } {
  const env = rt.containers.find((x) => x.name === spec.name)?.env ?? containerEnv(ctx.api, pod, spec);
  const r = runToCompletion(argv, containerWorld(ctx.api, pod, spec, rt), ctx.now, {
    env,
    hostname: pod.spec?.hostname ?? pod.metadata.name,
    image: spec.image,
    timeoutMs,
    ...processUser(pod, spec),
  });
  const took = { durationMs: r.durationMs, timedOut: r.timedOut, exitCode: r.exitCode, output: r.stdout + r.stderr };
  if (r.timedOut) return { ok: false, message: `command ${JSON.stringify(argv.join(' '))} timed out`, ...took };
  if (r.startError) return { ok: false, message: `OCI runtime exec failed: exec failed: unable to start container process: ${r.startError}: unknown`, ...took };
  return { ok: r.exitCode === 0, message: r.stdout + r.stderr, ...took };
}
