import type { Command, CommandContext } from '../command';
import { CliError } from '../errors';
import { attachContainer } from '../attach-session';
import { defaultContainer, podsFor } from './logs';

// kubectl attach: to the process a running container already runs
// (attach-session.ts), POD or TYPE/NAME, -c or the default container.

const FLAGS = [
  { name: 'container', short: 'c', kind: 'string' as const },
  { name: 'stdin', short: 'i', kind: 'bool' as const },
  { name: 'tty', short: 't', kind: 'bool' as const },
  { name: 'quiet', short: 'q', kind: 'bool' as const },
  { name: 'pod-running-timeout', kind: 'duration' as const, default: 60000 },
];

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const flags = ctx.flags;
    if (ctx.args.length === 0) throw new CliError('error: at least 1 argument is required for attach');
    if (ctx.args.length > 2) throw new CliError(`error: expected POD, TYPE/NAME, or TYPE NAME, (at most 2 arguments) saw ${ctx.args.length}: ${JSON.stringify(ctx.args)}`);
    const namespace = ctx.namespace();
    const [first, second] = ctx.args;
    const slash = first.indexOf('/');
    const [typed, name] = second !== undefined ? [first, second] : slash < 0 ? ['pod', first] : [first.slice(0, slash), first.slice(slash + 1)];
    const quiet = flags.bool('quiet');
    const { pod, container } = ctx.session().read((api) => {
      const p = podsFor(api, typed, name, namespace)[0];
      return { pod: p.metadata.name ?? '', container: flags.str('container') || defaultContainer(p, quiet ? () => undefined : (s) => ctx.io.err(s)) };
    });
    return attachContainer(ctx, { namespace, pod, container, stdin: flags.bool('stdin'), tty: flags.bool('tty'), quiet, followMs: flags.duration('pod-running-timeout') });
  },
};
