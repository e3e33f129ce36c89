import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, containerImages, containerNames, get, nameColumn } from './common';
import { formatLabels } from '../../api/selectors';
import { rfc3339 } from '../../sim/clock';

// ConfigMaps, Secrets, LimitRanges, ResourceQuotas, PodTemplates.

const keys = (v: unknown) => (v && typeof v === 'object' ? Object.keys(v).length : 0);

export const createdAtColumn = {
  name: 'Created At',
  cell: (o: KubeObject) => {
    const t = o.metadata.creationTimestamp;
    return t ? rfc3339(Date.parse(t)) : '<unknown>';
  },
};

export const CONFIGMAP_TABLE: TableDef = {
  columns: [nameColumn, { name: 'Data', cell: (o) => String(keys(get(o, 'data')) + keys(get(o, 'binaryData'))) }, ageColumn],
};

export const SECRET_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Type', cell: (o) => String(get(o, 'type') ?? '') },
    { name: 'Data', cell: (o) => String(keys(get(o, 'data'))) },
    ageColumn,
  ],
};

export const LIMITRANGE_TABLE: TableDef = { columns: [nameColumn, createdAtColumn] };

function quotaPairs(o: KubeObject, prefix: 'requests' | 'limits'): string {
  const hard = (get<Record<string, string>>(o, 'status', 'hard') ?? get<Record<string, string>>(o, 'spec', 'hard')) ?? {};
  const used = get<Record<string, string>>(o, 'status', 'used') ?? {};
  const names = Object.keys(hard)
    .filter((k) => (prefix === 'limits' ? k.startsWith('limits.') : !k.startsWith('limits.')))
    .sort();
  return names.map((k) => `${k}: ${used[k] ?? '0'}/${hard[k]}`).join(', ');
}

export const RESOURCEQUOTA_TABLE: TableDef = {
  columns: [
    nameColumn,
    ageColumn,
    { name: 'Request', cell: (o) => quotaPairs(o, 'requests') },
    { name: 'Limit', cell: (o) => quotaPairs(o, 'limits') },
  ],
};

export const PODTEMPLATE_TABLE: TableDef = {
  columns: [
    { name: 'Name', cell: (o) => o.metadata.name ?? '' },
    { name: 'Containers', cell: (o) => containerNames(get(o, 'template', 'spec', 'containers')) },
    { name: 'Images', cell: (o) => containerImages(get(o, 'template', 'spec', 'containers')) },
    { name: 'Pod Labels', cell: (o) => formatLabels(get(o, 'template', 'metadata', 'labels')) },
  ],
};
