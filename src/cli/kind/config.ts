import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseLevel, parseVersion, MODES, levelLabel } from '../../api/podsecurity/policy';
import type { LevelVersion, Policy, PodSecurityConfig } from '../../api/podsecurity/policy';

// kind's Cluster config (kind.x-k8s.io/v1alpha4), as far as kubemu needs it:
// the name, the node image, and the API server's admission configuration
// file, found through the kubeadm ClusterConfiguration patches and the
// control-plane node's extraMounts (node path -> host path). The host file
// the user named is read; nothing on the host is run.

export class KindError extends Error {}

interface Mount {
  hostPath?: string;
  containerPath?: string;
}

interface KindNode {
  role?: string;
  image?: string;
  extraMounts?: Mount[];
  kubeadmConfigPatches?: string[];
}

interface KindCluster {
  kind?: string;
  apiVersion?: string;
  name?: string;
  nodes?: KindNode[];
  kubeadmConfigPatches?: string[];
}

export interface ClusterPlan {
  name?: string;
  image?: string;
  workers: number;
  // The admission configuration file on the host, when the API server gets one.
  admissionConfigFile?: string;
  // The path the API server was told (for messages).
  admissionConfigNodePath?: string;
  // A control-plane node path as a host path, through the node's extraMounts.
  hostPath(nodePath: string): string | undefined;
  // Per node, control-plane first then workers (kind's node order): its
  // extraMounts (absolute host paths) and whether its kubelet runs with
  // --seccomp-default.
  nodes: { mounts: { hostPath: string; containerPath: string }[]; seccompDefault: boolean }[];
}

function parseYaml(text: string, what: string): unknown {
  const { parse } = require('yaml') as typeof import('yaml');
  try {
    return parse(text);
  } catch (e) {
    throw new KindError(`${what}: ${(e as Error).message}`);
  }
}

// The admission-control-config-file flag of a kubeadm ClusterConfiguration
// patch: extraArgs is a map in v1beta3, a list of name/value in v1beta4.
function admissionFlag(patch: string): string | undefined {
  const doc = parseYaml(patch, 'failed to parse kubeadm config patch') as { kind?: string; apiServer?: { extraArgs?: unknown } } | null;
  if (!doc || doc.kind !== 'ClusterConfiguration') return undefined;
  const args = doc.apiServer?.extraArgs;
  if (Array.isArray(args)) {
    const arg = (args as { name?: string; value?: string }[]).find((a) => a.name === 'admission-control-config-file');
    return arg?.value;
  }
  const value = (args as Record<string, unknown> | undefined)?.['admission-control-config-file'];
  return typeof value === 'string' ? value : undefined;
}

// A node path seen through the node's mounts: the longest containerPath
// holding it decides the host path (relative host paths are from the cwd).
function hostPathOf(nodePath: string, mounts: Mount[], cwd: string): string | undefined {
  let best: Mount | undefined;
  for (const m of mounts) {
    const cp = (m.containerPath ?? '').replace(/\/+$/, '');
    if (!cp || !(nodePath === cp || nodePath.startsWith(`${cp}/`))) continue;
    if (!best || cp.length > (best.containerPath ?? '').replace(/\/+$/, '').length) best = m;
  }
  if (!best?.hostPath) return undefined;
  const rest = nodePath.slice((best.containerPath ?? '').replace(/\/+$/, '').length);
  return path.resolve(cwd, best.hostPath) + rest;
}

// kubelet --seccomp-default from a node's kubeadm patches: kubeletExtraArgs
// (a map in v1beta3, a name/value list in v1beta4) of the configuration kind
// uses for that node (InitConfiguration on the first control-plane node,
// JoinConfiguration elsewhere), or a KubeletConfiguration's seccompDefault.
function seccompDefault(patches: string[], first: boolean): boolean {
  let on = false;
  for (const patch of patches) {
    const doc = parseYaml(patch, 'failed to parse kubeadm config patch') as {
      kind?: string;
      seccompDefault?: boolean;
      nodeRegistration?: { kubeletExtraArgs?: unknown };
    } | null;
    if (doc?.kind === 'KubeletConfiguration' && typeof doc.seccompDefault === 'boolean') on = doc.seccompDefault;
    if (doc?.kind !== (first ? 'InitConfiguration' : 'JoinConfiguration')) continue;
    const args = doc.nodeRegistration?.kubeletExtraArgs;
    const value = Array.isArray(args)
      ? (args as { name?: string; value?: string }[]).find((a) => a.name === 'seccomp-default')?.value
      : (args as Record<string, unknown> | undefined)?.['seccomp-default'];
    if (value !== undefined) on = String(value) === 'true';
  }
  return on;
}

