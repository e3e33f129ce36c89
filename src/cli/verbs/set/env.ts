import type { EnvVar } from 'kubernetes-types/core/v1';
import type { Command } from '../../command';
import type { KubeObject } from '../../../api/types';
import { CliError } from '../../errors';
import { SET_FLAGS, podSpecOf, resolveTargets, runSet } from './common';
import { kind } from '../../../api/registry';

// kubectl set env TYPE/NAME KEY=VALUE ... KEY- [--from=configmap/x|secret/x]
// [--prefix] [-c container] [--list].

function fromSource(obj: KubeObject, typ: 'configmap' | 'secret', prefix: string, keys: string[]): EnvVar[] {
  const data = { ...((obj.data as Record<string, string>) ?? {}), ...((obj.binaryData as Record<string, string>) ?? {}) };
  return Object.keys(data)
    .filter((k) => keys.length === 0 || keys.includes(k))
    .sort()
    .map((k) => ({
      name: `${prefix}${k.replace(/[-.]/g, '_').toUpperCase()}`,
      valueFrom:
        typ === 'configmap'
          ? { configMapKeyRef: { key: k, name: obj.metadata.name ?? '' } }
          : { secretKeyRef: { key: k, name: obj.metadata.name ?? '' } },
    }));
}

export const command: Command = {
  flags: [
    ...SET_FLAGS,
    { name: 'containers', short: 'c', kind: 'string', default: '*' },
    { name: 'env', short: 'e', kind: 'stringArray' },
    { name: 'from', kind: 'string' },
    { name: 'prefix', kind: 'string' },
    { name: 'keys', kind: 'stringSlice' },
    { name: 'list', kind: 'bool' },
    { name: 'resolve', kind: 'bool' },
    { name: 'overwrite', kind: 'bool', default: true },
  ],
  run(ctx) {
    const isChange = (a: string) => a.includes('=') || (a.endsWith('-') && !a.includes('/'));
    const resources = ctx.args.filter((a) => !isChange(a));
    const changes = [...ctx.args.filter(isChange), ...ctx.flags.list('env')];
    const pattern = ctx.flags.str('containers');
    const select = (name: string) => pattern === '*' || name === pattern;
    if (ctx.flags.bool('list')) {
      const text = ctx.session().read((api) =>
        resolveTargets(ctx, api, resources)
          .flatMap((t) =>
            (podSpecOf(t.obj)?.containers ?? [])
              .filter((c) => select(c.name))
              .map((c) => {
                const lines = [`# ${t.obj.kind} ${t.obj.metadata.name}, container ${c.name}`];
                for (const e of c.env ?? []) {
                  if (e.value !== undefined) lines.push(`${e.name}=${e.value}`);
                  else if (e.valueFrom?.configMapKeyRef) lines.push(`# ${e.name} from configmap ${e.valueFrom.configMapKeyRef.name}, key ${e.valueFrom.configMapKeyRef.key}`);
                  else if (e.valueFrom?.secretKeyRef) lines.push(`# ${e.name} from secret ${e.valueFrom.secretKeyRef.name}, key ${e.valueFrom.secretKeyRef.key}`);
                  else if (e.valueFrom?.fieldRef) lines.push(`# ${e.name} from field path ${e.valueFrom.fieldRef.fieldPath}`);
                }
                return `${lines.join('\n')}\n`;
              }),
          )
          .join(''),
      );
      ctx.io.out(text);
      return 0;
    }
    const from = ctx.flags.str('from');
    if (changes.length === 0 && !from) throw new CliError('error: at least one environment variable must be provided');
    const sets: EnvVar[] = [];
    const removes: string[] = [];
    for (const c of changes) {
      if (!c.includes('=')) removes.push(c.slice(0, -1));
      else sets.push({ name: c.slice(0, c.indexOf('=')), value: c.slice(c.indexOf('=') + 1) });
    }
    if (from) {
      const [typ, name] = from.split('/');
      const isSecret = typ === 'secret' || typ === 'secrets';
      if (!name || !(isSecret || typ === 'configmap' || typ === 'configmaps' || typ === 'cm')) {
        throw new CliError(`error: unsupported resource specified in --from: ${from}`);
      }
      const src = ctx.session().read((api) => api.get(kind(isSecret ? 'Secret' : 'ConfigMap'), ctx.namespace(), name));
      sets.push(...fromSource(src, isSecret ? 'secret' : 'configmap', ctx.flags.str('prefix'), ctx.flags.list('keys')));
    }
    return runSet(ctx, resources, 'env updated', (obj) => {
      const containers = (podSpecOf(obj)?.containers ?? []).filter((c) => select(c.name));
      if (containers.length === 0) throw new CliError(`error: unable to find container named "${pattern}"`);
      for (const c of containers) {
        let env = [...(c.env ?? [])];
        for (const s of sets) {
          const i = env.findIndex((e) => e.name === s.name);
          if (i >= 0) env[i] = s;
          else env.push(s);
        }
        env = env.filter((e) => !removes.includes(e.name));
        if (env.length > 0) c.env = env;
        else delete c.env;
      }
    });
  },
};
