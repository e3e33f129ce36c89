import type { Command, CommandContext } from '../command';
import type { ApiServer } from '../../api/server';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, dryRunSuffix, parseDryRun } from '../output';
import { parseLabelSelector } from '../../api/selectors';
import { clone } from '../../util/json';
import { klogWarning } from '../klog';

// cordon and uncordon (and drain's first step): spec.unschedulable, with
// kubectl's `already cordoned` messages.

export function nodesFor(ctx: CommandContext, api: ApiServer): KubeObject[] {
  const selector = ctx.flags.str('selector');
  if (selector) return api.list(kind('Node'), { labelSelector: parseLabelSelector(selector) });
  if (ctx.args.length === 0) throw new CliError(`error: USAGE: ${ctx.path[0]} NODE [flags]\nSee 'kubectl ${ctx.path[0]} -h' for help and examples`);
  return ctx.args.map((n) => api.get(kind('Node'), undefined, n));
}

// Sets spec.unschedulable; returns the line kubectl prints.
export function setSchedulable(api: ApiServer, node: KubeObject, cordon: boolean, dryRun: 'none' | 'client' | 'server'): string {
  const name = `node/${node.metadata.name}`;
  const current = (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
  if (current === cordon) return `${name} already ${cordon ? 'cordoned' : 'uncordoned'}${dryRunSuffix(dryRun)}\n`;
  if (dryRun !== 'client') {
    const next = clone(node);
    const spec = (next.spec ??= {}) as { unschedulable?: boolean };
    if (cordon) spec.unschedulable = true;
    else delete spec.unschedulable;
    api.update(next, { dryRun: dryRun === 'server' });
  }
  return `${name} ${cordon ? 'cordoned' : 'uncordoned'}${dryRunSuffix(dryRun)}\n`;
}

export function cordonCommand(cordon: boolean): Command {
  return {
    flags: [DRY_RUN_FLAG, { name: 'selector', short: 'l', kind: 'string' }],
    run(ctx) {
      const dryRun = parseDryRun(ctx.flags, (s) => ctx.io.err(klogWarning(s)));
      const lines = ctx.session().write((api) => nodesFor(ctx, api).map((n) => setSchedulable(api, n, cordon, dryRun)));
      ctx.io.out(lines.join(''));
      return 0;
    },
  };
}
