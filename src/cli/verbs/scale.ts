import type { Command, CommandContext } from '../command';
import type { ApiServer } from '../../api/server';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat, printOperation } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { klogWarning } from '../klog';
import { requireFlags } from './create/common';
import { getScale, updateScale } from '../../api/scale';
import { patchResource } from '../../api/patch';
import { waitFor } from '../waiting';
import { clone } from '../../util/json';

// kubectl scale: spec.replicas through the scale subresource, optionally on
// the conditions that the size or resourceVersion are still as expected, and
// waiting (--timeout) for the new size to be reached.

const FLAGS = [
  ...OUTPUT_FLAGS,
  RECORD_FLAG,
  DRY_RUN_FLAG,
  ...FILENAME_FLAGS,
  { name: 'all', kind: 'bool' as const },
  { name: 'resource-version', kind: 'string' as const },
  { name: 'current-replicas', kind: 'int' as const, default: -1 },
  { name: 'replicas', kind: 'int' as const },
  { name: 'timeout', kind: 'duration' as const },
  { name: 'selector', short: 'l', kind: 'string' as const },
];

interface Precondition {
  size: number;
  resourceVersion: string;
}

// ScaleSimple: a merge patch of the size, or with preconditions a read,
// a check and an update of the Scale.
function scaleOne(api: ApiServer, t: Target, replicas: number, pre: Precondition | undefined, dryRun: boolean): void {
  if (!pre) {
    patchResource(api, t.info, t.namespace, t.name, 'merge', JSON.stringify({ spec: { replicas } }), { subresource: 'scale', dryRun });
    return;
  }
  const scale = getScale(api, t.info, t.namespace, t.name);
  const current = (scale.spec as { replicas: number }).replicas;
  if (pre.size !== -1 && current !== pre.size) throw new CliError(`error: Expected replicas to be ${pre.size}, was ${current}`);
  if (pre.resourceVersion && scale.metadata.resourceVersion !== pre.resourceVersion) {
    throw new CliError(`error: Expected resource version to be ${pre.resourceVersion}, was ${scale.metadata.resourceVersion ?? ''}`);
  }
  updateScale(api, t.info, { ...scale, spec: { replicas } }, { dryRun });
}

// scaleHasDesiredReplicas, as kubectl words it (a changed size counts as done).
function synced(api: ApiServer, t: Target, replicas: number): true | undefined {
  const scale = getScale(api, t.info, t.namespace, t.name);
  const spec = (scale.spec as { replicas: number }).replicas;
  const status = (scale.status as { replicas: number }).replicas;
  return spec !== replicas || (spec === status && replicas === status) ? true : undefined;
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    requireFlags(ctx, ['replicas']);
    const f = ctx.flags;
    const dryRun = parseDryRun(f, (s) => ctx.io.err(klogWarning(s)));
    const format = parseFormat(f);
    const replicas = f.int('replicas');
    const currentReplicas = f.int('current-replicas');
    if (replicas < 0) throw new CliError('error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
    if (currentReplicas < -1) throw new CliError('error: The --current-replicas must specify an integer of -1 or greater');
    const session = ctx.session();
    const opts = selectOptions(ctx, ctx.args, { selector: f.str('selector') || undefined, selectAll: f.bool('all') });
    const sel = session.read((api) => selectTargets(api, opts));
    const infos = sel.items.filter((i): i is Target => !(i instanceof Error));
    const infoErrors = sel.items.filter((i): i is Error => i instanceof Error);
    const resourceVersion = f.str('resource-version');
    if (resourceVersion && infos.length > 1) throw new CliError('error: cannot use --resource-version with multiple resources');
    if (infos.length === 0) {
      if (infoErrors.length === 0) throw new CliError('error: no objects passed to scale');
      const detail = infoErrors.length === 1 ? infoErrors[0].message : `[${infoErrors.map((e) => e.message).join(', ')}]`;
      throw new CliError(`error: no objects passed to scale ${detail}`);
    }
    const pre = currentReplicas !== -1 || resourceVersion ? { size: currentReplicas, resourceVersion } : undefined;
    const timeout = f.duration('timeout');
    const operation = `scaled${dryRunSuffix(dryRun)}`;
    infos.forEach((t, index) => {
      if (dryRun !== 'client') {
        session.write((api) => {
          scaleOne(api, t, replicas, pre, dryRun === 'server');
          if (f.bool('record') && dryRun === 'none') {
            const obj = clone(api.get(t.info, t.namespace, t.name));
            obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) };
            api.update(obj);
          }
        });
        if (timeout !== 0 && dryRun === 'none' && !waitFor(session, (api) => synced(api, t, replicas), { timeoutMs: timeout })) {
          throw new CliError(`error: timed out waiting for ${JSON.stringify(t.name)} to be synced`);
        }
      }
      // One printer prints them all: YAML documents are separated.
      ctx.io.out(printOperation(format, t.info, t.object, operation, { index }));
    });
    raiseAll(infoErrors);
    return 0;
  },
};
