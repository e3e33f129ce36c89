import type { FlagDef } from '../flags';
import { nodeName, nodeObject } from '../../cluster/nodes';
import { preloadedImages } from '../../sim/images';
import { clusterNodes, loadProfile, partial, preset, running } from './context';
import { bootNode, prepare } from './start';
import type { Mk, MkCommand } from './context';
import { REASONS } from './out';

// minikube node list | add: the cluster's nodes, and a worker joining it
// (a Node object registered as the kubelet would; DaemonSets follow).

const FLAGS: FlagDef[] = [
  { name: 'worker', kind: 'bool', default: true },
  { name: 'control-plane', kind: 'bool' },
  { name: 'delete-on-failure', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
];

function list(mk: Mk): number {
  if (mk.args.length !== 0) return mk.out.exit(REASONS.usage, 'Usage: minikube node list');
  partial(mk);
  for (const n of clusterNodes(mk)) mk.out.raw(`${n.name}\t${n.ip}\n`);
  return 0;
}

function add(mk: Mk): number {
  const { out, flags } = mk;
  running(mk);
  const cfg = loadProfile(mk);
  if (flags.bool('control-plane')) {
    out.err(
      'failure',
      "Adding a control-plane node to a non-HA (non-multi-control plane) cluster is not currently supported. Please first delete the cluster and use 'minikube start --ha' to create new one.",
    );
  }
  const roles = [flags.bool('worker') ? 'worker' : '', flags.bool('control-plane') ? 'control-plane' : ''].filter(Boolean);
  const existing = clusterNodes(mk);
  const index = existing.length;
  const shortName = `m${String(index + 1).padStart(2, '0')}`;
  out.step('happy', `Adding node ${shortName} to cluster ${mk.profile} as [${roles.join(' ')}]`);
  if (existing.length === 1 && !cfg.MultiNodeRequested) {
    out.warning('Cluster was created without any CNI, adding a node to it might cause broken networking.');
  }
  bootNode(mk, cfg, nodeName(preset(), index), 'worker', 'create');
  mk.session.write((api) => {
    const node = nodeObject(preset(), index, api.now(), api.world.rng, false);
    (node.status as { images: unknown[] }).images = preloadedImages();
    api.create(node, { fieldManager: 'kubelet' });
  });
  prepare(mk, cfg);
  out.step('healthCheck', 'Verifying Kubernetes components...');
  out.step('ready', `Successfully added ${shortName} to ${mk.profile}!`);
  return 0;
}

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const [sub, ...args] = mk.args;
    const subMk = { ...mk, args };
    if (sub === 'list') return list(subMk);
    if (sub === 'add') return add(subMk);
    mk.io.out('Operations on nodes\n\nAvailable Commands:\n  add           Adds a node to the given cluster.\n  list          List nodes.\n');
    return sub === undefined ? 0 : 14;
  },
};
