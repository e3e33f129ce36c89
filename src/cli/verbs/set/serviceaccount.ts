import type { Command } from '../../command';
import { CliError } from '../../errors';
import { SET_FLAGS, podSpecOf, runSet } from './common';

// kubectl set serviceaccount (-f FILE | TYPE NAME) SERVICE_ACCOUNT
export const command: Command = {
  flags: SET_FLAGS,
  run(ctx) {
    const sa = ctx.args.length > 0 ? ctx.args[ctx.args.length - 1] : '';
    if (!sa || (ctx.args.length < 2 && ctx.flags.list('filename').length === 0)) {
      throw new CliError("error: serviceaccount is required\nSee 'kubectl set serviceaccount -h' for help and examples");
    }
    const resources = ctx.flags.list('filename').length > 0 ? [] : ctx.args.slice(0, -1);
    return runSet(ctx, resources, 'serviceaccount updated', (obj) => {
      const spec = podSpecOf(obj);
      if (!spec) return;
      spec.serviceAccountName = sa;
      delete spec.serviceAccount;
    });
  },
};
