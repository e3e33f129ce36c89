import { generator } from './common';
import { BINDING_FLAGS, bindingSubjects } from './binding';

// kubectl create clusterrolebinding NAME --clusterrole=NAME [--user=username]
//   [--group=groupname] [--serviceaccount=namespace:serviceaccountname]
export const command = generator({
  flags: BINDING_FLAGS,
  required: ['clusterrole'],
  errorPrefix: 'failed to create clusterrolebinding: ',
  build(ctx, name) {
    return {
      kind: 'ClusterRoleBinding',
      apiVersion: 'rbac.authorization.k8s.io/v1',
      metadata: { name },
      subjects: bindingSubjects(ctx),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ctx.flags.str('clusterrole') },
    };
  },
});
