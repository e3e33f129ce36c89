import type { DaemonSet, Deployment, StatefulSet } from 'kubernetes-types/apps/v1';
import type { Command } from '../../command';
import type { KubeObject } from '../../../api/types';
import { CliError } from '../../errors';
import { ROLLOUT_RESOURCE_FLAGS, rolloutTargets } from './common';
import { waitFor } from '../../waiting';
import { ensureDaemon } from '../../../reconciler/daemon';
import { REVISION } from '../../../controllers/deployment';

// kubectl rollout status: one line per change of the object (no
// de-duplication, as kubectl prints on every watch event) until the rollout is
// done, its progress deadline passes, or --timeout.

interface Status {
  message: string;
  done: boolean;
  error?: string;
}

function deploymentStatus(d: Deployment & KubeObject): Status {
  const name = d.metadata.name;
  const st = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  if ((d.metadata.generation ?? 0) > (st.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
  const progressing = (st.conditions ?? []).find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { message: '', done: false, error: `deployment "${name}" exceeded its progress deadline` };
  const updated = st.updatedReplicas ?? 0;
  const replicas = st.replicas ?? 0;
  const available = st.availableReplicas ?? 0;
  if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...\n`, done: false };
  if (replicas > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${replicas - updated} old replicas are pending termination...\n`, done: false };
  if (available < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${available} of ${updated} updated replicas are available...\n`, done: false };
  return { message: `deployment "${name}" successfully rolled out\n`, done: true };
}

function daemonSetStatus(ds: DaemonSet & KubeObject): Status {
  const name = ds.metadata.name;
  if (ds.spec?.updateStrategy?.type && ds.spec.updateStrategy.type !== 'RollingUpdate') {
    return { message: '', done: false, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const st = ds.status;
  if ((ds.metadata.generation ?? 0) > (st?.observedGeneration ?? 0)) return { message: 'Waiting for daemon set spec update to be observed...\n', done: false };
  const desired = st?.desiredNumberScheduled ?? 0;
  if ((st?.updatedNumberScheduled ?? 0) < desired) {
    return { message: `Waiting for daemon set "${name}" rollout to finish: ${st?.updatedNumberScheduled ?? 0} out of ${desired} new pods have been updated...\n`, done: false };
  }
  if ((st?.numberAvailable ?? 0) < desired) {
    return { message: `Waiting for daemon set "${name}" rollout to finish: ${st?.numberAvailable ?? 0} of ${desired} updated pods are available...\n`, done: false };
  }
  return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
}

function statefulSetStatus(s: StatefulSet & KubeObject): Status {
  if (s.spec?.updateStrategy?.type && s.spec.updateStrategy.type !== 'RollingUpdate') {
    return { message: '', done: false, error: 'rollout status is only available for RollingUpdate strategy type' };
  }
  const st = s.status;
  if (!st?.observedGeneration || (s.metadata.generation ?? 0) > st.observedGeneration) {
    return { message: 'Waiting for statefulset spec update to be observed...\n', done: false };
  }
  const want = s.spec?.replicas ?? 1;
  if ((st.readyReplicas ?? 0) < want) return { message: `Waiting for ${want - (st.readyReplicas ?? 0)} pods to be ready...\n`, done: false };
  const partition = s.spec?.updateStrategy?.rollingUpdate?.partition;
  if (s.spec?.updateStrategy?.rollingUpdate) {
    if ((st.updatedReplicas ?? 0) < want - (partition ?? 0)) {
      return { message: `Waiting for partitioned roll out to finish: ${st.updatedReplicas ?? 0} out of ${want - (partition ?? 0)} new pods have been updated...\n`, done: false };
    }
    return { message: `partitioned roll out complete: ${st.updatedReplicas ?? 0} new pods have been updated...\n`, done: true };
  }
  if (st.updateRevision !== st.currentRevision) {
    return { message: `waiting for statefulset rolling update to complete ${st.updatedReplicas ?? 0} pods at revision ${st.updateRevision}...\n`, done: false };
  }
  return { message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...\n`, done: true };
}

function statusOf(obj: KubeObject): Status {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentStatus(obj as Deployment & KubeObject);
    case 'DaemonSet':
      return daemonSetStatus(obj as DaemonSet & KubeObject);
    case 'StatefulSet':
      return statefulSetStatus(obj as StatefulSet & KubeObject);
    default:
      return { message: '', done: false, error: `no status viewer has been implemented for ${obj.kind}` };
  }
}

export const command: Command = {
  flags: [
    ...ROLLOUT_RESOURCE_FLAGS,
    { name: 'watch', short: 'w', kind: 'bool', default: true },
    { name: 'timeout', kind: 'duration' },
    { name: 'revision', kind: 'int' },
  ],
  run(ctx) {
    const session = ctx.session();
    const targets = session.read((api) => rolloutTargets(ctx, api));
    if (targets.length !== 1) {
      throw new CliError(`error: rollout status is only supported on individual resources and resource collections - ${targets.length} resources were found`);
    }
    const t = targets[0];
    const first = session.read((api) => api.get(t.info, t.namespace, t.name));
    const revision = ctx.flags.int('revision');
    if (revision > 0) {
      const running = Number(first.metadata.annotations?.[REVISION] ?? 0);
      if (running !== revision) throw new CliError(`error: desired revision (${revision}) is different from the running revision (${running})`);
    }
    const initial = statusOf(first);
    if (initial.error && !initial.message) throw new CliError(`error: ${initial.error}`);
    if (!ctx.flags.bool('watch')) {
      ctx.io.out(initial.message);
      return 0;
    }
    ensureDaemon(session.home, ctx.env);
    let lastVersion = '';
    const outcome = waitFor(
      session,
      (api) => {
        const obj = api.peek(t.info, t.namespace, t.name);
        if (!obj) return { error: 'object has been deleted' };
        if (obj.metadata.resourceVersion === lastVersion) return undefined;
        lastVersion = obj.metadata.resourceVersion ?? '';
        const s = statusOf(obj);
        if (s.error) return { error: s.error };
        ctx.io.out(s.message);
        return s.done ? { done: true } : undefined;
      },
      { timeoutMs: ctx.flags.duration('timeout') },
    );
    if (!outcome) throw new CliError('error: timed out waiting for the condition');
    if ('error' in outcome) throw new CliError(`error: ${outcome.error}`);
    return 0;
  },
};
