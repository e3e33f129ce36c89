import type { PersistentVolume, PersistentVolumeClaim, Pod } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { formatLabels } from '../../api/selectors';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, LEVEL_2, goList, printBoolPtr, rfc1123z, since, stableSort, tabbed } from './engine';
import type { DescribeContext } from './common';
import { eventRef, printAnnotationsMultiline, printLabelsMultiline, writeEvents } from './common';
import { quantityString } from './quantity';
import { describePersistentVolumeSource } from './volumes';
import { BETA_CLASS, accessModes, printPersistentVolumeClaim } from './claims';

// PersistentVolumeClaim, PersistentVolume and StorageClass.

// getPodsForPVC: pods with a volume from the claim, then pods owning it.
function podsUsing(ctx: DescribeContext, pvc: KubeObject): Pod[] {
  const all = ctx.api.peekList(kind('Pod'), { namespace: pvc.metadata.namespace }) as unknown as Pod[];
  const pods: Pod[] = [];
  for (const pod of all) {
    for (const v of pod.spec?.volumes ?? []) {
      if (v.persistentVolumeClaim?.claimName === pvc.metadata.name) pods.push(pod);
    }
  }
  for (const owner of pvc.metadata.ownerReferences ?? []) {
    if (owner.kind !== 'Pod') continue;
    const pod = all.find((p) => p.metadata?.uid === owner.uid);
    if (pod && !pods.some((p) => p.metadata?.uid === owner.uid)) pods.push(pod);
  }
  return pods;
}

export function describePersistentVolumeClaim(obj: KubeObject, ctx: DescribeContext): string {
  const pvc = obj as unknown as PersistentVolumeClaim;
  const pods = stableSort(podsUsing(ctx, obj), (a, b) => (a.metadata?.name ?? '') < (b.metadata?.name ?? ''));
  return tabbed((w) => {
    printPersistentVolumeClaim(w, pvc, true, ctx.now);
    w.write(LEVEL_0, 'Used By:\t');
    if (pods.length === 0) w.writeLine('<none>');
    pods.forEach((p, i) => {
      if (i !== 0) w.write(LEVEL_0, '\t');
      w.write(LEVEL_0, `${p.metadata?.name}\n`);
    });
    const conditions = pvc.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t-----------------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        w.write(
          LEVEL_1,
          `${c.type} \t${c.status} \t${rfc1123z(c.lastProbeTime)} \t${rfc1123z(c.lastTransitionTime)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
        );
      }
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}

// printVolumeNodeAffinity.
function printNodeAffinity(w: Writer, pv: PersistentVolume): void {
  const required = pv.spec?.nodeAffinity?.required;
  w.write(LEVEL_0, 'Node Affinity:\t');
  if (!required) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  w.write(LEVEL_1, 'Required Terms:\t');
  const terms = required.nodeSelectorTerms ?? [];
  if (terms.length === 0) {
    w.writeLine('<none>');
    return;
  }
  w.writeLine('');
  terms.forEach((term, i) => {
    w.write(LEVEL_2, `Term ${i}:\t`);
    const reqs = term.matchExpressions ?? [];
    if (reqs.length === 0) {
      w.writeLine('<none>');
      return;
    }
    reqs.forEach((r, j) => {
      if (j !== 0) w.write(LEVEL_2, '\t');
      let expr = `${r.key} ${r.operator.toLowerCase()}`;
      if ((r.values ?? []).length > 0) expr += ` [${r.values!.join(', ')}]`;
      w.write(LEVEL_0, `${expr}\n`);
    });
  });
}

export function describePersistentVolume(obj: KubeObject, ctx: DescribeContext): string {
  const pv = obj as unknown as PersistentVolume;
  const meta = obj.metadata;
  const spec = pv.spec ?? {};
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${meta.name}\n`);
    printLabelsMultiline(w, 'Labels', meta.labels);
    printAnnotationsMultiline(w, 'Annotations', meta.annotations);
    w.write(LEVEL_0, `Finalizers:\t${goList(meta.finalizers)}\n`);
    const beta = meta.annotations?.[BETA_CLASS];
    w.write(LEVEL_0, `StorageClass:\t${beta !== undefined ? beta : (spec.storageClassName ?? '')}\n`);
    if (meta.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, ctx.now)})\n`);
    else w.write(LEVEL_0, `Status:\t${pv.status?.phase ?? ''}\n`);
    const claim = spec.claimRef;
    w.write(LEVEL_0, `Claim:\t${claim ? `${claim.namespace ?? ''}/${claim.name ?? ''}` : ''}\n`);
    w.write(LEVEL_0, `Reclaim Policy:\t${spec.persistentVolumeReclaimPolicy ?? ''}\n`);
    w.write(LEVEL_0, `Access Modes:\t${accessModes(spec.accessModes)}\n`);
    if (spec.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${spec.volumeMode}\n`);
    w.write(LEVEL_0, `Capacity:\t${quantityString(spec.capacity?.storage)}\n`);
    printNodeAffinity(w, pv);
    w.write(LEVEL_0, `Message:\t${pv.status?.message ?? ''}\n`);
    w.write(LEVEL_0, 'Source:\n');
    describePersistentVolumeSource(w, spec);
    writeEvents(w, ctx, eventRef(obj));
  });
}

export function describeStorageClass(obj: KubeObject, ctx: DescribeContext): string {
  const sc = obj as unknown as StorageClass;
  const annotations = obj.metadata.annotations ?? {};
  const isDefault =
    annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `IsDefaultClass:\t${isDefault ? 'Yes' : 'No'}\n`);
    w.write(LEVEL_0, `Annotations:\t${formatLabels(annotations)}\n`);
    w.write(LEVEL_0, `Provisioner:\t${sc.provisioner}\n`);
    w.write(LEVEL_0, `Parameters:\t${formatLabels(sc.parameters)}\n`);
    w.write(LEVEL_0, `AllowVolumeExpansion:\t${printBoolPtr(sc.allowVolumeExpansion)}\n`);
    const options = sc.mountOptions ?? [];
    if (options.length === 0) w.write(LEVEL_0, 'MountOptions:\t<none>\n');
    else {
      w.write(LEVEL_0, 'MountOptions:\n');
      for (const o of options) w.write(LEVEL_1, `${o}\n`);
    }
    if (sc.reclaimPolicy) w.write(LEVEL_0, `ReclaimPolicy:\t${sc.reclaimPolicy}\n`);
    if (sc.volumeBindingMode) w.write(LEVEL_0, `VolumeBindingMode:\t${sc.volumeBindingMode}\n`);
    if (sc.allowedTopologies) {
      w.write(LEVEL_0, 'AllowedTopologies:\t');
      if (sc.allowedTopologies.length === 0) w.writeLine('<none>');
      else {
        w.writeLine('');
        sc.allowedTopologies.forEach((term, i) => {
          w.write(LEVEL_1, `Term ${i}:\t`);
          const reqs = term.matchLabelExpressions ?? [];
          if (reqs.length === 0) w.writeLine('<none>');
          reqs.forEach((r, j) => {
            if (j !== 0) w.write(LEVEL_1, '\t');
            w.write(LEVEL_0, `${r.key} in${r.values.length > 0 ? ` [${r.values.join(', ')}]` : ''}\n`);
          });
        });
      }
    }
    writeEvents(w, ctx, eventRef(obj));
  });
}
