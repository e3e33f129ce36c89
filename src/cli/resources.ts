import type { KindInfo } from '../api/kinds';
import { kindsInCategory, resolveResource } from '../api/kinds';
import { CliError } from './errors';

// What `TYPE NAME...`, `TYPE/NAME...` and `TYPE1,TYPE2` arguments ask for, as
// cli-runtime's resource builder reads them.

export interface ResourceRequest {
  info: KindInfo;
  names: string[]; // empty: every object that matches
}

export const NO_RESOURCE_HELP =
  "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

export function resolveType(typed: string): KindInfo[] {
  const category = kindsInCategory(typed.toLowerCase());
  if (typed.toLowerCase() === 'all' && category.length > 0) return category;
  const r = resolveResource(typed);
  if ('error' in r) throw new CliError(`error: ${r.error}`);
  return [r.kind];
}

export function parseResourceArgs(args: string[]): ResourceRequest[] {
  if (args.length === 0) return [];
  const slashed = args.filter((a) => a.includes('/'));
  if (slashed.length > 0) {
    if (slashed.length !== args.length) {
      throw new CliError(
        "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'",
      );
    }
    // In the order given; consecutive names of one type form one group, as
    // kubectl prints one table per run of a type.
    const out: ResourceRequest[] = [];
    for (const a of args) {
      const parts = a.split('/');
      if (parts.length > 2) throw new CliError('error: arguments in resource/name form may not have more than one slash');
      const [type, name] = parts;
      if (!type || !name) throw new CliError('error: arguments in resource/name form must have a single resource and name');
      for (const info of resolveType(type)) {
        const last = out[out.length - 1];
        if (last && last.info === info) last.names.push(name);
        else out.push({ info, names: [name] });
      }
    }
    return out;
  }
  const [types, ...names] = args;
  const infos: KindInfo[] = [];
  for (const t of types.split(',')) {
    if (t === '') continue;
    for (const info of resolveType(t)) if (!infos.includes(info)) infos.push(info);
  }
  return infos.map((info) => ({ info, names: [...names] }));
}
