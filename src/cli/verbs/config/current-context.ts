import type { Command } from '../../command';
import { CliError } from '../../errors';
import { loadConfig } from './common';

export const command: Command = {
  run(ctx) {
    const kc = loadConfig(ctx);
    if (!kc.currentContext) throw new CliError('error: current-context is not set');
    ctx.io.out(`${kc.currentContext}\n`);
    return 0;
  },
};
