import type { Taint } from 'kubernetes-types/core/v1';
import type { Command } from '../command';
import { kind } from '../../api/registry';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, dryRunSuffix, parseDryRun } from '../output';
import { clone } from '../../util/json';
import { nodesFor } from './node-schedulability';
import { klogWarning } from '../klog';

// kubectl taint nodes NODE key=value:Effect, key:Effect-, key-

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

interface Change {
  remove: boolean;
  taint: Taint;
}

function parseTaint(spec: string): Change {
  const remove = spec.endsWith('-');
  const body = remove ? spec.slice(0, -1) : spec;
  const [kv, effect] = body.split(':');
  const [key, value] = kv.split('=');
  if (!key || (!remove && !effect) || (effect && !EFFECTS.includes(effect))) {
    throw new CliError(`error: invalid taint spec: ${spec}, unsupported taint effect${effect ? ` ${effect}` : ''}`);
  }
  const taint: Taint = { key, effect: effect ?? '' };
  if (value !== undefined) taint.value = value;
  return { remove, taint };
}

export const command: Command = {
  flags: [DRY_RUN_FLAG, { name: 'selector', short: 'l', kind: 'string' }, { name: 'all', kind: 'bool' }, { name: 'overwrite', kind: 'bool' }],
  run(ctx) {
    const dryRun = parseDryRun(ctx.flags, (s) => ctx.io.err(klogWarning(s)));
    const [type, ...rest] = ctx.args;
    if (!type || !['node', 'nodes', 'no'].includes(type)) throw new CliError(`error: invalid resource type ${type ?? ''}, only nodes are supported`);
    const specs = rest.filter((a) => a.includes(':') || a.endsWith('-') || a.includes('='));
    const names = rest.filter((a) => !specs.includes(a));
    if (specs.length === 0) throw new CliError('error: at least one taint update is required');
    const changes = specs.map(parseTaint);
    const lines = ctx.session().write((api) => {
      const sub = { ...ctx, args: names } as typeof ctx;
      const nodes = ctx.flags.bool('all') ? api.list(kind('Node')) : nodesFor(sub, api);
      return nodes.map((node) => {
        const next = clone(node);
        const spec = (next.spec ??= {}) as { taints?: Taint[] };
        let taints = [...(spec.taints ?? [])];
        let removed = false;
        for (const c of changes) {
          const same = (t: Taint) => t.key === c.taint.key && (!c.taint.effect || t.effect === c.taint.effect);
          if (c.remove) {
            if (!taints.some(same)) throw new CliError(`error: taint "${c.taint.key}${c.taint.effect ? `:${c.taint.effect}` : ''}" not found`);
            taints = taints.filter((t) => !same(t));
            removed = true;
          } else {
            const existing = taints.findIndex(same);
            if (existing >= 0 && !ctx.flags.bool('overwrite')) {
              throw new CliError(`error: node ${node.metadata.name} already has ${c.taint.key} taint(s) with same effect(s) and --overwrite is false`);
            }
            if (existing >= 0) taints[existing] = c.taint;
            else taints.push(c.taint);
          }
        }
        if (taints.length > 0) spec.taints = taints;
        else delete spec.taints;
        if (dryRun !== 'client') api.update(next, { dryRun: dryRun === 'server' });
        return `node/${node.metadata.name} ${removed && changes.every((c) => c.remove) ? 'untainted' : 'tainted'}${dryRunSuffix(dryRun)}\n`;
      });
    });
    ctx.io.out(lines.join(''));
    return 0;
  },
};
