import type { Command } from '../command';
import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import type { ApiServer } from '../../api/server';
import { kindPrefix } from '../../api/kinds';
import { StatusError } from '../../api/errors';
import { AggregateError, CliError } from '../errors';
import { NO_RESOURCE_HELP, parseResourceArgs } from '../resources';
import { readManifests } from '../manifests';
import { mapObject, withSource } from '../objects';
import { DRY_RUN_FLAG, dryRunSuffix, parseDryRun } from '../output';
import { listKind } from './get';
import { waitFor } from '../waiting';
import { klogWarning } from '../klog';
import { cascadePolicy } from '../cascade';

// kubectl delete: by name, -f, -l, --all; cascade, grace period, --wait.

const FLAGS = [
  DRY_RUN_FLAG,
  { name: 'output', short: 'o', kind: 'string' as const },
  { name: 'filename', short: 'f', kind: 'stringSlice' as const },
  { name: 'recursive', short: 'R', kind: 'bool' as const },
  { name: 'kustomize', short: 'k', kind: 'string' as const },
  { name: 'selector', short: 'l', kind: 'string' as const },
  { name: 'field-selector', kind: 'string' as const },
  { name: 'all', kind: 'bool' as const },
  { name: 'all-namespaces', short: 'A', kind: 'bool' as const },
  { name: 'cascade', kind: 'string' as const, default: 'background', noOptDefVal: 'background' },
  { name: 'grace-period', kind: 'int' as const, default: -1 },
  { name: 'now', kind: 'bool' as const },
  { name: 'force', kind: 'bool' as const },
  { name: 'wait', kind: 'bool' as const, default: true },
  { name: 'timeout', kind: 'duration' as const },
  { name: 'ignore-not-found', kind: 'bool' as const },
  { name: 'interactive', short: 'i', kind: 'bool' as const },
  { name: 'raw', kind: 'string' as const },
];

interface Target {
  info: KindInfo;
  namespace: string | undefined;
  name: string;
  source?: string;
  // The deleted object's uid, to tell it from a successor of the same name.
  uid?: string;
}

export const command: Command = {
  flags: FLAGS,
  run(ctx) {
    const flags = ctx.flags;
    const filenames = flags.list('filename');
    const selector = flags.str('selector');
    const all = flags.bool('all');
    if (all && selector) throw new CliError('error: cannot set --all and --selector at the same time');
    let grace = flags.int('grace-period');
    const force = flags.bool('force');
    if (flags.bool('now')) {
      if (grace !== -1) throw new CliError('error: --now and --grace-period cannot be specified together');
      grace = 1;
    }
    if (force && grace > 0) throw new CliError('error: --force and --grace-period greater than 0 cannot be specified together');
    if (grace === 0 && !force) grace = 1;
    if (force && grace < 0) grace = 0;
    const policy = cascadePolicy(ctx);
    const dryRun = parseDryRun(flags, (s) => ctx.io.err(klogWarning(s)));
    const output = flags.str('output');
    if (output && output !== 'name') {
      throw new CliError(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: name`);
    }
    if (ctx.args.length === 0 && filenames.length === 0 && !flags.str('kustomize')) throw new CliError(`error: ${NO_RESOURCE_HELP}`);
    const allNamespaces = flags.bool('all-namespaces');
    const namespace = ctx.namespace();
    const bySelector = !!selector || all || !!flags.str('field-selector');
    const ignoreNotFound = flags.bool('ignore-not-found') || bySelector;
    const session = ctx.session();
    if (force) {
      ctx.io.err(
        'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
      );
    }
    const errors: Error[] = [];
    const deleted: Target[] = [];
    const lines: string[] = [];
    session.write((api) => {
      const targets: Target[] = [];
      if (filenames.length > 0 || flags.str('kustomize')) {
        for (const m of readManifests(filenames, flags.bool('recursive'), () => ctx.readStdin(), flags.str('kustomize'))) {
          const mapped = mapObject(api, m, namespace, ctx.explicitNamespace());
          targets.push({ info: mapped.info, namespace: mapped.namespace, name: mapped.name, source: m.source });
        }
      } else {
        for (const r of parseResourceArgs(ctx.args)) {
          if (r.names.length === 0) {
            if (!bySelector) throw new CliError('error: resource(s) were provided, but no name was specified');
            const objs: KubeObject[] = listKind(api, r.info, {
              namespace: allNamespaces ? undefined : namespace,
              labelSelector: selector || undefined,
              fieldSelector: flags.str('field-selector') || undefined,
            });
            for (const o of objs) targets.push({ info: r.info, namespace: o.metadata.namespace, name: o.metadata.name ?? '' });
          } else {
            for (const name of r.names) targets.push({ info: r.info, namespace: r.info.namespaced ? namespace : undefined, name });
          }
        }
      }
      for (const t of targets) {
        try {
          if (dryRun === 'none' || dryRun === 'server') {
            t.uid = api.peek(t.info, t.namespace, t.name)?.metadata.uid;
            api.delete(t.info, t.namespace, t.name, {
              propagationPolicy: policy,
              gracePeriodSeconds: grace >= 0 ? grace : undefined,
              dryRun: dryRun === 'server',
            });
          } else if (!api.peek(t.info, t.namespace, t.name)) {
            throw new StatusError(404, 'NotFound', `${t.info.group ? `${t.info.resource}.${t.info.group}` : t.info.resource} "${t.name}" not found`);
          }
          deleted.push(t);
          lines.push(
            output === 'name'
              ? `${kindPrefix(t.info)}/${t.name}\n`
              : `${kindPrefix(t.info)} "${t.name}" ${force ? 'force deleted' : 'deleted'}${dryRunSuffix(dryRun)}\n`,
          );
        } catch (e) {
          if (ignoreNotFound && e instanceof StatusError && e.code === 404) continue;
          errors.push((t.source ? withSource(e, 'deleting', t.source) : e) as Error);
        }
      }
      return undefined;
    });
    for (const l of lines) ctx.io.out(l);
    if (deleted.length === 0 && errors.length === 0 && bySelector) ctx.io.out('No resources found\n');
    if (flags.bool('wait') && dryRun === 'none' && deleted.length > 0) {
      const timeout = flags.duration('timeout') || 0;
      // Gone means that object (that uid): a controller may already have
      // made another of the same name (a StatefulSet's pods).
      const present = (api: ApiServer, t: Target) => {
        const o = api.peek(t.info, t.namespace, t.name);
        return o !== undefined && (t.uid === undefined || o.metadata.uid === t.uid);
      };
      const gone = waitFor(session, (api) => (deleted.every((t) => !present(api, t)) ? true : undefined), { timeoutMs: timeout });
      if (!gone) {
        const left = deleted.find((t) => session.read((api) => present(api, t)));
        if (left) errors.push(new CliError(`error: timed out waiting for the condition on ${left.info.resource}/${left.name}`));
      }
    }
    if (errors.length > 0) throw errors.length === 1 ? errors[0] : new AggregateError(errors);
    return 0;
  },
};
