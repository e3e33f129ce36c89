import type { Deployment } from 'kubernetes-types/apps/v1';
import type { Command } from '../../command';
import type { KubeObject } from '../../../api/types';
import { kindPrefix } from '../../../api/kinds';
import { CliError } from '../../errors';
import { DRY_RUN_FLAG, dryRunSuffix, parseDryRun } from '../../output';
import { ROLLOUT_RESOURCE_FLAGS, requireKinds, revisionsOf, rolloutTargets } from './common';
import { clone, deepEqual } from '../../../util/json';
import { REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS } from '../../../controllers/deployment';
import { klogWarning } from '../../klog';

// kubectl rollout undo [--to-revision=N]: puts a previous revision's pod
// template back (kubectl's Deployment rollbacker: the template minus its
// pod-template-hash, and the revision's annotations).

const SKIPPED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

export const command: Command = {
  flags: [...ROLLOUT_RESOURCE_FLAGS, DRY_RUN_FLAG, { name: 'to-revision', kind: 'int' }, { name: 'output', short: 'o', kind: 'string' }],
  run(ctx) {
    const dryRun = parseDryRun(ctx.flags, (s) => ctx.io.err(klogWarning(s)));
    const to = ctx.flags.int('to-revision');
    const lines = ctx.session().write((api) =>
      rolloutTargets(ctx, api).map((t) => {
        requireKinds(t.info, ['Deployment', 'DaemonSet', 'StatefulSet'], 'rollbacker');
        const d = api.get(t.info, t.namespace, t.name) as Deployment & KubeObject;
        const name = `${kindPrefix(t.info)}/${t.name}`;
        if (d.spec?.paused) {
          throw new CliError("error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
        }
        const revisions = revisionsOf(api, t.info, d);
        let target;
        if (to > 0) {
          target = revisions.find((r) => r.revision === to);
          if (!target) throw new CliError(`error: unable to find specified revision ${to} in history`);
        } else {
          if (revisions.length < 2) throw new CliError(`error: no rollout history found for ${t.info.kind.toLowerCase()} "${t.name}"`);
          target = revisions[revisions.length - 2];
        }
        const template = clone(target.template);
        if (template?.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
        if (deepEqual(template, d.spec?.template)) return `${name} skipped rollback (current template already matches revision ${target.revision})\n`;
        if (dryRun === 'client') return `${name} rolled back${dryRunSuffix(dryRun)}\n`;
        const next = clone(d);
        next.spec = { ...next.spec!, template: template! };
        const annotations: Record<string, string> = {};
        for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (SKIPPED.has(k)) annotations[k] = v;
        for (const [k, v] of Object.entries(target.obj.metadata.annotations ?? {})) if (!SKIPPED.has(k)) annotations[k] = v;
        next.metadata.annotations = annotations;
        api.update(next, { dryRun: dryRun === 'server', fieldManager: 'kubectl-rollout' });
        return `${name} rolled back${dryRunSuffix(dryRun)}\n`;
      }),
    );
    ctx.io.out(lines.join(''));
    return 0;
  },
};
