import { CliError } from '../../errors';
import { FlagError } from '../../flags';
import { generator, requireNonEmptyName } from './common';
import { policyRules, roleOptions, unique, validateResources, warnNonStandardVerbs } from './rbac';

// kubectl create clusterrole NAME --verb=verb --resource=resource.group [--resource-name=name]
//   [--non-resource-url=/path] [--aggregation-rule=key=value,...]

const NON_RESOURCE_VERBS = ['*', 'get', 'post', 'put', 'delete', 'patch', 'head', 'options'];

// cliflag.MapStringString: `k=v` pairs, comma separated, over repeated flags.
function aggregationRule(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    for (const pair of value.split(',')) {
      const eq = pair.indexOf('=');
      if (eq < 0) throw new FlagError(`invalid argument "${value}" for "--aggregation-rule" flag: malformed pair, expect string=string`);
      out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
    }
  }
  return out;
}

export const command = generator({
  flags: [
    { name: 'verb', kind: 'stringSlice' },
    { name: 'non-resource-url', kind: 'stringSlice' },
    { name: 'resource', kind: 'stringSlice' },
    { name: 'resource-name', kind: 'stringArray' },
    { name: 'aggregation-rule', kind: 'stringArray' },
  ],
  build(ctx, name) {
    const selector = aggregationRule(ctx.flags.list('aggregation-rule'));
    const urls = unique(ctx.flags.list('non-resource-url'));
    const o = roleOptions(ctx);
    requireNonEmptyName(name);
    const base = { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name } };
    if (Object.keys(selector).length > 0) {
      if (urls.length > 0 || o.verbs.length > 0 || o.resources.length > 0 || o.resourceNames.length > 0) {
        throw new CliError('error: aggregation rule must be specified without nonResourceURLs, verbs, resources or resourceNames');
      }
      return { ...base, aggregationRule: { clusterRoleSelectors: [{ matchLabels: selector }] } };
    }
    if (o.verbs.length === 0) throw new CliError('error: at least one verb must be specified');
    if (o.resources.length === 0 && urls.length === 0) throw new CliError('error: one of resource or nonResourceURL must be specified');
    if (o.resources.length > 0) {
      warnNonStandardVerbs(ctx, o.verbs);
      validateResources(ctx, o);
    }
    if (urls.length > 0) {
      for (const v of o.verbs) if (!NON_RESOURCE_VERBS.includes(v)) throw new CliError(`error: invalid verb: '${v}' for nonResourceURL`);
      for (const url of urls) {
        if (url === '*') continue;
        if (!url.startsWith('/')) throw new CliError('error: nonResourceURL should start with /');
        if (url.slice(0, -1).includes('*')) throw new CliError("error: nonResourceURL only supports wildcard matches when '*' is at the end");
      }
    }
    return { ...base, rules: policyRules(o, urls) };
  },
});
