import type { Command } from '../../command';
import { CliError } from '../../errors';
import { SET_FLAGS, podSpecOf, runSet } from './common';
import { parseQuantity } from '../../../util/quantity';

// kubectl set resources TYPE NAME --limits=cpu=200m,memory=512Mi --requests=... [-c container]

function parseList(text: string, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!text) return out;
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    const value = pair.slice(eq + 1);
    if (eq <= 0 || parseQuantity(value) === undefined) throw new CliError(`error: invalid ${flag} value: ${pair}`);
    out[pair.slice(0, eq)] = value;
  }
  return out;
}

export const command: Command = {
  flags: [
    ...SET_FLAGS,
    { name: 'containers', short: 'c', kind: 'string', default: '*' },
    { name: 'limits', kind: 'string' },
    { name: 'requests', kind: 'string' },
  ],
  run(ctx) {
    const limits = parseList(ctx.flags.str('limits'), 'limits');
    const requests = parseList(ctx.flags.str('requests'), 'requests');
    if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) {
      throw new CliError('error: you must specify an update to requests or limits (in the form of --requests/--limits)');
    }
    const pattern = ctx.flags.str('containers');
    return runSet(ctx, ctx.args, 'resource requirements updated', (obj) => {
      const spec = podSpecOf(obj);
      const containers = [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])].filter((c) => pattern === '*' || c.name === pattern);
      if (containers.length === 0) throw new CliError(`error: unable to find container named ${pattern}`);
      for (const c of containers) {
        c.resources ??= {};
        if (Object.keys(limits).length) c.resources.limits = { ...(c.resources.limits ?? {}), ...limits };
        if (Object.keys(requests).length) c.resources.requests = { ...(c.resources.requests ?? {}), ...requests };
      }
    });
  },
};
