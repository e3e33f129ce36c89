import type { Controller } from './types';
import { kind } from '../api/registry';

// Every active namespace has a `default` ServiceAccount (pkg/controller/serviceaccount).
export const serviceAccountController: Controller = {
  name: 'serviceaccount',
  primary: kind('Namespace'),
  watches: [
    {
      kind: kind('ServiceAccount'),
      map: (sa, _api, type) => (type === 'DELETED' && sa.metadata.name === 'default' ? [sa.metadata.namespace ?? ''] : []),
    },
  ],
  reconcile(key, { api }) {
    const ns = api.peek(kind('Namespace'), undefined, key);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if (api.peek(kind('ServiceAccount'), key, 'default')) return;
    api.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: key } });
  },
};
