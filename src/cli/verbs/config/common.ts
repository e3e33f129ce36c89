import type { CommandContext } from '../../command';
import { kubeconfigPath, readKubeconfig, writeKubeconfig } from '../../../cluster/kubeconfig';
import type { Kubeconfig, KubeconfigDoc } from '../../../cluster/kubeconfig';
import * as path from 'node:path';

// The kubeconfig the config sub-commands work on: kubemu's own, or --kubeconfig.

export function loadConfig(ctx: CommandContext): Kubeconfig {
  const explicit = ctx.flags.str('kubeconfig');
  if (explicit) return readKubeconfig(path.dirname(explicit));
  const session = ctx.session();
  session.ensureCluster();
  return readKubeconfig(session.home);
}

export function saveConfig(ctx: CommandContext, doc: KubeconfigDoc): void {
  const explicit = ctx.flags.str('kubeconfig');
  writeKubeconfig(explicit ? path.dirname(explicit) : ctx.session().home, doc);
}

export { kubeconfigPath };
