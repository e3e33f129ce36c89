import { commandArgs, enforcedNamespace, generator } from './common';

// kubectl create cronjob NAME --image=image --schedule='0/5 * * * ?' [--restart=OnFailure|Never]
//   [-- COMMAND [args...]]. kubectl checks neither the schedule nor the restart policy.
export const command = generator({
  flags: [
    { name: 'image', kind: 'string' },
    { name: 'schedule', kind: 'string' },
    { name: 'restart', kind: 'string' },
  ],
  required: ['image', 'schedule'],
  errorPrefix: 'failed to create cronjob: ',
  build(ctx, name) {
    const container = { name, image: ctx.flags.str('image'), command: commandArgs(ctx) };
    return {
      kind: 'CronJob',
      apiVersion: 'batch/v1',
      metadata: { name, namespace: enforcedNamespace(ctx) },
      spec: {
        schedule: ctx.flags.str('schedule'),
        jobTemplate: {
          metadata: { name },
          spec: { template: { spec: { containers: [container], restartPolicy: ctx.flags.str('restart') || 'OnFailure' } } },
        },
      },
    };
  },
});
