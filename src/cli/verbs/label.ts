import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { FlagDef } from '../flags';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, dryRunSuffix, parseDryRun, parseFormat, printOperation } from '../output';
import type { DryRun } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Selection, Target } from '../builder';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { isValidLabelValue } from '../../api/validation/names';
import { goCompactJson } from '../../util/gojson';
import { clone } from '../../util/json';
import { klogWarning } from '../klog';

// kubectl label, and (through metadataMapCommand) kubectl annotate: set and
// remove keys of metadata.labels / metadata.annotations on objects chosen by
// name, -f, -l or --all; --local and --dry-run=client change the objects
// read without sending them; --list prints the map.

export interface MapEdit {
  set: Map<string, string>;
  remove: string[];
}

// What differs between the two verbs.
export interface MapVerbSpec {
  noun: 'label' | 'annotation';
  field: 'labels' | 'annotations';
  fieldManager: string;
  // The example file names in the --local messages.
  localFile: string;
  parse(pairs: string[]): MapEdit;
  // Checks done after the shared ones (annotate's modify-and-remove check).
  validate?(edit: MapEdit): void;
  // An error when a key would be overwritten without --overwrite.
  overwriteError(current: Record<string, string>, edit: MapEdit): string | undefined;
  // The operation printed: label compares the object before and after.
  operation(before: string, after: string, overwrite: boolean): string;
  // label clears a given --resource-version from the object in every mode,
  // annotate only when it sends the change.
  clearVersionAlways: boolean;
  // label prints the object as it changed it; annotate the server's answer.
  printServerObject: boolean;
  // label reports keys to remove that the object lacks (when it sends).
  reportMissing: boolean;
  // annotate prints every object with one printer (YAML separated by `---`);
  // label makes a printer per object.
  onePrinter: boolean;
}

export function mapVerbFlags(fieldManager: string): FlagDef[] {
  return [
    ...OUTPUT_FLAGS,
    RECORD_FLAG,
    DRY_RUN_FLAG,
    ...FILENAME_FLAGS,
    { name: 'field-manager', kind: 'string', default: fieldManager },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'overwrite', kind: 'bool' },
    { name: 'list', kind: 'bool' },
    { name: 'local', kind: 'bool' },
    { name: 'field-selector', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'resource-version', kind: 'string' },
  ];
}

// cmdutil.GetResourcesAndPairs: resources first, then KEY=VALUE / KEY- pairs.
export function resourcesAndPairs(args: string[], noun: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (isPair) pairs.push(s);
    else if (pairs.length > 0) throw new CliError(`error: all resources must be specified before ${noun} changes: ${s}`);
    else resources.push(s);
  }
  return { resources, pairs };
}

function parseLabels(pairs: string[]): MapEdit {
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const spec of pairs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) throw new CliError(`error: invalid label spec: ${spec}`);
      const errs = isValidLabelValue(parts[1]);
      if (errs.length > 0) throw new CliError(`error: invalid label value: ${JSON.stringify(spec)}: ${errs.join(';')}`);
      set.set(parts[0], parts[1]);
    } else if (spec.endsWith('-')) {
      remove.push(spec.slice(0, -1));
    } else {
      throw new CliError(`error: unknown label spec: ${spec}`);
    }
  }
  if (remove.some((k) => set.has(k))) throw new CliError('error: can not both modify and remove a label in the same command');
  return { set, remove };
}

export const LABEL: MapVerbSpec = {
  noun: 'label',
  field: 'labels',
  fieldManager: 'kubectl-label',
  localFile: 'pod',
  parse: parseLabels,
  overwriteError(current, edit) {
    // Setting the value a key already has is no overwrite.
    const errs = [...edit.set]
      .filter(([k, v]) => Object.hasOwn(current, k) && current[k] !== v)
      .map(([k]) => `'${k}' already has a value (${current[k]}), and --overwrite is false`);
    // An aggregate of several prints as a bracketed list.
    return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  },
  operation(before, after, overwrite) {
    if (before === after) return 'not labeled';
    return !overwrite && after.length < before.length ? 'unlabeled' : 'labeled';
  },
  clearVersionAlways: true,
  printServerObject: false,
  reportMissing: true,
  onePrinter: false,
};

function editMap(obj: KubeObject, spec: MapVerbSpec, edit: MapEdit, overwrite: boolean, resourceVersion: string): void {
  const current = obj.metadata[spec.field] ?? {};
  if (!overwrite) {
    const err = spec.overwriteError(current, edit);
    if (err) throw new CliError(`error: ${err}`);
  }
  const next: Record<string, string> = { ...current };
  for (const [k, v] of edit.set) next[k] = v;
  for (const k of edit.remove) delete next[k];
  obj.metadata[spec.field] = next;
  if (resourceVersion) obj.metadata.resourceVersion = resourceVersion;
}

// `--list`: the map, headed by the object when several were asked for.
function listing(spec: MapVerbSpec, t: Target, obj: KubeObject, single: boolean): string {
  const map = obj.metadata[spec.field] ?? {};
  const indent = single ? '' : ' ';
  const head = single ? '' : `Listing ${spec.field} for ${t.info.kind}.${t.info.group}/${t.name}:\n`;
  // Go prints the map in random order; sorted is one of those orders.
  return head + Object.keys(map).sort().map((k) => `${indent}${k}=${map[k]}\n`).join('');
}

