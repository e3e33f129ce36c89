import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { Controller, ControllerContext } from './types';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { clone } from '../util/json';
import { parseQuantity } from '../util/quantity';
import { keyOf } from '../reconciler/reconciler';

// Persistent volumes: the PV binder (pkg/controller/volume/persistentvolume)
// binds claims to matching volumes, and minikube's storage-provisioner
// (k8s.io/minikube-hostpath) makes a hostPath volume for a claim of its class.
// A released volume is deleted or kept as its reclaim policy says.

type PVC = PersistentVolumeClaim & KubeObject;
type PV = PersistentVolume & KubeObject;

const PROVISIONER = 'k8s.io/minikube-hostpath';
const BINDER = { component: 'persistentvolume-controller' };

function storageOf(v: { storage?: string | number } | undefined): number {
  return parseQuantity(String(v?.storage ?? '0')) ?? 0;
}

// The claim's class: the old beta annotation wins over the field, as in
// storageutil.GetPersistentVolumeClaimClass.
export function claimClass(pvc: PersistentVolumeClaim): string {
  return pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
}

function fits(pv: PV, pvc: PVC): boolean {
  if (pv.spec?.claimRef || pv.status?.phase !== 'Available') return false;
  if ((pv.spec?.storageClassName ?? '') !== claimClass(pvc)) return false;
  if (storageOf(pv.spec?.capacity) < storageOf(pvc.spec?.resources?.requests)) return false;
  return (pvc.spec?.accessModes ?? []).every((m) => (pv.spec?.accessModes ?? []).includes(m));
}

function bind(ctx: ControllerContext, pvc: PVC, pv: PV, byController: boolean): void {
  const nextPv = clone(pv);
  nextPv.spec = {
    ...nextPv.spec,
    claimRef: {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      name: pvc.metadata.name,
      namespace: pvc.metadata.namespace,
      resourceVersion: pvc.metadata.resourceVersion,
      uid: pvc.metadata.uid,
    },
  };
  if (byController) nextPv.metadata.annotations = { ...(nextPv.metadata.annotations ?? {}), 'pv.kubernetes.io/bound-by-controller': 'yes' };
  const boundPv = ctx.api.update(nextPv) as PV;
  ctx.api.update({ ...clone(boundPv), status: { phase: 'Bound' } } as KubeObject, { subresource: 'status' });
  const nextPvc = clone(pvc);
  nextPvc.spec = { ...nextPvc.spec, volumeName: pv.metadata.name };
  nextPvc.metadata.annotations = {
    ...(nextPvc.metadata.annotations ?? {}),
    'pv.kubernetes.io/bind-completed': 'yes',
    ...(byController ? { 'pv.kubernetes.io/bound-by-controller': 'yes' } : {}),
  };
  const boundPvc = ctx.api.update(nextPvc) as PVC;
  ctx.api.update(
    {
      ...clone(boundPvc),
      status: { phase: 'Bound', accessModes: pv.spec?.accessModes, capacity: { ...(pv.spec?.capacity ?? {}) } },
    } as KubeObject,
    { subresource: 'status' },
  );
}

