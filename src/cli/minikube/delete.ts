import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FlagDef } from '../flags';
import { stopDaemon } from '../sim';
import { StateStore } from '../../store/store';
import { clusterExists, clusterNodes, deleteContext, loadProfile, profileDir } from './context';
import type { MkCommand } from './context';

// minikube delete: the cluster's state, logs and profile are wiped, the
// daemon stopped and the kubeconfig entries removed. (The next kubectl
// command creates a fresh default cluster, as kubemu always does.)

const FLAGS: FlagDef[] = [
  { name: 'all', kind: 'bool' },
  { name: 'purge', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string', default: 'text' },
];

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const { out, session } = mk;
    const home = session.home;
    if (mk.args.length > 0) return out.exit({ id: 'MK_USAGE', exitCode: 14 }, 'usage: minikube delete');
    const exists = clusterExists(mk);
    if (!exists) out.err('meh', `"${mk.profile}" profile does not exist, trying anyways.`);
    const driver = exists ? loadProfile(mk).Driver : 'docker';
    const nodes = exists ? clusterNodes(mk) : [];
    if (exists) out.step('deletingHost', `Deleting "${mk.profile}" in ${driver} ...`);
    for (const n of nodes) out.step('deletingHost', `Deleting container "${n.name}" ...`);
    stopDaemon(home);
    const store = new StateStore(home);
    if (fs.existsSync(home)) {
      store.withLock(() => {
        fs.rmSync(store.stateFile, { force: true });
        fs.rmSync(path.join(home, 'logs'), { recursive: true, force: true });
      });
    }
    for (const n of nodes) {
      const machineDir = path.join(home, 'minikube', 'machines', n.name);
      out.step('deletingHost', `Removing ${machineDir} ...`);
      fs.rmSync(machineDir, { recursive: true, force: true });
    }
    fs.rmSync(profileDir(home, mk.profile), { recursive: true, force: true });
    deleteContext(mk);
    out.step('deleted', `Removed all traces of the "${mk.profile}" cluster.`);
    if (mk.flags.bool('purge')) {
      fs.rmSync(path.join(home, 'minikube'), { recursive: true, force: true });
      out.step('deleted', `Successfully purged minikube directory located at - [${path.join(home, 'minikube')}]`);
    }
    return 0;
  },
};
