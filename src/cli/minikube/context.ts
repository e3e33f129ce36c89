import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Output } from '../command';
import type { FlagDef, ParsedFlags } from '../flags';
import type { Session } from '../session';
import type { ClusterState } from '../../store/store';
import type { KubeObject } from '../../api/types';
import { loadPreset } from '../../cluster/preset';
import type { Preset } from '../../cluster/preset';
import { nodeInternalIP } from '../../cluster/nodes';
import { kubeconfigPath, minikubeKubeconfig, readKubeconfig, writeKubeconfig } from '../../cluster/kubeconfig';
import type { KubeconfigDoc } from '../../cluster/kubeconfig';
import { defaultAddons } from '../../cluster/addons';
import { clone } from '../../util/json';
import { MinikubeExit } from './out';
import type { Out } from './out';

// What every minikube sub-command works with: its arguments, the console, the
// cluster's state and minikube's own record of the profile (driver, sizes,
// addons), and mustload's checks that a cluster exists and runs.

export interface Mk {
  // The sub-command's words (`addons enable metrics-server` gives [enable, metrics-server]).
  args: string[];
  argsLenAtDash: number;
  flags: ParsedFlags;
  env: NodeJS.ProcessEnv;
  io: Output;
  out: Out;
  session: Session;
  profile: string;
}

export interface MkCommand {
  flags?: FlagDef[];
  run(mk: Mk): number | Promise<number>;
}

export const KIC_VERSION = 'v0.0.46';
export const MINIKUBE_COMMIT = 'dd5d320e41b5451cdf3c01891bc4e13d189586ed-dirty';
export const API_SERVER_PORT = 8443;

// The part of minikube's ClusterConfig (profiles/<name>/config.json) kubemu keeps.
export interface ProfileConfig {
  Name: string;
  Driver: string;
  CPUs: number; // 0: no limit
  Memory: number; // MB, 0: no limit
  KubernetesConfig: { KubernetesVersion: string; ClusterName: string; ContainerRuntime: string };
  Addons: Record<string, boolean>;
  MultiNodeRequested: boolean;
}

export function preset(): Preset {
  return loadPreset('minikube');
}

