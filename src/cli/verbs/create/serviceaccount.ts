import { enforcedNamespace, generator, requireNonEmptyName } from './common';

// kubectl create serviceaccount NAME
export const command = generator({
  flags: [],
  errorPrefix: 'failed to create serviceaccount: ',
  build(ctx, name) {
    requireNonEmptyName(name);
    return { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, namespace: enforcedNamespace(ctx) } };
  },
});
