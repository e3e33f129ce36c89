import type { DaemonSet, Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1';
import { defaultPodTemplate } from './core';

import { nullTimestamp, writable } from '../../util/json';

// Defaults for apps/v1 (pkg/apis/apps/v1/defaults.go).

export function defaultDeployment(d: Deployment): void {
  const spec = (d.spec ??= { selector: {}, template: {} });
  spec.replicas ??= 1;
  spec.strategy ??= {};
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    spec.strategy.rollingUpdate ??= {};
    spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
    spec.strategy.rollingUpdate.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplate(spec.template);
}

export function defaultReplicaSet(rs: ReplicaSet): void {
  const spec = (rs.spec ??= { selector: {} });
  spec.replicas ??= 1;
  defaultPodTemplate(spec.template);
}

export function defaultStatefulSet(s: StatefulSet): void {
  const spec = (s.spec ??= { selector: {}, serviceName: '', template: {} });
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  for (const t of spec.volumeClaimTemplates ?? []) {
    t.apiVersion ??= 'v1';
    t.kind ??= 'PersistentVolumeClaim';
    t.metadata ??= {};
    nullTimestamp(t.metadata);
    t.spec ??= {};
    t.spec.volumeMode ??= 'Filesystem';
    writable(t).status ??= {};
    writable(t.status!).phase ??= 'Pending';
  }
  defaultPodTemplate(spec.template);
}

export function defaultDaemonSet(ds: DaemonSet): void {
  const spec = (ds.spec ??= { selector: {}, template: {} });
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplate(spec.template);
}
