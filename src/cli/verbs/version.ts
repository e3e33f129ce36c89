import type { Command } from '../command';
import versions from '../../cluster/versions.json';
import { CliError } from '../errors';
import { toYaml } from '../../printers/yaml';
import type { Json } from '../../util/json';

// kubectl version: client (this emulator's kubectl 1.32), kustomize, and the
// cluster's server version.

export const command: Command = {
  flags: [
    { name: 'client', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
  ],
  run(ctx) {
    const client = ctx.flags.bool('client');
    const output = ctx.flags.str('output');
    if (output && output !== 'yaml' && output !== 'json') throw new CliError('error: --output must be \'yaml\' or \'json\'');
    const data: Record<string, unknown> = { clientVersion: versions.clientVersion, kustomizeVersion: versions.kustomizeVersion };
    if (!client) {
      ctx.session().ensureCluster();
      data.serverVersion = versions.serverVersion;
    }
    if (output === 'json') ctx.io.out(`${JSON.stringify(data, null, 2)}\n`);
    else if (output === 'yaml') ctx.io.out(`${toYaml(data as Json)}\n`);
    else {
      ctx.io.out(`Client Version: ${versions.clientVersion.gitVersion}\nKustomize Version: ${versions.kustomizeVersion}\n`);
      if (!client) ctx.io.out(`Server Version: ${versions.serverVersion.gitVersion}\n`);
    }
    return 0;
  },
};
