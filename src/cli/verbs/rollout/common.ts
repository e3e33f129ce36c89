import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { CommandContext } from '../../command';
import type { KubeObject } from '../../../api/types';
import type { KindInfo } from '../../../api/kinds';
import type { ApiServer } from '../../../api/server';
import { kind } from '../../../api/registry';
import { CliError } from '../../errors';
import { parseResourceArgs } from '../../resources';
import { readManifests } from '../../manifests';
import { mapObject } from '../../objects';
import { controllerOf } from '../../../controllers/podtemplate';
import { REVISION } from '../../../controllers/deployment';

// What the rollout sub-commands share: their objects, and a Deployment's
// revisions (its ReplicaSets) or a DaemonSet's / StatefulSet's (its ControllerRevisions).

export const ROLLOUT_RESOURCE_FLAGS = [
  { name: 'filename', short: 'f', kind: 'stringSlice' as const },
  { name: 'recursive', short: 'R', kind: 'bool' as const },
  { name: 'kustomize', short: 'k', kind: 'string' as const },
  { name: 'selector', short: 'l', kind: 'string' as const },
];

export interface RolloutTarget {
  info: KindInfo;
  namespace: string | undefined;
  name: string;
}

export function rolloutTargets(ctx: CommandContext, api: ApiServer): RolloutTarget[] {
  const namespace = ctx.namespace();
  if (ctx.flags.list('filename').length > 0) {
    return readManifests(ctx.flags.list('filename'), ctx.flags.bool('recursive'), () => ctx.readStdin()).map((m) => {
      const mapped = mapObject(api, m, namespace, ctx.explicitNamespace());
      return { info: mapped.info, namespace: mapped.namespace, name: mapped.name };
    });
  }
  if (ctx.args.length === 0) throw new CliError('error: required resource not specified');
  const out: RolloutTarget[] = [];
  for (const r of parseResourceArgs(ctx.args)) {
    if (r.names.length === 0) {
      const sel = ctx.flags.str('selector');
      if (!sel) throw new CliError('error: required resource not specified');
      for (const o of api.list(r.info, { namespace })) out.push({ info: r.info, namespace, name: o.metadata.name ?? '' });
    }
    for (const n of r.names) out.push({ info: r.info, namespace: r.info.namespaced ? namespace : undefined, name: n });
  }
  return out;
}

export interface Revision {
  revision: number;
  obj: KubeObject; // the ReplicaSet or ControllerRevision
  template: PodTemplateSpec | undefined;
  changeCause: string | undefined;
}

export function revisionsOf(api: ApiServer, info: KindInfo, owner: KubeObject): Revision[] {
  if (info.kind === 'Deployment') {
    return api
      .peekList(kind('ReplicaSet'), { namespace: owner.metadata.namespace })
      .filter((rs) => controllerOf(rs)?.uid === owner.metadata.uid)
      .map((rs) => ({
        revision: Number(rs.metadata.annotations?.[REVISION] ?? 0),
        obj: rs,
        template: (rs as ReplicaSet & KubeObject).spec?.template,
        changeCause: rs.metadata.annotations?.['kubernetes.io/change-cause'],
      }))
      .filter((r) => r.revision > 0)
      .sort((a, b) => a.revision - b.revision);
  }
  return api
    .peekList(kind('ControllerRevision'), { namespace: owner.metadata.namespace })
    .filter((cr) => controllerOf(cr)?.uid === owner.metadata.uid)
    .map((cr) => ({
      revision: Number(cr.revision ?? 0),
      obj: cr,
      template: revisionTemplate(cr.data),
      changeCause: cr.metadata.annotations?.['kubernetes.io/change-cause'],
    }))
    .sort((a, b) => a.revision - b.revision);
}

// A ControllerRevision holds a patch whose template carries `$patch: replace`
// (applied, it replaces the template whole); the template is the rest.
function revisionTemplate(data: unknown): PodTemplateSpec | undefined {
  const t = (data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _p, ...template } = t;
  void _p;
  return template;
}

export function requireKinds(info: KindInfo, allowed: string[], what: string): void {
  if (!allowed.includes(info.kind)) throw new CliError(`error: no ${what} has been implemented for ${info.kind}`);
}

export type { Deployment };
