import { CliError } from '../../errors';
import { QuantityParseError, formatQuantity } from '../../../util/quantity';
import { enforcedNamespace, generator, requireNonEmptyName } from './common';

// kubectl create quota NAME [--hard=key1=value1,key2=value2] [--scopes=Scope1,Scope2]

// populateResourceListV1: `resource=quantity` pairs, quantities in canonical form.
function resourceList(spec: string): Record<string, string> | undefined {
  if (spec === '') return undefined;
  const out: Record<string, string> = {};
  for (const statement of spec.split(',')) {
    const parts = statement.split('=');
    if (parts.length !== 2) throw new CliError(`error: Invalid argument syntax ${statement}, expected <resource>=<value>`);
    try {
      out[parts[0]] = formatQuantity(parts[1]);
    } catch (e) {
      if (e instanceof QuantityParseError) throw new CliError(`error: ${e.message}`);
      throw e;
    }
  }
  return out;
}

function scopes(spec: string): string[] | undefined {
  if (spec === '') return undefined;
  const out = spec.split(',');
  if (out.includes('')) throw new CliError('error: invalid resource quota scope ""');
  return out;
}

export const command = generator({
  flags: [
    { name: 'hard', kind: 'string' },
    { name: 'scopes', kind: 'string' },
  ],
  errorPrefix: 'failed to create quota: ',
  build(ctx, name) {
    requireNonEmptyName(name);
    return {
      kind: 'ResourceQuota',
      apiVersion: 'v1',
      metadata: { name, namespace: enforcedNamespace(ctx) },
      spec: { hard: resourceList(ctx.flags.str('hard')), scopes: scopes(ctx.flags.str('scopes')) },
    };
  },
});
