import type { FlagDef } from '../flags';
import { clusterNodes, running } from './context';
import type { MkCommand } from './context';
import { REASONS } from './out';

// minikube ip: the IP of the primary control plane, or of --node.

const FLAGS: FlagDef[] = [{ name: 'node', short: 'n', kind: 'string' }];

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    running(mk);
    const nodes = clusterNodes(mk);
    const wanted = mk.flags.str('node');
    // node.Retrieve accepts the machine name or its short form (m02).
    const node = wanted ? nodes.find((n) => n.name === wanted || n.name.endsWith(`-${wanted}`)) : nodes[0];
    if (!node) return mk.out.exit(REASONS.nodeRetrieve, `retrieving node: Could not find node ${wanted}`);
    mk.out.ln(node.ip);
    return 0;
  },
};