export function readClusterConfig(file: string, cwd: string): ClusterPlan {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new KindError(`error reading file: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? `open ${file}: no such file or directory` : (e as Error).message}`);
  }
  const cfg = (parseYaml(text, `failed to decode config file`) ?? {}) as KindCluster;
  if (cfg.kind !== 'Cluster' || !/^kind\.x-k8s\.io\/v1alpha[34]$/.test(cfg.apiVersion ?? '')) {
    throw new KindError(`unknown apiVersion: ${cfg.apiVersion ?? ''}`);
  }
  const nodes = cfg.nodes?.length ? cfg.nodes : [{ role: 'control-plane' }];
  const cp = nodes.find((n) => (n.role ?? 'control-plane') === 'control-plane') ?? nodes[0];
  const patches = [...(cfg.kubeadmConfigPatches ?? []), ...(cp.kubeadmConfigPatches ?? [])];
  const nodePath = patches.map(admissionFlag).filter((p): p is string => p !== undefined).pop();
  const workers = nodes.filter((n) => n.role === 'worker').length;
  const ordered = [cp, ...nodes.filter((n) => n.role === 'worker')];
  const planNodes = ordered.map((n) => ({
    mounts: (n.extraMounts ?? []).filter((m) => m.hostPath && m.containerPath).map((m) => ({ hostPath: path.resolve(cwd, m.hostPath!), containerPath: m.containerPath! })),
    seccompDefault: seccompDefault([...(cfg.kubeadmConfigPatches ?? []), ...(n.kubeadmConfigPatches ?? [])], n === cp),
  }));
  const plan: ClusterPlan = { name: cfg.name, image: cp.image, workers, hostPath: (p) => hostPathOf(p, cp.extraMounts ?? [], cwd), nodes: planNodes };
  if (nodePath) {
    plan.admissionConfigNodePath = nodePath;
    plan.admissionConfigFile = plan.hostPath(nodePath);
  }
  return plan;
}

// The API server's --admission-control-config-file: an AdmissionConfiguration
// whose PodSecurity plugin entry holds (or names) a PodSecurityConfiguration.
// A file the API server could not use fails its start.
export function loadAdmissionConfig(hostFile: string, nodeFile: string, mounts: (nodePath: string) => string | undefined): PodSecurityConfig | undefined {
  let text: string;
  try {
    text = fs.readFileSync(hostFile, 'utf8');
  } catch {
    throw new KindError(`unable to read admission control configuration from "${nodeFile}"`);
  }
  const doc = parseYaml(text, `unable to read admission control configuration from "${nodeFile}"`) as {
    kind?: string;
    plugins?: { name?: string; configuration?: unknown; path?: string }[];
  } | null;
  if (!doc || doc.kind !== 'AdmissionConfiguration') throw new KindError(`unable to read admission control configuration from "${nodeFile}"`);
  const plugin = (doc.plugins ?? []).find((p) => p.name === 'PodSecurity');
  if (!plugin) return undefined;
  let configuration = plugin.configuration;
  if (configuration === undefined && plugin.path) {
    const nodePath = path.posix.resolve(path.posix.dirname(nodeFile), plugin.path);
    const host = mounts(nodePath);
    if (!host || !fs.existsSync(host)) throw new KindError(`unable to read plugin config for PodSecurity from "${nodePath}"`);
    configuration = parseYaml(fs.readFileSync(host, 'utf8'), 'PodSecurity');
  }
  return podSecurityConfiguration(configuration);
}

const PSA_VERSIONS = ['pod-security.admission.config.k8s.io/v1', 'pod-security.admission.config.k8s.io/v1beta1', 'pod-security.admission.config.k8s.io/v1alpha1'];

export function podSecurityConfiguration(raw: unknown): PodSecurityConfig {
  const c = (raw ?? {}) as {
    apiVersion?: string;
    kind?: string;
    defaults?: Record<string, string>;
    exemptions?: { usernames?: string[]; runtimeClasses?: string[]; namespaces?: string[] };
  };
  if (c.kind !== 'PodSecurityConfiguration' || !PSA_VERSIONS.includes(c.apiVersion ?? '')) {
    throw new KindError(`PodSecurity: no kind "${c.kind ?? ''}" is registered for version "${c.apiVersion ?? ''}"`);
  }
  const defaults = {} as Policy;
  for (const mode of MODES) {
    const levelText = c.defaults?.[mode] || 'privileged';
    const versionText = c.defaults?.[`${mode}-version`] || 'latest';
    const level = parseLevel(levelText);
    const version = parseVersion(versionText);
    if (level === undefined || version === undefined) {
      const bad = level === undefined ? `defaults.${mode}: Invalid value: "${levelText}"` : `defaults.${mode}-version: Invalid value: "${versionText}"`;
      throw new KindError(`PodSecurity: ${bad} (${levelLabel(mode)})`);
    }
    defaults[mode] = { level, version } satisfies LevelVersion;
  }
  const list = (v: string[] | undefined) => (Array.isArray(v) ? v.map(String) : []);
  return {
    defaults,
    exemptions: { usernames: list(c.exemptions?.usernames), runtimeClasses: list(c.exemptions?.runtimeClasses), namespaces: list(c.exemptions?.namespaces) },
  };
}
