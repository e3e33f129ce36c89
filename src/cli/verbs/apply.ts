import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import { StatusError } from '../../api/errors';
import { AggregateError, CliError } from '../errors';
import { readManifests } from '../manifests';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat, printOperation } from '../output';
import type { DryRun } from '../output';
import { describeInfo, mapObject, missingName, withSource } from '../objects';
import type { MappedObject } from '../objects';
import { threeWayPatch, applyStrategicPatch } from '../../api/merge/strategic';
import { clone, isObject, sortKeys } from '../../util/json';
import type { JsonObject } from '../../util/json';
import { goCompactJson } from '../../util/gojson';
import { klogWarning } from '../klog';
import { inVersion } from '../../api/conversion';

// kubectl apply (client-side): create what is missing, otherwise a three-way
// strategic merge of the last applied configuration, the manifest and the live
// object; the manifest is kept in the last-applied-configuration annotation.

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const FLAGS = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  { name: 'filename', short: 'f', kind: 'stringSlice' as const },
  { name: 'recursive', short: 'R', kind: 'bool' as const },
  { name: 'kustomize', short: 'k', kind: 'string' as const },
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'validate', kind: 'string' as const, default: 'strict', noOptDefVal: 'strict' },
  { name: 'force', kind: 'bool' as const },
  { name: 'server-side', kind: 'bool' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-client-side-apply' },
  { name: 'force-conflicts', kind: 'bool' as const },
  { name: 'overwrite', kind: 'bool' as const, default: true },
  { name: 'prune', kind: 'bool' as const },
  { name: 'all', kind: 'bool' as const },
  { name: 'cascade', kind: 'string' as const, default: 'background', noOptDefVal: 'background' },
  { name: 'grace-period', kind: 'int' as const, default: -1 },
  { name: 'timeout', kind: 'duration' as const },
  { name: 'wait', kind: 'bool' as const },
  { name: 'record', kind: 'bool' as const, deprecated: '--record will be removed in the future' },
  { name: 'save-config', kind: 'bool' as const },
  { name: 'openapi-patch', kind: 'bool' as const, default: true },
];

// The annotation's value: the manifest as compact JSON, keys sorted, with its
// namespace and an `annotations` map (without this annotation), then a newline.
export function lastAppliedValue(obj: KubeObject): string {
  const copy = clone(obj);
  const annotations = { ...(copy.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  copy.metadata.annotations = annotations;
  return `${goCompactJson(sortKeys(copy))}\n`;
}

export function withLastApplied(obj: KubeObject): KubeObject {
  const copy = clone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedValue(obj) };
  return copy;
}

interface Result {
  line: string;
  error?: unknown;
}

function applyOne(
  api: ApiServer,
  m: MappedObject,
  dryRun: DryRun,
  fieldManager: string,
  warn: (s: string) => void,
): { obj: KubeObject; operation: string } {
  if (!m.name) throw missingName(m, 'retrieving current configuration of');
  const stored = api.tryGet(m.info, m.namespace, m.name);
  // Read in the manifest's version, as kubectl's client does.
  const live = stored ? inVersion(stored, m.object.apiVersion) : undefined;
  const modified = withLastApplied(m.object);
  if (!live) {
    if (dryRun === 'client') return { obj: modified, operation: 'created' };
    try {
      const created = api.create(modified, { dryRun: dryRun === 'server', fieldManager });
      return { obj: created, operation: 'created' };
    } catch (e) {
      throw withSource(e, 'creating', m.source);
    }
  }
  const annotations = live.metadata.annotations ?? {};
  if (annotations[LAST_APPLIED] === undefined) {
    warn(
      `Warning: resource ${m.info.resource}/${m.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`,
    );
  }
  if (live.metadata.deletionTimestamp) warn(`Warning: Detected changes to resource ${m.name} which is currently being deleted.`);
  let original: JsonObject | undefined;
  try {
    const parsed: unknown = annotations[LAST_APPLIED] ? JSON.parse(annotations[LAST_APPLIED]) : undefined;
    original = isObject(parsed) ? parsed : undefined;
  } catch {
    original = undefined;
  }
  const patch = threeWayPatch(original, modified as unknown as JsonObject, live as unknown as JsonObject, m.info.model);
  if (dryRun === 'client') return { obj: applyStrategicPatch(live, patch, m.info.model), operation: 'configured' };
  if (Object.keys(patch).length === 0) return { obj: live, operation: 'unchanged' };
  const next = applyStrategicPatch(live, patch, m.info.model);
  try {
    const updated = api.update(next, { dryRun: dryRun === 'server', fieldManager });
    return { obj: updated, operation: 'configured' };
  } catch (e) {
    if (e instanceof StatusError && !(e.reason === 'Invalid' && e.details?.causes?.length)) {
      throw new StatusError(
        e.code,
        e.reason,
        `error when applying patch:\n${goCompactJson(patch)}\nto:\n${describeInfo(m.info, m.name, m.namespace)}\nfor: "${m.source}": error when patching "${m.source}": ${e.message}`,
        e.details,
      );
    }
    throw e;
  }
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const flags = ctx.flags;
    const filenames = flags.list('filename');
    if (filenames.length === 0 && !flags.str('kustomize')) throw new CliError('error: must specify one of -f and -k');
    if (ctx.args.length > 0) throw new CliError(`error: Unexpected args: [${ctx.args.join(' ')}]\nSee 'kubectl apply -h' for help and examples`);
    const format = parseFormat(flags);
    const dryRun = parseDryRun(flags, (s) => ctx.io.err(klogWarning(s)));
    const validate = flags.str('validate');
    if (!['strict', 'true', 'warn', 'ignore', 'false'].includes(validate.toLowerCase())) {
      throw new CliError(`error: invalid - validate option "${validate}"; must be one of: strict (or true), warn, ignore (or false)`);
    }
    if (flags.bool('server-side') && dryRun === 'client') {
      throw new CliError("error: --dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)");
    }
    const manifests = readManifests(filenames, flags.bool('recursive'), () => ctx.readStdin(), flags.str('kustomize'));
    if (manifests.length === 0) throw new CliError('error: no objects passed to apply');
    const namespace = ctx.namespace();
    const enforce = ctx.explicitNamespace();
    const fieldManager = flags.str('field-manager');
    const warnings: string[] = [];
    const results: Result[] = ctx.session().write((api) =>
      manifests.map((m, i) => {
        try {
          const mapped = mapObject(api, m, namespace, enforce);
          const { obj, operation } = applyOne(api, mapped, dryRun, fieldManager, (w) => warnings.push(w));
          const suffix = dryRunSuffix(dryRun);
          return { line: printOperation(format, mapped.info, obj, `${operation}${suffix}`, { index: i }) };
        } catch (e) {
          return { line: '', error: e };
        }
      }),
    );
    const errors: Error[] = [];
    for (const w of warnings) ctx.io.err(`${w}\n`);
    for (const r of results) {
      if (r.error) errors.push(r.error as Error);
      else ctx.io.out(r.line);
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
    return 0;
  },
};
