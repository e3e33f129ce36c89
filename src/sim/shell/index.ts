// The container command interpreter: runs what a container's `command`/`args` or a
// `kubectl exec` would run (sh -c '...', bash -c, busybox applets, a few programs
// such as curl, wget, nslookup, perl's bpi) in simulated time, against a fake world
// the kubelet provides. Nothing here runs on the host: no child processes, no host
// filesystem, no network.
//
// Time. A process starts at `startedAt` (epoch ms of simulated time). Every command
// costs `limits.stepMs` (1 ms); `sleep 5` takes 5 s. `advance(state, world, until)`
// simulates the process up to `until` and returns the output produced since the
// previous call, each chunk stamped with the simulated instant it was written.
//
// Persistence. ProcessState is plain JSON. Between calls nothing else is kept: each
// advance re-runs the program from its start (or from its last checkpoint) and the
// journal in the state answers every question the program asks of the world (files,
// DNS, HTTP, TCP, ping) exactly as it was answered the first time, so the replay
// reproduces the same history up to the previous horizon; past the journal the live
// world is asked and its answers appended. Writes to files are journaled too, so
// they reach the world's filesystem once.
//
// Checkpoints. When the container's shell is at the head of a loop iteration with
// nothing else running (no background job, no pipeline, not inside a function or a
// redirected block), its whole state is written into state.checkpoint and the
// journal before it is dropped: endless `while true; do ...; sleep N; done` loops cost
// a replay of one iteration, not of their whole history.
//
// Bounds (Limits, defaults in DEFAULT_LIMITS):
// - maxSteps (200,000) scheduler steps per advance, replay included, and
//   maxOutputBytes (1 MiB) of new output per advance. When either runs out after
//   progress past the previous horizon, the call returns early: `reached` < until,
//   the output up to `reached` is returned and nextWakeAt = reached + 1 asks to be
//   called again (the process lags, nothing is lost). When the replay alone cannot
//   get past the previous horizon (a very long history with no checkpoint), the
//   process is "capped": a one-line notice goes to stderr, and from then on it counts
//   as running but silent, ending only on SIGKILL (or on SIGTERM if it is not PID 1
//   or had a TERM trap).
// - maxJournal (20,000 entries, equal consecutive answers counted once) and
//   maxWorldCalls (100,000 live questions per advance) work the same way.
// - maxStringBytes (4 MiB) per variable, command substitution or pipe buffer;
//   maxDepth (200) nested functions/subshells/eval; maxReadBytes (1 MiB) of a file or
//   an HTTP body.
//
// Signals (handleSignal). A container's main process is PID 1 in its PID namespace,
// and Linux does not deliver to PID 1 a signal it installed no handler for: SIGTERM
// to `sleep 3600`, to `sh -c 'sleep 3600'` or to `tail -f /dev/null` does nothing,
// and the kubelet's SIGKILL after the grace period ends it (exit 137). A shell with
// `trap '...' TERM` runs the trap, but only once the foreground command returns (sh
// waits for `sleep 3600` to finish first) or at once if it is in `wait`. tini and
// dumb-init as the entrypoint make the real program a non-PID-1 child: SIGTERM then
// kills it (exit 143) unless it traps it. Processes started with pid1: false
// (kubectl exec, shared process namespaces) die on SIGTERM/INT with 128+n.

import { BudgetExhausted, Kernel } from './kernel';
import { BlockIn, FileOut, NullIn, NullOut, ProcOut, StrIn } from './io';
import type { Fd, FdDesc, Fds } from './io';
import { profileForImage } from './profile';
import { resolveProgram, runProgram } from './programs';
import type { ProcEnv } from './programs';
import { Shell } from './shell';
import type { Frame, ShellSnapshot } from './shell';
import type { Gen } from './kernel';
import { DEFAULT_LIMITS } from './types';
import type { AdvanceResult, Limits, OutputChunk, ProcessSpec, ProcessState, ShellWorld, SignalName } from './types';

