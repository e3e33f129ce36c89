import type { PersistentVolume, PersistentVolumeClaim } from 'kubernetes-types/core/v1';
import type { StorageClass } from 'kubernetes-types/storage/v1';
import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, nameColumn } from './common';

const BETA_CLASS = 'volume.beta.kubernetes.io/storage-class';

// Storage tables.

const as = <T>(o: KubeObject): T => o as unknown as T;

const MODE_ABBREV: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};

export function accessModes(modes: string[] | undefined): string {
  const seen = new Set<string>();
  for (const m of ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod']) {
    if ((modes ?? []).includes(m)) seen.add(MODE_ABBREV[m]);
  }
  return [...seen].join(',');
}

export const PV_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Capacity', cell: (o) => String(as<PersistentVolume>(o).spec?.capacity?.storage ?? '') },
    { name: 'Access Modes', cell: (o) => accessModes(as<PersistentVolume>(o).spec?.accessModes) },
    { name: 'Reclaim Policy', cell: (o) => as<PersistentVolume>(o).spec?.persistentVolumeReclaimPolicy ?? '' },
    {
      name: 'Status',
      cell: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : (as<PersistentVolume>(o).status?.phase ?? '')),
    },
    {
      name: 'Claim',
      cell: (o) => {
        const ref = as<PersistentVolume>(o).spec?.claimRef;
        return ref ? `${ref.namespace}/${ref.name}` : '';
      },
    },
    // The old beta annotation wins over the field, as in the server's printer.
    { name: 'StorageClass', cell: (o) => o.metadata.annotations?.[BETA_CLASS] ?? as<PersistentVolume>(o).spec?.storageClassName ?? '' },
    { name: 'VolumeAttributesClass', cell: (o) => as<PersistentVolume>(o).spec?.volumeAttributesClassName ?? '<unset>' },
    { name: 'Reason', cell: (o) => as<PersistentVolume>(o).status?.reason ?? '' },
    ageColumn,
    { name: 'VolumeMode', priority: 1, cell: (o) => as<PersistentVolume>(o).spec?.volumeMode ?? '<unset>' },
  ],
};

export const PVC_TABLE: TableDef = {
  columns: [
    nameColumn,
    {
      name: 'Status',
      cell: (o) => (o.metadata.deletionTimestamp ? 'Terminating' : (as<PersistentVolumeClaim>(o).status?.phase ?? '')),
    },
    { name: 'Volume', cell: (o) => as<PersistentVolumeClaim>(o).spec?.volumeName ?? '' },
    {
      name: 'Capacity',
      cell: (o) => {
        const pvc = as<PersistentVolumeClaim>(o);
        return pvc.spec?.volumeName ? String(pvc.status?.capacity?.storage ?? '') : '';
      },
    },
    {
      name: 'Access Modes',
      cell: (o) => {
        const pvc = as<PersistentVolumeClaim>(o);
        return pvc.spec?.volumeName ? accessModes(pvc.status?.accessModes) : '';
      },
    },
    { name: 'StorageClass', cell: (o) => o.metadata.annotations?.[BETA_CLASS] ?? as<PersistentVolumeClaim>(o).spec?.storageClassName ?? '' },
    { name: 'VolumeAttributesClass', cell: (o) => as<PersistentVolumeClaim>(o).spec?.volumeAttributesClassName ?? '<unset>' },
    ageColumn,
    { name: 'VolumeMode', priority: 1, cell: (o) => as<PersistentVolumeClaim>(o).spec?.volumeMode ?? '<unset>' },
  ],
};

export function isDefaultClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a['storageclass.kubernetes.io/is-default-class'] === 'true' || a['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
}

export const STORAGECLASS_TABLE: TableDef = {
  columns: [
    {
      name: 'Name',
      cell: (o) => `${o.metadata.name ?? ''}${isDefaultClass(as<StorageClass>(o)) ? ' (default)' : ''}`,
    },
    { name: 'Provisioner', cell: (o) => as<StorageClass>(o).provisioner },
    { name: 'ReclaimPolicy', cell: (o) => as<StorageClass>(o).reclaimPolicy ?? 'Delete' },
    { name: 'VolumeBindingMode', cell: (o) => as<StorageClass>(o).volumeBindingMode ?? 'Immediate' },
    { name: 'AllowVolumeExpansion', cell: (o) => String(as<StorageClass>(o).allowVolumeExpansion ?? false) },
    ageColumn,
  ],
};
