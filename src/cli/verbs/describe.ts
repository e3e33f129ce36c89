import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import type { ApiServer } from '../../api/server';
import { StatusError } from '../../api/errors';
import { matchesRequirements, parseLabelSelector, SelectorParseError } from '../../api/selectors';
import { AggregateError, CliError } from '../errors';
import { parseResourceArgs, resolveType } from '../resources';
import { readManifests } from '../manifests';
import { mapObject } from '../objects';
import { listKind } from './get';
import { describeObject } from '../../printers/describe';
import type { DescribeContext } from '../../printers/describe';

// kubectl describe (pkg/cmd/describe): TYPE [NAME_PREFIX | -l selector],
// TYPE/NAME..., -f FILE. Objects are read through the builder's rules, each
// is described by its kind's describer, and a NAME that matches nothing falls
// back to describing every object whose name starts with it.

const FLAGS = [
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'all-namespaces', short: 'A', kind: 'bool' as const },
  { name: 'show-events', kind: 'bool' as const, default: true },
  { name: 'chunk-size', kind: 'int' as const, default: 500 },
  { name: 'filename', short: 'f', kind: 'stringSlice' as const },
  { name: 'recursive', short: 'R', kind: 'bool' as const },
  { name: 'kustomize', short: 'k', kind: 'string' as const },
];

const MISSING_TYPE =
  'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.';

interface Target {
  info: KindInfo;
  namespace: string | undefined;
  name: string;
}

interface Options {
  namespace: string;
  allNamespaces: boolean;
  selector: string;
}

function isNotFound(e: unknown): e is StatusError {
  return e instanceof StatusError && e.code === 404;
}

function selectorRequirements(selector: string): ReturnType<typeof parseLabelSelector> {
  try {
    return parseLabelSelector(selector);
  } catch (e) {
    if (e instanceof SelectorParseError) throw new CliError(`error: the provided selector "${selector}" is not valid: ${e.message}`);
    throw e;
  }
}

