import * as os from 'node:os';
import { Session } from '../session';
import type { FlagDef } from '../flags';
import {
  KIC_VERSION,
  clusterExists,
  clusterNodes,
  defaultProfile,
  isStopped,
  loadProfile,
  machineSizes,
  platform,
  preset,
  runtimeVersion,
  saveProfile,
  setStopped,
  writeContext,
} from './context';
import type { Mk, MkCommand, MkNode, ProfileConfig } from './context';
import { REASONS } from './out';
import { applyEnabledAddons, enabledInStartOrder, imagesOf } from './addons';
import { addonInfo } from '../../cluster/addons';

// minikube start: creates the cluster (its nodes, system pods and default
// addons) or brings a stopped one back, writes the kubeconfig context, and
// tells the story of it as minikube v1.35 does with the docker driver.

const DRIVERS = ['docker', 'podman'];

const FLAGS: FlagDef[] = [
  { name: 'nodes', short: 'n', kind: 'int', default: 1 },
  { name: 'kubernetes-version', kind: 'string' },
  { name: 'driver', short: 'd', kind: 'string' },
  { name: 'vm-driver', kind: 'string', deprecated: 'use --driver instead' },
  { name: 'cpus', kind: 'string', default: '2' },
  { name: 'memory', kind: 'string' },
  { name: 'disk-size', kind: 'string', default: '20000mb' },
  { name: 'container-runtime', kind: 'string' },
  { name: 'addons', kind: 'stringSlice' },
  { name: 'install-addons', kind: 'bool', default: true },
  { name: 'namespace', kind: 'string', default: 'default' },
  { name: 'force', kind: 'bool' },
  { name: 'wait', kind: 'stringSlice' },
  { name: 'wait-timeout', kind: 'duration', default: 360000 },
  { name: 'keep-context', kind: 'bool' },
  { name: 'delete-on-failure', kind: 'bool' },
  { name: 'ha', kind: 'bool' },
  { name: 'cni', kind: 'string' },
  { name: 'network', kind: 'string' },
  { name: 'extra-config', kind: 'stringArray' },
  { name: 'feature-gates', kind: 'string' },
  { name: 'apiserver-port', kind: 'int', default: 8443 },
  { name: 'ports', kind: 'stringSlice' },
  { name: 'preload', kind: 'bool', default: true },
  { name: 'image-repository', kind: 'string' },
  { name: 'insecure-registry', kind: 'stringSlice' },
  { name: 'registry-mirror', kind: 'stringSlice' },
  { name: 'embed-certs', kind: 'bool' },
  { name: 'interactive', kind: 'bool', default: true },
  { name: 'dry-run', kind: 'bool' },
  { name: 'download-only', kind: 'bool' },
  { name: 'mount', kind: 'bool' },
  { name: 'mount-string', kind: 'string' },
  { name: 'static-ip', kind: 'string' },
  { name: 'subnet', kind: 'string' },
  { name: 'listen-address', kind: 'string' },
  { name: 'base-image', kind: 'string' },
];

// "2", "max" (every host CPU) or "no-limit" (0).
function parseCPUs(text: string): number | undefined {
  if (text === 'no-limit') return 0;
  if (text === 'max') return os.cpus().length;
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

// minikube's memory flag: megabytes, or a size with a unit (4g, 4096mb), "max", "no-limit".
function parseMemory(text: string): number | undefined {
  if (text === 'no-limit') return 0;
  if (text === 'max') return Math.floor(os.totalmem() / 1024 / 1024);
  const m = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text);
  if (!m) return undefined;
  const scale: Record<string, number> = { '': 1, k: 1 / 1024, m: 1, g: 1024, t: 1024 * 1024 };
  return Math.floor(Number(m[1]) * scale[m[2].toLowerCase()]);
}

function normalizeVersion(text: string): string {
  if (text === 'stable' || text === 'latest') return preset().kubernetesVersion;
  return text.startsWith('v') ? text : `v${text}`;
}

function isKic(driver: string): boolean {
  return DRIVERS.includes(driver);
}

// How a node's machine comes up: created, restarted, or found running.
export type Boot = 'create' | 'restart' | 'update';

export function bootNode(mk: Mk, cfg: ProfileConfig, name: string, role: string, boot: Boot): void {
  const out = mk.out;
  out.step('thumbsUp', `Starting "${name}" ${role} node in "${mk.profile}" cluster`);
  if (isKic(cfg.Driver)) out.step('pulling', `Pulling base image ${KIC_VERSION} ...`);
  if (boot === 'create') out.step('startingVM', `Creating ${cfg.Driver} container ${machineSizes(cfg)} ...`);
  else if (boot === 'restart') out.step('restarting', `Restarting existing ${cfg.Driver} container for "${name}" ...`);
  else out.step('running', `Updating the running ${cfg.Driver} "${name}" container ...`);
}

export function prepare(mk: Mk, cfg: ProfileConfig): void {
  mk.out.step('docker', `Preparing Kubernetes ${cfg.KubernetesConfig.KubernetesVersion} on Docker ${runtimeVersion()} ...`);
}

