import type { Command, CommandContext } from '../command';
import { CliError, ExitError } from '../errors';
import type { OutputChunk, RunResult } from '../../sim/shell';
import { sleepHost } from '../waiting';
import { EXEC_BOUND_MS, findTarget, interactiveSession, runIn } from '../container-session';

// kubectl exec: runs a command in a running container (see container-session.ts).

const FLAGS = [
  { name: 'container', short: 'c', kind: 'string' as const },
  { name: 'filename', short: 'f', kind: 'stringArray' as const },
  { name: 'stdin', short: 'i', kind: 'bool' as const },
  { name: 'tty', short: 't', kind: 'bool' as const },
  { name: 'quiet', short: 'q', kind: 'bool' as const },
  { name: 'pod-running-timeout', kind: 'duration' as const, default: 60000 },
];

// Prints a run's output; on a real-time clock, at the pace it was produced.
function emit(ctx: CommandContext, output: OutputChunk[], start: number, speed: number | undefined, tty: boolean): void {
  let shown = start;
  for (const o of output) {
    if (speed !== undefined && o.at > shown) {
      sleepHost((o.at - shown) / speed);
      shown = o.at;
    }
    if (o.stream === 'stdout' || tty) ctx.io.out(o.text);
    else ctx.io.err(o.text);
  }
}

function finish(ctx: CommandContext, r: RunResult): number {
  if (r.startError) {
    // What Docker answers when the command cannot be started.
    ctx.io.out(`OCI runtime exec failed: exec failed: unable to start container process: ${r.startError}: unknown\r\n`);
    ctx.io.err('command terminated with exit code 126\n');
    return 126;
  }
  if (r.timedOut) {
    ctx.io.err(`kubemu: the command was still running after ${EXEC_BOUND_MS / 60000} minutes of simulated time and was stopped\n`);
    ctx.io.err('command terminated with exit code 137\n');
    return 137;
  }
  const code = r.exitCode ?? 0;
  if (code !== 0) ctx.io.err(`command terminated with exit code ${code}\n`);
  return code;
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const dash = ctx.argsLenAtDash;
    const before = dash < 0 ? ctx.args : ctx.args.slice(0, dash);
    const argv = dash < 0 ? [] : ctx.args.slice(dash);
    if (before.length === 0 && ctx.flags.list('filename').length === 0) throw new CliError('error: pod, type/name or --filename must be specified');
    if (dash < 0 && before.length > 1) {
      throw new CliError("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples");
    }
    if (argv.length === 0) throw new CliError('error: you must specify at least one command for the container');
    const podArg = before[0];
    const wantStdin = ctx.flags.bool('stdin');
    let tty = wantStdin && ctx.flags.bool('tty');
    if (tty && !process.stdin.isTTY) {
      tty = false;
      if (!ctx.flags.bool('quiet')) ctx.io.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    }
    const session = ctx.session();
    const target = { pod: podArg, filenames: ctx.flags.list('filename'), container: ctx.flags.str('container'), quiet: ctx.flags.bool('quiet') };
    if (tty) return interactiveSession(ctx, target, argv);
    const stdin = wantStdin ? ctx.readStdin() : undefined;
    const warn = (s: string) => ctx.io.err(s);
    const { r, start, speed } = session.write((api) => {
      const t = findTarget(api, ctx, target, warn);
      const clock = api.world.state.clock;
      return { r: runIn(api, t, argv, { stdin, tty: false }), start: api.now(), speed: clock.mode === 'manual' ? undefined : clock.speed };
    });
    emit(ctx, r.output, start, speed, false);
    const code = finish(ctx, r);
    if (code !== 0) throw new ExitError(code);
    return 0;
  },
};
