import type { KubeObject } from '../api/types';
import type { KindInfo } from '../api/kinds';
import type { ApiServer } from '../api/server';
import { parseLabelSelector, matchesRequirements } from '../api/selectors';
import { AggregateError, CliError } from './errors';
import type { CommandContext } from './command';
import type { FlagDef } from './flags';
import { NO_RESOURCE_HELP, parseResourceArgs } from './resources';
import { readManifests } from './manifests';
import type { ManifestObject } from './manifests';
import { checkTypeMeta, mapObject } from './objects';
import { kindByApiVersion } from '../api/kinds';
import { pruneNulls } from '../util/json';
import { listKind } from './verbs/get';
import * as fs from 'node:fs';

// The objects a verb works on, chosen as cli-runtime's resource builder
// chooses them (`TYPE NAME...`, `TYPE/NAME...`, `-f`, `-l`, `--all`, `-A`),
// with its errors and its rule for "a single item was asked for". Objects
// that cannot be fetched are errors in the list, in order, so a verb can go
// on with the others and report them at the end (ContinueOnError).

export interface SelectOptions {
  args: string[];
  filenames: string[];
  // -k DIR: a kustomization built into one more source of objects.
  kustomize?: string;
  recursive: boolean;
  namespace: string;
  enforceNamespace: boolean;
  stdin: () => string;
  selector?: string;
  fieldSelector?: string;
  // ResourceTypeOrNameArgs' allowEmptySelector: a bare type selects everything.
  selectAll?: boolean;
  allNamespaces?: boolean;
  // Objects come from the files only; the server is never asked.
  local?: boolean;
  // Objects from files are fetched again from the server (Latest()).
  latest?: boolean;
}

export interface Target {
  info: KindInfo;
  namespace: string | undefined;
  name: string;
  // The file the object came from ('' for arguments), for error messages.
  source: string;
  object: KubeObject;
}

export interface Selection {
  items: (Target | Error)[];
  // IntoSingleItemImplied: one name, one TYPE/NAME or one (non-directory) file.
  singleItemImplied: boolean;
}

function isDirectory(f: string): boolean {
  try {
    return fs.statSync(f).isDirectory();
  } catch {
    return false;
  }
}

function fetchItem(api: ApiServer, info: KindInfo, namespace: string | undefined, name: string, source: string): Target | Error {
  try {
    return { info, namespace, name, source, object: api.get(info, namespace, name) };
  } catch (e) {
    return e as Error;
  }
}

// --local: the object as the file has it. Without a server kubectl cannot
// tell namespaced kinds from others, so it leaves the namespace alone.
function localTarget(m: ManifestObject): Target {
  checkTypeMeta(m);
  const info = kindByApiVersion(m.object.apiVersion, m.object.kind);
  const meta = m.object.metadata ?? {};
  if (!info) {
    throw new CliError(
      `error: resource mapping not found for name: "${meta.name ?? ''}" namespace: "${meta.namespace ?? ''}" from "${m.source}": no matches for kind "${m.object.kind}" in version "${m.object.apiVersion}"\nensure CRDs are installed first`,
    );
  }
  const object = pruneNulls(m.object);
  object.metadata ??= {};
  return { info, namespace: object.metadata.namespace, name: object.metadata.name ?? '', source: m.source, object };
}

function fromFiles(api: ApiServer | undefined, o: SelectOptions): Selection {
  const items: (Target | Error)[] = [];
  const single = o.filenames.length === 1 && o.filenames[0] !== '-' && !isDirectory(o.filenames[0]);
  let requirements;
  try {
    requirements = o.selector ? parseLabelSelector(o.selector) : undefined;
  } catch (e) {
    throw new CliError(`error: the provided selector "${o.selector}" is not valid: ${(e as Error).message}`);
  }
  for (const m of readManifests(o.filenames, o.recursive, o.stdin, o.kustomize)) {
    let target: Target | Error;
    try {
      if (!api || o.local) {
        items.push(localTarget(m));
        continue;
      }
      const mapped = mapObject(api, m, o.namespace, o.enforceNamespace);
      target = o.latest
        ? fetchItem(api, mapped.info, mapped.namespace, mapped.name, m.source)
        : { info: mapped.info, namespace: mapped.namespace, name: mapped.name, source: m.source, object: mapped.object };
    } catch (e) {
      target = e as Error;
    }
    if (requirements && !(target instanceof Error) && !matchesRequirements(requirements, target.object.metadata.labels)) continue;
    items.push(target);
  }
  return { items, singleItemImplied: single };
}

