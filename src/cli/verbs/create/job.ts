import type { CommandContext } from '../../command';
import type { KubeObject } from '../../../api/types';
import { CliError } from '../../errors';
import { resolveResource } from '../../../api/kinds';
import { notFound } from '../../../api/errors';
import { commandArgs, enforcedNamespace, generator } from './common';

// kubectl create job NAME --image=image [-- COMMAND [args...]]
// kubectl create job NAME --from=cronjob/NAME

interface JobTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

// The Job kubectl instantiates from a CronJob's job template (createJobFromCronJob).
export function jobFromCronJob(cronJob: KubeObject, name: string, namespace: string | undefined): KubeObject {
  const template = ((cronJob.spec ?? {}) as { jobTemplate?: JobTemplate }).jobTemplate ?? {};
  const owner = { apiVersion: 'batch/v1', kind: 'CronJob', name: cronJob.metadata.name ?? '', uid: cronJob.metadata.uid ?? '', controller: true };
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: {
      name,
      namespace,
      annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', ...(template.metadata?.annotations ?? {}) },
      labels: template.metadata?.labels,
      ownerReferences: [owner],
    },
    spec: template.spec,
  };
}

// The object --from names, read as the resource builder would (TYPE/NAME).
function readFrom(ctx: CommandContext, from: string): KubeObject {
  const slash = from.indexOf('/');
  if (slash < 0) throw new CliError(`error: resource(s) were provided, but no name was specified`);
  const typed = from.slice(0, slash);
  const name = from.slice(slash + 1);
  const resolved = resolveResource(typed);
  if ('error' in resolved) throw new CliError(`error: ${resolved.error}`);
  const info = resolved.kind;
  const namespace = ctx.namespace();
  const obj = ctx.session().read((api) => api.tryGet(info, info.namespaced ? namespace : undefined, name));
  if (!obj) throw notFound(info, name);
  if (info.kind !== 'CronJob') throw new CliError(`error: unknown object type *${info.version}.${info.kind}`);
  return obj;
}

export const command = generator({
  flags: [
    { name: 'image', kind: 'string' },
    { name: 'from', kind: 'string' },
  ],
  errorPrefix: 'failed to create job: ',
  build(ctx, name) {
    const image = ctx.flags.str('image');
    const from = ctx.flags.str('from');
    const cmd = commandArgs(ctx);
    if ((image === '') === (from === '')) throw new CliError('error: either --image or --from must be specified');
    if (cmd && from !== '') throw new CliError('error: cannot specify --from and command');
    if (from !== '') return jobFromCronJob(readFrom(ctx, from), name, enforcedNamespace(ctx));
    return {
      kind: 'Job',
      apiVersion: 'batch/v1',
      metadata: { name, namespace: enforcedNamespace(ctx) },
      spec: { template: { spec: { containers: [{ name, image, command: cmd }], restartPolicy: 'Never' } } },
    };
  },
});