// The nodes after the first, started one after another with NO_PROXY naming those before.
function bootWorkers(mk: Mk, cfg: ProfileConfig, nodes: MkNode[], boot: Boot): void {
  const out = mk.out;
  for (let i = 1; i < nodes.length; i++) {
    out.ln();
    bootNode(mk, cfg, nodes[i].name, nodes[i].controlPlane ? 'control-plane' : 'worker', boot);
    const noProxy = nodes
      .slice(0, i)
      .map((n) => n.ip)
      .join(',');
    out.step('internet', 'Found network options:');
    out.info(`NO_PROXY=${noProxy}`);
    prepare(mk, cfg);
    out.info(`env NO_PROXY=${noProxy}`);
    out.step('healthCheck', 'Verifying Kubernetes components...');
  }
}

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const { out, flags } = mk;
    if (mk.profile !== 'minikube') {
      return out.exit(REASONS.usage, `kubemu simulates the "minikube" profile only, not "${mk.profile}"`);
    }
    const existing = clusterExists(mk);
    const cfg = existing ? loadProfile(mk) : defaultProfile(mk.profile);
    out.step('happy', `minikube ${preset().minikubeVersion ?? ''} on ${platform()}`);

    const requested = flags.str('kubernetes-version');
    if (requested && normalizeVersion(requested) !== cfg.KubernetesConfig.KubernetesVersion) {
      return out.exit(REASONS.k8sUnsupported, `kubemu simulates Kubernetes ${cfg.KubernetesConfig.KubernetesVersion} only, not ${normalizeVersion(requested)}`);
    }
    const driver = flags.str('driver') || flags.str('vm-driver');
    if (existing && driver && driver !== cfg.Driver) {
      return out.exit(
        REASONS.drvMismatch,
        `The existing "${mk.profile}" cluster was created using the "${cfg.Driver}" driver, which is incompatible with requested "${driver}" driver.`,
        { advice: `Delete the existing '${mk.profile}' cluster using: 'minikube delete', or start the existing '${mk.profile}' cluster using: 'minikube start --driver=${cfg.Driver}'` },
      );
    }
    if (driver && !isKic(driver)) {
      return out.exit(REASONS.drvUnsupported, `The driver '${driver}' is not supported by kubemu, which simulates the docker and podman drivers`);
    }

    if (existing) {
      out.step('sparkle', `Using the ${cfg.Driver} driver based on existing profile`);
    } else {
      const cpus = parseCPUs(flags.str('cpus'));
      const memory = flags.str('memory') ? parseMemory(flags.str('memory')) : 2200;
      if (cpus === undefined) return out.exit(REASONS.usage, `Invalid number of CPUs: ${flags.str('cpus')}`);
      if (memory === undefined) return out.exit(REASONS.usage, `Invalid memory size: ${flags.str('memory')}`);
      cfg.Driver = driver || 'docker';
      cfg.CPUs = cpus;
      cfg.Memory = memory;
      cfg.MultiNodeRequested = flags.int('nodes') > 1;
      out.step('sparkle', driver ? `Using the ${cfg.Driver} driver based on user configuration` : `Automatically selected the ${cfg.Driver} driver`);
      out.step('notice', `Using ${cfg.Driver === 'docker' ? 'Docker' : 'Podman'} driver with root privileges`);
    }
    for (const name of flags.list('addons')) {
      if (!addonInfo(name)?.simulated) {
        out.warning(`kubemu does not simulate the "${name}" addon; it is left disabled`);
        continue;
      }
      cfg.Addons[name] = true;
    }

    const stopped = existing && isStopped(mk);
    const boot: Boot = !existing ? 'create' : stopped ? 'restart' : 'update';
    bootNode(mk, cfg, mk.profile, 'primary control-plane', boot);
    prepare(mk, cfg);
    if (boot === 'create') {
      out.step('subStep', 'Generating certificates and keys ...');
      out.step('subStep', 'Booting up control plane ...');
      out.step('subStep', 'Configuring RBAC rules ...');
    }
    if (boot !== 'update') {
      const cni = boot === 'create' ? flags.int('nodes') > 1 : clusterNodes(mk).length > 1;
      out.step('cni', `Configuring ${cni ? 'CNI' : 'bridge CNI'} (Container Networking Interface) ...`);
    }

    if (boot === 'create') new Session({ ...mk.env, KUBEMU_NODES: String(Math.max(1, flags.int('nodes'))) }).ensureCluster();
    if (boot === 'restart') setStopped(mk, false);
    saveProfile(mk, cfg);

    out.step('healthCheck', 'Verifying Kubernetes components...');
    applyEnabledAddons(mk, cfg);
    const enabled = enabledInStartOrder(cfg);
    for (const name of enabled) for (const image of imagesOf(name)) out.info(`Using image ${image}`);
    if (enabled.length > 0) out.step('addonEnable', `Enabled addons: ${enabled.join(', ')}`);
    bootWorkers(mk, cfg, clusterNodes(mk), boot);

    writeContext(mk, mk.session.read((api) => api.now()));
    out.step('ready', `Done! kubectl is now configured to use "${mk.profile}" cluster and "${flags.str('namespace')}" namespace by default`);
    return 0;
  },
};
