// A small in-memory filesystem implementing FileSystem, JSON-serialisable, for tests
// and for callers that keep a container's files in the cluster state. Paths under a
// read-only prefix (ConfigMap/Secret volumes) refuse writes with EROFS.

import type { FileStat, FileSystem, FsError } from './types';

export interface MemFsNode {
  // File content; absent for a directory.
  d?: string;
  mode?: number;
  mtime?: number;
}

export interface MemFsData {
  nodes: Record<string, MemFsNode>;
  readonly?: string[];
}

function parent(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

export class MemFs implements FileSystem {
  readonly data: MemFsData;

  constructor(data?: MemFsData) {
    this.data = data ?? { nodes: { '/': { mode: 0o755 } } };
    this.data.nodes['/'] ??= { mode: 0o755 };
  }

  // Builds a filesystem from file contents; parent directories are created.
  static from(files: Record<string, string>, readonly: string[] = []): MemFs {
    const fs = new MemFs({ nodes: { '/': { mode: 0o755 } }, readonly });
    for (const [p, d] of Object.entries(files)) fs.put(p, d);
    return fs;
  }

  // Creates a file (and its directories) regardless of read-only mounts.
  put(path: string, data: string, mode = 0o644): void {
    this.mkdirs(parent(path));
    this.data.nodes[path] = { d: data, mode };
  }

  mkdirs(path: string): void {
    if (path === '/' || this.data.nodes[path]) return;
    this.mkdirs(parent(path));
    this.data.nodes[path] = { mode: 0o755 };
  }

  private ro(path: string): boolean {
    return (this.data.readonly ?? []).some((r) => path === r || path.startsWith(r.endsWith('/') ? r : r + '/'));
  }

  stat(path: string): FileStat | undefined {
    const n = this.data.nodes[path];
    if (!n) return undefined;
    const st: FileStat = n.d === undefined ? { type: 'dir', size: 4096 } : { type: 'file', size: Buffer.byteLength(n.d) };
    if (n.mode !== undefined) st.mode = n.mode;
    if (n.mtime !== undefined) st.mtimeMs = n.mtime;
    return st;
  }

  read(path: string): string | undefined {
    return this.data.nodes[path]?.d;
  }

  list(path: string): string[] | undefined {
    const n = this.data.nodes[path];
    if (!n || n.d !== undefined) return undefined;
    const pre = path === '/' ? '/' : path + '/';
    const out: string[] = [];
    for (const p of Object.keys(this.data.nodes)) {
      if (p !== '/' && p.startsWith(pre) && !p.slice(pre.length).includes('/')) out.push(p.slice(pre.length));
    }
    return out.sort();
  }

  write(path: string, data: string, append: boolean, at: number): FsError | undefined {
    const n = this.data.nodes[path];
    if (n && n.d === undefined) return 'EISDIR';
    const dir = this.data.nodes[parent(path)];
    if (!dir) return 'ENOENT';
    if (dir.d !== undefined) return 'ENOTDIR';
    if (this.ro(path)) return 'EROFS';
    this.data.nodes[path] = { d: append && n ? n.d + data : data, mode: n?.mode ?? 0o644, mtime: at };
    return undefined;
  }

  mkdir(path: string, at: number): FsError | undefined {
    if (this.data.nodes[path]) return 'EEXIST';
    const dir = this.data.nodes[parent(path)];
    if (!dir) return 'ENOENT';
    if (dir.d !== undefined) return 'ENOTDIR';
    if (this.ro(path)) return 'EROFS';
    this.data.nodes[path] = { mode: 0o755, mtime: at };
    return undefined;
  }

  remove(path: string): FsError | undefined {
    const n = this.data.nodes[path];
    if (!n) return 'ENOENT';
    if (path === '/') return 'EACCES';
    if (this.ro(path)) return 'EROFS';
    if (n.d === undefined && this.list(path)!.length) return 'ENOTEMPTY';
    delete this.data.nodes[path];
    return undefined;
  }
}
