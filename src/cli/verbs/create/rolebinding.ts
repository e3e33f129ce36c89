import { CliError } from '../../errors';
import { enforcedNamespace, generator, requireNonEmptyName } from './common';
import { BINDING_FLAGS, bindingSubjects } from './binding';

// kubectl create rolebinding NAME --clusterrole=NAME|--role=NAME [--user=username]
//   [--group=groupname] [--serviceaccount=namespace:serviceaccountname]
export const command = generator({
  flags: [...BINDING_FLAGS, { name: 'role', kind: 'string' }],
  errorPrefix: 'failed to create rolebinding: ',
  build(ctx, name) {
    requireNonEmptyName(name);
    const role = ctx.flags.str('role');
    const clusterRole = ctx.flags.str('clusterrole');
    if ((role === '') === (clusterRole === '')) throw new CliError('error: exactly one of clusterrole or role must be specified');
    return {
      kind: 'RoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name, namespace: enforcedNamespace(ctx) },
      subjects: bindingSubjects(ctx),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: role ? 'Role' : 'ClusterRole', name: role || clusterRole },
    };
  },
});