// The docker version the nodes run (`Preparing Kubernetes ... on Docker 27.4.1`).
export function runtimeVersion(): string {
  return (preset().nodeInfo.containerRuntimeVersion ?? '').replace(/^docker:\/\//, '');
}

// `(CPUs=2, Memory=2200MB)`, as a node's container is created.
export function machineSizes(cfg: ProfileConfig): string {
  const cpus = cfg.CPUs === 0 ? 'no-limit' : String(cfg.CPUs);
  const memory = cfg.Memory === 0 ? 'no-limit' : `${cfg.Memory}MB`;
  return `(CPUs=${cpus}, Memory=${memory})`;
}

export function defaultProfile(name: string): ProfileConfig {
  return {
    Name: name,
    Driver: 'docker',
    CPUs: 2,
    Memory: 2200,
    KubernetesConfig: { KubernetesVersion: preset().kubernetesVersion, ClusterName: name, ContainerRuntime: 'docker' },
    Addons: Object.fromEntries(defaultAddons().map((a) => [a, true])),
    MultiNodeRequested: false,
  };
}

function profileFile(home: string, name: string): string {
  return path.join(home, 'minikube', 'profiles', name, 'config.json');
}

export function profileDir(home: string, name: string): string {
  return path.dirname(profileFile(home, name));
}

// The profile as saved, or minikube's defaults for a cluster kubectl created.
export function loadProfile(mk: Mk): ProfileConfig {
  try {
    return JSON.parse(fs.readFileSync(profileFile(mk.session.home, mk.profile), 'utf8')) as ProfileConfig;
  } catch {
    return defaultProfile(mk.profile);
  }
}

export function saveProfile(mk: Mk, cfg: ProfileConfig): void {
  const file = profileFile(mk.session.home, mk.profile);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(cfg, null, '\t')}\n`, { mode: 0o600 });
}

export function clusterExists(mk: Mk): boolean {
  return mk.profile === 'minikube' && mk.session.store.exists();
}

// The state as stored, without catching up (a stopped cluster does not move).
export function storedState(mk: Mk): ClusterState {
  return mk.session.store.read();
}

export function isStopped(mk: Mk): boolean {
  return storedState(mk).stopped === true;
}

export function setStopped(mk: Mk, stopped: boolean): void {
  const store = mk.session.store;
  store.withLock(() => {
    const state = store.read();
    if (stopped) state.stopped = true;
    else delete state.stopped;
    store.write(state);
  });
}

export interface MkNode {
  name: string;
  ip: string;
  controlPlane: boolean;
}

// The nodes in creation order (the primary control plane first).
export function clusterNodes(mk: Mk): MkNode[] {
  const nodes = Object.values(storedState(mk).objects.nodes ?? {}) as KubeObject[];
  return nodes
    .sort((a, b) => nodeInternalIP(a).localeCompare(nodeInternalIP(b), 'en', { numeric: true }))
    .map((n) => ({
      name: n.metadata.name ?? '',
      ip: nodeInternalIP(n),
      controlPlane: n.metadata.labels?.['node-role.kubernetes.io/control-plane'] !== undefined,
    }));
}

export function primaryIP(mk: Mk): string {
  return clusterNodes(mk)[0]?.ip ?? preset().network.nodeIPBase;
}

// mustload.ExampleCmd.
export function exampleCmd(mk: Mk, action: string): string {
  return mk.profile === 'minikube' ? `minikube ${action}` : `minikube ${action} -p ${mk.profile}`;
}

function exitTip(mk: Mk, action: string, code: number): never {
  mk.out.step('workaround', `To start a cluster, run: "${exampleCmd(mk, action)}"`);
  throw new MinikubeExit(code);
}

// mustload.Partial: a cluster that exists, running or not.
export function partial(mk: Mk): ProfileConfig {
  if (!clusterExists(mk)) {
    mk.out.step('shrug', `Profile "${mk.profile}" not found. Run "minikube profile list" to view all profiles.`);
    exitTip(mk, 'start', 85);
  }
  return loadProfile(mk);
}

// mustload.Running / Healthy: a cluster whose control plane runs.
export function running(mk: Mk): ProfileConfig {
  const cfg = partial(mk);
  if (isStopped(mk)) {
    mk.out.step('shrug', `The control-plane node ${mk.profile} host is not running: state=Stopped`);
    exitTip(mk, 'start', 83);
  }
  return cfg;
}

function upsert<T extends { name: string }>(list: T[] | undefined, item: T): T[] {
  const out = (list ?? []).filter((x) => x.name !== item.name);
  out.push(item);
  return out;
}

// kubeconfig.Update: the profile's cluster, context and user, made current.
export function writeContext(mk: Mk, now: number): void {
  const home = mk.session.home;
  const fresh = minikubeKubeconfig(home, mk.profile, primaryIP(mk), preset().minikubeVersion ?? '', new Date(now).toUTCString().replace('GMT', 'UTC'));
  const doc: KubeconfigDoc = fs.existsSync(kubeconfigPath(home)) ? clone(readKubeconfig(home).raw) : { apiVersion: 'v1', kind: 'Config' };
  doc.clusters = upsert(doc.clusters, fresh.clusters![0]);
  doc.contexts = upsert(doc.contexts, fresh.contexts![0]);
  doc.users = upsert(doc.users, fresh.users![0]);
  doc['current-context'] = mk.profile;
  doc.preferences ??= {};
  writeKubeconfig(home, doc);
}

// kubeconfig.DeleteContext: what `minikube stop` and `minikube delete` remove.
export function deleteContext(mk: Mk): void {
  const home = mk.session.home;
  if (!fs.existsSync(kubeconfigPath(home))) return;
  const doc = clone(readKubeconfig(home).raw);
  const raw = doc as unknown as Record<string, unknown>;
  for (const key of ['clusters', 'contexts', 'users'] as const) {
    const rest = (doc[key] ?? []).filter((x) => x.name !== mk.profile);
    // client-go writes an emptied list as null.
    raw[key] = rest.length > 0 ? rest : null;
  }
  if (doc['current-context'] === mk.profile) doc['current-context'] = '';
  writeKubeconfig(home, doc);
}

// kubeconfig.VerifyEndpoint: the profile's cluster entry points at the API server.
export function contextConfigured(mk: Mk): boolean {
  const home = mk.session.home;
  if (!fs.existsSync(kubeconfigPath(home))) return false;
  const cluster = readKubeconfig(home).raw.clusters?.find((c) => c.name === mk.profile);
  return cluster?.cluster.server === `https://${primaryIP(mk)}:${API_SERVER_PORT}`;
}

// start.go's platform(): the host's distribution and version, and the
// architecture when it is not amd64.
export function platform(): string {
  let name: string = os.platform();
  if (name === 'linux') {
    try {
      const release = fs.readFileSync('/etc/os-release', 'utf8');
      const field = (key: string) => new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm').exec(release)?.[1] ?? '';
      const id = field('ID');
      name = `${id.charAt(0).toUpperCase()}${id.slice(1)} ${field('VERSION_ID')}`.trim();
    } catch {
      name = 'linux';
    }
  } else if (name === 'darwin') {
    name = `Darwin ${os.release()}`;
  } else if (name === 'win32') {
    name = os.version();
  }
  return os.arch() === 'x64' ? name : `${name} (${os.arch()})`;
}

// runtime.GOOS, as minikube names the host.
export function goos(): string {
  const p = os.platform();
  return p === 'win32' ? 'windows' : p;
}
