import type { PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { Controller } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { PVC_PROTECTION } from '../api/admission';
import { withoutFinalizer } from './finalizers';

// pkg/controller/volume/pvcprotection: a claim being deleted keeps its
// kubernetes.io/pvc-protection finalizer (so `describe pvc` shows it
// Terminating) while a pod that has not finished still names it.

type PVC = PersistentVolumeClaim & KubeObject;

function claimsOf(pod: Pod): string[] {
  return (pod.spec?.volumes ?? []).flatMap((v) => {
    if (v.persistentVolumeClaim) return [v.persistentVolumeClaim.claimName];
    // A generic ephemeral volume's claim is named after the pod and the volume.
    if (v.ephemeral) return [`${pod.metadata?.name ?? ''}-${v.name}`];
    return [];
  });
}

function usedBy(pvc: PVC, pods: readonly KubeObject[]): boolean {
  return pods.some((p) => {
    const pod = p as Pod & KubeObject;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return false;
    return claimsOf(pod).includes(pvc.metadata.name ?? '');
  });
}

export const pvcProtectionController: Controller = {
  name: 'pvc-protection',
  primary: kind('PersistentVolumeClaim'),
  watches: [
    {
      kind: kind('Pod'),
      map: (pod) => claimsOf(pod as Pod).map((claim) => `${pod.metadata.namespace}/${claim}`),
    },
  ],
  reconcile(key, ctx) {
    const [namespace, name] = key.split('/');
    const pvc = ctx.api.peek(kind('PersistentVolumeClaim'), namespace, name) as PVC | undefined;
    if (!pvc?.metadata.deletionTimestamp || !(pvc.metadata.finalizers ?? []).includes(PVC_PROTECTION)) return;
    if (usedBy(pvc, ctx.api.peekList(kind('Pod'), { namespace }))) return;
    ctx.api.update(withoutFinalizer(pvc, PVC_PROTECTION));
  },
};
