import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import { kindPrefix } from '../../api/kinds';
import type { ApiServer, ListOptions } from '../../api/server';
import { StatusError, badRequest } from '../../api/errors';
import { parseFieldSelector, parseLabelSelector, SelectorParseError } from '../../api/selectors';
import { supportsField } from '../../api/fields';
import { AggregateError, CliError, PlainError } from '../errors';
import { OUTPUT_FLAGS, forDisplay, parseFormat, renderObject } from '../output';
import type { Format } from '../output';
import { parseResourceArgs } from '../resources';
import { readManifests } from '../manifests';
import { tableLines } from '../../printers/table/print';
import type { TableOptions } from '../../printers/table/print';
import { tabwrite, TABLE_OPTIONS } from '../../printers/tabwriter';
import { customColumns, customColumnsFromFile } from '../../printers/custom-columns';
import { SortError, sortObjects } from '../../printers/sort-by';
import { apiVersionOf } from '../../api/kinds';
import { watch } from './get-watch';

// kubectl get: one or many types, names, selectors; tables, -o formats, -w.

const FLAGS = [
  ...OUTPUT_FLAGS,
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'field-selector', kind: 'string' as const },
  { name: 'all-namespaces', short: 'A', kind: 'bool' as const },
  { name: 'watch', short: 'w', kind: 'bool' as const },
  { name: 'watch-only', kind: 'bool' as const },
  { name: 'output-watch-events', kind: 'bool' as const },
  { name: 'no-headers', kind: 'bool' as const },
  { name: 'show-labels', kind: 'bool' as const },
  { name: 'label-columns', short: 'L', kind: 'stringSlice' as const },
  { name: 'sort-by', kind: 'string' as const },
  { name: 'show-kind', kind: 'bool' as const },
  { name: 'filename', short: 'f', kind: 'stringSlice' as const },
  { name: 'recursive', short: 'R', kind: 'bool' as const },
  { name: 'kustomize', short: 'k', kind: 'string' as const },
  { name: 'ignore-not-found', kind: 'bool' as const },
  { name: 'chunk-size', kind: 'int' as const, default: 500 },
  { name: 'raw', kind: 'string' as const },
  { name: 'subresource', kind: 'string' as const },
];

const MISSING_TYPE =
  'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
  'error: Required resource not specified.\n' +
  'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
  "See 'kubectl get -h' for help and examples";

// One group of results: a type and its objects, or an error.
export interface Fetched {
  info: KindInfo;
  objects: KubeObject[];
  // true when a single object was asked for by name (printed bare with -o yaml)
  single: boolean;
}

export interface Query {
  namespace: string | undefined;
  labelSelector?: string;
  fieldSelector?: string;
}

export function listOptions(q: Query): ListOptions {
  const opts: ListOptions = { namespace: q.namespace };
  try {
    if (q.labelSelector) opts.labelSelector = parseLabelSelector(q.labelSelector);
    if (q.fieldSelector) opts.fieldSelector = parseFieldSelector(q.fieldSelector);
  } catch (e) {
    if (e instanceof SelectorParseError) throw badRequest(e.message);
    throw e;
  }
  return opts;
}

function selectorError(info: KindInfo, q: Query, detail: string): StatusError {
  const gv = info.group ? `${info.group}/${info.version}` : `/${info.version}`;
  return badRequest(
    `Unable to find "${gv}, Resource=${info.resource}" that match label selector "${q.labelSelector ?? ''}", field selector "${q.fieldSelector ?? ''}": ${detail}`,
  );
}

export function listKind(api: ApiServer, info: KindInfo, q: Query): KubeObject[] {
  let opts: ListOptions;
  try {
    opts = listOptions(q);
  } catch (e) {
    if (e instanceof StatusError) throw selectorError(info, q, e.message);
    throw e;
  }
  for (const f of opts.fieldSelector ?? []) {
    if (!supportsField(info, f.field)) throw selectorError(info, q, `field label not supported: ${f.field}`);
  }
  return api.list(info, { ...opts, namespace: info.namespaced ? q.namespace : undefined });
}

