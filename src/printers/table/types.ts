import type { KubeObject } from '../../api/types';

// Printers as data: each kind's `kubectl get` columns, as the API server's
// table convertor defines them (pkg/printers/internalversion/printers.go).

export interface RowContext {
  now: number;
  wide: boolean;
}

export interface Column {
  name: string;
  // 0: always shown; 1: only with -o wide.
  priority?: 0 | 1;
  cell(obj: KubeObject, ctx: RowContext): string;
}

export interface TableDef {
  columns: Column[];
}
