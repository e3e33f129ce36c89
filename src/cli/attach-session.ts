import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { CommandContext } from './command';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { CliError } from './errors';
import { findTarget, interactiveSession, runIn } from './container-session';
import { logFile } from '../sim/kubelet/logs';
import { endAttachedProgram } from '../sim/kubelet/run';
import { wakeAt } from '../reconciler/reconciler';
import { readLog, statusOf } from './verbs/logs';
import { waitFor } from './waiting';

// Attaching to the process a container already runs (kubectl attach, and
// kubectl debug once its container is up). A terminal talks to it line by
// line; piped input is what that process reads, after which a shell ends as
// it would at end of input; without -i the output written from now on is
// shown until the container stops.

type P = Pod & KubeObject;

export interface AttachRequest {
  namespace: string;
  pod: string;
  container: string;
  stdin: boolean;
  tty: boolean;
  quiet: boolean;
  // How long, in simulated time, to follow output without -i (kubectl would wait forever).
  followMs: number;
}

// The command line the container runs: its command and args, else the image's shell.
function argvOf(c: Container): string[] {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  return argv.length > 0 ? argv : ['sh'];
}

function peekPod(ctx: CommandContext, req: AttachRequest): P | undefined {
  return ctx.session().read((api) => api.peek(kind('Pod'), req.namespace, req.pod) as P | undefined);
}

export function attachContainer(ctx: CommandContext, req: AttachRequest): number {
  const terminal = req.stdin && req.tty && process.stdin.isTTY === true;
  if (!req.quiet && req.stdin && req.tty && !terminal) ctx.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
  if (!req.quiet && req.stdin) ctx.io.err("If you don't see a command prompt, try pressing enter.\n");
  const target = { pod: `pod/${req.pod}`, container: req.container, quiet: true };
  const container = ctx.session().read((api) => findTarget(api, ctx, target, () => undefined).container);
  const argv = argvOf(container);
  if (terminal) return endProgram(ctx, req, interactiveSession(ctx, target, argv));
  if (req.stdin) {
    const input = ctx.readStdin();
    const r = ctx.session().write((api) => runIn(api, findTarget(api, ctx, target, () => undefined), argv, { stdin: input, tty: req.tty }));
    for (const o of r.output) (o.stream === 'stderr' && !req.tty ? ctx.io.err : ctx.io.out)(o.text);
    return endProgram(ctx, req, r.exitCode ?? 0);
  }
  followOutput(ctx, req);
  return 0;
}

// The attached program read all its input: a shell exits with its last status.
function endProgram(ctx: CommandContext, req: AttachRequest, code: number): number {
  ctx.session().write((api) => {
    const pod = api.peek(kind('Pod'), req.namespace, req.pod);
    const c = pod ? api.world.state.runtime[pod.metadata.uid ?? '']?.containers.find((x) => x.name === req.container) : undefined;
    if (c) endAttachedProgram(c, api.now(), code);
    wakeAt(api, 'kubelet', `${req.namespace}/${req.pod}`, api.now());
  });
  return code;
}

function followOutput(ctx: CommandContext, req: AttachRequest): void {
  const home = ctx.session().home;
  const start = peekPod(ctx, req);
  if (!start) throw new CliError(`error: pods "${req.pod}" not found`);
  const restart = statusOf(start, req.container)?.restartCount ?? 0;
  let seen = readLog(logFile(home, start, req.container, restart)).length;
  waitFor(
    ctx.session(),
    (api) => {
      const pod = api.peek(kind('Pod'), req.namespace, req.pod) as P | undefined;
      if (!pod) return true;
      const lines = readLog(logFile(home, pod, req.container, restart));
      for (const l of lines.slice(seen)) ctx.io.out(`${l.text}\n`);
      seen = lines.length;
      const st = statusOf(pod, req.container);
      return !st?.state?.running || (st.restartCount ?? 0) !== restart ? true : undefined;
    },
    { timeoutMs: req.followMs },
  );
}

// A container's whole log, as `kubectl logs` prints it.
export function printLog(ctx: CommandContext, pod: P, container: string): void {
  const restart = statusOf(pod, container)?.restartCount ?? 0;
  for (const l of readLog(logFile(ctx.session().home, pod, container, restart))) ctx.io.out(`${l.text}\n`);
}
