import type { CommandContext } from '../../command';
import { kubeconfigPath, readKubeconfig, readKubeconfigFile, writeKubeconfig, writeKubeconfigFile } from '../../../cluster/kubeconfig';
import type { Kubeconfig, KubeconfigDoc } from '../../../cluster/kubeconfig';
import * as path from 'node:path';

// The kubeconfig the config sub-commands work on: --kubeconfig's file, else
// kubemu's own. $KUBECONFIG is not read: it usually names a real cluster's
// file, which kubemu never touches unless the command line names it.

function userFile(ctx: CommandContext): string | undefined {
  const named = ctx.flags.str('kubeconfig');
  if (!named) return undefined;
  const file = path.resolve(named);
  // A name for kubemu's own kubeconfig is the default, bootstrapped as ever.
  return file === path.resolve(kubeconfigPath(ctx.session().home)) ? undefined : file;
}

export function loadConfig(ctx: CommandContext): Kubeconfig {
  const file = userFile(ctx);
  if (file) return readKubeconfigFile(file);
  const session = ctx.session();
  session.ensureCluster();
  return readKubeconfig(session.home);
}

export function saveConfig(ctx: CommandContext, doc: KubeconfigDoc): void {
  const file = userFile(ctx);
  if (file) writeKubeconfigFile(file, doc);
  else writeKubeconfig(ctx.session().home, doc);
}

export { kubeconfigPath };
