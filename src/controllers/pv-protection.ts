import type { PersistentVolume } from 'kubernetes-types/core/v1';
import type { Controller } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { PV_PROTECTION } from '../api/admission';
import { withoutFinalizer } from './finalizers';

// pkg/controller/volume/pvprotection: a volume being deleted keeps its
// kubernetes.io/pv-protection finalizer while it is Bound to a claim.

type PV = PersistentVolume & KubeObject;

export const pvProtectionController: Controller = {
  name: 'pv-protection',
  primary: kind('PersistentVolume'),
  reconcile(key, ctx) {
    const pv = ctx.api.peek(kind('PersistentVolume'), undefined, key) as PV | undefined;
    if (!pv?.metadata.deletionTimestamp || !(pv.metadata.finalizers ?? []).includes(PV_PROTECTION)) return;
    if (pv.status?.phase === 'Bound') return;
    ctx.api.update(withoutFinalizer(pv, PV_PROTECTION));
  },
};