// -f: the objects the files name, filtered by -l; each is read back from the cluster.
function fileTargets(ctx: CommandContext, api: ApiServer, o: Options): Target[] {
  if (ctx.args.length > 0) {
    throw new CliError('error: when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
  }
  const reqs = o.selector ? selectorRequirements(o.selector) : undefined;
  const enforce = ctx.explicitNamespace() && !o.allNamespaces;
  const targets: Target[] = [];
  for (const m of readManifests(ctx.flags.list('filename'), ctx.flags.bool('recursive'), () => ctx.readStdin())) {
    const mapped = mapObject(api, m, o.namespace, enforce);
    if (reqs && !matchesRequirements(reqs, mapped.object.metadata.labels)) continue;
    targets.push({ info: mapped.info, namespace: mapped.namespace, name: mapped.name });
  }
  return targets;
}

// The builder's checks on named arguments. `TYPE1,TYPE2 NAME` becomes
// TYPE1/NAME TYPE2/NAME, so only a single type with names is "by name".
function checkNamedArgs(o: Options, tuples: boolean, types: KindInfo[]): void {
  if (o.selector) {
    throw new CliError(
      tuples
        ? 'error: selectors and the all flag cannot be used when passing resource/name arguments'
        : 'error: name cannot be provided when a selector is specified',
    );
  }
  if (o.allNamespaces && types.some((t) => t.namespaced)) {
    throw new CliError('error: a resource cannot be retrieved by name across all namespaces');
  }
}

interface Found {
  objects: { info: KindInfo; obj: KubeObject }[];
  errors: Error[];
}

function fetchTargets(api: ApiServer, targets: Target[]): Found {
  const found: Found = { objects: [], errors: [] };
  for (const t of targets) {
    try {
      found.objects.push({ info: t.info, obj: api.get(t.info, t.namespace, t.name) });
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
      found.errors.push(e);
    }
  }
  return found;
}

function argTargets(ctx: CommandContext, api: ApiServer, o: Options): Found {
  // splitResourceTypeName's checks, argument by argument (when all are TYPE/NAME;
  // a mix is parseResourceArgs' error).
  const allSlashed = ctx.args.every((x) => x.includes('/'));
  for (const a of allSlashed ? ctx.args : []) {
    const seg = a.split('/');
    if (seg.length !== 2) throw new CliError('error: arguments in resource/name form may not have more than one slash');
    if (!seg[0] || !seg[1] || seg[0].split(',').filter((t) => t !== '').length !== 1) {
      throw new CliError('error: arguments in resource/name form must have a single resource and name');
    }
  }
  const requests = parseResourceArgs(ctx.args);
  const named = requests.some((r) => r.names.length > 0);
  if (!named) {
    // TYPE[,TYPE...]: every object of each type, in the namespace or all of them.
    const objects = requests.flatMap((r) =>
      listKind(api, r.info, { namespace: o.allNamespaces ? undefined : o.namespace, labelSelector: o.selector || undefined }).map(
        (obj) => ({ info: r.info, obj }),
      ),
    );
    return { objects, errors: [] };
  }
  const tuples = ctx.args.some((a) => a.includes('/')) || requests.length > 1;
  checkNamedArgs(
    o,
    tuples,
    requests.map((r) => r.info),
  );
  // Objects are read in the order the arguments name them: per type, per name.
  const targets: Target[] = [];
  if (ctx.args.some((a) => a.includes('/'))) {
    for (const a of ctx.args) {
      const slash = a.indexOf('/');
      for (const info of resolveType(a.slice(0, slash))) {
        targets.push({ info, namespace: info.namespaced ? o.namespace : undefined, name: a.slice(slash + 1) });
      }
    }
  } else {
    for (const r of requests) {
      for (const name of r.names) targets.push({ info: r.info, namespace: r.info.namespaced ? o.namespace : undefined, name });
    }
  }
  return fetchTargets(api, targets);
}

// DescribeMatchingResources: `describe TYPE PREFIX` when no object is named PREFIX.
function describeMatching(api: ApiServer, o: Options, dctx: DescribeContext, original: StatusError, resource: string, prefix: string): string {
  let candidates: { info: KindInfo; obj: KubeObject }[];
  const slash = resource.indexOf('/');
  if (slash >= 0) {
    const [info] = resolveType(resource.slice(0, slash));
    candidates = [{ info, obj: api.get(info, info.namespaced ? o.namespace : undefined, resource.slice(slash + 1)) }];
  } else {
    const types = resource.split(',').filter((t) => t !== '');
    const infos = [...new Set(types.flatMap((t) => resolveType(t)))];
    if (infos.length !== 1) throw new CliError('error: you may only specify a single resource type');
    candidates = listKind(api, infos[0], { namespace: o.namespace }).map((obj) => ({ info: infos[0], obj }));
  }
  const matching = candidates.filter((c) => (c.obj.metadata.name ?? '').startsWith(prefix));
  if (matching.length === 0) throw original;
  return matching.map((c) => `${describeObject(c.info, c.obj, dctx)}\n`).join('');
}

export const command: Command = {
  flags: FLAGS,
  run(ctx) {
    const flags = ctx.flags;
    const hasFiles = flags.list('filename').length > 0;
    // kubemu has no kustomize; saying so beats describing nothing.
    if (flags.str('kustomize')) throw new CliError('error: -k/--kustomize is not supported by kubemu');
    if (ctx.args.length === 0 && !hasFiles) throw new CliError(MISSING_TYPE);
    const o: Options = {
      namespace: ctx.namespace(),
      allNamespaces: flags.bool('all-namespaces'),
      selector: flags.str('selector'),
    };
    const showEvents = flags.bool('show-events');
    const { text, errors, empty } = ctx.session().read((api) => {
      const dctx: DescribeContext = { api, now: api.now(), showEvents };
      const found = hasFiles ? fetchTargets(api, fileTargets(ctx, api, o)) : argTargets(ctx, api, o);
      const single = found.errors.length === 1 ? found.errors[0] : undefined;
      if (single && isNotFound(single) && ctx.args.length === 2) {
        return { text: describeMatching(api, o, dctx, single, ctx.args[0], ctx.args[1]), errors: [], empty: false };
      }
      const texts = found.objects.map((f) => describeObject(f.info, f.obj, dctx));
      return { text: texts.join('\n\n'), errors: found.errors, empty: found.objects.length === 0 };
    });
    if (text) ctx.io.out(text);
    // Each distinct error once, after whatever could be described.
    const seen = new Set<string>();
    const distinct = errors.filter((e) => !seen.has(e.message) && seen.add(e.message));
    if (empty && distinct.length === 0) {
      ctx.io.err(o.allNamespaces ? 'No resources found\n' : `No resources found in ${o.namespace} namespace.\n`);
    }
    if (distinct.length > 0) throw distinct.length === 1 ? distinct[0] : new AggregateError(distinct);
    return 0;
  },
};
