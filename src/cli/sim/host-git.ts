import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Output } from '../command';
import { assetEntries, assetKind, readAsset } from '../../util/assets';

// `kubemu sim git clone URL [DIR]`: the repositories the tutorials clone
// (kube-state-metrics, elastic/examples), from the stand-ins bundled in
// manifests/repos/<owner>/<name>: only the directories the tutorials use,
// in current API versions. Anything else is a host without a network, in
// git's words.

const REPOS_ROOT = 'manifests/repos';

function bundledRepo(url: string): string | undefined {
  const m = /^(?:https?:\/\/|git@)github\.com[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(url);
  if (!m) return undefined;
  const dir = path.posix.join(REPOS_ROOT, m[1], m[2]);
  return assetKind(dir) === 'directory' ? dir : undefined;
}

// From the assets to the host's files.
function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of assetEntries(from)) {
    const src = path.posix.join(from, e.name);
    const dst = path.join(to, e.name);
    if (e.directory) copyTree(src, dst);
    else fs.writeFileSync(dst, readAsset(src));
  }
}

export function hostGit(args: string[], io: Output): number {
  const [verb, ...rest] = args;
  const operands = rest.filter((a) => !a.startsWith('-'));
  if (verb !== 'clone' || operands.length === 0) {
    io.err('usage: kubemu sim git clone <repository> [<directory>]\n');
    return 129;
  }
  const [url, target] = operands;
  const dir = target ?? path.basename(url.replace(/\/+$/, '')).replace(/\.git$/, '');
  const dest = path.resolve(dir);
  if (fs.existsSync(dest) && (!fs.statSync(dest).isDirectory() || fs.readdirSync(dest).length > 0)) {
    io.err(`fatal: destination path '${dir}' already exists and is not an empty directory.\n`);
    return 128;
  }
  io.err(`Cloning into '${dir}'...\n`);
  const repo = bundledRepo(url);
  if (!repo) {
    const host = /^(?:https?:\/\/)?([^/:]+)/.exec(url.replace(/^git@/, ''))?.[1] ?? url;
    io.err(`fatal: unable to access '${url.replace(/\/?$/, '/')}': Could not resolve host: ${host}\n`);
    return 128;
  }
  copyTree(repo, dest);
  return 0;
}
