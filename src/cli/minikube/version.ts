import type { FlagDef } from '../flags';
import { MINIKUBE_COMMIT, preset } from './context';
import type { MkCommand } from './context';
import { REASONS } from './out';
import { toYaml } from '../../printers/yaml';

// minikube version.

const FLAGS: FlagDef[] = [
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'short', kind: 'bool' },
  { name: 'components', kind: 'bool' },
];

export const command: MkCommand = {
  flags: FLAGS,
  run(mk) {
    const { out, flags } = mk;
    const version = preset().minikubeVersion ?? '';
    // encoding/json and yaml.Marshal both sort a map's keys.
    const data = { commit: MINIKUBE_COMMIT, minikubeVersion: version };
    switch (flags.str('output')) {
      case '':
        if (flags.bool('short')) out.ln(version);
        else out.ln(`minikube version: ${version}\ncommit: ${MINIKUBE_COMMIT}`);
        return 0;
      case 'json':
        out.ln(JSON.stringify(data));
        return 0;
      case 'yaml':
        out.ln(toYaml(data));
        return 0;
      default:
        return out.exit({ ...REASONS.usage, id: 'MK_OUTPUT_USAGE', exitCode: 14 }, "error: --output must be 'yaml' or 'json'");
    }
  },
};
