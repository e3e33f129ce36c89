import type { Command } from '../../command';
import { loadConfig } from './common';
import { toYaml } from '../../../printers/yaml';
import { toJson } from '../../../printers/json';
import { clone, isObject } from '../../../util/json';
import type { Json } from '../../../util/json';
import type { KubeconfigDoc } from '../../../cluster/kubeconfig';
import { CliError } from '../../errors';

// kubectl config view: the kubeconfig with secrets redacted (unless --raw);
// --minify keeps only what the current context uses.

function redact(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redact);
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k.endsWith('-data')) out[k] = 'DATA+OMITTED';
    else if (k === 'token' || k === 'password') out[k] = 'REDACTED';
    else out[k] = redact(x);
  }
  return out;
}

export const command: Command = {
  flags: [
    { name: 'minify', kind: 'bool' },
    { name: 'raw', kind: 'bool' },
    { name: 'flatten', kind: 'bool' },
    { name: 'merge', kind: 'string', default: 'true', noOptDefVal: 'true' },
    { name: 'output', short: 'o', kind: 'string', default: 'yaml' },
  ],
  run(ctx) {
    const kc = loadConfig(ctx);
    let doc: KubeconfigDoc = clone(kc.raw);
    if (ctx.flags.bool('minify')) {
      const c = doc.contexts?.find((x) => x.name === kc.currentContext);
      if (!c) throw new CliError('error: current-context must exist in order to minify');
      doc = {
        ...doc,
        contexts: [c],
        clusters: (doc.clusters ?? []).filter((x) => x.name === c.context.cluster),
        users: (doc.users ?? []).filter((x) => x.name === c.context.user),
      };
    }
    const out = ctx.flags.bool('raw') || ctx.flags.bool('flatten') ? doc : (redact(doc) as KubeconfigDoc);
    const format = ctx.flags.str('output');
    ctx.io.out(format === 'json' ? toJson(out as unknown as Json, { sortKeys: true }) : toYaml(out as unknown as Json));
    return 0;
  },
};