function listWrapper(objects: KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

export const command: Command = {
  flags: FLAGS,
  run(ctx) {
    const flags = ctx.flags;
    const format = parseFormat(flags, ['custom-columns', 'custom-columns-file', 'wide']);
    const outputName = format.raw.split('=')[0];
    if (flags.bool('show-labels') && format.kind !== 'default') {
      throw new CliError(`--show-labels option cannot be used with ${outputName} printer`);
    }
    const filenames = flags.list('filename');
    if (ctx.args.length === 0 && filenames.length === 0 && !flags.str('kustomize')) throw new PlainError(MISSING_TYPE);
    const allNamespaces = flags.bool('all-namespaces');
    const session = ctx.session();
    const namespace = allNamespaces ? undefined : ctx.namespace();
    const query: Query = {
      namespace,
      labelSelector: flags.str('selector') || undefined,
      fieldSelector: flags.str('field-selector') || undefined,
    };
    if (flags.bool('watch') || flags.bool('watch-only')) return watch(ctx, format, query);
    const errors: Error[] = [];
    const { groups, now } = session.read((api) => ({ groups: fetch(ctx, api, query, errors), now: api.now() }));
    const multipleKinds = groups.length > 1 || flags.bool('show-kind');
    const out = render(ctx, format, groups, multipleKinds, now, allNamespaces);
    if (out.text) ctx.io.out(out.text);
    const empty = groups.every((g) => g.objects.length === 0);
    if (empty && errors.length === 0 && format.kind === 'default' && !flags.bool('ignore-not-found') && !out.customColumns) {
      const clusterScoped = groups.some((g) => !g.info.namespaced);
      ctx.io.err(allNamespaces || clusterScoped ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
    }
    if (errors.length > 0) throw new AggregateError(errors);
    return 0;
  },
};

function fetch(ctx: CommandContext, api: ApiServer, q: Query, errors: Error[]): Fetched[] {
  const ignoreNotFound = ctx.flags.bool('ignore-not-found');
  const filenames = ctx.flags.list('filename');
  if (filenames.length > 0 || ctx.flags.str('kustomize')) {
    const groups: Fetched[] = [];
    for (const m of readManifests(filenames, ctx.flags.bool('recursive'), () => ctx.readStdin(), ctx.flags.str('kustomize'))) {
      const info = api.kindOf(m.object);
      if (!info) {
        // An aggregate of one in kubectl: printed without `error: `.
        throw new PlainError(
          `resource mapping not found for name: "${m.object.metadata?.name ?? ''}" namespace: "${m.object.metadata?.namespace ?? ''}" from "${m.source}": no matches for kind "${m.object.kind}" in version "${m.object.apiVersion}"\nensure CRDs are installed first`,
        );
      }
      const ns = info.namespaced ? m.object.metadata?.namespace || q.namespace || ctx.namespace() : undefined;
      try {
        const obj = api.get(info, ns, m.object.metadata?.name ?? '');
        const last = groups[groups.length - 1];
        if (last && last.info === info) last.objects.push(obj);
        else groups.push({ info, objects: [obj], single: false });
      } catch (e) {
        if (!(ignoreNotFound && e instanceof StatusError && e.code === 404)) errors.push(e as Error);
      }
    }
    if (groups.length === 1 && groups[0].objects.length === 1) groups[0].single = true;
    return groups;
  }
  const requests = parseResourceArgs(ctx.args);
  const groups: Fetched[] = [];
  for (const r of requests) {
    if (r.names.length === 0) {
      groups.push({ info: r.info, objects: listKind(api, r.info, q), single: false });
      continue;
    }
    const objects: KubeObject[] = [];
    for (const name of r.names) {
      try {
        objects.push(api.get(r.info, r.info.namespaced ? (q.namespace ?? ctx.namespace()) : undefined, name));
      } catch (e) {
        if (!(ignoreNotFound && e instanceof StatusError && e.code === 404)) errors.push(e as Error);
      }
    }
    groups.push({ info: r.info, objects, single: requests.length === 1 && r.names.length === 1 });
  }
  return groups;
}

// Tables are sorted one type at a time, and kubectl drops (silently) a table
// it cannot sort; other formats sort every object together, and say why not.
function sortTable(objects: KubeObject[], sortBy: string): KubeObject[] | undefined {
  if (!sortBy) return objects;
  try {
    return sortObjects(objects, sortBy, { table: true });
  } catch (e) {
    if (e instanceof SortError && !e.klog) return undefined;
    throw e;
  }
}

function sortAll(groups: Fetched[], sortBy: string): Fetched[] {
  if (!sortBy) return groups;
  const all = groups.flatMap((g) => g.objects.map((o) => ({ info: g.info, o })));
  const order = sortObjects(all.map((x) => x.o), sortBy);
  const sorted = order.map((o) => all.find((x) => x.o === o)!);
  // Consecutive objects of one type stay one group, as they print.
  const out: Fetched[] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && last.info === x.info) last.objects.push(x.o);
    else out.push({ info: x.info, objects: [x.o], single: false });
  }
  if (groups.length === 1) out.forEach((g) => (g.single = groups[0].single));
  return out.length > 0 ? out : groups;
}

