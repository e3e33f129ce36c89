import type { Command } from '../../command';
import { kindPrefix } from '../../../api/kinds';
import { AggregateError, CliError } from '../../errors';
import { OUTPUT_FLAGS, parseFormat, printOperation } from '../../output';
import { ROLLOUT_RESOURCE_FLAGS, rolloutTargets } from './common';
import { clone } from '../../../util/json';

// pause and resume flip spec.paused, with kubectl's messages when it is
// already so (objectpauser.go, objectresumer.go).
export function pauseOrResume(pause: boolean): Command {
  const verb = pause ? 'paused' : 'resumed';
  return {
    flags: [...ROLLOUT_RESOURCE_FLAGS, ...OUTPUT_FLAGS, { name: 'field-manager', kind: 'string', default: 'kubectl-rollout' }],
    run(ctx) {
      const format = parseFormat(ctx.flags);
      const errors: Error[] = [];
      const lines = ctx.session().write((api) =>
        rolloutTargets(ctx, api).map((t) => {
          if (t.info.kind !== 'Deployment') {
            errors.push(new CliError(`error: ${kindPrefix(t.info)}/${t.name} ${pause ? 'pausing' : 'resuming'} is not supported`));
            return '';
          }
          const d = api.get(t.info, t.namespace, t.name);
          const spec = (d.spec ?? {}) as { paused?: boolean };
          if (!!spec.paused === pause) {
            errors.push(new CliError(`error: ${t.info.resource}.${t.info.group} "${t.name}" is ${pause ? 'already paused' : 'not paused'}`));
            return '';
          }
          const next = clone(d);
          const nspec = next.spec as { paused?: boolean };
          if (pause) nspec.paused = true;
          else delete nspec.paused;
          const updated = api.update(next, { fieldManager: ctx.flags.str('field-manager') });
          return printOperation(format, t.info, updated, verb);
        }),
      );
      ctx.io.out(lines.join(''));
      if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
      return 0;
    },
  };
}
