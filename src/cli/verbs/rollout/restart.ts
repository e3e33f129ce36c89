import type { Command } from '../../command';
import { kindPrefix } from '../../../api/kinds';
import { AggregateError, CliError } from '../../errors';
import { OUTPUT_FLAGS, parseFormat, printOperation } from '../../output';
import { ROLLOUT_RESOURCE_FLAGS, rolloutTargets } from './common';
import { clone } from '../../../util/json';

// kubectl rollout restart: a new rollout with the same template, marked by the
// kubectl.kubernetes.io/restartedAt template annotation (local time, RFC 3339).

function localRfc3339(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const zone = off === 0 ? 'Z' : `${off > 0 ? '+' : '-'}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}${zone}`;
}

export const command: Command = {
  flags: [...ROLLOUT_RESOURCE_FLAGS, ...OUTPUT_FLAGS, { name: 'field-manager', kind: 'string', default: 'kubectl-rollout' }],
  run(ctx) {
    const format = parseFormat(ctx.flags);
    const errors: Error[] = [];
    const lines = ctx.session().write((api) =>
      rolloutTargets(ctx, api).map((t) => {
        if (!['Deployment', 'DaemonSet', 'StatefulSet'].includes(t.info.kind)) {
          errors.push(new CliError(`error: ${kindPrefix(t.info)}/${t.name} restarting is not supported`));
          return '';
        }
        const obj = api.get(t.info, t.namespace, t.name);
        if ((obj.spec as { paused?: boolean }).paused) {
          errors.push(new CliError(`error: ${t.info.resource}.${t.info.group} "${t.name}" can't restart paused deployment (run rollout resume first)`));
          return '';
        }
        const next = clone(obj);
        const template = (next.spec as { template: { metadata?: { annotations?: Record<string, string> } } }).template;
        template.metadata ??= {};
        template.metadata.annotations = { ...(template.metadata.annotations ?? {}), 'kubectl.kubernetes.io/restartedAt': localRfc3339(api.now()) };
        const updated = api.update(next, { fieldManager: ctx.flags.str('field-manager') });
        return printOperation(format, t.info, updated, 'restarted');
      }),
    );
    ctx.io.out(lines.join(''));
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
    return 0;
  },
};
