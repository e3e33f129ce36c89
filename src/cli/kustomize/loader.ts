import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundledManifest } from '../manifests';
import { readAsset } from '../../util/assets';
import { KustomizeError, wrap } from './errors';

// kustomize's file loader (api/internal/loader): a root directory, files read
// only from in or below it (LoadRestrictionsRootOnly, kubectl's setting),
// bases as new loaders below the referrer, remote files and git repositories
// (which an offline kubemu cannot reach, and fails on as kubectl does then).

// The error filepath.EvalSymlinks gives: the first component that is missing
// or not a directory, as lstat reports it.
function evalSymlinks(abs: string): string {
  const parts = abs.split('/').filter((p) => p.length > 0);
  let cur = '/';
  for (const p of parts) {
    const next = path.join(cur, p);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(next);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOTDIR' ? 'not a directory' : code === 'EACCES' ? 'permission denied' : 'no such file or directory';
      throw new KustomizeError(`lstat ${next}: ${why}`);
    }
    cur = st.isSymbolicLink() ? fs.realpathSync(next) : next;
  }
  return cur;
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// fsOnDisk.CleanedAbs: the directory, and the file name when path is a file.
export function cleanedAbs(p: string): { dir: string; file: string } {
  const abs = path.resolve(p);
  let delinked: string;
  try {
    delinked = evalSymlinks(abs);
  } catch (e) {
    throw new KustomizeError(`evalsymlink failure on '${p}' : ${(e as Error).message}`);
  }
  if (isDir(delinked)) return { dir: delinked, file: '' };
  return { dir: path.dirname(delinked), file: path.basename(delinked) };
}

// filesys.ConfirmDir.
export function confirmDir(p: string): string {
  if (p === '') throw new KustomizeError('directory path cannot be empty');
  let r: { dir: string; file: string };
  try {
    r = cleanedAbs(p);
  } catch (e) {
    throw wrap(e, 'not a valid directory');
  }
  if (r.file !== '') throw new KustomizeError(`'${p}': file is not directory`);
  return r.dir;
}

function hasPrefix(dir: string, root: string): boolean {
  return dir === root || dir.startsWith(root.endsWith('/') ? root : `${root}/`);
}

export function isRemoteFile(p: string): boolean {
  return /^https?:\/\//i.test(p);
}

// What git.NewRepoSpecFromURL accepts, reduced to what an offline clone
// needs to say: the clone URL, its host and the ref fetched.
interface RepoSpec {
  cloneSpec: string;
  host: string;
  ref: string;
}

export function parseRepoSpec(n: string): RepoSpec | undefined {
  if (path.isAbsolute(n)) return undefined;
  const q = n.indexOf('?');
  let rest = q >= 0 ? n.slice(0, q) : n;
  const query = new URLSearchParams(q >= 0 ? n.slice(q + 1) : '');
  const ref = query.get('ref') || query.get('version') || '';
  if (rest.toLowerCase().startsWith('git::')) rest = rest.slice(5);
  let scheme = '';
  for (const s of ['ssh://', 'https://', 'http://', 'file://']) {
    if (rest.toLowerCase().startsWith(s)) {
      scheme = s;
      rest = rest.slice(s.length);
      break;
    }
  }
  let username = '';
  const user = /^([a-zA-Z][a-zA-Z0-9-]*)@/.exec(rest);
  if (user) {
    username = `${user[1]}@`;
    rest = rest.slice(username.length);
  }
  const stdGithub = /^github\.com[/:]/i.test(rest);
  const acceptScp = scheme === '' && (username !== '' || stdGithub);
  if (scheme === '' && !acceptScp) return undefined;
  let host: string;
  let repoPath: string;
  if (scheme === 'file://') {
    host = scheme;
    repoPath = username + rest;
  } else {
    let sep = rest.indexOf('/');
    if (acceptScp) {
      const colon = rest.indexOf(':');
      if (sep === -1 || (colon > 0 && colon < sep)) sep = colon;
    }
    let h = rest;
    let after = '';
    if (sep >= 0) {
      h = rest.slice(0, sep + 1);
      after = rest.slice(sep + 1);
    }
    if (stdGithub) {
      if (scheme === 'ssh://' || username !== '') {
        scheme = '';
        h = 'github.com:';
      } else {
        scheme = 'https://';
        username = '';
        h = 'github.com/';
      }
    }
    if (h === '') return undefined;
    host = scheme + username + h;
    repoPath = after;
  }
  // The repository is what comes before `_git/x`, `//`, `.git`, or its first two segments.
  let repo: string | undefined;
  const gitRoot = repoPath.indexOf('_git/');
  if (gitRoot >= 0) repo = repoPath.slice(0, gitRoot + 5) + repoPath.slice(gitRoot + 5).split('/')[0];
  else if (repoPath.includes('//')) repo = repoPath.slice(0, repoPath.indexOf('//'));
  else if (repoPath.includes('.git')) repo = repoPath.slice(0, repoPath.indexOf('.git') + 4);
  else if (host.startsWith('file://')) repo = repoPath;
  else {
    const segs = repoPath.split('/');
    if (segs.length >= 2) repo = segs.slice(0, 2).join('/');
  }
  if (!repo) return undefined;
  const hostName = /^(?:[a-z]+:\/\/)?(?:[^@/]+@)?([^/:]+)/i.exec(host)?.[1] ?? host;
  return { cloneSpec: host + repo, host: hostName, ref };
}

