import type { Command } from '../../command';
import { CliError } from '../../errors';
import { SET_FLAGS, runSet } from './common';
import { parseLabelSelector } from '../../../api/selectors';

// kubectl set selector (-f FILE | TYPE NAME) EXPRESSIONS: replaces a
// Service's selector (other kinds' selectors are immutable in apps/v1).
export const command: Command = {
  flags: [...SET_FLAGS, { name: 'resource-version', kind: 'string' }],
  run(ctx) {
    const expr = ctx.args.length > 0 ? ctx.args[ctx.args.length - 1] : '';
    const resources = ctx.flags.list('filename').length > 0 ? [] : ctx.args.slice(0, -1);
    if (!expr) throw new CliError('error: one selector is required');
    let reqs;
    try {
      reqs = parseLabelSelector(expr);
    } catch (e) {
      throw new CliError(`error: ${(e as Error).message}`);
    }
    const labels: Record<string, string> = {};
    for (const r of reqs) {
      if (r.op !== '=' && r.op !== '==') throw new CliError('error: only equality selectors are supported for services');
      labels[r.key] = r.values[0];
    }
    return runSet(ctx, resources, 'selector updated', (obj) => {
      const spec = (obj.spec ??= {}) as { selector?: unknown };
      if (obj.kind === 'Service' || obj.kind === 'ReplicationController') spec.selector = labels;
      else spec.selector = { matchLabels: labels };
    });
  },
};
