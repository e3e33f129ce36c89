import type { Command, CommandContext } from '../../command';
import type { KubeObject } from '../../../api/types';
import { kindByApiVersion } from '../../../api/kinds';
import { StatusError } from '../../../api/errors';
import { CliError, ExitError } from '../../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, forDisplay, parseDryRun, parseFormat, printOperation } from '../../output';
import type { DryRun, Format } from '../../output';
import type { FlagDef } from '../../flags';
import { parseBool } from '../../flags';
import { klogWarning } from '../../klog';
import { LAST_APPLIED } from '../apply';
import { goJsonCompact, goJsonIndent, goNormalize, goTypeOf } from './go-structs';

// What every `kubectl create <generator>` shares (pkg/cmd/create): the flags, the
// order of kubectl's checks, and sending the generated object or, with
// --dry-run=client, printing it as the Go struct kubectl built.

export const GENERATOR_FLAGS: FlagDef[] = [
  ...OUTPUT_FLAGS,
  DRY_RUN_FLAG,
  { name: 'save-config', kind: 'bool' },
  { name: 'validate', kind: 'string', default: 'strict', noOptDefVal: 'strict' },
  { name: 'field-manager', kind: 'string', default: 'kubectl-create' },
];

// A usage error: the message, then where to find the command's help.
export function usageError(ctx: CommandContext, message: string): CliError {
  return new CliError(`error: ${message}\nSee '${ctx.commandPath} -h' for help and examples`);
}

// cobra's check of flags marked required, done before the command runs; names in
// flag order (pflag sorts them).
export function requireFlags(ctx: CommandContext, names: readonly string[]): void {
  const missing = names.filter((n) => !ctx.flags.has(n)).sort();
  if (missing.length > 0) throw new CliError(`error: required flag(s) ${missing.map((n) => `"${n}"`).join(', ')} not set`);
}

// NameFromCommandArgs: exactly one argument before `--`.
export function requireName(ctx: CommandContext): string {
  const count = ctx.argsLenAtDash >= 0 ? ctx.argsLenAtDash : ctx.args.length;
  if (count !== 1) throw usageError(ctx, `exactly one NAME is required, got ${count}`);
  return ctx.args[0];
}

// The Validate step most generators start with (an empty NAME argument).
export function requireNonEmptyName(name: string): void {
  if (name === '') throw new CliError('error: name must be specified');
}

// The arguments after the name (`create deployment NAME -- COMMAND...`).
export function commandArgs(ctx: CommandContext): string[] | undefined {
  return ctx.args.length > 1 ? ctx.args.slice(1) : undefined;
}

// The namespace kubectl writes into generated objects: only one given with -n.
export function enforcedNamespace(ctx: CommandContext): string | undefined {
  return ctx.flags.str('namespace') || undefined;
}

// cmdutil.GetValidationDirective: only its error matters here.
export function checkValidateFlag(ctx: CommandContext): void {
  const v = ctx.flags.str('validate');
  if (parseBool(v) !== undefined || v === 'strict' || v === 'warn' || v === 'ignore') return;
  throw new CliError(`error: invalid - validate option "${v}"; must be one of: strict (or true), warn, ignore (or false)`);
}

// The object as kubectl's typed structs hold it: with its Go zero values, in field order.
export function typedObject(obj: KubeObject): KubeObject {
  const type = goTypeOf(obj);
  return type ? goNormalize(obj, type) : obj;
}

// util.CreateOrUpdateAnnotation: the object's own JSON (Go field order, newline
// terminated) kept in the last-applied-configuration annotation.
export function withLastAppliedTyped(obj: KubeObject): KubeObject {
  const type = goTypeOf(obj);
  const annotations = { ...(obj.metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const bare = { ...obj, metadata: { ...obj.metadata, annotations } };
  const text = type ? goJsonCompact(bare, type) : JSON.stringify(bare);
  return { ...obj, metadata: { ...obj.metadata, annotations: { ...annotations, [LAST_APPLIED]: `${text}\n` } } };
}

// Prints an object kubectl holds as a typed struct: -o json in Go field order, other
// formats from the same content. `index`: how many objects this printer printed
// before (YAML separates them with `---`).
export function printTyped(format: Format, obj: KubeObject, operation: string, index = 0): string {
  const info = kindByApiVersion(obj.apiVersion, obj.kind);
  const shown = forDisplay(obj);
  const type = goTypeOf(shown);
  if (format.kind === 'json' && type) return goJsonIndent(shown, type);
  return printOperation(format, info, type ? goNormalize(shown, type) : shown, operation, { index });
}

// Sends a generated object to the cluster (unless --dry-run=client), into the
// command's namespace for namespaced kinds. `errorPrefix` is how the generator wraps
// server errors (`failed to create deployment: `), if it does.
export function sendGenerated(
  ctx: CommandContext,
  obj: KubeObject,
  dryRun: DryRun,
  opts: { errorPrefix?: string; fieldManager?: string } = {},
): KubeObject {
  if (dryRun === 'client') return obj;
  const info = kindByApiVersion(obj.apiVersion, obj.kind);
  const toCreate = typedObject(obj);
  if (info?.namespaced) toCreate.metadata = { ...toCreate.metadata, namespace: ctx.namespace() };
  try {
    return ctx.session().write((api) =>
      api.create(toCreate, { dryRun: dryRun === 'server', fieldManager: opts.fieldManager ?? ctx.flags.str('field-manager') }),
    );
  } catch (e) {
    if (opts.errorPrefix !== undefined && e instanceof StatusError) throw new CliError(`error: ${opts.errorPrefix}${e.message}`);
    throw e;
  }
}

export interface GeneratorDef {
  flags: FlagDef[];
  // Flags cobra requires (MarkFlagRequired).
  required?: string[];
  // `create service *` accepts --save-config but never reads it.
  ignoresSaveConfig?: boolean;
  // The generator's own checks (its Validate), then the object. Runs after the
  // shared checks of Complete: the name, --dry-run, -o and --validate.
  build(ctx: CommandContext, name: string): KubeObject;
  // How server errors are wrapped, if they are (`failed to create deployment: `).
  errorPrefix?: string;
}

// A `kubectl create <generator>` command from its definition.
export function generator(def: GeneratorDef): Command {
  return {
    flags: [...GENERATOR_FLAGS, ...def.flags],
    run(ctx: CommandContext) {
      return exitOnPrinted(() => runGenerator(ctx, def));
    },
  };
}

// Errors already printed in kubectl's words (ExitError) end the command with their code.
export function exitOnPrinted(fn: () => number): number {
  try {
    return fn();
  } catch (e) {
    if (e instanceof ExitError) return e.exitCode;
    throw e;
  }
}

function runGenerator(ctx: CommandContext, def: GeneratorDef): number {
  if (def.required) requireFlags(ctx, def.required);
  const name = requireName(ctx);
  const dryRun = parseDryRun(ctx.flags, (s) => ctx.io.err(klogWarning(s)));
  const format = parseFormat(ctx.flags);
  checkValidateFlag(ctx);
  let obj = def.build(ctx, name);
  if (ctx.flags.bool('save-config') && !def.ignoresSaveConfig) obj = withLastAppliedTyped(obj);
  const out = sendGenerated(ctx, obj, dryRun, { errorPrefix: def.errorPrefix });
  ctx.io.out(printTyped(format, out, `created${dryRunSuffix(dryRun)}`));
  return 0;
}