function render(
  ctx: CommandContext,
  format: Format & { raw: string },
  groups: Fetched[],
  multipleKinds: boolean,
  now: number,
  allNamespaces: boolean,
): { text: string; customColumns: boolean } {
  const flags = ctx.flags;
  const sortBy = flags.str('sort-by');
  const outputName = format.raw.split('=')[0];
  if (outputName === 'custom-columns' || outputName === 'custom-columns-file') {
    const spec = format.raw.slice(format.raw.indexOf('=') + 1);
    const lines: string[] = [];
    let anyRows = false;
    // custom-columns-file always prints its header line.
    const headers = outputName === 'custom-columns-file' || !flags.bool('no-headers');
    for (const g of sortAll(groups, sortBy)) {
      const objects = g.objects;
      const table = outputName === 'custom-columns' ? customColumns(spec, objects) : customColumnsFromFile(spec, objects);
      if (objects.length > 0) anyRows = true;
      if (headers && (objects.length > 0 || lines.length === 0)) lines.push(table.headers.join('\t'));
      for (const row of table.rows) lines.push(row.join('\t'));
    }
    return { text: anyRows || lines.length ? `${tabwrite(lines.join('\n') + '\n', TABLE_OPTIONS)}` : '', customColumns: true };
  }
  if (format.kind === 'default') {
    const wide = outputName === 'wide';
    const blocks: string[] = [];
    for (const g of groups) {
      if (g.objects.length === 0) continue;
      const opts: TableOptions = {
        now,
        wide,
        noHeaders: flags.bool('no-headers'),
        withNamespace: allNamespaces,
        showKind: multipleKinds,
        showLabels: flags.bool('show-labels'),
        labelColumns: flags.list('label-columns'),
      };
      const sorted = sortTable(g.objects, sortBy);
      if (!sorted) continue;
      const lines = tableLines(g.info, sorted, opts);
      blocks.push(tabwrite(`${lines.join('\n')}\n`, TABLE_OPTIONS));
    }
    return { text: blocks.join(flags.bool('no-headers') ? '' : '\n'), customColumns: false };
  }
  const sortedGroups = sortAll(groups, sortBy);
  if (format.kind === 'name') {
    const lines = sortedGroups.flatMap((g) => g.objects.map((o) => `${kindPrefix(g.info)}/${o.metadata.name}\n`));
    return { text: lines.join(''), customColumns: false };
  }
  const all = sortedGroups.flatMap((g) => g.objects.map((o) => ({ ...forDisplay(o, flags), apiVersion: apiVersionOf(g.info) })));
  const single = groups.length === 1 && groups[0].single && all.length === 1;
  const data = single ? all[0] : listWrapper(all);
  return { text: renderObject(format, data, true, flags.bool('allow-missing-template-keys')), customColumns: false };
}
