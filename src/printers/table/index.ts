import type { KindInfo } from '../../api/kinds';
import type { TableDef } from './types';
import { ageColumn, nameColumn } from './common';
import { POD_TABLE } from './pods';
import {
  CONTROLLERREVISION_TABLE,
  CRONJOB_TABLE,
  DAEMONSET_TABLE,
  DEPLOYMENT_TABLE,
  HPA_TABLE,
  JOB_TABLE,
  PDB_TABLE,
  REPLICASET_TABLE,
  REPLICATIONCONTROLLER_TABLE,
  STATEFULSET_TABLE,
} from './workloads';
import {
  ENDPOINTS_TABLE,
  ENDPOINTSLICE_TABLE,
  INGRESS_TABLE,
  INGRESSCLASS_TABLE,
  NETWORKPOLICY_TABLE,
  SERVICE_TABLE,
} from './services';
import { EVENT_TABLE, LEASE_TABLE, NAMESPACE_TABLE, NODE_TABLE, SERVICEACCOUNT_TABLE } from './cluster';
import { CONFIGMAP_TABLE, LIMITRANGE_TABLE, PODTEMPLATE_TABLE, RESOURCEQUOTA_TABLE, SECRET_TABLE } from './config';
import { PV_TABLE, PVC_TABLE, STORAGECLASS_TABLE } from './storage';
import { ROLE_TABLE, ROLEBINDING_TABLE } from './rbac';

export type { TableDef, Column, RowContext } from './types';

// `group/Kind` -> its table. Kinds without one print NAME and AGE.
const TABLES: Record<string, TableDef> = {
  '/Pod': POD_TABLE,
  '/Service': SERVICE_TABLE,
  '/Endpoints': ENDPOINTS_TABLE,
  '/Node': NODE_TABLE,
  '/Namespace': NAMESPACE_TABLE,
  '/ServiceAccount': SERVICEACCOUNT_TABLE,
  '/Event': EVENT_TABLE,
  'events.k8s.io/Event': EVENT_TABLE,
  '/ConfigMap': CONFIGMAP_TABLE,
  '/Secret': SECRET_TABLE,
  '/LimitRange': LIMITRANGE_TABLE,
  '/ResourceQuota': RESOURCEQUOTA_TABLE,
  '/PodTemplate': PODTEMPLATE_TABLE,
  '/PersistentVolume': PV_TABLE,
  '/PersistentVolumeClaim': PVC_TABLE,
  '/ReplicationController': REPLICATIONCONTROLLER_TABLE,
  'apps/Deployment': DEPLOYMENT_TABLE,
  'apps/ReplicaSet': REPLICASET_TABLE,
  'apps/StatefulSet': STATEFULSET_TABLE,
  'apps/DaemonSet': DAEMONSET_TABLE,
  'apps/ControllerRevision': CONTROLLERREVISION_TABLE,
  'batch/Job': JOB_TABLE,
  'batch/CronJob': CRONJOB_TABLE,
  'autoscaling/HorizontalPodAutoscaler': HPA_TABLE,
  'policy/PodDisruptionBudget': PDB_TABLE,
  'networking.k8s.io/Ingress': INGRESS_TABLE,
  'networking.k8s.io/IngressClass': INGRESSCLASS_TABLE,
  'networking.k8s.io/NetworkPolicy': NETWORKPOLICY_TABLE,
  'discovery.k8s.io/EndpointSlice': ENDPOINTSLICE_TABLE,
  'storage.k8s.io/StorageClass': STORAGECLASS_TABLE,
  'rbac.authorization.k8s.io/Role': ROLE_TABLE,
  'rbac.authorization.k8s.io/ClusterRole': ROLE_TABLE,
  'rbac.authorization.k8s.io/RoleBinding': ROLEBINDING_TABLE,
  'rbac.authorization.k8s.io/ClusterRoleBinding': ROLEBINDING_TABLE,
  'coordination.k8s.io/Lease': LEASE_TABLE,
};

const DEFAULT_TABLE: TableDef = { columns: [nameColumn, ageColumn] };

export function tableFor(info: KindInfo): TableDef {
  return TABLES[`${info.group}/${info.kind}`] ?? DEFAULT_TABLE;
}
