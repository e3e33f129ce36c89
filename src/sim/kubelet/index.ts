import type { Container, ContainerStatus, Pod, PodCondition } from 'kubernetes-types/core/v1';
import type { Controller, ControllerContext } from '../../controllers/types';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { StatusError } from '../../api/errors';
import { clone, deepEqual } from '../../util/json';
import { rfc3339 } from '../clock';
import { goDuration } from '../../util/go-duration';
import { imageID, lookupImage, pullImage } from '../images';
import type { ContainerRuntime, PodRuntime, Termination } from './types';
import { programFor } from './programs';
import type { Program } from './programs';
import { probeOnce } from './probes';
import { advanceProgram, execProbe, startProgram, signalProgram } from './run';
import { appendLog } from './logs';
import { nodeInternalIP } from '../../cluster/nodes';
import { qosClass } from '../../api/podutil';
import { nodeRuntime, securityVerdict } from './security';

// The simulated kubelet: walks each pod bound to a node through its life, as
// the real one does: sandbox and pod IP, image pulls (cached per node, with
// back-off on failure), init containers in order, containers started,
// probes, exits and restarts with CrashLoopBackOff, graceful termination.
// Every change happens at the simulated instant it is due, by timers.

type P = Pod & KubeObject;

const SANDBOX_MS = 1000;
const START_MS = 500;
const CRASH_BACKOFF_START = 10;
const CRASH_BACKOFF_MAX = 300;
const IMAGE_BACKOFF_START = 10;
const IMAGE_BACKOFF_MAX = 300;
// How long after a failed pull the kubelet reports ImagePullBackOff.
const NOTICE_MS = 5000;
// How long the kubelet takes to notice a container exited (PLEG relist period).
const RELIST_MS = 1000;
// A container that ran this long without trouble has its back-off reset.
const BACKOFF_RESET_MS = 10 * 60 * 1000;

const SOURCE = (node: string) => ({ component: 'kubelet', host: node });

function runtimes(ctx: ControllerContext): Record<string, PodRuntime> {
  return ctx.api.world.state.runtime;
}

function fieldPath(rt: ContainerRuntime): string {
  if (rt.ephemeral) return `spec.ephemeralContainers{${rt.name}}`;
  return rt.init ? `spec.initContainers{${rt.name}}` : `spec.containers{${rt.name}}`;
}

function containerSpecs(pod: P): { spec: Container; init: boolean }[] {
  return [
    ...(pod.spec?.initContainers ?? []).map((spec) => ({ spec, init: true })),
    ...(pod.spec?.containers ?? []).map((spec) => ({ spec, init: false })),
  ];
}

function newContainer(spec: Container, init: boolean, ephemeral = false): ContainerRuntime {
  return {
    name: spec.name,
    init,
    ...(ephemeral ? { ephemeral } : {}),
    phase: 'waiting',
    pullFailures: 0,
    restarts: 0,
    liveness: { failures: 0 },
    readiness: { failures: 0, successes: 0, ready: false },
    startup: { failures: 0, done: !spec.startupProbe },
  };
}

// Ephemeral containers join a running pod as the subresource adds them.
function addEphemeral(pod: P, rt: PodRuntime): void {
  for (const spec of pod.spec?.ephemeralContainers ?? []) {
    if (!rt.containers.some((c) => c.ephemeral && c.name === spec.name)) rt.containers.push(newContainer(spec as Container, false, true));
  }
}

function admit(ctx: ControllerContext, pod: P, node: KubeObject): PodRuntime {
  const hostNetwork = pod.spec?.hostNetwork === true;
  const rt: PodRuntime = {
    uid: pod.metadata.uid ?? '',
    node: node.metadata.name ?? '',
    admittedAt: ctx.now,
    sandboxAt: ctx.now + SANDBOX_MS,
    ip: hostNetwork ? nodeInternalIP(node) : undefined,
    containers: containerSpecs(pod).map(({ spec, init }) => newContainer(spec, init)),
  };
  runtimes(ctx)[rt.uid] = rt;
  return rt;
}

// Pod IPs come from the node's pod CIDR: 10.244.<n>.2 upwards, not reused while in use.
function allocatePodIP(ctx: ControllerContext, node: KubeObject): string {
  const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.244.0.0/24';
  const base = cidr.split('/')[0].split('.').slice(0, 3).join('.');
  const used = new Set(
    Object.values(runtimes(ctx))
      .filter((r) => r.node === node.metadata.name && r.ip)
      .map((r) => r.ip),
  );
  const state = ctx.api.world.state;
  const counters = (state.ipCounters ??= {});
  let next = counters[node.metadata.name ?? ''] ?? 2;
  for (let i = 0; i < 253; i++) {
    const ip = `${base}.${next}`;
    next = next >= 254 ? 2 : next + 1;
    if (!used.has(ip)) {
      counters[node.metadata.name ?? ''] = next;
      return ip;
    }
  }
  return `${base}.254`;
}

