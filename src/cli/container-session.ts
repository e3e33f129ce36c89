import * as fs from 'node:fs';
import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { CommandContext } from './command';
import type { KubeObject } from '../api/types';
import type { ApiServer } from '../api/server';
import { badRequest } from '../api/errors';
import { CliError } from './errors';
import { defaultContainer, podsFor } from './verbs/logs';
import { readManifests } from './manifests';
import { runToCompletion } from '../sim/shell';
import type { OutputChunk, RunResult } from '../sim/shell';
import { containerEnv, containerWorld, processUser } from '../sim/kubelet/container-world';

// Running commands in a pod's container (kubectl exec, kubectl run -it): the
// command is interpreted by the simulated shell against the container's world
// (its files, environment, the cluster network); nothing runs on the host.
// Files it writes stay in the container.

type P = Pod & KubeObject;

// How long an exec'd command may run, in simulated time, before kubemu stops it.
export const EXEC_BOUND_MS = 60 * 60 * 1000;

interface Target {
  pod: P;
  container: Container;
}

// Which pod and container: POD, TYPE/NAME or -f, and -c.
export interface TargetArgs {
  pod?: string;
  filenames?: string[];
  container?: string;
  quiet?: boolean;
}

export function findTarget(api: ApiServer, ctx: CommandContext, args: TargetArgs, warn: (s: string) => void): Target {
  const namespace = ctx.namespace();
  let pod: P;
  const files = args.filenames ?? [];
  const podArg = args.pod;
  if (files.length > 0) {
    const obj = readManifests(files, false, () => ctx.readStdin())[0]?.object;
    if (!obj) throw new CliError('error: no objects passed to exec');
    pod = podsFor(api, `${obj.kind}`, obj.metadata?.name ?? '', obj.metadata?.namespace ?? namespace)[0];
  } else {
    const arg = podArg ?? '';
    const slash = arg.indexOf('/');
    pod = slash < 0 ? podsFor(api, 'pod', arg, namespace)[0] : podsFor(api, arg.slice(0, slash), arg.slice(slash + 1), namespace)[0];
  }
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`error: cannot exec into a container in a completed pod; current phase is ${phase}`);
  const wanted = args.container || defaultContainer(pod, args.quiet ? () => undefined : warn);
  const container = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []), ...((pod.spec?.ephemeralContainers ?? []) as Container[])].find((c) => c.name === wanted);
  if (!container) throw badRequest(`container ${wanted} is not valid for pod ${pod.metadata.name}`);
  const rt = api.world.state.runtime[pod.metadata.uid ?? ''];
  const running = rt?.containers.find((c) => c.name === wanted)?.phase === 'running';
  if (!rt || !running) throw new CliError(`error: unable to upgrade connection: container not found ("${wanted}")`);
  return { pod, container };
}

// A terminal's TERM goes after PATH and HOSTNAME, as the runtime sets it.
function withTerm(env: Record<string, string>, tty: boolean): Record<string, string> {
  if (!tty) return env;
  const { PATH, HOSTNAME, ...rest } = env;
  return { PATH, HOSTNAME, TERM: 'xterm', ...rest };
}

// Runs argv in the container, as of the cluster's now. The container's files
// change in the state (the session saves them).
export function runIn(api: ApiServer, t: Target, argv: string[], opts: { stdin?: string; tty: boolean; cwd?: string }): RunResult {
  const rt = api.world.state.runtime[t.pod.metadata.uid ?? ''];
  const started = rt.containers.find((c) => c.name === t.container.name)?.env;
  const env = started ? withTerm(started, opts.tty) : containerEnv(api, t.pod, t.container, opts.tty);
  const r = runToCompletion(argv, containerWorld(api, t.pod, t.container, rt, { tty: opts.tty }), api.now(), {
    env,
    hostname: t.pod.spec?.hostname ?? t.pod.metadata.name,
    image: t.container.image,
    workingDir: opts.cwd ?? t.container.workingDir,
    stdin: opts.stdin === undefined ? 'null' : { data: opts.stdin },
    timeoutMs: EXEC_BOUND_MS,
    tty: opts.tty,
    ...processUser(t.pod, t.container),
  });
  api.dirty = true;
  return r;
}

// A terminal attached to a container: the program's prompt, then each line
// run as it is entered.
function promptFor(argv: string[], image: string | undefined, hostname: string, cwd: string): string | undefined {
  const prog = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  if (prog === 'redis-cli') return '127.0.0.1:6379> ';
  if (prog === 'bash') return `root@${hostname}:${cwd}# `;
  // busyboxplus sets its own PS1.
  if ((prog === 'sh' || prog === 'ash') && /busyboxplus/.test(image ?? '')) return `[ root@${hostname}:${cwd} ]$ `;
  if (prog === 'sh' || prog === 'ash') return /busybox|alpine/.test(image ?? '') || !image ? `${cwd} # ` : '# ';
  return undefined;
}

function readLine(): string | null {
  const buf = Buffer.alloc(1);
  let line = '';
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(0, buf, 0, 1, null);
    } catch {
      return line === '' ? null : line;
    }
    if (n === 0) return line === '' ? null : line;
    const ch = buf.toString('utf8');
    if (ch === '\n') return line;
    line += ch;
  }
}

// `kubectl exec -it POD -- sh` on a terminal: a line at a time, each run as it
// is entered (the shell's working directory is kept; its variables are not).
// `exit` ends a shell; redis-cli's REPL ends on `exit` or `quit` too.
export function interactiveSession(ctx: CommandContext, target: TargetArgs, argv: string[]): number {
  const session = ctx.session();
  const prog = argv[0].slice(argv[0].lastIndexOf('/') + 1);
  const shell = argv.length === 1 && ['sh', 'bash', 'ash'].includes(prog);
  let cwd: string | undefined;
  let last = 0;
  for (;;) {
    const prompt = session.read((api) => {
      const t = findTarget(api, ctx, { ...target, quiet: true }, () => undefined);
      return promptFor(argv, t.container.image, t.pod.spec?.hostname ?? t.pod.metadata.name ?? '', cwd ?? t.container.workingDir ?? '/');
    });
    if (prompt) ctx.io.out(prompt);
    const line = readLine();
    if (line === null || (shell && line.trim() === 'exit') || (prog === 'redis-cli' && /^(exit|quit)$/i.test(line.trim()))) {
      if (line === null) ctx.io.out('\n');
      return last;
    }
    if (line.trim() === '') continue;
    const r = session.write((api) => {
      const t = findTarget(api, ctx, { ...target, quiet: true }, () => undefined);
      const cmd = shell ? [argv[0], '-c', `${line}\n__kubemu_rc=$?; printf '\\0%s' "$PWD"; exit $__kubemu_rc`] : argv;
      return runIn(api, t, cmd, { tty: true, stdin: shell ? undefined : `${line}\n`, cwd });
    });
    let out = r.output;
    if (shell) {
      const all = r.stdout;
      const nul = all.lastIndexOf('\0');
      if (nul >= 0) cwd = all.slice(nul + 1) || cwd;
      out = stripTrailer(out);
    }
    for (const o of out) ctx.io.out(o.text);
    last = r.exitCode ?? 0;
  }
}

// Removes the working-directory trailer the interactive loop appends.
function stripTrailer(output: OutputChunk[]): OutputChunk[] {
  const out = output.map((o) => ({ ...o }));
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i].stream !== 'stdout') continue;
    const nul = out[i].text.lastIndexOf('\0');
    if (nul >= 0) {
      out[i].text = out[i].text.slice(0, nul);
      break;
    }
  }
  return out.filter((o) => o.text !== '');
}

