import type { PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, goList, since } from './engine';
import { printAnnotationsMultiline, printLabelsMultiline } from './common';
import { quantityString } from './quantity';

// What a PersistentVolumeClaim looks like in describe: whole claims, the
// claim templates of ephemeral volumes, and the storage-class and access-mode
// helpers PersistentVolumes and StatefulSet claim templates share.

export const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

// GetPersistentVolumeClaimClass: the beta annotation wins over spec.storageClassName.
export function claimStorageClass(pvc: Pick<PersistentVolumeClaim, 'metadata' | 'spec'>): string {
  const beta = pvc.metadata?.annotations?.[BETA_CLASS];
  return beta !== undefined ? beta : (pvc.spec?.storageClassName ?? '');
}

// GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order.
export function accessModes(modes: readonly string[] | undefined): string {
  const abbrev: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return abbrev
    .filter(([m]) => (modes ?? []).includes(m))
    .map(([, a]) => a)
    .join(',');
}

// printPersistentVolumeClaim: a full claim, or an ephemeral volume's claim template.
export function printPersistentVolumeClaim(
  w: Writer,
  pvc: Pick<PersistentVolumeClaim, 'metadata' | 'spec' | 'status'>,
  full: boolean,
  now = 0,
): void {
  const meta = pvc.metadata ?? {};
  if (full) {
    w.write(LEVEL_0, `Name:\t${meta.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${meta.namespace}\n`);
  }
  w.write(LEVEL_0, `StorageClass:\t${claimStorageClass(pvc)}\n`);
  if (full) {
    if (meta.deletionTimestamp) w.write(LEVEL_0, `Status:\tTerminating (lasts ${since(meta.deletionTimestamp, now)})\n`);
    else w.write(LEVEL_0, `Status:\t${pvc.status?.phase ?? ''}\n`);
  }
  w.write(LEVEL_0, `Volume:\t${pvc.spec?.volumeName ?? ''}\n`);
  printLabelsMultiline(w, 'Labels', meta.labels);
  printAnnotationsMultiline(w, 'Annotations', meta.annotations);
  if (full) w.write(LEVEL_0, `Finalizers:\t${goList(meta.finalizers)}\n`);
  let capacity = '';
  let modes = '';
  if (pvc.spec?.volumeName) {
    modes = accessModes(pvc.status?.accessModes);
    capacity = quantityString(pvc.status?.capacity?.storage);
  }
  w.write(LEVEL_0, `Capacity:\t${capacity}\n`);
  w.write(LEVEL_0, `Access Modes:\t${modes}\n`);
  if (pvc.spec?.volumeMode) w.write(LEVEL_0, `VolumeMode:\t${pvc.spec.volumeMode}\n`);
  const source = pvc.spec?.dataSource;
  if (source) {
    w.write(LEVEL_0, 'DataSource:\n');
    if (source.apiGroup) w.write(LEVEL_1, `APIGroup:\t${source.apiGroup}\n`);
    w.write(LEVEL_1, `Kind:\t${source.kind}\n`);
    w.write(LEVEL_1, `Name:\t${source.name}\n`);
  }
}