function provision(ctx: ControllerContext, pvc: PVC, sc: StorageClass & KubeObject): void {
  const { api, recorder } = ctx;
  const name = `pvc-${pvc.metadata.uid}`;
  const claimKey = `${pvc.metadata.namespace}/${pvc.metadata.name}`;
  recorder.event(pvc, 'Normal', 'Provisioning', `External provisioner is provisioning volume for claim "${claimKey}"`, { component: `${PROVISIONER}_minikube_${(sc.metadata.uid ?? '').slice(0, 8)}` });
  const pv = api.create(
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: {
        name,
        annotations: { 'hostPathProvisionerIdentity': (sc.metadata.uid ?? '').slice(0, 8), 'pv.kubernetes.io/provisioned-by': PROVISIONER },
      },
      spec: {
        accessModes: pvc.spec?.accessModes,
        capacity: { storage: String(pvc.spec?.resources?.requests?.storage ?? '1Gi') },
        hostPath: { path: `/tmp/hostpath-provisioner/${pvc.metadata.namespace}/${pvc.metadata.name}`, type: '' },
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? 'Delete',
        storageClassName: sc.metadata.name,
        volumeMode: pvc.spec?.volumeMode ?? 'Filesystem',
      },
    },
    { fieldManager: 'storage-provisioner' },
  ) as PV;
  api.update({ ...clone(pv), status: { phase: 'Available' } } as KubeObject, { subresource: 'status' });
  recorder.event(pvc, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${name}`, { component: `${PROVISIONER}_minikube_${(sc.metadata.uid ?? '').slice(0, 8)}` });
  bind(ctx, api.peek(kind('PersistentVolumeClaim'), pvc.metadata.namespace, pvc.metadata.name ?? '') as PVC, api.peek(kind('PersistentVolume'), undefined, name) as PV, true);
}

export const volumeController: Controller = {
  name: 'persistentvolume',
  primary: kind('PersistentVolumeClaim'),
  watches: [
    {
      kind: kind('PersistentVolume'),
      map: (_pv, api) => api.peekList(kind('PersistentVolumeClaim')).filter((c) => (c as PVC).status?.phase !== 'Bound').map(keyOf),
    },
  ],
  reconcile(key, ctx) {
    const { api, recorder } = ctx;
    const [namespace, name] = key.split('/');
    const pvc = api.peek(kind('PersistentVolumeClaim'), namespace, name) as PVC | undefined;
    if (!pvc) {
      // The claim is gone: its volume is released, then reclaimed.
      for (const pv of api.peekList(kind('PersistentVolume')) as PV[]) {
        const ref = pv.spec?.claimRef;
        if (ref?.namespace !== namespace || ref?.name !== name || pv.status?.phase === 'Released') continue;
        api.update({ ...clone(pv), status: { phase: 'Released' } } as KubeObject, { subresource: 'status' });
        if (pv.spec?.persistentVolumeReclaimPolicy === 'Delete') api.delete(kind('PersistentVolume'), undefined, pv.metadata.name ?? '');
      }
      return;
    }
    if (pvc.status?.phase === 'Bound' || pvc.metadata.deletionTimestamp) return;
    const candidates = (api.peekList(kind('PersistentVolume')) as PV[]).filter((pv) => fits(pv, pvc));
    candidates.sort((a, b) => storageOf(a.spec?.capacity) - storageOf(b.spec?.capacity));
    if (pvc.spec?.volumeName) {
      const pv = api.peek(kind('PersistentVolume'), undefined, pvc.spec.volumeName) as PV | undefined;
      if (pv && !pv.spec?.claimRef) bind(ctx, pvc, pv, false);
      return;
    }
    if (candidates.length > 0) {
      bind(ctx, pvc, candidates[0], true);
      return;
    }
    const className = claimClass(pvc);
    const sc = className ? (api.peek(kind('StorageClass'), undefined, className) as (StorageClass & KubeObject) | undefined) : undefined;
    if (sc?.provisioner) {
      // The claim is handed to its class's provisioner; only minikube's runs
      // here, others (example.com/hostpath) leave it Pending.
      if (pvc.metadata.annotations?.['volume.kubernetes.io/storage-provisioner'] === sc.provisioner) return;
      recorder.event(
        pvc,
        'Normal',
        'ExternalProvisioning',
        `Waiting for a volume to be created either by the external provisioner '${sc.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
        BINDER,
      );
      const next = clone(pvc);
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        'volume.beta.kubernetes.io/storage-provisioner': sc.provisioner,
        'volume.kubernetes.io/storage-provisioner': sc.provisioner,
      };
      api.update(next);
      if (sc.provisioner === PROVISIONER) provision(ctx, api.peek(kind('PersistentVolumeClaim'), namespace, name) as PVC, sc);
      return;
    }
    if (!className || !sc) {
      recorder.event(pvc, 'Normal', 'FailedBinding', 'no persistent volumes available for this claim and no storage class is set', BINDER);
    }
  },
};

// The binder's other loop (syncVolume): a new volume without a claim becomes
// Available, which is what lets the claim loop bind it.
export const volumeSyncController: Controller = {
  name: 'persistentvolume-volumes',
  primary: kind('PersistentVolume'),
  reconcile(key, ctx) {
    const pv = ctx.api.peek(kind('PersistentVolume'), undefined, key) as PV | undefined;
    if (!pv || pv.metadata.deletionTimestamp || pv.spec?.claimRef || (pv.status?.phase ?? 'Pending') !== 'Pending') return;
    ctx.api.update({ ...clone(pv), status: { phase: 'Available' } } as KubeObject, { subresource: 'status' });
  },
};
