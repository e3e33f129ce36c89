import type { Command } from '../command';
import { KINDS, apiVersionOf } from '../../api/kinds';

// kubectl api-versions: every group/version served, sorted.
export function servedVersions(): string[] {
  const set = new Set<string>();
  for (const k of KINDS) {
    set.add(apiVersionOf(k));
    for (const v of k.otherVersions ?? []) set.add(apiVersionOf(k, v));
  }
  return [...set].sort();
}

export const command: Command = {
  run(ctx) {
    ctx.session().ensureCluster();
    ctx.io.out(servedVersions().map((v) => `${v}\n`).join(''));
    return 0;
  },
};
