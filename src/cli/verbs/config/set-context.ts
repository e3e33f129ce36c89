import type { Command } from '../../command';
import { CliError } from '../../errors';
import { loadConfig, saveConfig } from './common';

// kubectl config set-context [NAME | --current] [--cluster=] [--user=] [--namespace=]
export const command: Command = {
  flags: [
    { name: 'current', kind: 'bool' },
    { name: 'cluster', kind: 'string' },
    { name: 'user', kind: 'string' },
    { name: 'namespace', kind: 'string' },
  ],
  run(ctx) {
    const kc = loadConfig(ctx);
    const current = ctx.flags.bool('current');
    if (current && ctx.args.length > 0) throw new CliError('error: you cannot specify a context name and --current');
    const name = current ? kc.currentContext : ctx.args[0];
    if (!name) throw new CliError(current ? 'error: no current context is set' : 'error: Unexpected args: []');
    const contexts = [...(kc.raw.contexts ?? [])];
    let entry = contexts.find((c) => c.name === name);
    const created = !entry;
    if (!entry) {
      entry = { name, context: {} };
      contexts.push(entry);
    }
    entry.context = { ...entry.context };
    for (const f of ['cluster', 'user', 'namespace'] as const) {
      if (ctx.flags.has(f)) entry.context[f] = ctx.flags.str(f);
    }
    saveConfig(ctx, { ...kc.raw, contexts });
    ctx.io.out(`Context "${name}" ${created ? 'created' : 'modified'}.\n`);
    return 0;
  },
};
