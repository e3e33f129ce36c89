import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Output } from '../command';
import { commandWords, FlagError, parseFlags } from '../flags';
import type { FlagDef, ParsedFlags } from '../flags';
import { Session } from '../session';
import type { StateStore } from '../../store/store';
import { stopDaemon } from '../sim';
import { loadPreset } from '../../cluster/preset';
import { kubeconfigPath } from '../../cluster/kubeconfig';
import { kindNodeNames } from '../../cluster/nodes';
import type { PodSecurityConfig } from '../../api/podsecurity/policy';
import { kind } from '../../api/registry';
import { KindError, loadAdmissionConfig, readClusterConfig } from './config';
import type { ClusterPlan } from './config';

// `kubemu kind ...`: kind's create/delete/get of clusters, in kind v0.26's
// words (its logger writes to stderr). One KUBEMU_HOME holds one cluster, so
// creating a kind cluster replaces whatever cluster was there with the kind
// preset, and deleting it leaves the home empty.

const GLOBAL_FLAGS: FlagDef[] = [
  { name: 'verbosity', short: 'v', kind: 'int', default: 0 },
  { name: 'quiet', short: 'q', kind: 'bool' },
  { name: 'help', short: 'h', kind: 'bool' },
];

const COMMAND_FLAGS: Record<string, FlagDef[]> = {
  'create cluster': [
    { name: 'name', short: 'n', kind: 'string' },
    { name: 'config', kind: 'string' },
    { name: 'image', kind: 'string' },
    { name: 'retain', kind: 'bool' },
    { name: 'wait', kind: 'duration', default: '0s' },
    { name: 'kubeconfig', kind: 'string' },
  ],
  'delete cluster': [
    { name: 'name', short: 'n', kind: 'string', default: 'kind' },
    { name: 'kubeconfig', kind: 'string' },
  ],
  'get clusters': [],
  version: [],
};

const USAGE = `kind creates and manages local Kubernetes clusters using Docker container 'nodes'

Usage:
  kind [command]

Commands simulated by kubemu:
  create cluster   Creates a local Kubernetes cluster
  delete cluster   Deletes a cluster
  get clusters     Lists existing kind clusters by their name
  version          Prints the kind CLI version
`;

const SALUTATIONS = [
  'Have a nice day! 👋',
  'Thanks for using kind! 😊',
  'Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/',
  'Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂',
];

// kind's status lines: on a terminal a spinner that ends in a green check;
// elsewhere a "•  ..." line when a step starts and a "✓" line when it ends.
class Status {
  private current = '';
  constructor(
    private readonly io: Output,
    private readonly tty: boolean,
  ) {}

  start(status: string): void {
    this.end(true);
    this.current = status;
    if (!this.tty) this.io.err(` • ${status}  ...\n`);
  }

  end(success: boolean): void {
    if (!this.current) return;
    const mark = success ? '✓' : '✗';
    const painted = this.tty ? `\x1b[${success ? 32 : 31}m${mark}\x1b[0m` : mark;
    this.io.err(`${this.tty ? '\r' : ''} ${painted} ${this.current}\n`);
    this.current = '';
  }
}

interface KindContext {
  flags: ParsedFlags;
  env: NodeJS.ProcessEnv;
  io: Output;
  session: Session;
}

function currentKindCluster(session: Session): string | undefined {
  if (!session.store.exists()) return undefined;
  return session.store.read().kind?.name;
}

// Wipes the home's cluster: the state, container logs and kubeconfig. Called
// under the lock, so no other command sees half a cluster.
function wipeCluster(home: string, store: StateStore): void {
  fs.rmSync(store.stateFile, { force: true });
  fs.rmSync(path.join(home, 'logs'), { recursive: true, force: true });
  fs.rmSync(kubeconfigPath(home), { force: true });
  fs.rmSync(`${kubeconfigPath(home)}.cache.json`, { force: true });
}

function removeCluster(session: Session): void {
  stopDaemon(session.home);
  if (!fs.existsSync(session.home)) return;
  session.store.withLock(() => wipeCluster(session.home, session.store));
}

// Go's %q of the node names: ["a" "b"].
function deletedNodes(nodes: string[]): string {
  return `Deleted nodes: [${nodes.map((n) => JSON.stringify(n)).join(' ')}]\n`;
}

// Without a digest: what kind shows of an image reference.
function friendlyImage(image: string): string {
  return image.replace(/@sha256:[0-9a-f]+$/, '');
}

