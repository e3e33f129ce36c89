import type { FlagDef } from '../flags';
import type { MkCommand } from './context';

// minikube kubectl -- ARGS: kubemu's own kubectl, told which cluster
// (`--cluster=<profile>` goes before the first flag, as minikube puts it).

const FLAGS: FlagDef[] = [{ name: 'ssh', kind: 'bool' }];

export const command: MkCommand = {
  flags: FLAGS,
  async run(mk) {
    const args = [...mk.args];
    if (args.length > 0) {
      const firstFlag = args.findIndex((a) => a.startsWith('-'));
      args.splice(firstFlag < 0 ? args.length : firstFlag, 0, `--cluster=${mk.profile}`);
    }
    const { main } = require('../main') as typeof import('../main');
    return main(args, mk.env, mk.io);
  },
};