export * from './types';
export { profileForImage } from './profile';
export type { Profile, NslookupStyle } from './profile';
export { MemFs } from './memfs';
export type { MemFsData } from './memfs';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0 || 1;
}

// A new process, not yet run. The environment, hostname and image are fixed here as
// they are when a real container starts.
export function startProcess(argv: string[], startedAt: number, opts: Omit<ProcessSpec, 'argv'> = {}): ProcessState {
  const spec: ProcessSpec = { argv: argv.slice(), ...opts };
  return {
    v: 1,
    spec,
    startedAt,
    horizon: startedAt - 1,
    journal: [],
    signals: [],
    seed: fnv(JSON.stringify(argv) + startedAt),
  };
}

// Records a signal sent at `at` (not before the process's horizon: the past cannot
// change). Call advance() to see its effect.
// `pid`: to that process of the tree (the served program) instead of the main one.
// Returns when it will be delivered.
export function handleSignal(state: ProcessState, signal: SignalName, at: number, pid?: number): number {
  if (state.finished) return at;
  const t = Math.max(at, state.horizon + 1);
  let i = state.signals.length;
  while (i > 0 && state.signals[i - 1].at > t) i--;
  state.signals.splice(i, 0, pid === undefined ? { sig: signal, at: t } : { sig: signal, at: t, pid });
  if (state.nextWakeAt === undefined || state.nextWakeAt > t) state.nextWakeAt = t;
  return t;
}

function envOf(spec: ProcessSpec): Record<string, string> {
  const env: Record<string, string> = { ...(spec.env ?? {}) };
  env.PATH ??= DEFAULT_PATH;
  env.HOME ??= '/root';
  if (spec.hostname !== undefined) env.HOSTNAME ??= spec.hostname;
  return env;
}

function stdinFd(spec: ProcessSpec): NullIn | BlockIn | StrIn {
  const s = spec.stdin ?? 'null';
  if (s === 'null') return new NullIn();
  if (s === 'open') return new BlockIn();
  return new StrIn(s.data);
}

function fdFrom(k: Kernel, n: number, d: FdDesc): Fd {
  switch (d.k) {
    case 'proc':
      return new ProcOut(k, d.s);
    case 'null':
      return n === 0 ? new NullIn() : new NullOut();
    case 'file':
      return new FileOut(k, d.path);
    case 'stdin':
      return new BlockIn();
  }
}

function startErrorText(r: ReturnType<typeof resolveProgram>, name: string): string | undefined {
  if (r.k === 'missing') {
    if (name.includes('/')) return `exec: "${name}": stat ${name}: no such file or directory`;
    return `exec: "${name}": executable file not found in $PATH`;
  }
  if (r.k === 'noperm') return `exec: "${name}": permission denied`;
  return undefined;
}

// The container's main program, or an unsimulated server: it runs until stopped.
function* mainProgram(pe: ProcEnv, spec: ProcessSpec, fds: Fds, env: Record<string, string>, cwd: string, unsimulated: boolean): Gen<number> {
  if (unsimulated) {
    // A server the simulator does not model (nginx, redis-server...): it waits, and
    // exits cleanly on SIGTERM as servers do.
    if (pe.k.main) pe.k.main.signalHandler = () => 'die';
    for (;;) yield { k: 'block' };
  }
  return yield* runProgram(pe, spec.argv, fds, env, cwd, undefined, false, true);
}