function createCluster(k: KindContext): number {
  const { flags, env, io, session } = k;
  const plan: ClusterPlan | undefined = flags.str('config') ? readClusterConfig(flags.str('config'), process.cwd()) : undefined;
  const name = flags.str('name') || env.KIND_CLUSTER_NAME || plan?.name || 'kind';
  if (currentKindCluster(session) === name) throw new KindError(`node(s) already exist for a cluster with the name "${name}"`);
  const preset = loadPreset('kind');
  const image = flags.str('image') || plan?.image || preset.kind!.nodeImage;
  const tty = process.stderr.isTTY === true && env.TERM !== 'dumb';
  const status = new Status(io, tty);
  io.err(`Creating cluster "${name}" ...\n`);
  status.start(`Ensuring node image (${friendlyImage(image)}) 🖼️`);
  const workers = plan?.workers ?? 0;
  status.start(`Preparing nodes ${'📦 '.repeat(1 + workers)}`);
  status.start('Writing configuration 📜');
  status.start('Starting control-plane 🕹️');
  let podSecurity: PodSecurityConfig | undefined;
  try {
    if (plan?.admissionConfigNodePath) {
      const host = plan.admissionConfigFile;
      if (!host) throw new KindError(`unable to read admission control configuration from "${plan.admissionConfigNodePath}"`);
      podSecurity = loadAdmissionConfig(host, plan.admissionConfigNodePath, plan.hostPath);
    }
  } catch (e) {
    if (!(e instanceof KindError)) throw e;
    // The API server does not come up: kubeadm init fails and kind cleans up.
    status.end(false);
    io.err(deletedNodes(kindNodeNames(name, workers)));
    throw new KindError(
      `failed to init node with kubeadm: command "docker exec --privileged ${name}-control-plane kubeadm init --config=/kind/kubeadm.conf --skip-token-print --v=6" failed with error: exit status 1\n\nCommand Output: ${e.message}`,
    );
  }
  stopDaemon(session.home);
  const { bootstrapState } = require('../../cluster/bootstrap') as typeof import('../../cluster/bootstrap');
  let port = 0;
  // The old cluster goes and the new one comes under one lock: no command in
  // between finds the home empty and bootstraps a default cluster in it.
  session.store.withLock(() => {
    wipeCluster(session.home, session.store);
    const state = bootstrapState(env, session.home, { preset: 'kind', clusterName: name, nodeImage: image, podSecurity, workers });
    // What each node container holds of the host: its bind mounts and kubelet flags.
    kindNodeNames(name, workers).forEach((node, i) => {
      const n = plan?.nodes[i];
      if (n && (n.mounts.length > 0 || n.seccompDefault)) (state.nodeHosts ??= {})[node] = { mounts: n.mounts, seccompDefault: n.seccompDefault };
    });
    port = state.kind?.apiServerPort ?? 0;
    session.store.write(state);
  });
  status.start('Installing CNI 🔌');
  status.start('Installing StorageClass 💾');
  if (workers > 0) status.start('Joining worker nodes 🚜');
  status.end(true);
  const context = `kind-${name}`;
  io.err(`Set kubectl context to "${context}"\n`);
  io.err(`You can now use your cluster with:\n\nkubectl cluster-info --context ${context}\n`);
  // kind picks one at random; the published port stands in for its dice.
  io.err(`\n${SALUTATIONS[port % SALUTATIONS.length]}\n`);
  return 0;
}

function deleteCluster(k: KindContext): number {
  const name = k.flags.str('name') || k.env.KIND_CLUSTER_NAME || 'kind';
  k.io.err(`Deleting cluster "${name}" ...\n`);
  if (currentKindCluster(k.session) !== name) return 0;
  const nodes = k.session.read((api) => api.peekList(kind('Node')).map((n) => n.metadata.name ?? ''));
  removeCluster(k.session);
  k.io.err(deletedNodes(nodes));
  return 0;
}

function getClusters(k: KindContext): number {
  const name = currentKindCluster(k.session);
  if (name === undefined) k.io.err('No kind clusters found.\n');
  else k.io.out(`${name}\n`);
  return 0;
}

export function runKind(argv: string[], env: NodeJS.ProcessEnv, io: Output): number {
  const allFlags = [...GLOBAL_FLAGS, ...Object.values(COMMAND_FLAGS).flat()];
  const words = commandWords(argv, allFlags);
  const verb = words[0] === 'version' ? 'version' : words.slice(0, 2).join(' ');
  if (words.length === 0 || (words.length === 1 && words[0] === 'help')) {
    io.out(USAGE);
    return 0;
  }
  const defs = COMMAND_FLAGS[verb];
  if (!defs) {
    io.err(`ERROR: unknown command "${words.join(' ')}" for "kind"\n`);
    return 1;
  }
  const rest = [...argv];
  for (const w of verb.split(' ')) rest.splice(rest.indexOf(w), 1);
  let flags: ParsedFlags;
  try {
    const parsed = parseFlags(rest, [...GLOBAL_FLAGS, ...defs]);
    if (parsed.args.length > 0) throw new FlagError(`unknown command "${parsed.args[0]}" for "kind ${verb}"`);
    flags = parsed.flags;
  } catch (e) {
    io.err(`ERROR: ${(e as Error).message}\n`);
    return 1;
  }
  if (flags.bool('help')) {
    io.out(`Usage of "kind ${verb}": see https://kind.sigs.k8s.io/docs/user/quick-start/\n`);
    return 0;
  }
  const k: KindContext = { flags, env, io, session: new Session(env) };
  try {
    switch (verb) {
      case 'create cluster':
        return createCluster(k);
      case 'delete cluster':
        return deleteCluster(k);
      case 'get clusters':
        return getClusters(k);
      default:
        io.out(`kind ${loadPreset('kind').kind!.version} go1.23.4 linux/amd64\n`);
        return 0;
    }
  } catch (e) {
    // kind prints every error this way (a corrupt state file, a lock timeout too).
    const prefix = verb === 'create cluster' ? 'failed to create cluster: ' : '';
    io.err(`ERROR: ${prefix}${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
