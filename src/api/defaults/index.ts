import type { KubeObject } from '../types';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps';
import { defaultCronJob, defaultJob } from './batch';
import {
  defaultEndpoints,
  defaultNamespace,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPod,
  defaultPodTemplate,
  defaultReplicationController,
  defaultSecret,
  defaultService,
} from './core';
import {
  defaultEndpointSlice,
  defaultHorizontalPodAutoscaler,
  defaultNetworkPolicy,
  defaultRoleBinding,
  defaultStorageClass,
} from './other';

type Defaulter = (obj: never) => void;

// Kind -> the function that fills in its defaults. Kinds without defaults are absent.
const DEFAULTERS: Record<string, Defaulter> = {
  'apps/DaemonSet': defaultDaemonSet,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'batch/CronJob': defaultCronJob,
  'batch/Job': defaultJob,
  '/Endpoints': defaultEndpoints,
  '/Namespace': defaultNamespace,
  '/PersistentVolume': defaultPersistentVolume,
  '/PersistentVolumeClaim': defaultPersistentVolumeClaim,
  '/Pod': defaultPod,
  '/PodTemplate': (t: { template?: Parameters<typeof defaultPodTemplate>[0] }) => defaultPodTemplate(t.template),
  '/ReplicationController': defaultReplicationController,
  '/Secret': defaultSecret,
  '/Service': defaultService,
  'autoscaling/HorizontalPodAutoscaler': defaultHorizontalPodAutoscaler,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'rbac.authorization.k8s.io/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultRoleBinding,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
};

export function applyDefaults(group: string, obj: KubeObject): void {
  const fn = DEFAULTERS[`${group}/${obj.kind}`];
  if (fn) (fn as (o: KubeObject) => void)(obj);
}