interface Options {
  spec: MapVerbSpec;
  edit: MapEdit;
  overwrite: boolean;
  resourceVersion: string;
  local: boolean;
  list: boolean;
  dryRun: DryRun;
}

function visitOne(ctx: CommandContext, o: Options, sel: Selection, t: Target, index: number, write: (obj: KubeObject) => KubeObject): string {
  const { spec, edit } = o;
  const obj = clone(t.object);
  if (o.resourceVersion && spec.clearVersionAlways) obj.metadata.resourceVersion = '';
  const sending = !(o.dryRun === 'client' || o.local || o.list);
  let out = '';
  let shown: KubeObject;
  let operation = 'annotated';
  if (!sending) {
    const before = goCompactJson(obj);
    editMap(obj, spec, edit, o.overwrite, o.resourceVersion);
    operation = spec.operation(before, goCompactJson(obj), o.overwrite);
    shown = obj;
  } else {
    if (o.resourceVersion) obj.metadata.resourceVersion = '';
    if (spec.reportMissing) {
      for (const k of edit.remove) if (!Object.hasOwn(obj.metadata[spec.field] ?? {}, k)) out += `${spec.noun} ${JSON.stringify(k)} not found.\n`;
    }
    const before = goCompactJson(obj);
    editMap(obj, spec, edit, o.overwrite, o.resourceVersion);
    if (ctx.flags.bool('record')) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) };
    operation = spec.operation(before, goCompactJson(obj), o.overwrite);
    // The merge patch carries the changed map, and the resourceVersion only
    // when one was given: otherwise the update is unconditional.
    const toSend = clone(obj);
    toSend.metadata.resourceVersion = o.resourceVersion || t.object.metadata.resourceVersion;
    const answer = write(toSend);
    shown = spec.printServerObject ? answer : obj;
  }
  if (o.list) return out + listing(spec, t, shown, sel.singleItemImplied);
  const opts = { index: spec.onePrinter ? index : 0 };
  return out + printOperation(parseFormat(ctx.flags), t.info, shown, `${operation}${dryRunSuffix(o.dryRun)}`, opts);
}

export function metadataMapCommand(spec: MapVerbSpec): Command {
  return {
    flags: mapVerbFlags(spec.fieldManager),
    run(ctx: CommandContext) {
      const f = ctx.flags;
      const dryRun = parseDryRun(f, (s) => ctx.io.err(klogWarning(s)));
      // annotate builds its printer first; label only when it prints.
      if (spec.noun === 'annotation') parseFormat(f);
      const { resources, pairs } = resourcesAndPairs(ctx.args, spec.noun);
      const edit = spec.parse(pairs);
      const list = f.bool('list');
      const local = f.bool('local');
      if (list && f.str('output')) throw new CliError('error: --list and --output may not be specified together');
      if (f.bool('all') && f.str('selector')) throw new CliError('error: cannot set --all and --selector at the same time');
      if (f.bool('all') && f.str('field-selector')) throw new CliError('error: cannot set --all and --field-selector at the same time');
      const filenames = f.list('filename');
      const noFiles = filenames.length === 0 && !f.str('kustomize');
      const files = `-f ${spec.localFile}.yaml or --filename=${spec.localFile}.json`;
      if (local) {
        if (dryRun === 'server') throw new CliError('error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
        if (resources.length > 0) throw new CliError(`error: can only use local files by ${files} when --local=true is set`);
        if (noFiles) throw new CliError(`error: one or more files must be specified as ${files}`);
      } else if (resources.length === 0 && noFiles) {
        throw new CliError('error: one or more resources must be specified as <resource> <name> or <resource>/<name>');
      }
      if (edit.set.size === 0 && edit.remove.length === 0 && !list) throw new CliError(`error: at least one ${spec.noun} update is required`);
      spec.validate?.(edit);
      const o: Options = { spec, edit, overwrite: f.bool('overwrite'), resourceVersion: f.str('resource-version'), local, list, dryRun };
      const opts = selectOptions(ctx, resources, {
        local,
        latest: !local,
        selector: local ? undefined : f.str('selector') || undefined,
        fieldSelector: local ? undefined : f.str('field-selector') || undefined,
        selectAll: f.bool('all'),
        allNamespaces: f.bool('all-namespaces'),
      });
      // Each object's line is printed as it is done, so the server's warnings
      // for it come out just before it, as kubectl's do.
      let printed = 0;
      const errors: Error[] = [];
      const run = (sel: Selection, write: (obj: KubeObject) => KubeObject) => {
        if (!sel.singleItemImplied && o.resourceVersion) {
          throw new CliError('error: --resource-version may only be used with a single resource');
        }
        for (const t of sel.items) {
          if (t instanceof Error) errors.push(t);
          else {
            try {
              ctx.io.out(visitOne(ctx, o, sel, t, printed, write));
              printed += 1;
            } catch (e) {
              errors.push(e as Error);
            }
          }
        }
      };
      if (local) {
        run(selectTargets(undefined, opts), (obj) => obj);
      } else {
        ctx.session().write((api) =>
          run(selectTargets(api, opts), (obj) =>
            api.update(obj, { dryRun: dryRun === 'server', fieldManager: f.str('field-manager') }),
          ),
        );
      }
      raiseAll(errors);
      return 0;
    },
  };
}

export const command: Command = metadataMapCommand(LABEL);
