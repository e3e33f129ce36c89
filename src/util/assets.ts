import * as fs from 'node:fs';
import * as path from 'node:path';

// kubemu's own files, read at run time: the data the build converts (help
// texts, presets, catalogues, the schema) and the tutorials' manifests. Each is
// named by its path from the repository root, with '/' ("dist/src/cli/help/root.txt",
// "manifests/examples/..."). From the repository a name is a file; in the single
// executable (`npm run sea`) it is an asset of the injected blob. node:sea cannot
// list its assets, so the blob also carries ASSET_INDEX, the list of names.

export const ASSET_INDEX = 'kubemu-asset-index.json';

// This file is dist/src/util/assets.js.
const REPO_ROOT = path.join(__dirname, '..', '..', '..');

type Sea = typeof import('node:sea');

let sea: Sea | null | undefined;
let index: { files: Set<string>; names: string[] } | undefined;

function seaModule(): Sea | null {
  if (sea === undefined) {
    try {
      const m = require('node:sea') as Sea;
      sea = m.isSea() ? m : null;
    } catch {
      sea = null; // Node before 20.12 has no node:sea, and so no single executable
    }
  }
  return sea;
}

export function inSingleExecutable(): boolean {
  return seaModule() !== null;
}

function seaIndex(s: Sea): NonNullable<typeof index> {
  if (!index) {
    const names = JSON.parse(s.getAsset(ASSET_INDEX, 'utf8')) as string[];
    index = { files: new Set(names), names };
  }
  return index;
}

function clean(name: string): string {
  return path.posix.normalize(name).replace(/\/+$/, '');
}

function onDisk(name: string): string {
  return path.join(REPO_ROOT, ...name.split('/'));
}

export function readAsset(name: string): Buffer {
  const s = seaModule();
  return s ? Buffer.from(s.getAsset(clean(name))) : fs.readFileSync(onDisk(name));
}

export function readAssetText(name: string): string {
  const s = seaModule();
  return s ? s.getAsset(clean(name), 'utf8') : fs.readFileSync(onDisk(name), 'utf8');
}

export function assetKind(name: string): 'file' | 'directory' | undefined {
  const s = seaModule();
  if (!s) {
    try {
      const st = fs.statSync(onDisk(name));
      return st.isFile() ? 'file' : st.isDirectory() ? 'directory' : undefined;
    } catch {
      return undefined;
    }
  }
  const key = clean(name);
  const { files, names } = seaIndex(s);
  if (files.has(key)) return 'file';
  return names.some((n) => n.startsWith(`${key}/`)) ? 'directory' : undefined;
}

// The entries of an asset directory, in no particular order.
export function assetEntries(dir: string): { name: string; directory: boolean }[] {
  const s = seaModule();
  if (!s) return fs.readdirSync(onDisk(dir), { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() }));
  const prefix = `${clean(dir)}/`;
  const seen = new Map<string, boolean>();
  for (const n of seaIndex(s).names) {
    if (!n.startsWith(prefix)) continue;
    const [first, ...rest] = n.slice(prefix.length).split('/');
    seen.set(first, (seen.get(first) ?? false) || rest.length > 0);
  }
  return [...seen].map(([name, directory]) => ({ name, directory }));
}

// kubemu's own entry point (for the daemon and the shell functions of `sim
// shellenv`): the single executable, or bin/kubemu.
export function selfPath(): string {
  return inSingleExecutable() ? process.execPath : path.join(REPO_ROOT, 'bin', 'kubemu');
}
