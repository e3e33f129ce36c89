import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import { apiVersionOf } from '../../api/kinds';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { klogWarning } from '../klog';
import { requireFlags, sendGenerated, withLastAppliedTyped } from './create/common';
import { goNormalize } from './create/go-structs';
import { printOperation } from '../output';
import type { Format } from '../output';
import { kind } from '../../api/registry';
import { hasScale } from '../../api/scale';
import { inVersion } from '../../api/conversion';

// kubectl autoscale: an autoscaling/v1 HorizontalPodAutoscaler (kubectl 1.32
// still builds v1) for each object that has a scale subresource.

const FLAGS = [
  ...OUTPUT_FLAGS,
  RECORD_FLAG,
  DRY_RUN_FLAG,
  ...FILENAME_FLAGS,
  { name: 'min', kind: 'int' as const, default: -1 },
  { name: 'max', kind: 'int' as const, default: -1 },
  { name: 'cpu-percent', kind: 'int' as const, default: -1 },
  { name: 'name', kind: 'string' as const },
  { name: 'save-config', kind: 'bool' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-autoscale' },
];

function buildHpa(ctx: CommandContext, t: Target): KubeObject {
  const f = ctx.flags;
  const spec: Record<string, unknown> = {
    scaleTargetRef: { kind: t.info.kind, name: t.name, apiVersion: apiVersionOf(t.info) },
    maxReplicas: f.int('max'),
  };
  if (f.int('min') > 0) spec.minReplicas = f.int('min');
  if (f.int('cpu-percent') >= 0) spec.targetCPUUtilizationPercentage = f.int('cpu-percent');
  const hpa: KubeObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: f.str('name') || t.name }, spec };
  if (f.bool('record')) hpa.metadata.annotations = { [CHANGE_CAUSE]: changeCause(ctx) };
  return hpa;
}

interface HpaV1 {
  spec: { scaleTargetRef: { kind: string; name: string; apiVersion?: string }; minReplicas?: number; maxReplicas: number; targetCPUUtilizationPercentage?: number };
  status?: { observedGeneration?: number; lastScaleTime?: string; currentReplicas?: number; desiredReplicas?: number; currentCPUUtilizationPercentage?: number };
}

// The HorizontalPodAutoscaler as kubectl's autoscaling/v1 struct holds it:
// fields in declaration order, zero values where Go has no omitempty.
// (The shared Go struct table does not have the autoscaling types yet.)
function typedHpa(obj: KubeObject): KubeObject {
  const { spec, status = {} } = obj as unknown as HpaV1;
  const ref = spec.scaleTargetRef;
  const opt = <T>(key: string, v: T | undefined) => (v === undefined ? {} : { [key]: v });
  return {
    kind: obj.kind,
    apiVersion: obj.apiVersion,
    metadata: goNormalize(obj.metadata, 'meta.ObjectMeta'),
    spec: {
      scaleTargetRef: { kind: ref.kind, name: ref.name, ...opt('apiVersion', ref.apiVersion || undefined) },
      ...opt('minReplicas', spec.minReplicas),
      maxReplicas: spec.maxReplicas,
      ...opt('targetCPUUtilizationPercentage', spec.targetCPUUtilizationPercentage),
    },
    status: {
      ...opt('observedGeneration', status.observedGeneration),
      ...opt('lastScaleTime', status.lastScaleTime),
      currentReplicas: status.currentReplicas ?? 0,
      desiredReplicas: status.desiredReplicas ?? 0,
      ...opt('currentCPUUtilizationPercentage', status.currentCPUUtilizationPercentage),
    },
  };
}

// A printer per object: YAML documents are not separated.
function print(format: Format, obj: KubeObject, operation: string): string {
  return printOperation(format, kind('HorizontalPodAutoscaler'), typedHpa(obj), operation, { sortKeys: false });
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    requireFlags(ctx, ['max']);
    const f = ctx.flags;
    const dryRun = parseDryRun(f, (s) => ctx.io.err(klogWarning(s)));
    const max = f.int('max');
    const min = f.int('min');
    if (max < 1) throw new CliError(`error: --max=MAXPODS is required and must be at least 1, max: ${max}`);
    if (max < min) throw new CliError(`error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: ${max}, min: ${min}`);
    const format = parseFormat(f);
    const sel = ctx.session().read((api) => selectTargets(api, selectOptions(ctx, ctx.args)));
    const errors: Error[] = [];
    let count = 0;
    for (const t of sel.items) {
      if (t instanceof Error) {
        errors.push(t);
        continue;
      }
      try {
        if (!hasScale(t.info)) {
          const gv = `${t.info.group}/${t.info.version}`;
          throw new CliError(
            `error: cannot autoscale a ${t.info.kind}: could not find scale subresource for ${gv}, Resource=${t.info.resource} in discovery information`,
          );
        }
        let hpa = buildHpa(ctx, t);
        if (dryRun === 'client') {
          ctx.io.out(print(format, hpa, `created${dryRunSuffix(dryRun)}`));
          count++;
          continue;
        }
        if (f.bool('save-config')) hpa = withLastAppliedTyped(hpa);
        // The typed client reads the answer back as autoscaling/v1.
        const created = inVersion(sendGenerated(ctx, hpa, dryRun), 'autoscaling/v1');
        ctx.io.out(print(format, created, `autoscaled${dryRunSuffix(dryRun)}`));
        count++;
      } catch (e) {
        errors.push(e as Error);
      }
    }
    raiseAll(errors);
    if (count === 0 && errors.length === 0) throw new CliError('error: no objects passed to autoscale');
    return 0;
  },
};
