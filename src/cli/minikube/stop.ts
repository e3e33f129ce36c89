import type { FlagDef } from '../flags';
import { stopDaemon } from '../sim';
import { clusterNodes, deleteContext, isStopped, partial, setStopped } from './context';
import type { MkCommand } from './context';

// minikube stop: every node stopped, last first; the API server no longer
// answers (kubectl gets "connection refused") until `minikube start`, and the
// kubeconfig context is removed unless --keep-context-active.

const FLAGS: FlagDef[] = [
  { name: 'keep-context-active', kind: 'bool' },
  { name: 'all', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string', default: 'text' },
  { name: 'schedule', kind: 'duration' },
  { name: 'cancel-scheduled', kind: 'bool' },
];

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const { out } = mk;
    if (mk.flags.bool('cancel-scheduled')) {
      out.step('stopped', 'All existing scheduled stops cancelled');
      return 0;
    }
    partial(mk);
    const wasRunning = !isStopped(mk);
    const nodes = clusterNodes(mk).reverse();
    for (const n of nodes) {
      out.step('stopping', `Stopping node "${n.name}"  ...`);
      if (wasRunning) out.step('shutdown', `Powering off "${n.name}" via SSH ...`);
    }
    if (wasRunning) setStopped(mk, true);
    // The simulated cluster does not move while it is stopped.
    stopDaemon(mk.session.home);
    if (!mk.flags.bool('keep-context-active')) deleteContext(mk);
    out.step('stopped', `${nodes.length} node${nodes.length > 1 ? 's' : ''} stopped.`);
    return 0;
  },
};
