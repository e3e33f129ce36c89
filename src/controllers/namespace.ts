import type { Controller } from './types';
import { kind } from '../api/registry';
import { KINDS } from '../api/kinds';
import { StatusError } from '../api/errors';

// The namespace controller: a namespace being deleted loses its contents, then
// its `kubernetes` finalizer, then itself (pkg/controller/namespace).

export const namespaceController: Controller = {
  name: 'namespace',
  primary: kind('Namespace'),
  reconcile(key, ctx) {
    const { api } = ctx;
    const ns = api.peek(kind('Namespace'), undefined, key);
    if (!ns || !ns.metadata.deletionTimestamp) return;
    let remaining = 0;
    for (const info of KINDS) {
      if (!info.namespaced || (info.kind === 'Event' && info.group !== '')) continue;
      for (const obj of api.peekList(info, { namespace: key })) {
        remaining++;
        if (obj.metadata.deletionTimestamp) continue;
        try {
          api.delete(info, key, obj.metadata.name ?? '', { propagationPolicy: 'Background' });
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 404)) throw e;
        }
      }
    }
    if (remaining > 0) {
      ctx.requeueAfter(this.name, key, 1000);
      return;
    }
    const spec = (ns.spec ?? {}) as { finalizers?: string[] };
    if ((spec.finalizers ?? []).length > 0) {
      api.update({ ...api.get(kind('Namespace'), undefined, key), spec: { ...spec, finalizers: [] } });
    }
    const current = api.peek(kind('Namespace'), undefined, key);
    if (current && (current.metadata.finalizers ?? []).length === 0) api.remove(kind('Namespace'), current);
  },
};