export function advance(state: ProcessState, world: ShellWorld, until: number, limits: Partial<Limits> = {}): AdvanceResult {
  const L: Limits = { ...DEFAULT_LIMITS, ...limits };
  if (state.finished) return { output: [], reached: state.horizon, finished: state.finished, startError: state.startError };
  if (until <= state.horizon) return { output: [], reached: state.horizon, nextWakeAt: state.nextWakeAt, capped: !!state.capped };
  const spec = state.spec;
  const pid1 = spec.pid1 ?? true;
  if (state.capped) return advanceCapped(state, until, pid1);

  const prev = state.horizon;
  const cp = state.checkpoint;
  const k = new Kernel({
    world,
    limits: L,
    start: cp ? cp.at : state.startedAt,
    until,
    emitFrom: prev,
    journal: state.journal,
    signals: state.signals,
    seed: cp ? cp.kernel.rng : state.seed,
    nextPid: cp ? cp.kernel.nextPid : pid1 ? 2 : 11,
    pid1,
    cache: cp?.kernel.cache,
  });
  const profile = profileForImage(spec.image);
  const pe: ProcEnv = {
    k,
    profile,
    hostname: spec.hostname ?? 'localhost',
    startedAt: state.startedAt,
    pid1,
    user: spec.user ?? { uid: 0, gid: 0, name: 'root' },
    mainArgv: spec.argv,
    tty: spec.tty === true,
  };
  const env = envOf(spec);
  const cwd = spec.workingDir || '/';
  let gen: Gen<number>;
  let startError: string | undefined;
  if (cp) {
    const snap = cp.shell as ShellSnapshot;
    pe.pid1 = snap.pid1;
    const fds: Fds = new Map();
    for (const [n, d] of snap.fds ?? []) fds.set(n, fdFrom(k, n, d));
    const shell = new Shell({ pe, flavor: snap.flavor, arg0: snap.arg0, positional: [], env: {}, cwd: snap.cwd, fds, top: true, lineOffset: snap.lineOffset });
    shell.restore(snap);
    gen = shell.runScript(snap.src, cp.path as Frame[]);
    k.main = k.spawn(gen, snap.pid);
    k.main.signalHandler = (s) => shell.onSignal(s);
  } else {
    const fds: Fds = new Map();
    fds.set(0, stdinFd(spec));
    fds.set(1, new ProcOut(k, 'stdout'));
    fds.set(2, new ProcOut(k, 'stderr'));
    const name = spec.argv[0] ?? '';
    const r = resolveProgram(pe, name, cwd, env.PATH);
    const tool = (r.k === 'missing' || r.k === 'unsimulated') && k.hasTool(name.slice(name.lastIndexOf('/') + 1));
    startError = tool ? undefined : (startErrorText(r, name) ?? (spec.argv.length === 0 ? 'exec: no command' : undefined));
    if (startError) {
      state.startError = startError;
      state.finished = { exitCode: 128, at: state.startedAt };
      state.horizon = Math.max(prev, state.startedAt);
      state.journal = [];
      return { output: [], reached: state.horizon, finished: state.finished, startError };
    }
    gen = mainProgram(pe, spec, fds, env, cwd, r.k === 'unsimulated' && !tool);
    k.main = k.spawn(gen, pid1 ? 1 : 10);
  }

  let reached = until;
  let nextWakeAt: number | undefined;
  try {
    const stop = k.run();
    if (stop.k === 'finished') {
      state.finished = { exitCode: stop.exitCode, at: k.finished!.at };
      if (stop.signal) state.finished.signal = stop.signal;
    } else nextWakeAt = stop.nextWake;
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    reached = k.clock - 1;
    if (reached <= prev) return capProcess(state, k, prev, e.reason, L);
    nextWakeAt = reached + 1;
  }

  const output = k.output.filter((o) => o.at <= reached);
  state.horizon = state.finished ? Math.max(prev, Math.min(reached, state.finished.at)) : reached;
  state.nextWakeAt = state.finished ? undefined : nextWakeAt;
  state.lastSteps = k.steps;
  const served = k.serving;
  if (served && !served.killedBy && !served.task.done && !state.finished) state.served = { pid: served.pid, ppid: served.ppid, argv: served.argv, at: served.at };
  else delete state.served;
  const cand = k.checkpoint;
  if (state.finished) {
    state.journal = [];
    state.signals = [];
    delete state.checkpoint;
  } else if (cand && cand.at <= reached) {
    state.checkpoint = { at: cand.at, path: cand.data.path, shell: cand.data.shell, kernel: { nextPid: cand.nextPid, rng: cand.rng, cache: cand.cache } };
    state.journal = k.journal.rest(cand.journal);
    state.signals = state.signals.slice(cand.sigIdx);
  } else {
    state.journal = k.journal.entries;
  }
  const res: AdvanceResult = { output, reached: state.horizon };
  if (state.finished) res.finished = state.finished;
  if (state.nextWakeAt !== undefined) res.nextWakeAt = state.nextWakeAt;
  return res;
}

