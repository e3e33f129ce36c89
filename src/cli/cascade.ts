import type { CommandContext } from './command';
import type { PropagationPolicy } from '../api/server';
import { CliError } from './errors';

// --cascade as kubectl's GetCascadingStrategy reads it (delete, replace --force, run --rm).

const POLICIES: Record<string, PropagationPolicy> = { background: 'Background', true: 'Background', foreground: 'Foreground', orphan: 'Orphan' };

export function cascadePolicy(ctx: CommandContext): PropagationPolicy {
  const v = ctx.flags.str('cascade');
  if (v === 'false') {
    ctx.io.err('warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
    return 'Orphan';
  }
  const policy = POLICIES[v];
  if (!policy) throw new CliError(`error: invalid cascade value (${v}). Must be "background", "foreground", or "orphan"`);
  return policy;
}
