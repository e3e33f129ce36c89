import type { RoleBinding } from 'kubernetes-types/rbac/v1';
import type { KubeObject } from '../../api/types';
import type { TableDef } from './types';
import { ageColumn, nameColumn } from './common';
import { createdAtColumn } from './config';

// RBAC tables.

const as = <T>(o: KubeObject): T => o as unknown as T;

function subjects(o: KubeObject, kind: string): string {
  return (as<RoleBinding>(o).subjects ?? [])
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

export const ROLE_TABLE: TableDef = { columns: [nameColumn, createdAtColumn] };

export const ROLEBINDING_TABLE: TableDef = {
  columns: [
    nameColumn,
    { name: 'Role', cell: (o) => `${as<RoleBinding>(o).roleRef.kind}/${as<RoleBinding>(o).roleRef.name}` },
    ageColumn,
    { name: 'Users', priority: 1, cell: (o) => subjects(o, 'User') },
    { name: 'Groups', priority: 1, cell: (o) => subjects(o, 'Group') },
    { name: 'ServiceAccounts', priority: 1, cell: (o) => subjects(o, 'ServiceAccount') },
  ],
};