function advanceCapped(state: ProcessState, until: number, pid1: boolean): AdvanceResult {
  const cap = state.capped!;
  for (const s of state.signals) {
    if (s.at > until) break;
    const dies = s.sig === 'KILL' || (s.sig !== 'HUP' && (!pid1 || cap.trapsTerm));
    if (dies) {
      state.finished = { exitCode: s.sig === 'KILL' ? 137 : 143, at: s.at, signal: s.sig };
      state.horizon = s.at;
      state.journal = [];
      state.signals = [];
      delete state.checkpoint;
      return { output: [], reached: s.at, finished: state.finished, capped: true };
    }
  }
  state.horizon = until;
  return { output: [], reached: until, capped: true };
}

function capProcess(state: ProcessState, k: Kernel, prev: number, reason: string, L: Limits): AdvanceResult {
  const at = prev + 1;
  const snap = state.checkpoint?.shell as ShellSnapshot | undefined;
  state.capped = { at, reason, trapsTerm: !!snap?.traps.some(([s]) => s === 'TERM') };
  const budget = reason === 'steps' ? `${L.maxSteps} steps` : reason === 'journal' ? `${L.maxJournal} journal entries` : reason;
  const text = `kubemu: simulation budget exhausted (${budget}); the process keeps running without further output\n`;
  const output: OutputChunk[] = [{ at, stream: 'stderr', text }];
  state.horizon = at;
  state.journal = [];
  delete state.nextWakeAt;
  state.lastSteps = k.steps;
  return { output, reached: at, capped: true };
}

export interface RunResult {
  // undefined when the time bound was reached first (timedOut).
  exitCode?: number;
  stdout: string;
  stderr: string;
  output: OutputChunk[];
  timedOut: boolean;
  startError?: string;
  // Simulated duration until exit (or the bound).
  durationMs: number;
}

// Runs a program to its end or until `timeoutMs` of simulated time (kubectl exec, exec
// probes). The process is not PID 1. Side effects reach world.fs.
export function runToCompletion(
  argv: string[],
  world: ShellWorld,
  startAt: number,
  opts: Omit<ProcessSpec, 'argv'> & { timeoutMs?: number; limits?: Partial<Limits> } = {},
): RunResult {
  const { timeoutMs, limits, ...spec } = opts;
  const st = startProcess(argv, startAt, { pid1: false, ...spec });
  const bound = startAt + (timeoutMs ?? 3_600_000);
  const output: OutputChunk[] = [];
  let r = advance(st, world, bound, limits);
  output.push(...r.output);
  // A call that ran out of budget returns early: keep going while it progresses.
  for (let i = 0; i < 20 && !r.finished && !r.capped && r.reached < bound; i++) {
    r = advance(st, world, bound, limits);
    output.push(...r.output);
  }
  const join = (s: 'stdout' | 'stderr'): string =>
    output
      .filter((o) => o.stream === s)
      .map((o) => o.text)
      .join('');
  const res: RunResult = {
    stdout: join('stdout'),
    stderr: join('stderr'),
    output,
    timedOut: !r.finished,
    durationMs: (r.finished ? r.finished.at : bound) - startAt,
  };
  if (r.finished) res.exitCode = r.finished.exitCode;
  if (r.startError) res.startError = r.startError;
  return res;
}
