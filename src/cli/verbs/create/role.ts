import { CliError } from '../../errors';
import { enforcedNamespace, generator, requireNonEmptyName } from './common';
import { policyRules, roleOptions, validateResources, warnNonStandardVerbs } from './rbac';

// kubectl create role NAME --verb=verb --resource=resource.group/subresource [--resource-name=name]
export const command = generator({
  flags: [
    { name: 'verb', kind: 'stringSlice' },
    { name: 'resource', kind: 'stringSlice' },
    { name: 'resource-name', kind: 'stringArray' },
  ],
  build(ctx, name) {
    const o = roleOptions(ctx);
    requireNonEmptyName(name);
    if (o.verbs.length === 0) throw new CliError('error: at least one verb must be specified');
    warnNonStandardVerbs(ctx, o.verbs);
    if (o.resources.length === 0) throw new CliError('error: at least one resource must be specified');
    validateResources(ctx, o);
    return {
      kind: 'Role',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name, namespace: enforcedNamespace(ctx) },
      rules: policyRules(o, []),
    };
  },
});
