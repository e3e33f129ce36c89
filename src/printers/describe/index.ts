import type { KindInfo } from '../../api/kinds';
import type { KubeObject } from '../../api/types';
import type { DescribeContext } from './common';
import { describePod } from './pod';
import {
  describeCronJob,
  describeDaemonSet,
  describeDeployment,
  describeJob,
  describeReplicaSet,
  describeReplicationController,
  describeStatefulSet,
} from './workloads';
import { describeEndpointSlice, describeEndpoints, describeService } from './service';
import { describeNode } from './node';
import { describeLimitRange, describeNamespace, describeResourceQuota } from './namespace';
import { describeConfigMap, describeSecret, describeServiceAccount } from './config';
import { describePersistentVolume, describePersistentVolumeClaim, describeStorageClass } from './storage';
import { describeRole, describeRoleBinding } from './rbac';
import { describeIngress, describeIngressClass, describeNetworkPolicy } from './networking';
import { describeHorizontalPodAutoscaler, describePodDisruptionBudget } from './autoscaling';
import { describeGeneric } from './generic';

// kubectl describe: one describer per group/kind (describerMap), the generic
// describer for everything else.

export type { DescribeContext } from './common';

type Describer = (obj: KubeObject, ctx: DescribeContext) => string;

const DESCRIBERS: Record<string, Describer> = {
  '/Pod': describePod,
  '/ReplicationController': describeReplicationController,
  '/Secret': describeSecret,
  '/Service': describeService,
  '/ServiceAccount': describeServiceAccount,
  '/Node': describeNode,
  '/LimitRange': describeLimitRange,
  '/ResourceQuota': describeResourceQuota,
  '/PersistentVolume': describePersistentVolume,
  '/PersistentVolumeClaim': describePersistentVolumeClaim,
  '/Namespace': describeNamespace,
  '/Endpoints': describeEndpoints,
  '/ConfigMap': describeConfigMap,
  'apps/Deployment': describeDeployment,
  'apps/ReplicaSet': describeReplicaSet,
  'apps/StatefulSet': describeStatefulSet,
  'apps/DaemonSet': describeDaemonSet,
  'batch/Job': describeJob,
  'batch/CronJob': describeCronJob,
  'storage.k8s.io/StorageClass': describeStorageClass,
  'discovery.k8s.io/EndpointSlice': describeEndpointSlice,
  'autoscaling/HorizontalPodAutoscaler': describeHorizontalPodAutoscaler,
  'policy/PodDisruptionBudget': describePodDisruptionBudget,
  'networking.k8s.io/Ingress': describeIngress,
  'networking.k8s.io/IngressClass': describeIngressClass,
  'networking.k8s.io/NetworkPolicy': describeNetworkPolicy,
  'rbac.authorization.k8s.io/Role': describeRole,
  'rbac.authorization.k8s.io/ClusterRole': describeRole,
  'rbac.authorization.k8s.io/RoleBinding': describeRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': describeRoleBinding,
};

export function describeObject(info: KindInfo, obj: KubeObject, ctx: DescribeContext): string {
  const describer = DESCRIBERS[`${info.group}/${info.kind}`] ?? describeGeneric;
  return describer(obj, ctx);
}
