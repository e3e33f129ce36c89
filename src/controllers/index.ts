import type { Controller } from './types';
import { namespaceController } from './namespace';
import { serviceAccountController } from './serviceaccount';
import { rootCAController } from './rootca';
import { eventTTLController } from './eventttl';
import { garbageCollector } from './garbagecollector';
import { replicaSetController, replicationControllerController } from './replicaset';
import { deploymentController } from './deployment';
import { daemonSetController } from './daemonset';
import { endpointsController } from './endpoints';
import { jobController } from './job';
import { cronJobController } from './cronjob';
import { statefulSetController } from './statefulset';
import { volumeController, volumeSyncController } from './volumes';
import { pvcProtectionController } from './pvc-protection';
import { pvProtectionController } from './pv-protection';
import { horizontalPodAutoscalerController } from './horizontalpodautoscaler';
import { disruptionController } from './disruption';
import { scheduler } from '../sim/scheduler';
import { kubelet } from '../sim/kubelet';
import { nodeAgent } from '../sim/kubelet/node';

// Every controller the reconciler runs, in the order their queues are served:
// kube-controller-manager's loops, then the scheduler, then the kubelets.
export const CONTROLLERS: readonly Controller[] = [
  namespaceController,
  serviceAccountController,
  rootCAController,
  deploymentController,
  replicaSetController,
  replicationControllerController,
  daemonSetController,
  statefulSetController,
  volumeSyncController,
  volumeController,
  pvcProtectionController,
  pvProtectionController,
  endpointsController,
  disruptionController,
  cronJobController,
  jobController,
  horizontalPodAutoscalerController,
  garbageCollector,
  eventTTLController,
  scheduler,
  nodeAgent,
  kubelet,
];