function imagePresent(node: KubeObject, image: string): boolean {
  const familiar = lookupImage(image).ref.familiar;
  const images = (node.status as { images?: { names?: string[] }[] } | undefined)?.images ?? [];
  return images.some((i) => (i.names ?? []).includes(familiar));
}

function recordImage(ctx: ControllerContext, nodeName: string, image: string, size: number): void {
  const node = ctx.api.peek(kind('Node'), undefined, nodeName);
  if (!node || imagePresent(node, image)) return;
  const next = clone(node);
  const status = next.status as { images?: { names: string[]; sizeBytes: number }[] };
  const ref = lookupImage(image).ref;
  status.images = [...(status.images ?? []), { names: [imageID(image).replace('docker-pullable://', ''), ref.familiar], sizeBytes: size }];
  ctx.api.update(next, { subresource: 'status' });
}

function containerID(ctx: ControllerContext): string {
  return `docker://${ctx.api.world.rng.hex(64)}`;
}

interface Step {
  pod: P;
  rt: PodRuntime;
  node: KubeObject;
  ctx: ControllerContext;
  wake: number[];
}

function event(s: Step, c: ContainerRuntime, type: 'Normal' | 'Warning', reason: string, message: string): void {
  s.ctx.recorder.event(s.pod, type, reason, message, SOURCE(s.rt.node), fieldPath(c));
}

function specOf(s: Step, c: ContainerRuntime): Container {
  const list = c.ephemeral ? ((s.pod.spec?.ephemeralContainers ?? []) as Container[]) : c.init ? (s.pod.spec?.initContainers ?? []) : (s.pod.spec?.containers ?? []);
  return list.find((x) => x.name === c.name)!;
}

