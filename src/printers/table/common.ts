import type { KubeObject } from '../../api/types';
import type { Column } from './types';
import { age } from '../duration';
import { getPath } from '../../util/json';

// Cells most tables share.

export const nameColumn: Column = { name: 'Name', cell: (o) => o.metadata.name ?? '' };
export const ageColumn: Column = { name: 'Age', cell: (o, ctx) => age(o.metadata.creationTimestamp, ctx.now) };

export function get<T = unknown>(obj: KubeObject, ...path: string[]): T | undefined {
  return getPath(obj, path) as T | undefined;
}

// At most `max` items joined by `,`, then ` + N more...`.
export function joinMore(items: string[], max: number): string {
  if (items.length <= max) return items.join(',');
  return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
}

export function num(v: unknown): string {
  return typeof v === 'number' ? String(v) : '0';
}

interface ContainerLike {
  name: string;
  image?: string;
}

export function containerNames(containers: ContainerLike[] | undefined): string {
  return (containers ?? []).map((c) => c.name).join(',');
}

export function containerImages(containers: ContainerLike[] | undefined): string {
  return (containers ?? []).map((c) => c.image ?? '').join(',');
}

export function containersColumns(path: string[]): Column[] {
  return [
    { name: 'Containers', priority: 1, cell: (o) => containerNames(getPath(o, path) as ContainerLike[] | undefined) },
    { name: 'Images', priority: 1, cell: (o) => containerImages(getPath(o, path) as ContainerLike[] | undefined) },
  ];
}

// `<none>` for empty, `a=b,c=d` sorted.
export function mapString(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${m![k]}`).join(',');
}