// ClonerUsingGitExec without a network: init and remote add work, fetch fails.
function cloneError(spec: RepoSpec): KustomizeError {
  const url = spec.cloneSpec;
  const reason = /^https?:\/\//.test(url)
    ? `fatal: unable to access '${url}/': Could not resolve host: ${spec.host}\n`
    : `ssh: Could not resolve hostname ${spec.host}: Name or service not known\r\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n`;
  return new KustomizeError(`failed to run '/usr/bin/git fetch --depth=1 ${url} ${spec.ref || 'HEAD'}': ${reason}: exit status 128`);
}

export class HttpError extends KustomizeError {}

function readFile(p: string): Buffer {
  try {
    return fs.readFileSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : code === 'ENOTDIR' ? 'not a directory' : 'no such file or directory';
    throw new KustomizeError(`open ${p}: ${why}`);
  }
}

function fetchRemote(url: string): Buffer {
  const bundled = bundledManifest(url);
  if (bundled) return readAsset(bundled);
  // The bundle stands for k8s.io/examples: what it lacks is a 404 there.
  if (/^https?:\/\/(?:k8s\.io|kubernetes\.io)\/examples\//.test(url)) throw new HttpError('HTTP Error: status code 404 (Not Found)');
  const host = /^https?:\/\/([^/:?#]+)/i.exec(url)?.[1] ?? url;
  throw new KustomizeError(`Get "${url}": dial tcp: lookup ${host}: no such host`);
}

export class Loader {
  private constructor(
    readonly root: string,
    private readonly referrer: Loader | undefined,
    private readonly restrictRoot: boolean,
  ) {}

  // loader.NewLoader for the directory kubectl was given.
  static atRoot(target: string, restrictRoot = true): Loader {
    const spec = parseRepoSpec(target);
    if (spec) throw cloneError(spec);
    try {
      return new Loader(confirmDir(target), undefined, restrictRoot);
    } catch (e) {
      throw wrap(e, 'must build at directory');
    }
  }

  // FileLoader.Load with RestrictionRootOnly.
  load(p: string): Buffer {
    if (isRemoteFile(p)) return fetchRemote(p);
    const full = path.isAbsolute(p) ? p : path.join(this.root, p);
    if (!this.restrictRoot) return readFile(full);
    const { dir, file } = cleanedAbs(full);
    if (file === '') throw new KustomizeError(`'${full}' must resolve to a file`);
    if (!hasPrefix(dir, this.root)) throw new KustomizeError(`security; file '${full}' is not in or below '${this.root}'`);
    return readFile(path.join(dir, file));
  }

  // FileLoader.New: a base below this root.
  newLoader(p: string): Loader {
    if (p === '') throw new KustomizeError('new root cannot be empty');
    const spec = parseRepoSpec(p);
    if (spec) throw cloneError(spec);
    if (path.isAbsolute(p)) throw new KustomizeError(`new root '${p}' cannot be absolute`);
    let root: string;
    try {
      root = confirmDir(path.join(this.root, p));
    } catch (e) {
      throw wrap(e, 'must build at directory');
    }
    this.errIfArgEqualOrHigher(root);
    return new Loader(root, this, this.restrictRoot);
  }

  private errIfArgEqualOrHigher(candidate: string): void {
    if (hasPrefix(this.root, candidate)) {
      throw new KustomizeError(`cycle detected: candidate root '${candidate}' contains visited root '${this.root}'`);
    }
    this.referrer?.errIfArgEqualOrHigher(candidate);
  }
}