function restartWanted(s: Step, c: ContainerRuntime, exitCode: number): boolean {
  const policy = s.pod.spec?.restartPolicy ?? 'Always';
  // Ephemeral containers are never restarted.
  if (c.ephemeral) return false;
  if (c.init) return exitCode !== 0 && policy !== 'Never';
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

function beginPull(s: Step, c: ContainerRuntime): void {
  const spec = specOf(s, c);
  const image = spec.image ?? '';
  const policy = spec.imagePullPolicy ?? 'IfNotPresent';
  const present = imagePresent(s.node, image);
  if (policy === 'Never' && !present) {
    c.phase = 'pull-backoff';
    c.pullReason = 'ErrImageNeverPull';
    c.pullMessage = `Container image "${image}" is not present with pull policy of Never`;
    event(s, c, 'Warning', 'ErrImageNeverPull', c.pullMessage);
    c.until = undefined;
    return;
  }
  if (present && policy !== 'Always') {
    event(s, c, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    c.phase = 'starting';
    c.until = s.ctx.now + START_MS;
    return;
  }
  event(s, c, 'Normal', 'Pulling', `Pulling image "${image}"`);
  c.pullStartedAt = s.ctx.now;
  const result = pullImage(image, s.ctx.api.world.env?.KUBEMU_STRICT_IMAGES === '1');
  c.phase = 'pulling';
  const seconds = result.ok ? (present ? 0.4 + (result.seconds % 1) * 0.5 : result.seconds) : 1.2;
  c.until = s.ctx.now + Math.round(seconds * 1000);
}

function finishPull(s: Step, c: ContainerRuntime): void {
  const spec = specOf(s, c);
  const image = spec.image ?? '';
  const result = pullImage(image, s.ctx.api.world.env?.KUBEMU_STRICT_IMAGES === '1');
  if (!result.ok) {
    c.pullFailures++;
    c.pullReason = 'ErrImagePull';
    c.pullMessage = result.message;
    event(s, c, 'Warning', 'Failed', `Failed to pull image "${image}": ${result.message}`);
    event(s, c, 'Warning', 'Failed', 'Error: ErrImagePull');
    c.phase = 'pull-backoff';
    const backoff = Math.min(IMAGE_BACKOFF_START * 2 ** (c.pullFailures - 1), IMAGE_BACKOFF_MAX);
    c.until = s.ctx.now + backoff * 1000;
    // ErrImagePull shows until the kubelet's next sync notices the back-off.
    c.noticeAt = s.ctx.now + Math.min(NOTICE_MS, backoff * 1000 - 1);
    return;
  }
  const ms = s.ctx.now - (c.pullStartedAt ?? s.ctx.now);
  event(s, c, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${goDuration(ms)} (${goDuration(ms)} including waiting). Image size: ${result.size} bytes.`);
  recordImage(s.ctx, s.rt.node, image, result.size);
  c.pullFailures = 0;
  c.pullReason = undefined;
  c.pullMessage = undefined;
  c.phase = 'starting';
  c.until = s.ctx.now + START_MS;
}

function program(s: Step, c: ContainerRuntime): Program {
  const spec = specOf(s, c);
  return programFor(spec, lookupImage(spec.image ?? '').entry);
}

// The runtime refuses to create the container (an AppArmor profile the node
// has not loaded, a seccomp file it cannot read): CreateContainerError, and the
// pod worker tries again after its 10 s back-off.
const CREATE_RETRY_MS = 10_000;

function startContainer(s: Step, c: ContainerRuntime): void {
  const spec = specOf(s, c);
  const verdict = securityVerdict(s.ctx.api.world.state, s.node, s.pod, spec);
  if (verdict.createError) {
    c.createError = verdict.createError;
    event(s, c, 'Warning', 'Failed', `Error: ${verdict.createError}`);
    c.until = s.ctx.now + CREATE_RETRY_MS;
    return;
  }
  c.createError = undefined;
  c.seccompLog = verdict.auditLog;
  c.containerID = containerID(s.ctx);
  c.startedAt = s.ctx.now;
  c.phase = 'running';
  c.until = undefined;
  c.current = undefined;
  c.readiness = { failures: 0, successes: 0, ready: false };
  c.liveness = { failures: 0 };
  c.startup = { failures: 0, done: !spec.startupProbe };
  c.started = !spec.startupProbe;
  event(s, c, 'Normal', 'Created', `Created container: ${c.name}`);
  // A new container: its writable layer starts again from the image.
  if (s.rt.layers) delete s.rt.layers[c.name];
  const why = verdict.startError ?? startProgram(s.ctx, s.pod, spec, c, program(s, c), s.rt).startError;
  if (why) {
    startFailed(s, c, why);
    return;
  }
  event(s, c, 'Normal', 'Started', `Started container ${c.name}`);
  scheduleProbes(s, c, spec);
}

// A process runc could not start, in the runtime's words (Docker's through
// cri-dockerd, or containerd's): the container ends at once and is restarted
// with back-off.
function startFailed(s: Step, c: ContainerRuntime, why: string): void {
  const docker = nodeRuntime(s.node) === 'docker';
  const message = `${docker ? 'failed to create task for container' : 'failed to create containerd task'}: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${why}: unknown`;
  event(s, c, 'Warning', 'Failed', docker ? `Error: failed to start container "${c.name}": Error response from daemon: ${message}` : `Error: ${message}`);
  exitContainer(s, c, docker ? 127 : 128, docker ? 'ContainerCannotRun' : 'StartError', undefined, message);
  // containerd never started the process: its start time is the zero time (1970).
  if (!docker && c.current) c.current = { ...c.current, startedAt: 0 };
}

function scheduleProbes(s: Step, c: ContainerRuntime, spec: Container): void {
  const start = c.startedAt ?? s.ctx.now;
  if (spec.startupProbe) c.startup.nextAt = start + (spec.startupProbe.initialDelaySeconds ?? 0) * 1000;
  if (spec.readinessProbe) c.readiness.nextAt = start + (spec.readinessProbe.initialDelaySeconds ?? 0) * 1000;
  else c.readiness.ready = true;
  if (spec.livenessProbe) c.liveness.nextAt = start + (spec.livenessProbe.initialDelaySeconds ?? 0) * 1000;
  if (c.readiness.ready) c.readySince = s.ctx.now;
}

function exitContainer(s: Step, c: ContainerRuntime, exitCode: number, reason?: string, at?: number, message?: string): void {
  const term: Termination = {
    exitCode,
    reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
    ...(message ? { message } : {}),
    startedAt: c.startedAt ?? s.ctx.now,
    finishedAt: Math.min(at ?? s.ctx.now, s.ctx.now),
    containerID: c.containerID ?? '',
  };
  c.current = term;
  c.readiness.ready = false;
  c.readySince = undefined;
  c.exitAt = undefined;
  c.wakeAt = undefined;
  c.process = undefined;
  const ranLong = s.ctx.now - (c.startedAt ?? s.ctx.now) >= BACKOFF_RESET_MS;
  if (ranLong) c.crashBackoffSeconds = undefined;
  if (s.rt.terminating || !restartWanted(s, c, exitCode)) {
    c.phase = 'exited';
    return;
  }
  // The first restart comes as soon as the kubelet's relist notices the exit
  // (the pod shows Error meanwhile); later ones back off 10 s, doubling to 5 min.
  if (c.crashBackoffSeconds === undefined) {
    c.crashBackoffSeconds = 0;
    c.phase = 'dead';
    c.until = s.ctx.now + RELIST_MS;
    return;
  }
  c.crashBackoffSeconds = c.crashBackoffSeconds === 0 ? CRASH_BACKOFF_START : Math.min(c.crashBackoffSeconds * 2, CRASH_BACKOFF_MAX);
  c.phase = 'crash-backoff';
  c.until = s.ctx.now + c.crashBackoffSeconds * 1000;
  event(s, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${s.pod.metadata.name}_${s.pod.metadata.namespace}(${s.pod.metadata.uid})`);
}

function restart(s: Step, c: ContainerRuntime): void {
  c.last = c.current;
  c.current = undefined;
  c.restarts++;
  beginPull(s, c);
}

// A network probe of an image's own server that succeeded keeps succeeding
// (its answers are fixed data), so it needs no more timers: an idle cluster
// does not wake up every ten seconds per pod to learn nothing new.
function stableProbe(prog: Program, probe: NonNullable<Container['readinessProbe']>, c: ContainerRuntime): boolean {
  const ok = probe === undefined ? false : c.liveness.failures === 0 && c.readiness.failures === 0;
  return ok && prog.kind === 'server' && !probe.exec;
}

// Runs a container's probes that are due at now.
function runProbes(s: Step, c: ContainerRuntime): void {
  const spec = specOf(s, c);
  const now = s.ctx.now;
  const prog = program(s, c);
  if (spec.startupProbe && !c.startup.done && c.startup.nextAt !== undefined && c.startup.nextAt <= now) {
    const r = probeOnce(s.ctx, s.pod, spec, spec.startupProbe, s.rt);
    if (r.ok) {
      c.startup.done = true;
      c.started = true;
    } else {
      c.startup.failures++;
      event(s, c, 'Warning', 'Unhealthy', `Startup probe failed: ${r.message}`);
      if (c.startup.failures >= (spec.startupProbe.failureThreshold ?? 3)) {
        event(s, c, 'Normal', 'Killing', `Container ${c.name} failed startup probe, will be restarted`);
        exitContainer(s, c, prog.sigterm === 'exit' ? 0 : 137, prog.sigterm === 'exit' ? 'Completed' : 'Error');
        return;
      }
    }
    c.startup.nextAt = now + (spec.startupProbe.periodSeconds ?? 10) * 1000;
  }
  if (!c.startup.done) return;
  if (spec.readinessProbe && c.readiness.nextAt !== undefined && c.readiness.nextAt <= now) {
    const r = probeOnce(s.ctx, s.pod, spec, spec.readinessProbe, s.rt);
    if (r.ok) {
      c.readiness.failures = 0;
      c.readiness.successes++;
      if (!c.readiness.ready && c.readiness.successes >= (spec.readinessProbe.successThreshold ?? 1)) {
        c.readiness.ready = true;
        c.readySince = now;
      }
    } else {
      c.readiness.successes = 0;
      c.readiness.failures++;
      event(s, c, 'Warning', 'Unhealthy', `Readiness probe failed: ${r.message}`);
      if (c.readiness.ready && c.readiness.failures >= (spec.readinessProbe.failureThreshold ?? 3)) {
        c.readiness.ready = false;
        c.readySince = undefined;
      }
    }
    c.readiness.nextAt = stableProbe(prog, spec.readinessProbe, c) ? undefined : now + (spec.readinessProbe.periodSeconds ?? 10) * 1000;
  }
  if (spec.livenessProbe && c.liveness.nextAt !== undefined && c.liveness.nextAt <= now) {
    const r = probeOnce(s.ctx, s.pod, spec, spec.livenessProbe, s.rt);
    if (r.ok) c.liveness.failures = 0;
    else {
      c.liveness.failures++;
      event(s, c, 'Warning', 'Unhealthy', `Liveness probe failed: ${r.message}`);
      if (c.liveness.failures >= (spec.livenessProbe.failureThreshold ?? 3)) {
        event(s, c, 'Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
        if (c.process) {
          // A program the shell runs gets SIGTERM and its grace period (sh as
          // PID 1 ignores it and is killed at the end); its readiness is still probed.
          const grace = spec.livenessProbe.terminationGracePeriodSeconds ?? s.pod.spec?.terminationGracePeriodSeconds ?? 30;
          c.liveness.killAt = now + grace * 1000;
          c.liveness.nextAt = undefined;
          signalProgram(s.ctx, s.pod, spec, c, prog, s.rt, 'TERM');
          return;
        }
        exitContainer(s, c, prog.sigterm === 'exit' ? 0 : 137, prog.sigterm === 'exit' ? 'Completed' : 'Error');
        return;
      }
    }
    c.liveness.nextAt = stableProbe(prog, spec.livenessProbe, c) ? undefined : now + (spec.livenessProbe.periodSeconds ?? 10) * 1000;
  }
}

function advanceRunning(s: Step, c: ContainerRuntime): void {
  const spec = specOf(s, c);
  const killAt = c.liveness.killAt;
  const r = advanceProgram(s.ctx, s.pod, spec, c, s.rt, Math.min(s.ctx.now, killAt ?? Infinity));
  if (r.exit) {
    exitContainer(s, c, r.exit.exitCode, r.exit.reason, r.exit.at);
    return;
  }
  if (killAt !== undefined && killAt <= s.ctx.now) {
    exitContainer(s, c, 137, 'Error', killAt);
    return;
  }
  runProbes(s, c);
}

// One pass of the state machine for every container, at now.
function stepContainers(s: Step): void {
  const now = s.ctx.now;
  if (now < s.rt.sandboxAt) {
    s.wake.push(s.rt.sandboxAt);
    return;
  }
  if (!s.rt.ip) s.rt.ip = allocatePodIP(s.ctx, s.node);
  const inits = s.rt.containers.filter((c) => c.init);
  const mains = s.rt.containers.filter((c) => !c.init && !c.ephemeral);
  // Ephemeral containers start whenever they are added, initialized or not.
  for (const c of s.rt.containers) if (c.ephemeral) stepOne(s, c);
  // Init containers, one after the other; a sidecar (restartPolicy Always) counts once started.
  let initsDone = true;
  for (const c of inits) {
    const sidecar = specOf(s, c).restartPolicy === 'Always';
    stepOne(s, c);
    const done = (c.phase === 'exited' && c.current?.exitCode === 0) || (sidecar && c.phase === 'running' && c.started);
    if (!done) {
      initsDone = false;
      break;
    }
  }
  if (!initsDone) return;
  let previousStarted = true;
  for (const c of mains) {
    if (!previousStarted && c.phase === 'waiting') break;
    stepOne(s, c);
    previousStarted = c.phase !== 'waiting' && c.phase !== 'pulling';
  }
}

function stepOne(s: Step, c: ContainerRuntime): void {
  const now = s.ctx.now;
  for (let guard = 0; guard < 20; guard++) {
    const before = `${c.phase}|${c.until}|${c.restarts}`;
    switch (c.phase) {
      case 'waiting':
        beginPull(s, c);
        break;
      case 'pulling':
        if (c.until !== undefined && c.until <= now) finishPull(s, c);
        break;
      case 'pull-backoff':
        if (c.noticeAt !== undefined && c.noticeAt <= now) {
          c.noticeAt = undefined;
          c.pullReason = 'ImagePullBackOff';
          event(s, c, 'Normal', 'BackOff', `Back-off pulling image "${specOf(s, c).image}"`);
          event(s, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        }
        if (c.until !== undefined && c.until <= now) beginPull(s, c);
        break;
      case 'starting':
        if (c.until !== undefined && c.until <= now) {
          // A retried create checks the image again first, as the pod worker's sync does.
          if (c.createError && (specOf(s, c).imagePullPolicy ?? 'IfNotPresent') !== 'Always') event(s, c, 'Normal', 'Pulled', `Container image "${specOf(s, c).image}" already present on machine`);
          startContainer(s, c);
        }
        break;
      case 'running':
        advanceRunning(s, c);
        break;
      case 'dead':
      case 'crash-backoff':
        if (c.until !== undefined && c.until <= now) restart(s, c);
        break;
      case 'exited':
        break;
    }
    if (`${c.phase}|${c.until}|${c.restarts}` === before) break;
  }
  for (const t of [c.until, c.noticeAt, c.exitAt, c.wakeAt, c.readiness.nextAt, c.liveness.nextAt, c.liveness.killAt, c.startup.nextAt]) {
    if (t !== undefined && t > now && c.phase !== 'exited') s.wake.push(t);
  }
}

const MIN_GRACE_MS = 2000;

// Runs a container's preStop hook (exec in the container, or sleep; an HTTP
// GET is answered at once) as the kubelet does before SIGTERM, bounded by the
// grace period; answers when it ends, or undefined when there is none.
function runPreStop(s: Step, c: ContainerRuntime, deadline: number): number | undefined {
  const hook = specOf(s, c).lifecycle?.preStop;
  if (!hook) return undefined;
  const now = s.ctx.now;
  const budget = Math.max(0, deadline - now);
  let took = 0;
  if (hook.exec) {
    const r = execProbe(s.ctx, s.pod, specOf(s, c), s.rt, hook.exec.command ?? [], budget);
    took = r.durationMs;
    if (!r.ok && !r.timedOut) {
      const argv = hook.exec.command ?? [];
      const pod = `${s.pod.metadata.name}_${s.pod.metadata.namespace}(${s.pod.metadata.uid})`;
      const why = `command '${argv.join(' ')}' exited with ${r.exitCode ?? 126}: ${r.output}`;
      event(s, c, 'Warning', 'FailedPreStopHook', `Exec lifecycle hook ([${argv.join(' ')}]) for Container "${c.name}" in Pod "${pod}" failed - error: ${why}, message: ${JSON.stringify(r.output)}`);
    }
  } else if (hook.sleep) took = hook.sleep.seconds * 1000;
  return now + Math.min(took, budget);
}

function terminate(s: Step): boolean {
  const now = s.ctx.now;
  const pod = s.pod;
  const grace = pod.metadata.deletionGracePeriodSeconds ?? 0;
  if (!s.rt.terminating) {
    const deadline = Date.parse(pod.metadata.deletionTimestamp ?? '') || now + grace * 1000;
    s.rt.terminating = { since: now, deadline, killed: {} };
    const t = s.rt.terminating;
    for (const c of s.rt.containers) {
      if (c.phase !== 'running') continue;
      event(s, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      const hookEnds = runPreStop(s, c, deadline);
      if (hookEnds === undefined) signalProgram(s.ctx, s.pod, specOf(s, c), c, program(s, c), s.rt, 'TERM');
      else {
        (t.preStop ??= {})[c.name] = hookEnds;
        // A hook that used the whole grace period leaves the container the
        // kubelet's minimum of 2 s after its SIGTERM.
        if (hookEnds >= deadline) t.deadline = Math.max(t.deadline, hookEnds + MIN_GRACE_MS);
      }
    }
  }
  const t = s.rt.terminating;
  let alive = false;
  for (const c of s.rt.containers) {
    if (c.phase !== 'running') continue;
    const hookEnds = t.preStop?.[c.name];
    if (hookEnds !== undefined) {
      if (now < hookEnds) {
        // The hook still runs; the program serves on, untouched.
        alive = true;
        s.wake.push(hookEnds);
        continue;
      }
      delete t.preStop?.[c.name];
      advanceProgram(s.ctx, s.pod, specOf(s, c), c, s.rt, hookEnds);
      signalProgram(s.ctx, s.pod, specOf(s, c), c, program(s, c), s.rt, 'TERM');
    }
    const r = advanceProgram(s.ctx, s.pod, specOf(s, c), c, s.rt, Math.min(now, t.deadline));
    if (r.exit) exitContainer(s, c, r.exit.exitCode, r.exit.reason, r.exit.at);
    else if (now >= t.deadline) exitContainer(s, c, 137, 'Error');
    else {
      alive = true;
      s.wake.push(Math.min(c.exitAt ?? t.deadline, c.wakeAt ?? t.deadline, t.deadline));
    }
  }
  for (const c of s.rt.containers) if (c.phase !== 'running' && c.phase !== 'exited') c.phase = 'exited';
  return !alive;
}

// --- status ---------------------------------------------------------------

function waitingState(s: Step, c: ContainerRuntime): NonNullable<ContainerStatus['state']> {
  if (c.createError && c.phase === 'starting') return { waiting: { reason: 'CreateContainerError', message: c.createError } };
  // A retried pull keeps showing the last failure until it has a new result.
  if (c.phase === 'pull-backoff' || (c.phase === 'pulling' && c.pullReason)) {
    const reason = c.pullReason ?? 'ErrImagePull';
    const image = specOf(s, c).image;
    const message = reason === 'ImagePullBackOff' ? `Back-off pulling image "${image}": ErrImagePull: ${c.pullMessage}` : c.pullMessage;
    return { waiting: { reason, ...(message ? { message } : {}) } };
  }
  // A restart in progress (its pull, its start) shows the back-off until the
  // new container runs: the kubelet reports once the sync is over.
  const restarting = (c.phase === 'pulling' || c.phase === 'starting') && (c.crashBackoffSeconds ?? 0) > 0;
  if (c.phase === 'crash-backoff' || restarting) {
    const back = c.crashBackoffSeconds ?? CRASH_BACKOFF_START;
    const m = back >= 60 ? `${back / 60}m0s` : `${back}s`;
    return {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off ${m} restarting failed container=${c.name} pod=${s.pod.metadata.name}_${s.pod.metadata.namespace}(${s.pod.metadata.uid})`,
      },
    };
  }
  return { waiting: { reason: c.init ? 'PodInitializing' : s.rt.containers.some((x) => x.init && x.phase !== 'exited') ? 'PodInitializing' : 'ContainerCreating' } };
}

function terminatedState(t: Termination) {
  return {
    terminated: {
      exitCode: t.exitCode,
      reason: t.reason,
      ...(t.signal ? { signal: t.signal } : {}),
      ...(t.message ? { message: t.message } : {}),
      startedAt: rfc3339(t.startedAt),
      finishedAt: rfc3339(t.finishedAt),
      containerID: t.containerID,
    },
  };
}

// prober_manager.UpdatePodStatus: an init container is ready once it has
// exited 0 (a sidecar, like an app container, by its readiness).
function containerReady(s: Step, c: ContainerRuntime): boolean {
  if (c.ephemeral) return false;
  if (c.init && specOf(s, c).restartPolicy !== 'Always') return c.phase === 'exited' && c.current?.exitCode === 0;
  return c.phase === 'running' && c.readiness.ready && c.startup.done;
}

function containerStatus(s: Step, c: ContainerRuntime): ContainerStatus {
  const spec = specOf(s, c);
  const image = spec.image ?? '';
  const ref = lookupImage(image).ref;
  // A restart being pulled and started: the new container, which carries the
  // restart count, is not made yet; the first restart still shows how the last
  // run ended, later ones the back-off (waitingState).
  const restarting = (c.phase === 'pulling' || c.phase === 'starting') && !c.pullReason ? c.last : undefined;
  let state: ContainerStatus['state'];
  if (c.phase === 'running') state = { running: { startedAt: rfc3339(c.startedAt ?? s.ctx.now) } };
  else if ((c.phase === 'exited' || c.phase === 'dead') && c.current) state = terminatedState(c.current);
  else if (restarting && c.crashBackoffSeconds === 0) state = terminatedState(restarting);
  else state = waitingState(s, c);
  // Backing off, the run that just ended is the last state.
  const last = c.phase === 'crash-backoff' && c.current ? c.current : restarting && c.crashBackoffSeconds === 0 ? undefined : c.last;
  const hasRun = c.containerID !== undefined;
  const status: ContainerStatus = {
    ...(hasRun ? { containerID: c.containerID } : {}),
    image: ref.familiar,
    imageID: hasRun ? imageID(image) : '',
    lastState: last ? terminatedState(last) : {},
    name: c.name,
    ready: containerReady(s, c),
    restartCount: restarting ? c.restarts - 1 : c.restarts,
    started: c.phase === 'running' ? c.started === true : false,
    state,
    volumeMounts: (spec.volumeMounts ?? []).map((m) => ({
      mountPath: m.mountPath,
      name: m.name,
      ...(m.readOnly ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}),
    })),
  };
  return status;
}

function condition(type: string, status: boolean, prev: PodCondition[] | undefined, now: number, reason?: string, message?: string): PodCondition {
  const s = status ? 'True' : 'False';
  const old = prev?.find((c) => c.type === type);
  return {
    type,
    status: s,
    lastProbeTime: null as unknown as string,
    lastTransitionTime: old && old.status === s ? old.lastTransitionTime : rfc3339(now),
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

function podStatus(s: Step): NonNullable<Pod['status']> {
  const pod = s.pod;
  const now = s.ctx.now;
  const prev = pod.status?.conditions;
  const inits = s.rt.containers.filter((c) => c.init);
  const mains = s.rt.containers.filter((c) => !c.init && !c.ephemeral);
  const initsDone = inits.every((c) => (c.phase === 'exited' && c.current?.exitCode === 0) || (specOf(s, c).restartPolicy === 'Always' && c.phase === 'running'));
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const allExited = mains.length > 0 && mains.every((c) => c.phase === 'exited');
  const initFailed = inits.some((c) => c.phase === 'exited' && (c.current?.exitCode ?? 0) !== 0);
  let phase: string;
  if (initFailed && policy === 'Never') phase = 'Failed';
  else if (allExited) phase = mains.every((c) => c.current?.exitCode === 0) ? 'Succeeded' : 'Failed';
  else if (initsDone && mains.some((c) => c.phase === 'running' || c.phase === 'crash-backoff' || c.phase === 'dead' || c.phase === 'exited')) phase = 'Running';
  else if (initsDone && mains.some((c) => c.restarts > 0)) phase = 'Running';
  else phase = 'Pending';
  const notReady = mains.filter((c) => !(c.phase === 'running' && c.readiness.ready && c.startup.done)).map((c) => c.name);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const ready = notReady.length === 0 && !done;
  const readyReason = done ? 'PodCompleted' : 'ContainersNotReady';
  const readyMsg = done ? undefined : `containers with unready status: [${notReady.join(' ')}]`;
  const incomplete = inits.filter((c) => !(c.phase === 'exited' && c.current?.exitCode === 0) && !(specOf(s, c).restartPolicy === 'Always' && c.phase === 'running')).map((c) => c.name);
  const sandboxReady = now >= s.rt.sandboxAt && !done;
  const conditions: PodCondition[] = [
    condition('PodReadyToStartContainers', sandboxReady || (done && now >= s.rt.sandboxAt && false), prev, now),
    condition('Initialized', initsDone, prev, now, initsDone ? (done && inits.length > 0 ? 'PodCompleted' : undefined) : 'ContainersNotInitialized', initsDone ? undefined : `containers with incomplete status: [${incomplete.join(' ')}]`),
    condition('Ready', ready, prev, now, ready ? undefined : readyReason, ready ? undefined : readyMsg),
    condition('ContainersReady', ready, prev, now, ready ? undefined : readyReason, ready ? undefined : readyMsg),
    ...(prev ?? []).filter((c) => c.type === 'PodScheduled'),
  ];
  const node = s.node;
  const status: NonNullable<Pod['status']> = {
    conditions,
    hostIP: nodeInternalIP(node),
    hostIPs: [{ ip: nodeInternalIP(node) }],
    phase,
    qosClass: qosClass(pod.spec),
    startTime: rfc3339(s.rt.admittedAt),
    containerStatuses: mains.map((c) => containerStatus(s, c)),
  };
  if (inits.length > 0) status.initContainerStatuses = inits.map((c) => containerStatus(s, c));
  const ephemerals = s.rt.containers.filter((c) => c.ephemeral);
  if (ephemerals.length > 0) status.ephemeralContainerStatuses = ephemerals.map((c) => containerStatus(s, c));
  if (s.rt.ip) {
    status.podIP = s.rt.ip;
    status.podIPs = [{ ip: s.rt.ip }];
  }
  return status;
}

function writeStatus(s: Step): void {
  const next = podStatus(s);
  const current = s.ctx.api.peek(kind('Pod'), s.pod.metadata.namespace, s.pod.metadata.name ?? '');
  if (!current || deepEqual(current.status, next)) return;
  s.ctx.api.update({ ...clone(current), status: next }, { subresource: 'status' });
}

export function reconcilePod(key: string, ctx: ControllerContext, controllerName: string): void {
  const { api } = ctx;
  const [namespace, name] = key.split('/');
  const pod = api.peek(kind('Pod'), namespace, name) as P | undefined;
  if (!pod || !pod.spec?.nodeName) return;
  const node = api.peek(kind('Node'), undefined, pod.spec.nodeName);
  if (!node) return;
  const all = runtimes(ctx);
  let rt = all[pod.metadata.uid ?? ''];
  if (!rt) {
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    rt = admit(ctx, pod, node);
  }
  addEphemeral(pod, rt);
  const s: Step = { pod, rt, node, ctx, wake: [] };
  if (pod.metadata.deletionTimestamp) {
    const finished = terminate(s);
    if (finished) {
      writeStatus(s);
      delete all[rt.uid];
      try {
        api.delete(kind('Pod'), namespace, name, { gracePeriodSeconds: 0 });
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
      return;
    }
  } else {
    stepContainers(s);
  }
  for (const c of rt.containers) {
    appendLog(ctx, pod, c, ctx.now);
    // Output due later (a server's start-up lines) needs a wake-up of its own.
    for (const l of c.pending ?? []) if (l.at > ctx.now) s.wake.push(l.at);
  }
  writeStatus(s);
  const next = s.wake.filter((t) => t > ctx.now).sort((a, b) => a - b)[0];
  if (next !== undefined) ctx.requeueAt(controllerName, key, next);
}

export const kubelet: Controller = {
  name: 'kubelet',
  primary: kind('Pod'),
  reconcile(key, ctx) {
    reconcilePod(key, ctx, this.name);
  },
};

export { terminatedState };
