import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import { kindPrefix } from '../../api/kinds';
import { tableFor } from './index';
import type { RowContext } from './types';
import { formatLabels } from '../../api/selectors';

// kubectl's human-readable printer on top of a kind's columns: NAMESPACE for
// -A, `kind/name` when several kinds are printed, -L columns, LABELS last.

export interface TableOptions {
  now: number;
  wide: boolean;
  noHeaders: boolean;
  withNamespace: boolean;
  showKind: boolean;
  showLabels: boolean;
  labelColumns: string[];
}

// Cells are cut at the first line break, as kubectl's printer does.
function cell(s: string): string {
  const cut = s.search(/[\n\r\f]/);
  return cut < 0 ? s : `${s.slice(0, cut)}...`;
}

export function tableHeader(info: KindInfo, opts: TableOptions): string[] {
  const cols = tableFor(info).columns.filter((c) => opts.wide || !c.priority);
  const headers: string[] = [];
  if (opts.withNamespace && info.namespaced) headers.push('NAMESPACE');
  for (const c of cols) headers.push(c.name.toUpperCase());
  for (const l of opts.labelColumns) headers.push(l.split('/').pop()!.toUpperCase());
  if (opts.showLabels) headers.push('LABELS');
  return headers;
}

export function tableRow(info: KindInfo, obj: KubeObject, opts: TableOptions): string[] {
  const ctx: RowContext = { now: opts.now, wide: opts.wide };
  const cols = tableFor(info).columns.filter((c) => opts.wide || !c.priority);
  const row: string[] = [];
  if (opts.withNamespace && info.namespaced) row.push(obj.metadata.namespace ?? '');
  cols.forEach((c) => {
    let v = cell(c.cell(obj, ctx));
    if (opts.showKind && c.name.toLowerCase() === 'name') v = `${kindPrefix(info)}/${v}`;
    row.push(v);
  });
  for (const l of opts.labelColumns) row.push(obj.metadata.labels?.[l] ?? '');
  if (opts.showLabels) row.push(formatLabels(obj.metadata.labels));
  return row;
}

// Rows as TAB-separated lines, ready for the tabwriter.
export function tableLines(info: KindInfo, objects: KubeObject[], opts: TableOptions): string[] {
  if (objects.length === 0) return [];
  const lines: string[] = [];
  if (!opts.noHeaders) lines.push(tableHeader(info, opts).join('\t'));
  for (const o of objects) lines.push(tableRow(info, o, opts).join('\t'));
  return lines;
}
