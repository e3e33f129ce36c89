import type { Command } from '../../command';
import { CliError } from '../../errors';
import { loadConfig, saveConfig } from './common';

export const command: Command = {
  run(ctx) {
    if (ctx.args.length !== 1) throw new CliError(`error: Unexpected args: [${ctx.args.join(' ')}]`);
    const name = ctx.args[0];
    const kc = loadConfig(ctx);
    if (!(kc.raw.contexts ?? []).some((c) => c.name === name)) throw new CliError(`error: no context exists with the name: "${name}"`);
    saveConfig(ctx, { ...kc.raw, 'current-context': name });
    ctx.io.out(`Switched to context "${name}".\n`);
    return 0;
  },
};
