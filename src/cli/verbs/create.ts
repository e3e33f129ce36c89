import type { Command, CommandContext } from '../command';
import { AggregateError, CliError } from '../errors';
import { readManifests } from '../manifests';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat, printOperation } from '../output';
import { mapObject, withSource } from '../objects';
import { withLastApplied } from './apply';
import { klogWarning } from '../klog';

// kubectl create -f: create every object, failing on those that exist.

const FLAGS = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  { name: 'filename', short: 'f', kind: 'stringSlice' as const },
  { name: 'recursive', short: 'R', kind: 'bool' as const },
  { name: 'kustomize', short: 'k', kind: 'string' as const },
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'validate', kind: 'string' as const, default: 'strict', noOptDefVal: 'strict' },
  { name: 'save-config', kind: 'bool' as const },
  { name: 'edit', kind: 'bool' as const },
  { name: 'raw', kind: 'string' as const },
  { name: 'windows-line-endings', kind: 'bool' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-create' },
  { name: 'record', kind: 'bool' as const, deprecated: '--record will be removed in the future' },
];

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const flags = ctx.flags;
    const filenames = flags.list('filename');
    if (ctx.args.length > 0) {
      throw new CliError(`error: Unexpected args: [${ctx.args.join(' ')}]\nSee 'kubectl create -h' for help and examples`);
    }
    if (filenames.length === 0 && !flags.str('kustomize')) throw new CliError('error: must specify one of -f and -k');
    const format = parseFormat(flags);
    const dryRun = parseDryRun(flags, (s) => ctx.io.err(klogWarning(s)));
    const manifests = readManifests(filenames, flags.bool('recursive'), () => ctx.readStdin(), flags.str('kustomize'));
    if (manifests.length === 0) throw new CliError('error: no objects passed to create');
    const namespace = ctx.namespace();
    const enforce = ctx.explicitNamespace();
    const results = ctx.session().write((api) =>
      manifests.map((m, i) => {
        try {
          const mapped = mapObject(api, m, namespace, enforce);
          let obj = flags.bool('save-config') ? withLastApplied(mapped.object) : mapped.object;
          if (dryRun !== 'client') {
            try {
              obj = api.create(obj, { dryRun: dryRun === 'server', fieldManager: flags.str('field-manager') });
            } catch (e) {
              throw withSource(e, 'creating', m.source);
            }
          }
          return { line: printOperation(format, mapped.info, obj, `created${dryRunSuffix(dryRun)}`, { index: i }) };
        } catch (e) {
          return { line: '', error: e as Error };
        }
      }),
    );
    const errors: Error[] = [];
    for (const r of results) {
      if (r.error) errors.push(r.error);
      else ctx.io.out(r.line);
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
    return 0;
  },
};
