import type { Pod } from 'kubernetes-types/core/v1';
import type { Command } from '../command';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, parseDryRun } from '../output';
import { nodesFor, setSchedulable } from './node-schedulability';
import { controllerOf } from '../../controllers/podtemplate';
import { waitFor } from '../waiting';
import { klogWarning } from '../klog';

// kubectl drain NODE: cordon, then evict every pod on the node that may go
// (kubectl's filters: mirror pods are skipped, DaemonSet pods need
// --ignore-daemonsets, bare pods --force, pods with emptyDir
// --delete-emptydir-data), then wait for them to be gone.

type P = Pod & KubeObject;

interface Verdict {
  evict: boolean;
  warning?: string; // category of the warning printed for evicted/ignored pods
  error?: string; // category of the blocking error
}

function filter(pod: P, flags: { force: boolean; ignoreDaemonsets: boolean; deleteEmptyDir: boolean }): Verdict {
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror']) return { evict: false };
  const phase = pod.status?.phase;
  const finished = phase === 'Succeeded' || phase === 'Failed';
  const ref = controllerOf(pod);
  if (ref?.kind === 'DaemonSet') {
    if (!flags.ignoreDaemonsets) return { evict: false, error: 'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    return { evict: false, warning: 'ignoring DaemonSet-managed Pods' };
  }
  let warning: string | undefined;
  if (!ref && !finished) {
    if (!flags.force) return { evict: false, error: 'cannot delete Pods that declare no controller (use --force to override)' };
    warning = 'deleting Pods that declare no controller';
  }
  if ((pod.spec?.volumes ?? []).some((v) => v.emptyDir) && !finished) {
    if (!flags.deleteEmptyDir) return { evict: false, error: 'cannot delete Pods with local storage (use --delete-emptydir-data to override)' };
    warning ??= 'deleting Pods with local storage';
  }
  return { evict: true, warning };
}

export const command: Command = {
  flags: [
    DRY_RUN_FLAG,
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'pod-selector', kind: 'string' },
    { name: 'force', kind: 'bool' },
    { name: 'ignore-daemonsets', kind: 'bool' },
    { name: 'delete-emptydir-data', kind: 'bool' },
    { name: 'delete-local-data', kind: 'bool' },
    { name: 'grace-period', kind: 'int', default: -1 },
    { name: 'timeout', kind: 'duration' },
    { name: 'disable-eviction', kind: 'bool' },
    { name: 'skip-wait-for-delete-timeout', kind: 'int' },
    { name: 'chunk-size', kind: 'int', default: 500 },
  ],
  run(ctx) {
    const flags = ctx.flags;
    const dryRun = parseDryRun(flags, (s) => ctx.io.err(klogWarning(s)));
    const opts = {
      force: flags.bool('force'),
      ignoreDaemonsets: flags.bool('ignore-daemonsets'),
      deleteEmptyDir: flags.bool('delete-emptydir-data') || flags.bool('delete-local-data'),
    };
    const session = ctx.session();
    const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
    const result = session.write((api) =>
      nodesFor(ctx, api).map((node) => {
        const cordoned = setSchedulable(api, node, true, dryRun);
        const pods = api
          .peekList(kind('Pod'))
          .filter((p) => (p as P).spec?.nodeName === node.metadata.name && !p.metadata.deletionTimestamp) as P[];
        const warnings = new Map<string, string[]>();
        const errors = new Map<string, string[]>();
        const evict: P[] = [];
        for (const p of pods) {
          const v = filter(p, opts);
          const who = `${p.metadata.namespace}/${p.metadata.name}`;
          if (v.error) errors.set(v.error, [...(errors.get(v.error) ?? []), who]);
          if (v.warning) warnings.set(v.warning, [...(warnings.get(v.warning) ?? []), who]);
          if (v.evict) evict.push(p);
        }
        return { node: node.metadata.name ?? '', cordoned, warnings, errors, evict };
      }),
    );
    for (const r of result) {
      ctx.io.out(r.cordoned);
      if (r.errors.size > 0) {
        // One category reads `cannot delete cannot delete ...`; several are a Go aggregate: `[a, b]`.
        const parts = [...r.errors].map(([cat, who]) => `cannot delete ${cat}: ${who.join(', ')}`);
        const msg = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
        throw new CliError(
          `error: unable to drain node "${r.node}" due to error: cannot delete ${msg}, continuing command...\nThere are pending nodes to be drained:\n ${r.node}\ncannot delete ${msg}`,
        );
      }
      for (const [cat, who] of r.warnings) ctx.io.err(`Warning: ${cat}: ${who.join(', ')}\n`);
      for (const p of r.evict) ctx.io.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name}${suffix}\n`);
      if (dryRun === 'none') {
        session.write((api) => {
          for (const p of r.evict) {
            const grace = flags.int('grace-period');
            api.delete(kind('Pod'), p.metadata.namespace, p.metadata.name ?? '', grace >= 0 ? { gracePeriodSeconds: grace } : {});
          }
        });
        const gone = waitFor(
          session,
          (api) => (r.evict.every((p) => { const cur = api.peek(kind('Pod'), p.metadata.namespace, p.metadata.name ?? ''); return !cur || cur.metadata.uid !== p.metadata.uid; }) ? true : undefined),
          { timeoutMs: flags.duration('timeout') },
        );
        if (!gone) throw new CliError(`error: unable to drain node "${r.node}" due to error: global timeout reached: ${flags.str('timeout')}`);
        for (const p of r.evict) ctx.io.out(`pod/${p.metadata.name} evicted\n`);
      }
      ctx.io.out(`node/${r.node} drained${suffix}\n`);
    }
    return 0;
  },
};