export function selectTargets(api: ApiServer | undefined, o: SelectOptions): Selection {
  const slashed = o.args.filter((a) => a.includes('/'));
  const bySelector = !!o.selector || !!o.fieldSelector || (!!o.selectAll && o.args.length === 1 && slashed.length === 0);
  if (o.filenames.length > 0 || o.kustomize) {
    if (o.args.length > 0 && slashed.length === 0) {
      throw new CliError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    }
    if (slashed.length > 0) throw new CliError('error: resource/name arguments cannot be provided when a path is specified');
    return fromFiles(api, o);
  }
  if (o.local) throw new CliError(`error: ${NO_RESOURCE_HELP}`);
  // Types are resolved first: an unknown type is the error, whatever else is wrong.
  const requests = parseResourceArgs(o.args);
  if (!api) throw new Error('no server');
  if (bySelector) {
    if (slashed.length > 0) throw new CliError('error: selectors and the all flag cannot be used when passing resource/name arguments');
    if (requests.some((r) => r.names.length > 0)) throw new CliError('error: name cannot be provided when a selector is specified');
    if (requests.length === 0) throw new CliError('error: at least one resource must be specified to use a selector');
    const items: Target[] = [];
    for (const r of requests) {
      const objects = listKind(api, r.info, {
        namespace: o.allNamespaces ? undefined : o.namespace,
        labelSelector: o.selector || undefined,
        fieldSelector: o.fieldSelector || undefined,
      });
      for (const obj of objects) {
        items.push({ info: r.info, namespace: obj.metadata.namespace, name: obj.metadata.name ?? '', source: '', object: obj });
      }
    }
    return { items, singleItemImplied: false };
  }
  if (requests.length === 0) throw new CliError(`error: ${NO_RESOURCE_HELP}`);
  const count = requests.reduce((n, r) => n + r.names.length, 0);
  if (count === 0) throw new CliError('error: resource(s) were provided, but no name was specified');
  const items: (Target | Error)[] = [];
  const visit = (info: KindInfo, name: string) => {
    if (info.namespaced && o.allNamespaces) {
      throw new CliError('error: a resource cannot be retrieved by name across all namespaces');
    }
    items.push(fetchItem(api, info, info.namespaced ? o.namespace : undefined, name, ''));
  };
  if (slashed.length > 0) {
    // TYPE/NAME arguments are visited in the order given.
    for (const a of o.args) for (const r of parseResourceArgs([a])) for (const n of r.names) visit(r.info, n);
  } else {
    for (const r of requests) for (const n of r.names) visit(r.info, n);
  }
  return { items, singleItemImplied: count === 1 };
}

// Errors collected while visiting, reported as kubectl reports them: one
// alone as itself, several one per line.
export function raiseAll(errors: Error[]): void {
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new AggregateError(errors);
}

// The command's namespace; with --local no cluster is needed (nor created).
export function commandNamespace(ctx: CommandContext, local: boolean): string {
  if (local) return ctx.flags.str('namespace') || 'default';
  return ctx.namespace();
}

// The selection flags every builder-driven verb reads the same way.
export function selectOptions(ctx: CommandContext, args: string[], extra: Partial<SelectOptions> = {}): SelectOptions {
  const f = ctx.flags;
  const local = extra.local ?? false;
  return {
    args,
    filenames: f.list('filename'),
    kustomize: f.str('kustomize'),
    recursive: f.bool('recursive'),
    namespace: commandNamespace(ctx, local),
    enforceNamespace: ctx.explicitNamespace(),
    stdin: () => ctx.readStdin(),
    ...extra,
  };
}

// cmdutil.AddFilenameOptionFlags.
export const FILENAME_FLAGS: FlagDef[] = [
  { name: 'filename', short: 'f', kind: 'stringSlice' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
];
