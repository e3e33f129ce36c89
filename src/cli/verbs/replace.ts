import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { ApiServer, PropagationPolicy } from '../../api/server';
import { StatusError } from '../../api/errors';
import { kindPrefix } from '../../api/kinds';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat, printOperation } from '../output';
import type { DryRun, Format } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { withSource } from '../objects';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { klogWarning } from '../klog';
import { LAST_APPLIED, withLastApplied } from './apply';
import { checkValidateFlag } from './create/common';
import { waitFor } from '../waiting';
import { cascadePolicy } from '../cascade';
import { rawPut } from '../raw';

// kubectl replace -f: each object PUT as the file has it (unconditionally,
// unless the file names a resourceVersion); with --force deleted, waited
// for, and created again.

const FLAGS = [
  ...OUTPUT_FLAGS,
  RECORD_FLAG,
  DRY_RUN_FLAG,
  ...FILENAME_FLAGS,
  { name: 'cascade', kind: 'string' as const, default: 'background', noOptDefVal: 'background' },
  { name: 'force', kind: 'bool' as const },
  { name: 'grace-period', kind: 'int' as const, default: -1 },
  { name: 'timeout', kind: 'duration' as const },
  { name: 'wait', kind: 'bool' as const },
  { name: 'validate', kind: 'string' as const, default: 'strict', noOptDefVal: 'strict' },
  { name: 'save-config', kind: 'bool' as const },
  { name: 'raw', kind: 'string' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-replace' },
  { name: 'subresource', kind: 'string' as const },
];

// CreateOrUpdateAnnotation: --save-config writes the last-applied
// configuration; without it, one the object already carries is refreshed.
function annotate(ctx: CommandContext, obj: KubeObject): KubeObject {
  const existing = obj.metadata.annotations?.[LAST_APPLIED];
  let out = ctx.flags.bool('save-config') || existing ? withLastApplied(obj) : obj;
  if (ctx.flags.bool('record')) out = { ...out, metadata: { ...out.metadata, annotations: { ...(out.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) } } };
  return out;
}

// Helper.Replace with overwrite: without a resourceVersion the current one is used.
function put(api: ApiServer, t: Target, obj: KubeObject, dryRun: DryRun, ctx: CommandContext): KubeObject {
  const sub = ctx.flags.str('subresource');
  if (sub && sub !== 'status') throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', {});
  const toSend = { ...obj, metadata: { ...obj.metadata } };
  if (!toSend.metadata.resourceVersion) {
    const live = api.peek(t.info, t.namespace, t.name);
    if (live) toSend.metadata.resourceVersion = live.metadata.resourceVersion;
  }
  return api.update(toSend, { dryRun: dryRun === 'server', fieldManager: ctx.flags.str('field-manager'), subresource: sub ? 'status' : undefined });
}

function forceReplace(ctx: CommandContext, format: Format, grace: number, policy: PropagationPolicy): void {
  const f = ctx.flags;
  const session = ctx.session();
  // Standard input is read once, for both passes.
  let stdin: string | undefined;
  const opts = selectOptions(ctx, ctx.args, { stdin: () => (stdin ??= ctx.readStdin()) });
  const deleted: Target[] = [];
  let fatal: Error | undefined;
  session.write((api) => {
    for (const t of selectTargets(api, opts).items) {
      if (t instanceof Error) {
        if (!(t instanceof StatusError && t.code === 404)) fatal ??= t;
        continue;
      }
      if (fatal) break;
      try {
        api.delete(t.info, t.namespace, t.name, { propagationPolicy: policy, gracePeriodSeconds: grace >= 0 ? grace : undefined });
      } catch (e) {
        // Replace creates what is missing: not found is no error here.
        if (!(e instanceof StatusError && e.code === 404)) fatal = withSource(e, 'deleting', t.source) as Error;
        continue;
      }
      deleted.push(t);
      ctx.io.out(f.str('output') === 'name' ? `${kindPrefix(t.info)}/${t.name}\n` : `${kindPrefix(t.info)} "${t.name}" deleted\n`);
    }
  });
  if (fatal) throw fatal;
  // Each object must be gone before it is created again.
  const timeout = f.duration('timeout') || 5 * 60 * 1000;
  for (const t of deleted) {
    const gone = waitFor(session, (api) => (api.peek(t.info, t.namespace, t.name) ? undefined : true), { timeoutMs: timeout });
    if (!gone) throw new CliError('error: timed out waiting for the condition');
  }
  let count = 0;
  const errors: Error[] = [];
  session.write((api) => {
    for (const t of selectTargets(api, { ...opts, args: [] }).items) {
      if (t instanceof Error) {
        errors.push(t);
        continue;
      }
      try {
        const created = api.create(annotate(ctx, t.object), { fieldManager: f.str('field-manager') });
        ctx.io.out(printOperation(format, t.info, created, 'replaced', { index: count++ }));
      } catch (e) {
        errors.push(e as Error);
      }
    }
  });
  raiseAll(errors);
  if (count === 0) throw new CliError('error: no objects passed to replace');
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const f = ctx.flags;
    checkValidateFlag(ctx);
    const dryRun = parseDryRun(f, (s) => ctx.io.err(klogWarning(s)));
    const format = parseFormat(f);
    const policy = cascadePolicy(ctx);
    // --grace-period=0 becomes 1 (replace waits for every deletion anyway).
    const grace = f.int('grace-period') === 0 ? 1 : f.int('grace-period');
    const filenames = f.list('filename');
    if (filenames.length === 0 && !f.str('kustomize')) throw new CliError('error: must specify one of -f and -k');
    const force = f.bool('force');
    if (grace >= 0 && !force) throw new CliError('error: --grace-period must have --force specified');
    if (f.duration('timeout') !== 0 && !force) throw new CliError('error: --timeout must have --force specified');
    if (force && dryRun !== 'none') throw new CliError('error: --dry-run can not be used when --force is set');
    if (f.str('raw')) {
      if (filenames.length !== 1) throw new CliError('error: --raw can only use a single local file or stdin');
      if (/^https?:\/\//.test(filenames[0])) throw new CliError('error: --raw cannot read from a url');
      if (f.bool('recursive')) throw new CliError('error: --raw and --recursive are mutually exclusive');
      if (f.str('output')) throw new CliError('error: --raw and --output are mutually exclusive');
      ctx.io.out(rawPut(ctx, f.str('raw'), filenames[0]));
      return 0;
    }
    if (force) {
      forceReplace(ctx, format, grace, policy);
      return 0;
    }
    const errors: Error[] = [];
    const lines: string[] = [];
    const opts = selectOptions(ctx, []);
    ctx.session().write((api) => {
      for (const t of selectTargets(api, opts).items) {
        if (t instanceof Error) {
          errors.push(t);
          continue;
        }
        try {
          const obj = annotate(ctx, t.object);
          const shown = dryRun === 'client' ? obj : put(api, t, obj, dryRun, ctx);
          lines.push(printOperation(format, t.info, shown, `replaced${dryRunSuffix(dryRun)}`, { index: lines.length }));
        } catch (e) {
          errors.push(withSource(e, 'replacing', t.source) as Error);
        }
      }
    });
    for (const l of lines) ctx.io.out(l);
    raiseAll(errors);
    return 0;
  },
};

