import type { Controller } from './types';
import { kind } from '../api/registry';

// The root CA publisher: every namespace gets ConfigMap kube-root-ca.crt with
// the cluster's CA, copied from kube-system's (pkg/controller/certificates/rootcacertpublisher).
export const rootCAController: Controller = {
  name: 'root-ca-cert-publisher',
  primary: kind('Namespace'),
  watches: [
    {
      kind: kind('ConfigMap'),
      map: (cm, _api, type) =>
        type === 'DELETED' && cm.metadata.name === 'kube-root-ca.crt' ? [cm.metadata.namespace ?? ''] : [],
    },
  ],
  reconcile(key, { api }) {
    const ns = api.peek(kind('Namespace'), undefined, key);
    if (!ns || ns.metadata.deletionTimestamp) return;
    if (api.peek(kind('ConfigMap'), key, 'kube-root-ca.crt')) return;
    const source = api.peek(kind('ConfigMap'), 'kube-system', 'kube-root-ca.crt');
    const ca = (source?.data as Record<string, string> | undefined)?.['ca.crt'];
    if (!ca) return;
    api.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace: key,
        annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' },
      },
      data: { 'ca.crt': ca },
    });
  },
};
