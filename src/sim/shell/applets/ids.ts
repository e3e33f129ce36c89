import type { ProcCtx } from '../proc';

// Names of users and groups as the container's /etc/passwd and /etc/group give them.

export function idLookup(c: ProcCtx, file: '/etc/passwd' | '/etc/group', id: number): string | undefined {
  for (const line of (c.k.read(file) ?? '').split('\n')) {
    const f = line.split(':');
    if (f.length > 2 && Number(f[2]) === id) return f[0];
  }
  return id === 0 ? 'root' : undefined;
}

// The name, else the number (ls, ps).
export function idName(c: ProcCtx, file: '/etc/passwd' | '/etc/group', id: number): string {
  return idLookup(c, file, id) ?? String(id);
}
