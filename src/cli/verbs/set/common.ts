import type { PodSpec } from 'kubernetes-types/core/v1';
import type { CommandContext } from '../../command';
import type { KubeObject } from '../../../api/types';
import type { KindInfo } from '../../../api/kinds';
import { kindPrefix } from '../../../api/kinds';
import type { ApiServer } from '../../../api/server';
import { AggregateError, CliError } from '../../errors';
import { NO_RESOURCE_HELP, parseResourceArgs } from '../../resources';
import { readManifests } from '../../manifests';
import { mapObject } from '../../objects';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat, printOperation } from '../../output';
import { listKind } from '../get';
import { RECORD_FLAG, maybeRecord } from '../../record';
import { klogWarning } from '../../klog';
import { clone, deepEqual, getPath } from '../../../util/json';
import type { FlagDef } from '../../flags';

// What the `kubectl set` sub-commands share: finding the objects (arguments,
// -f, -l, --all), their pod templates, and writing the change back.

export const SET_FLAGS: FlagDef[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  RECORD_FLAG,
  { name: 'filename', short: 'f', kind: 'stringSlice' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'all', kind: 'bool' },
  { name: 'all-namespaces', short: 'A', kind: 'bool' },
  { name: 'local', kind: 'bool' },
  { name: 'field-manager', kind: 'string', default: 'kubectl-set' },
];

// Where each kind keeps its pod spec.
const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

export function podSpecOf(obj: KubeObject): PodSpec | undefined {
  return getPath(obj, POD_SPEC_PATHS[obj.kind] ?? ['spec', 'template', 'spec']) as PodSpec | undefined;
}

export interface SetTarget {
  info: KindInfo;
  obj: KubeObject;
}

// The leading arguments that name objects; the rest (with `=`, or as the
// command says) are the command's own.
export function resolveTargets(ctx: CommandContext, api: ApiServer, resourceArgs: string[]): SetTarget[] {
  const flags = ctx.flags;
  const namespace = ctx.namespace();
  const out: SetTarget[] = [];
  if (flags.list('filename').length > 0) {
    for (const m of readManifests(flags.list('filename'), flags.bool('recursive'), () => ctx.readStdin())) {
      const mapped = mapObject(api, m, namespace, ctx.explicitNamespace());
      const obj = flags.bool('local') ? mapped.object : api.get(mapped.info, mapped.namespace, mapped.name);
      out.push({ info: mapped.info, obj });
    }
    return out;
  }
  if (resourceArgs.length === 0) throw new CliError(`error: ${NO_RESOURCE_HELP}`);
  if (flags.bool('local')) throw new CliError('error: --local requires -f');
  for (const r of parseResourceArgs(resourceArgs)) {
    if (r.names.length === 0) {
      if (!flags.bool('all') && !flags.str('selector')) throw new CliError('error: resource(s) were provided, but no name was specified');
      const ns = flags.bool('all-namespaces') ? undefined : namespace;
      for (const o of listKind(api, r.info, { namespace: ns, labelSelector: flags.str('selector') || undefined })) out.push({ info: r.info, obj: o });
    } else {
      for (const n of r.names) {
        // The same object named twice (`--record deployment.apps/x set image deployment/x`) changes once.
        const obj = api.get(r.info, r.info.namespaced ? namespace : undefined, n);
        if (!out.some((t) => t.obj.metadata.uid === obj.metadata.uid)) out.push({ info: r.info, obj });
      }
    }
  }
  return out;
}

// Changes each object with `mutate` (which returns false for "nothing to do",
// or throws) and prints `<kind>/<name> <what>` for the changed ones.
export function runSet(
  ctx: CommandContext,
  resourceArgs: string[],
  what: string,
  mutate: (obj: KubeObject, info: KindInfo) => void,
): number {
  const format = parseFormat(ctx.flags);
  const dryRun = parseDryRun(ctx.flags, (s) => ctx.io.err(klogWarning(s)));
  const local = ctx.flags.bool('local');
  const errors: Error[] = [];
  const lines: string[] = [];
  const body = (api: ApiServer) => {
    for (const t of resolveTargets(ctx, api, resourceArgs)) {
      try {
        const next = clone(t.obj);
        mutate(next, t.info);
        const changed = !deepEqual(next, t.obj);
        if (!changed && format.kind === 'default') continue;
        maybeRecord(ctx, next);
        let result = next;
        if (!local && dryRun !== 'client' && changed) {
          result = api.update(next, { dryRun: dryRun === 'server', fieldManager: ctx.flags.str('field-manager') });
        }
        lines.push(printOperation(format, t.info, result, `${what}${dryRunSuffix(dryRun)}`));
      } catch (e) {
        errors.push(e as Error);
      }
    }
  };
  const session = ctx.session();
  if (local || dryRun === 'client') session.read(body);
  else session.write(body);
  for (const l of lines) ctx.io.out(l);
  if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
  return 0;
}

export { kindPrefix };
