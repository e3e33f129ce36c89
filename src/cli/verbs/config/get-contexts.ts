import type { Command } from '../../command';
import { CliError } from '../../errors';
import { loadConfig } from './common';
import { tabwrite, TABLE_OPTIONS } from '../../../printers/tabwriter';

export const command: Command = {
  flags: [
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'no-headers', kind: 'bool' },
  ],
  run(ctx) {
    const kc = loadConfig(ctx);
    const output = ctx.flags.str('output');
    let contexts = kc.raw.contexts ?? [];
    if (ctx.args.length > 0) {
      const missing = ctx.args.find((a) => !contexts.some((c) => c.name === a));
      if (missing) throw new CliError(`error: context ${missing} not found`);
      contexts = contexts.filter((c) => ctx.args.includes(c.name));
    }
    if (output === 'name') {
      ctx.io.out(contexts.map((c) => `${c.name}\n`).join(''));
      return 0;
    }
    if (output) throw new CliError(`error: output must be one of '' or 'name'`);
    const lines = ctx.flags.bool('no-headers') ? [] : ['CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE'];
    for (const c of [...contexts].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      lines.push([c.name === kc.currentContext ? '*' : '', c.name, c.context.cluster ?? '', c.context.user ?? '', c.context.namespace ?? ''].join('\t'));
    }
    ctx.io.out(tabwrite(`${lines.join('\n')}\n`, TABLE_OPTIONS));
    return 0;
  },
};
