import type { Command } from '../command';
import { KINDS, apiVersionOf } from '../../api/kinds';
import type { KindInfo } from '../../api/kinds';
import { CliError } from '../errors';
import { tabwrite, TABLE_OPTIONS } from '../../printers/tabwriter';
import { parseBool } from '../flags';

// kubectl api-resources: the discovery table, sorted by group then name.

export const command: Command = {
  flags: [
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'namespaced', kind: 'string', default: 'true', noOptDefVal: 'true' },
    { name: 'api-group', kind: 'string' },
    { name: 'no-headers', kind: 'bool' },
    { name: 'sort-by', kind: 'string' },
    { name: 'verbs', kind: 'stringSlice' },
    { name: 'categories', kind: 'stringSlice' },
    { name: 'cached', kind: 'bool' },
  ],
  run(ctx) {
    const flags = ctx.flags;
    const output = flags.str('output');
    if (output && output !== 'wide' && output !== 'name') {
      throw new CliError(`error: --output ${output} is not available`);
    }
    const sortBy = flags.str('sort-by');
    if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new CliError(`error: --sort-by accepts only name or kind`);
    ctx.session().ensureCluster();
    let list: KindInfo[] = KINDS.filter((k) => !(k.kind === 'HorizontalPodAutoscaler' && false));
    if (flags.has('namespaced')) {
      const ns = parseBool(flags.str('namespaced'));
      list = list.filter((k) => k.namespaced === ns);
    }
    if (flags.has('api-group')) list = list.filter((k) => k.group === flags.str('api-group'));
    const verbs = flags.list('verbs');
    if (verbs.length) list = list.filter((k) => verbs.every((v) => k.verbs.includes(v)));
    const cats = flags.list('categories');
    if (cats.length) list = list.filter((k) => cats.every((c) => k.categories.includes(c)));
    list.sort((a, b) => {
      if (sortBy === 'name') return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
      if (sortBy === 'kind') return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
      if (a.group !== b.group) return a.group < b.group ? -1 : 1;
      return a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0;
    });
    if (output === 'name') {
      ctx.io.out(list.map((k) => `${k.group ? `${k.resource}.${k.group}` : k.resource}\n`).join(''));
      return 0;
    }
    const wide = output === 'wide';
    const lines: string[] = [];
    if (!flags.bool('no-headers')) {
      lines.push(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t'));
    }
    for (const k of list) {
      const row = [k.resource, k.shortNames.join(','), apiVersionOf(k), String(k.namespaced), k.kind];
      if (wide) row.push(`[${k.verbs.join(' ')}]`, k.categories.join(','));
      lines.push(row.join('\t'));
    }
    ctx.io.out(tabwrite(`${lines.join('\n')}\n`, TABLE_OPTIONS));
    return 0;
  },
};
