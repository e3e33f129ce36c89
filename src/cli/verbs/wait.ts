import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import { kindPrefix } from '../../api/kinds';
import type { ApiServer } from '../../api/server';
import { CliError } from '../errors';
import { NO_RESOURCE_HELP, parseResourceArgs } from '../resources';
import { readManifests } from '../manifests';
import { mapObject } from '../objects';
import { listKind } from './get';
import { waitFor } from '../waiting';
import { executeJsonPath } from '../../printers/jsonpath';
import { ensureDaemon } from '../../reconciler/daemon';

// kubectl wait --for=condition=X[=v] | --for=delete | --for=create |
// --for=jsonpath='{...}'=value, per object, until --timeout (default 30s).

type Condition =
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'jsonpath'; path: string; value: string | undefined };

function parseFor(spec: string): Condition {
  if (spec === 'delete') return { kind: 'delete' };
  if (spec === 'create') return { kind: 'create' };
  if (spec.startsWith('condition=')) {
    const rest = spec.slice('condition='.length);
    const eq = rest.indexOf('=');
    const type = eq < 0 ? rest : rest.slice(0, eq);
    const value = eq < 0 ? 'true' : rest.slice(eq + 1);
    return { kind: 'condition', type, value };
  }
  if (spec.startsWith('jsonpath=')) {
    const rest = spec.slice('jsonpath='.length);
    // {.status.phase}=Running, or a bare path checked for existence.
    const close = rest.lastIndexOf('}');
    const path = close >= 0 ? rest.slice(0, close + 1) : rest;
    const tail = rest.slice(path.length);
    if (tail && !tail.startsWith('=')) throw new CliError(`error: unrecognized condition: "${spec}"`);
    return { kind: 'jsonpath', path: path.startsWith('{') ? path : `{${path}}`, value: tail ? tail.slice(1) : undefined };
  }
  throw new CliError(`error: unrecognized condition: "${spec}"`);
}

function conditionMet(obj: KubeObject, c: Condition): boolean {
  switch (c.kind) {
    case 'condition': {
      const conds = ((obj.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      return conds.some((x) => x.type.toLowerCase() === c.type.toLowerCase() && x.status.toLowerCase() === c.value.toLowerCase());
    }
    case 'jsonpath': {
      let got: string;
      try {
        got = executeJsonPath(c.path, obj, { allowMissingKeys: true });
      } catch {
        return false;
      }
      return c.value === undefined ? got !== '' : got === c.value;
    }
    case 'create':
      return true;
    default:
      return false;
  }
}

interface Target {
  info: KindInfo;
  namespace: string | undefined;
  name: string;
}

export const command: Command = {
  flags: [
    { name: 'for', kind: 'string' },
    { name: 'timeout', kind: 'duration', default: 30000 },
    { name: 'filename', short: 'f', kind: 'stringSlice' },
    { name: 'recursive', short: 'R', kind: 'bool' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'field-selector', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'local', kind: 'bool' },
  ],
  run(ctx: CommandContext) {
    const flags = ctx.flags;
    const cond = parseFor(flags.str('for'));
    const session = ctx.session();
    const namespace = flags.bool('all-namespaces') ? undefined : ctx.namespace();
    const timeout = flags.duration('timeout');
    ensureDaemon(session.home, ctx.env);
    const resolveTargets = (api: ApiServer): Target[] => {
      const out: Target[] = [];
      if (flags.list('filename').length > 0) {
        for (const m of readManifests(flags.list('filename'), flags.bool('recursive'), () => ctx.readStdin())) {
          const mapped = mapObject(api, m, namespace ?? ctx.namespace(), false);
          out.push({ info: mapped.info, namespace: mapped.namespace, name: mapped.name });
        }
        return out;
      }
      for (const r of parseResourceArgs(ctx.args)) {
        if (r.names.length > 0) {
          for (const n of r.names) out.push({ info: r.info, namespace: r.info.namespaced ? (namespace ?? ctx.namespace()) : undefined, name: n });
        } else {
          if (!flags.str('selector') && !flags.bool('all') && !flags.str('field-selector')) {
            throw new CliError('error: resource(s) were provided, but no name was specified');
          }
          for (const o of listKind(api, r.info, { namespace, labelSelector: flags.str('selector') || undefined, fieldSelector: flags.str('field-selector') || undefined })) {
            out.push({ info: r.info, namespace: o.metadata.namespace, name: o.metadata.name ?? '' });
          }
        }
      }
      return out;
    };
    if (ctx.args.length === 0 && flags.list('filename').length === 0) {
      throw new CliError(`error: ${NO_RESOURCE_HELP}`);
    }
    const targets = session.read(resolveTargets);
    if (targets.length === 0) throw new CliError('error: no matching resources found');
    for (const t of targets) {
      const label = `${kindPrefix(t.info)}/${t.name}`;
      // Waiting for the deletion of something already gone says nothing.
      if (cond.kind === 'delete' && !session.read((api) => api.peek(t.info, t.namespace, t.name))) continue;
      const result = waitFor(
        session,
        (api) => {
          const obj = api.peek(t.info, t.namespace, t.name);
          if (cond.kind === 'delete') return obj ? undefined : 'gone';
          if (!obj) return cond.kind === 'create' ? undefined : 'missing';
          return conditionMet(obj, cond) ? 'met' : undefined;
        },
        { timeoutMs: timeout },
      );
      if (result === 'met' || (result === 'gone' && cond.kind === 'delete')) {
        ctx.io.out(`${label} condition met\n`);
        continue;
      }
      if (result === 'missing') throw new CliError(`Error from server (NotFound): ${t.info.group ? `${t.info.resource}.${t.info.group}` : t.info.resource} "${t.name}" not found`);
      throw new CliError(`error: timed out waiting for the condition on ${t.info.resource}/${t.name}`);
    }
    return 0;
  },
};
