import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubeObject } from '../../src/api/types';
import type { ClusterState } from '../../src/store/store';
import type { RngState } from '../../src/util/rand';
import { ApiServer, objectKey } from '../../src/api/server';
import { KINDS, apiVersionOf, storageKey } from '../../src/api/kinds';
import type { KindInfo } from '../../src/api/kinds';
import { kind } from '../../src/api/registry';
import { parseFieldSelector, parseLabelSelector } from '../../src/api/selectors';
import { StatusError } from '../../src/api/errors';
import { Clock, rfc3339 } from '../../src/sim/clock';
import { Rng } from '../../src/util/rand';
import { describeObject } from '../../src/printers/describe';
import { oracleSkip } from '../helpers/oracle';
import { runOracleAgainst } from '../helpers/fake-apiserver';

// Every describer against the layouts kubectl 1.32 prints: golden blocks from
// the reference (§7.3) with a fixed clock, and, where the real kubectl is
// installed, a differential run: the same objects are served to kubectl by a
// small fake API server and both outputs must be byte-identical.

process.env.TZ = 'UTC';

// An API server over a fixed set of objects, no controllers: only reads are used.
function memoryApi(objects: KubeObject[], now: number): ApiServer {
  const state = { objects: {} } as unknown as ClusterState;
  const clock = new Clock({ mode: 'manual', speed: 1, anchorReal: 0, anchorSim: now });
  const api = new ApiServer({ state, clock, rng: new Rng({ s: [1, 2, 3, 4] } as unknown as RngState) });
  for (const o of objects) {
    const info = api.kindOf(o);
    if (!info) throw new Error(`no kind for ${o.apiVersion} ${o.kind}`);
    (state.objects[storageKey(info)] ??= {})[objectKey(info.namespaced, o.metadata.namespace, o.metadata.name ?? '')] = o;
  }
  return api;
}

function describeOne(api: ApiServer, kindName: string, namespace: string | undefined, name: string, showEvents = true): string {
  const info = kind(kindName);
  return describeObject(info, api.get(info, namespace, name), { api, now: api.now(), showEvents });
}

const at = (iso: string): string => iso;
const ms = (iso: string): number => Date.parse(iso);

// ---------------------------------------------------------------------------
// Golden blocks (kubectl-output-reference.md §7.3), values reproduced exactly.

const SA_VOLUME = (suffix: string) => ({
  name: `kube-api-access-${suffix}`,
  projected: {
    defaultMode: 420,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
});

const DEFAULT_TOLERATIONS = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function event(
  name: string,
  involved: { kind: string; name: string; namespace?: string; uid: string },
  reason: string,
  message: string,
  component: string,
  first: string,
  last = first,
  count = 1,
  type = 'Normal',
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: involved.namespace ?? 'default', creationTimestamp: first },
    involvedObject: { apiVersion: 'v1', namespace: 'default', ...involved },
    reason,
    message,
    source: { component, host: component === 'kubelet' ? 'minikube' : undefined },
    firstTimestamp: first,
    lastTimestamp: last,
    count,
    type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  };
}

// The scheduler's events.k8s.io-shaped event: eventTime, no timestamps, no source.
function schedulerEvent(name: string, pod: { name: string; namespace: string; uid: string }, node: string, time: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name, namespace: pod.namespace, creationTimestamp: time.replace(/\.\d+Z$/, 'Z') },
    involvedObject: { apiVersion: 'v1', kind: 'Pod', ...pod },
    reason: 'Scheduled',
    message: `Successfully assigned ${pod.namespace}/${pod.name} to ${node}`,
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    type: 'Normal',
    eventTime: time,
    action: 'Binding',
    reportingComponent: 'default-scheduler',
    reportingInstance: 'default-scheduler-minikube',
  };
}

const NGINX_POD_NAME = 'nginx-deployment-77d8468669-2z8mq';

function nginxPod(name: string, created: string, withStatus = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: created,
      labels: { app: 'nginx', 'pod-template-hash': '77d8468669' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nginx-deployment-77d8468669', uid: 'uid-rs', controller: true, blockOwnerDeletion: true },
      ],
    },
    spec: {
      containers: [
        {
          name: 'nginx',
          image: 'nginx:1.14.2',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        },
      ],
      nodeName: 'minikube',
      priority: 0,
      serviceAccountName: 'default',
      tolerations: DEFAULT_TOLERATIONS,
      volumes: [SA_VOLUME('x7k2p')],
    },
    status: withStatus
      ? {
          phase: 'Running',
          hostIP: '192.168.49.2',
          podIP: '10.244.0.5',
          podIPs: [{ ip: '10.244.0.5' }],
          startTime: created,
          qosClass: 'BestEffort',
          conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
            type,
            status: 'True',
          })),
          containerStatuses: [
            {
              name: 'nginx',
              ready: true,
              restartCount: 0,
              image: 'nginx:1.14.2',
              imageID: 'docker-pullable://nginx@sha256:f7988fb6c02e0ce69257d9bd9cf37ae20a60f1df7563c3a2a6abe24160306b8d',
              containerID: 'docker://4f7c1b0e8d9a2c3b5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d',
              state: { running: { startedAt: '2026-11-23T06:43:16Z' } },
            },
          ],
        }
      : { phase: 'Running' },
  };
}

describe('describe: golden layouts from kubectl 1.32', () => {
  it('pod of a Deployment (running, projected SA volume, scheduler and kubelet events)', () => {
    const uid = `uid-${NGINX_POD_NAME}`;
    const involved = { kind: 'Pod', name: NGINX_POD_NAME, uid };
    const api = memoryApi(
      [
        nginxPod(NGINX_POD_NAME, at('2026-11-23T06:43:07Z')),
        schedulerEvent('e1', { name: NGINX_POD_NAME, namespace: 'default', uid }, 'minikube', '2026-11-23T06:43:06.904500Z'),
        event('e2', involved, 'Pulling', 'Pulling image "nginx:1.14.2"', 'kubelet', '2026-11-23T06:43:08Z'),
        event(
          'e3',
          involved,
          'Pulled',
          'Successfully pulled image "nginx:1.14.2" in 7.538s (7.538s including waiting). Image size: 109129446 bytes.',
          'kubelet',
          '2026-11-23T06:43:15Z',
        ),
        event('e4', involved, 'Created', 'Created container nginx', 'kubelet', '2026-11-23T06:43:15Z'),
        event('e5', involved, 'Started', 'Started container nginx', 'kubelet', '2026-11-23T06:43:16Z'),
      ],
      ms('2026-11-23T06:48:39Z'),
    );
    assert.equal(
      describeOne(api, 'Pod', 'default', NGINX_POD_NAME),
      `Name:             nginx-deployment-77d8468669-2z8mq
Namespace:        default
Priority:         0
Service Account:  default
Node:             minikube/192.168.49.2
Start Time:       Mon, 23 Nov 2026 06:43:07 +0000
Labels:           app=nginx
                  pod-template-hash=77d8468669
Annotations:      <none>
Status:           Running
IP:               10.244.0.5
IPs:
  IP:           10.244.0.5
Controlled By:  ReplicaSet/nginx-deployment-77d8468669
Containers:
  nginx:
    Container ID:   docker://4f7c1b0e8d9a2c3b5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d
    Image:          nginx:1.14.2
    Image ID:       docker-pullable://nginx@sha256:f7988fb6c02e0ce69257d9bd9cf37ae20a60f1df7563c3a2a6abe24160306b8d
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Mon, 23 Nov 2026 06:43:16 +0000
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-x7k2p (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-x7k2p:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age    From               Message
  ----    ------     ----   ----               -------
  Normal  Scheduled  5m32s  default-scheduler  Successfully assigned default/nginx-deployment-77d8468669-2z8mq to minikube
  Normal  Pulling    5m31s  kubelet            Pulling image "nginx:1.14.2"
  Normal  Pulled     5m24s  kubelet            Successfully pulled image "nginx:1.14.2" in 7.538s (7.538s including waiting). Image size: 109129446 bytes.
  Normal  Created    5m24s  kubelet            Created container nginx
  Normal  Started    5m23s  kubelet            Started container nginx
`,
    );
  });

  it('crash-looping pod: command, resources, probe, env, last state, repeated events', () => {
    const involved = { kind: 'Pod', name: 'crasher', uid: 'pod-uid-c' };
    const pod: KubeObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'crasher', namespace: 'default', uid: 'pod-uid-c', labels: { run: 'crasher' }, creationTimestamp: '2026-11-23T03:46:32Z' },
      spec: {
        containers: [
          {
            name: 'crasher',
            image: 'busybox',
            command: ['sh', '-c', 'exit 1'],
            resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } },
            livenessProbe: {
              httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
              initialDelaySeconds: 3,
              timeoutSeconds: 1,
              periodSeconds: 3,
              successThreshold: 1,
              failureThreshold: 3,
            },
            env: [
              { name: 'GREETING', value: 'hello' },
              { name: 'MY_POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
            ],
          },
        ],
        nodeName: 'minikube',
        priority: 0,
        serviceAccountName: 'default',
      },
      status: {
        phase: 'Running',
        hostIP: '192.168.49.2',
        podIP: '10.244.0.9',
        podIPs: [{ ip: '10.244.0.9' }],
        startTime: '2026-11-23T03:46:32Z',
        conditions: [
          { type: 'Initialized', status: 'True' },
          { type: 'Ready', status: 'False' },
          { type: 'ContainersReady', status: 'False' },
          { type: 'PodScheduled', status: 'True' },
        ],
        containerStatuses: [
          {
            name: 'crasher',
            ready: false,
            restartCount: 41,
            image: 'busybox',
            imageID: 'docker-pullable://busybox@sha256:abc',
            containerID: 'docker://1234',
            state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } },
            lastState: {
              terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-11-23T06:46:07Z', finishedAt: '2026-11-23T06:46:07Z' },
            },
          },
        ],
      },
    };
    const api = memoryApi(
      [
        pod,
        event(
          'e1',
          involved,
          'Pulled',
          'Container image "busybox" already present on machine',
          'kubelet',
          '2026-11-23T03:47:32Z',
          '2026-11-23T06:44:07Z',
          41,
        ),
        event(
          'e2',
          involved,
          'BackOff',
          'Back-off restarting failed container crasher in pod crasher_default(pod-uid-c)',
          'kubelet',
          '2026-11-23T03:48:32Z',
          '2026-11-23T06:46:17Z',
          812,
          'Warning',
        ),
      ],
      ms('2026-11-23T06:46:39Z'),
    );
    assert.equal(
      describeOne(api, 'Pod', 'default', 'crasher'),
      `Name:             crasher
Namespace:        default
Priority:         0
Service Account:  default
Node:             minikube/192.168.49.2
Start Time:       Mon, 23 Nov 2026 03:46:32 +0000
Labels:           run=crasher
Annotations:      <none>
Status:           Running
IP:               10.244.0.9
IPs:
  IP:  10.244.0.9
Containers:
  crasher:
    Container ID:  docker://1234
    Image:         busybox
    Image ID:      docker-pullable://busybox@sha256:abc
    Port:          <none>
    Host Port:     <none>
    Command:
      sh
      -c
      exit 1
    State:          Waiting
      Reason:       CrashLoopBackOff
    Last State:     Terminated
      Reason:       Error
      Exit Code:    1
      Started:      Mon, 23 Nov 2026 06:46:07 +0000
      Finished:     Mon, 23 Nov 2026 06:46:07 +0000
    Ready:          False
    Restart Count:  41
    Limits:
      cpu:     500m
      memory:  128Mi
    Requests:
      cpu:     250m
      memory:  64Mi
    Liveness:  http-get http://:8080/healthz delay=3s timeout=1s period=3s #success=1 #failure=3
    Environment:
      GREETING:  hello
      MY_POD:    crasher (v1:metadata.name)
    Mounts:      <none>
Conditions:
  Type              Status
  Initialized       True 
  Ready             False 
  ContainersReady   False 
  PodScheduled      True 
Volumes:            <none>
QoS Class:          Burstable
Node-Selectors:     <none>
Tolerations:        <none>
Events:
  Type     Reason   Age                    From     Message
  ----     ------   ----                   ----     -------
  Normal   Pulled   2m32s (x41 over 179m)  kubelet  Container image "busybox" already present on machine
  Warning  BackOff  22s (x812 over 178m)   kubelet  Back-off restarting failed container crasher in pod crasher_default(pod-uid-c)
`,
    );
  });

  it('unscheduled pod: no node, empty IP, events none', () => {
    const api = memoryApi(
      [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'pending', namespace: 'default', uid: 'u-p', labels: { run: 'pending' }, creationTimestamp: '2026-11-23T06:40:00Z' },
          spec: { containers: [{ name: 'pending', image: 'nginx' }] },
          status: { phase: 'Pending', qosClass: 'BestEffort', conditions: [{ type: 'PodScheduled', status: 'False' }] },
        },
      ],
      ms('2026-11-23T06:48:39Z'),
    );
    assert.equal(
      describeOne(api, 'Pod', 'default', 'pending'),
      `Name:         pending
Namespace:    default
Node:         <none>
Labels:       run=pending
Annotations:  <none>
Status:       Pending
IP:           
IPs:          <none>
Containers:
  pending:
    Image:        nginx
    Port:         <none>
    Host Port:    <none>
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
`,
    );
  });

  const TEMPLATE = {
    metadata: { labels: { app: 'nginx' } },
    spec: { containers: [{ name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80, protocol: 'TCP' }] }] },
  };

  it('deployment: replicas line, strategy, pod template, conditions, replica sets, events', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'nginx-deployment',
        namespace: 'default',
        uid: 'uid-d',
        creationTimestamp: '2026-11-23T06:43:07Z',
        labels: { app: 'nginx' },
        annotations: { 'deployment.kubernetes.io/revision': '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'nginx' } },
        template: TEMPLATE,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        minReadySeconds: 0,
      },
      status: {
        replicas: 3,
        updatedReplicas: 3,
        availableReplicas: 3,
        conditions: [
          { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
          { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
        ],
      },
    };
    const rs: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'nginx-deployment-77d8468669',
        namespace: 'default',
        uid: 'uid-rs',
        creationTimestamp: '2026-11-23T06:43:07Z',
        labels: { app: 'nginx', 'pod-template-hash': '77d8468669' },
        annotations: {
          'deployment.kubernetes.io/desired-replicas': '3',
          'deployment.kubernetes.io/max-replicas': '4',
          'deployment.kubernetes.io/revision': '1',
        },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nginx-deployment', uid: 'uid-d', controller: true }],
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'nginx', 'pod-template-hash': '77d8468669' } },
        template: { ...TEMPLATE, metadata: { labels: { app: 'nginx', 'pod-template-hash': '77d8468669' } } },
      },
      status: { replicas: 3 },
    };
    const pods = ['2z8mq', 'h6xvv', 'xk9wn'].map((s) => nginxPod(`nginx-deployment-77d8468669-${s}`, '2026-11-23T06:43:07Z', false));
    const api = memoryApi(
      [
        deployment,
        rs,
        ...pods,
        event(
          'd1',
          { kind: 'Deployment', name: 'nginx-deployment', uid: 'uid-d' },
          'ScalingReplicaSet',
          'Scaled up replica set nginx-deployment-77d8468669 to 3',
          'deployment-controller',
          '2026-11-23T06:43:07Z',
        ),
        event(
          'r1',
          { kind: 'ReplicaSet', name: 'nginx-deployment-77d8468669', uid: 'uid-rs' },
          'SuccessfulCreate',
          'Created pod: nginx-deployment-77d8468669-2z8mq',
          'replicaset-controller',
          '2026-11-23T06:43:07Z',
        ),
      ],
      ms('2026-11-23T06:48:40Z'),
    );
    assert.equal(
      describeOne(api, 'Deployment', 'default', 'nginx-deployment'),
      `Name:                   nginx-deployment
Namespace:              default
CreationTimestamp:      Mon, 23 Nov 2026 06:43:07 +0000
Labels:                 app=nginx
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=nginx
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx:1.14.2
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   nginx-deployment-77d8468669 (3/3 replicas created)
Events:
  Type    Reason             Age    From                   Message
  ----    ------             ----   ----                   -------
  Normal  ScalingReplicaSet  5m33s  deployment-controller  Scaled up replica set nginx-deployment-77d8468669 to 3
`,
    );
    assert.equal(
      describeOne(api, 'ReplicaSet', 'default', 'nginx-deployment-77d8468669'),
      `Name:           nginx-deployment-77d8468669
Namespace:      default
Selector:       app=nginx,pod-template-hash=77d8468669
Labels:         app=nginx
                pod-template-hash=77d8468669
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/nginx-deployment
Replicas:       3 current / 3 desired
Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
           pod-template-hash=77d8468669
  Containers:
   nginx:
    Image:         nginx:1.14.2
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age    From                   Message
  ----    ------            ----   ----                   -------
  Normal  SuccessfulCreate  5m33s  replicaset-controller  Created pod: nginx-deployment-77d8468669-2z8mq
`,
    );
  });

  it('service: NodePort, endpoints from EndpointSlices, traffic policies', () => {
    const api = memoryApi(
      [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'nginx-deployment', namespace: 'default', uid: 'uid-s', labels: { app: 'nginx' } },
          spec: {
            selector: { app: 'nginx' },
            type: 'NodePort',
            ipFamilyPolicy: 'SingleStack',
            ipFamilies: ['IPv4'],
            clusterIP: '10.104.37.160',
            clusterIPs: ['10.104.37.160'],
            ports: [{ port: 80, targetPort: 80, nodePort: 31234, protocol: 'TCP' }],
            sessionAffinity: 'None',
            externalTrafficPolicy: 'Cluster',
            internalTrafficPolicy: 'Cluster',
          },
        },
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: 'nginx-deployment-abcde', namespace: 'default', labels: { 'kubernetes.io/service-name': 'nginx-deployment' } },
          addressType: 'IPv4',
          endpoints: ['10.244.0.5', '10.244.0.6', '10.244.0.7'].map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
          ports: [{ name: '', port: 80, protocol: 'TCP' }],
        },
      ],
      ms('2026-11-23T06:48:40Z'),
    );
    assert.equal(
      describeOne(api, 'Service', 'default', 'nginx-deployment'),
      `Name:                     nginx-deployment
Namespace:                default
Labels:                   app=nginx
Annotations:              <none>
Selector:                 app=nginx
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.104.37.160
IPs:                      10.104.37.160
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  31234/TCP
Endpoints:                10.244.0.5:80,10.244.0.6:80,10.244.0.7:80
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
`,
    );
  });

  it('node: lease, conditions, capacity, system info, pods with percentages, allocated resources', () => {
    const hb = '2026-11-23T06:48:07Z';
    const created = '2026-11-20T02:48:37Z';
    const resources = { cpu: '2', 'ephemeral-storage': '17734596Ki', 'hugepages-2Mi': '0', memory: '2015004Ki', pods: '110' };
    const node: KubeObject = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: 'minikube',
        uid: 'uid-node',
        creationTimestamp: created,
        labels: {
          'beta.kubernetes.io/arch': 'amd64',
          'beta.kubernetes.io/os': 'linux',
          'kubernetes.io/arch': 'amd64',
          'kubernetes.io/hostname': 'minikube',
          'kubernetes.io/os': 'linux',
          'minikube.k8s.io/name': 'minikube',
          'node-role.kubernetes.io/control-plane': '',
          'node.kubernetes.io/exclude-from-external-load-balancers': '',
        },
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///var/run/cri-dockerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      },
      spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
      status: {
        capacity: resources,
        allocatable: resources,
        conditions: [
          ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', created],
          ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', created],
          ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', created],
          ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', '2026-11-20T02:48:57Z'],
        ].map(([type, status, reason, message, transition]) => ({
          type,
          status,
          reason,
          message,
          lastHeartbeatTime: hb,
          lastTransitionTime: transition,
        })),
        addresses: [
          { type: 'InternalIP', address: '192.168.49.2' },
          { type: 'Hostname', address: 'minikube' },
        ],
        nodeInfo: {
          machineID: 'abc',
          systemUUID: 'def',
          bootID: 'ghi',
          kernelVersion: '5.15.0-105-generic',
          osImage: 'Ubuntu 22.04.4 LTS',
          operatingSystem: 'linux',
          architecture: 'amd64',
          containerRuntimeVersion: 'docker://26.1.1',
          kubeletVersion: 'v1.30.0',
          kubeProxyVersion: 'v1.30.0',
        },
      },
    };
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'minikube', namespace: 'kube-node-lease' },
      spec: { holderIdentity: 'minikube', leaseDurationSeconds: 40, renewTime: '2026-11-23T06:48:37.000000Z' },
    };
    const simplePod = (name: string, created: string, resources?: object): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', creationTimestamp: created },
      spec: { nodeName: 'minikube', containers: [{ name: 'c', image: 'x', resources }] },
      status: { phase: 'Running' },
    });
    const pods = [
      simplePod('crasher', '2026-11-23T03:46:32Z', { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '250m', memory: '64Mi' } }),
      simplePod('creating', '2026-11-23T06:48:35Z'),
      simplePod('initpod', '2026-11-23T06:47:57Z'),
      ...['2z8mq', 'h6xvv', 'xk9wn'].map((s) => simplePod(`nginx-deployment-77d8468669-${s}`, '2026-11-23T06:43:07Z')),
      simplePod('web-0', '2026-11-23T06:38:37Z'),
      simplePod('web-1', '2026-11-23T06:38:47Z'),
      { ...simplePod('done', '2026-11-23T06:00:00Z'), status: { phase: 'Succeeded' } },
    ];
    const api = memoryApi([node, lease, ...pods], ms('2026-11-23T06:48:40Z'));
    assert.equal(
      describeOne(api, 'Node', undefined, 'minikube'),
      `Name:               minikube
Roles:              control-plane
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname=minikube
                    kubernetes.io/os=linux
                    minikube.k8s.io/name=minikube
                    node-role.kubernetes.io/control-plane=
                    node.kubernetes.io/exclude-from-external-load-balancers=
Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/cri-dockerd.sock
                    node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  Fri, 20 Nov 2026 02:48:37 +0000
Taints:             <none>
Unschedulable:      false
Lease:
  HolderIdentity:  minikube
  AcquireTime:     <unset>
  RenewTime:       Mon, 23 Nov 2026 06:48:37 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Mon, 23 Nov 2026 06:48:07 +0000   Fri, 20 Nov 2026 02:48:37 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Mon, 23 Nov 2026 06:48:07 +0000   Fri, 20 Nov 2026 02:48:37 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Mon, 23 Nov 2026 06:48:07 +0000   Fri, 20 Nov 2026 02:48:37 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Mon, 23 Nov 2026 06:48:07 +0000   Fri, 20 Nov 2026 02:48:57 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  192.168.49.2
  Hostname:    minikube
Capacity:
  cpu:                2
  ephemeral-storage:  17734596Ki
  hugepages-2Mi:      0
  memory:             2015004Ki
  pods:               110
Allocatable:
  cpu:                2
  ephemeral-storage:  17734596Ki
  hugepages-2Mi:      0
  memory:             2015004Ki
  pods:               110
System Info:
  Machine ID:                 abc
  System UUID:                def
  Boot ID:                    ghi
  Kernel Version:             5.15.0-105-generic
  OS Image:                   Ubuntu 22.04.4 LTS
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  docker://26.1.1
  Kubelet Version:            v1.30.0
  Kube-Proxy Version:         v1.30.0
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (8 in total)
  Namespace                   Name                                 CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                                 ------------  ----------  ---------------  -------------  ---
  default                     crasher                              250m (12%)    500m (25%)  64Mi (3%)        128Mi (6%)     3h2m
  default                     creating                             0 (0%)        0 (0%)      0 (0%)           0 (0%)         5s
  default                     initpod                              0 (0%)        0 (0%)      0 (0%)           0 (0%)         43s
  default                     nginx-deployment-77d8468669-2z8mq    0 (0%)        0 (0%)      0 (0%)           0 (0%)         5m33s
  default                     nginx-deployment-77d8468669-h6xvv    0 (0%)        0 (0%)      0 (0%)           0 (0%)         5m33s
  default                     nginx-deployment-77d8468669-xk9wn    0 (0%)        0 (0%)      0 (0%)           0 (0%)         5m33s
  default                     web-0                                0 (0%)        0 (0%)      0 (0%)           0 (0%)         10m
  default                     web-1                                0 (0%)        0 (0%)      0 (0%)           0 (0%)         9m53s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                250m (12%)  500m (25%)
  memory             64Mi (3%)   128Mi (6%)
  ephemeral-storage  0 (0%)      0 (0%)
  hugepages-2Mi      0 (0%)      0 (0%)
Events:              <none>
`,
    );
  });

  it('statefulset: replicas, partition, volume claim templates with an empty storage class', () => {
    const api = memoryApi(
      [
        {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name: 'web', namespace: 'default', uid: 'uid-sts', creationTimestamp: '2026-11-23T06:38:37Z' },
          spec: {
            replicas: 2,
            selector: { matchLabels: { app: 'nginx-sts' } },
            serviceName: 'nginx',
            template: {
              metadata: { labels: { app: 'nginx-sts' } },
              spec: {
                containers: [
                  {
                    name: 'nginx',
                    image: 'registry.k8s.io/nginx-slim:0.24',
                    ports: [{ containerPort: 80, name: 'web', protocol: 'TCP' }],
                    volumeMounts: [{ name: 'www', mountPath: '/usr/share/nginx/html' }],
                  },
                ],
              },
            },
            updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
            volumeClaimTemplates: [
              {
                metadata: { name: 'www' },
                spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
              },
            ],
          },
          status: { replicas: 2 },
        },
        ...['web-0', 'web-1'].map(
          (name): KubeObject => ({
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              name,
              namespace: 'default',
              labels: { app: 'nginx-sts' },
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-sts', controller: true }],
            },
            spec: { containers: [{ name: 'nginx', image: 'x' }] },
            status: { phase: 'Running' },
          }),
        ),
      ],
      ms('2026-11-23T06:48:40Z'),
    );
    assert.equal(
      describeOne(api, 'StatefulSet', 'default', 'web'),
      `Name:               web
Namespace:          default
CreationTimestamp:  Mon, 23 Nov 2026 06:38:37 +0000
Selector:           app=nginx-sts
Labels:             <none>
Annotations:        <none>
Replicas:           2 desired | 2 total
Update Strategy:    RollingUpdate
  Partition:        0
Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx-sts
  Containers:
   nginx:
    Image:        registry.k8s.io/nginx-slim:0.24
    Port:         80/TCP
    Host Port:    0/TCP
    Environment:  <none>
    Mounts:
      /usr/share/nginx/html from www (rw)
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Volume Claims:
  Name:          www
  StorageClass:  
  Labels:        <none>
  Annotations:   <none>
  Capacity:      1Gi
  Access Modes:  [ReadWriteOnce]
Events:          <none>
`,
    );
  });

  it('job: selector, completion, duration, pod statuses with Ready', () => {
    const labels = {
      'batch.kubernetes.io/controller-uid': 'job-uid-1',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'job-uid-1',
      'job-name': 'pi',
    };
    const api = memoryApi(
      [
        {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'pi', namespace: 'default', uid: 'job-uid-1', labels, creationTimestamp: '2026-11-21T01:48:37Z' },
          spec: {
            parallelism: 1,
            completions: 1,
            completionMode: 'NonIndexed',
            suspend: false,
            backoffLimit: 4,
            selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid-1' } },
            template: {
              metadata: { labels },
              spec: {
                containers: [{ name: 'pi', image: 'perl:5.34.0', command: ['perl', '-Mbignum=bpi', '-wle', 'print bpi(2000)'] }],
                restartPolicy: 'Never',
              },
            },
          },
          status: { startTime: '2026-11-21T01:48:37Z', completionTime: '2026-11-21T01:49:17Z', succeeded: 1, ready: 0 },
        },
      ],
      ms('2026-11-23T06:48:40Z'),
    );
    assert.equal(
      describeOne(api, 'Job', 'default', 'pi'),
      `Name:             pi
Namespace:        default
Selector:         batch.kubernetes.io/controller-uid=job-uid-1
Labels:           batch.kubernetes.io/controller-uid=job-uid-1
                  batch.kubernetes.io/job-name=pi
                  controller-uid=job-uid-1
                  job-name=pi
Annotations:      <none>
Parallelism:      1
Completions:      1
Completion Mode:  NonIndexed
Suspend:          false
Backoff Limit:    4
Start Time:       Sat, 21 Nov 2026 01:48:37 +0000
Completed At:     Sat, 21 Nov 2026 01:49:17 +0000
Duration:         40s
Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed
Pod Template:
  Labels:  batch.kubernetes.io/controller-uid=job-uid-1
           batch.kubernetes.io/job-name=pi
           controller-uid=job-uid-1
           job-name=pi
  Containers:
   pi:
    Image:      perl:5.34.0
    Port:       <none>
    Host Port:  <none>
    Command:
      perl
      -Mbignum=bpi
      -wle
      print bpi(2000)
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:            <none>
`,
    );
  });

  it('namespace and configmap (extra section of the reference)', () => {
    const api = memoryApi(
      [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } },
          status: { phase: 'Active' },
        },
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'game', namespace: 'default' },
          data: { 'game.properties': 'enemies=aliens\nlives=3', 'ui.properties': 'color.good=purple' },
        },
      ],
      ms('2026-11-23T06:48:40Z'),
    );
    assert.equal(
      describeOne(api, 'Namespace', undefined, 'default'),
      'Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n',
    );
    assert.equal(
      describeOne(api, 'ConfigMap', 'default', 'game'),
      'Name:         game\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\n' +
        'game.properties:\n----\nenemies=aliens\nlives=3\n\nui.properties:\n----\ncolor.good=purple\n\n\nBinaryData\n====\n\nEvents:  <none>\n',
    );
  });

  it('--show-events=false leaves the Events section out', () => {
    const api = memoryApi([nginxPod(NGINX_POD_NAME, '2026-11-23T06:43:07Z')], ms('2026-11-23T06:48:39Z'));
    const text = describeOne(api, 'Pod', 'default', NGINX_POD_NAME, false);
    assert.ok(!text.includes('Events:'));
    assert.ok(text.endsWith('                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n'));
  });
});

// ---------------------------------------------------------------------------
// Rich fixtures: every branch of the describers, for the differential run.

function fixtures(base: number): KubeObject[] {
  const t = (secondsAgo: number) => rfc3339(base - secondsAgo * 1000);
  const micro = (secondsAgo: number) => `${new Date(base - secondsAgo * 1000).toISOString().slice(0, 19)}.000000Z`;
  const ns = 'demo';
  const pod = (name: string, spec: object, status: object, meta: object = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: ns, uid: `uid-${name}`, creationTimestamp: t(4000), ...meta },
    spec,
    status,
  });
  const ev = (name: string, kindName: string, obj: string, reason: string, message: string, component: string, first: number, last = first, count = 1, type = 'Normal', namespace = ns) =>
    event(name, { kind: kindName, name: obj, namespace: namespace || undefined, uid: `uid-${obj}` }, reason, message, component, t(first), t(last), count, type);
  const longValue = 'x'.repeat(150);
  const richPod = pod(
    'rich',
    {
      priority: 1000,
      priorityClassName: 'high',
      runtimeClassName: 'gvisor',
      serviceAccountName: 'builder',
      nodeName: 'node-a',
      securityContext: { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } },
      initContainers: [
        {
          name: 'init-db',
          image: 'busybox:1.28',
          command: ['sh', '-c', 'until nslookup db; do sleep 2; done\necho done'],
          args: ['--one', 'two\nthree'],
          resources: { requests: { cpu: '100m' } },
        },
        { name: 'sidecar', image: 'envoy', restartPolicy: 'Always', resources: { requests: { cpu: '50m', memory: '32Mi' } } },
      ],
      containers: [
        {
          name: 'app',
          image: 'app:2',
          ports: [
            { containerPort: 8080, protocol: 'TCP', hostPort: 80 },
            { containerPort: 9090, protocol: 'UDP' },
          ],
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          resources: { limits: { cpu: '1', memory: '1Gi', 'nvidia.com/gpu': '1' }, requests: { cpu: '0.5', memory: '512Mi' } },
          readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5, timeoutSeconds: 2, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          startupProbe: { exec: { command: ['cat', '/tmp/healthy'] }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 30 },
          livenessProbe: { grpc: { port: 9000, service: '' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
          envFrom: [{ configMapRef: { name: 'app-config' }, prefix: 'CFG_' }, { secretRef: { name: 'app-secret', optional: true } }],
          env: [
            { name: 'MULTI', value: 'line one\nline two' },
            { name: 'EMPTY' },
            { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
            { name: 'NS', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } },
            { name: 'CPU_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
            { name: 'MEM_REQ', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } },
            { name: 'EPH_LIMIT', valueFrom: { resourceFieldRef: { resource: 'limits.ephemeral-storage' } } },
            { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password', optional: true } } },
            { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'mode' } } },
          ],
          volumeMounts: [
            { name: 'data', mountPath: '/var/data', subPath: 'app' },
            { name: 'cache', mountPath: '/cache' },
            { name: 'config', mountPath: '/etc/app', readOnly: true },
          ],
          volumeDevices: [{ name: 'raw', devicePath: '/dev/xvda' }],
        },
        { name: 'plain', image: 'nginx', livenessProbe: { httpGet: { path: '/healthz', port: 'http', host: '10.0.0.1', scheme: 'HTTPS' } } },
      ],
      readinessGates: [{ conditionType: 'example.com/feature-1' }, { conditionType: 'example.com/feature-2' }],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: 'data-claim', readOnly: true } },
        { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '1Gi' } },
        { name: 'scratch', emptyDir: {} },
        { name: 'config', configMap: { name: 'app-config', defaultMode: 420 } },
        { name: 'creds', secret: { secretName: 'db', optional: true } },
        { name: 'host', hostPath: { path: '/var/log', type: 'Directory' } },
        { name: 'host2', hostPath: { path: '/tmp' } },
        {
          name: 'podinfo',
          downwardAPI: {
            items: [
              { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
              { path: 'cpu', resourceFieldRef: { containerName: 'app', resource: 'limits.cpu' } },
            ],
          },
        },
        { name: 'mixed', projected: { sources: [{ secret: { name: 's1' } }, { configMap: { name: 'c1' } }, { downwardAPI: { items: [] } }] } },
        { name: 'share', nfs: { server: 'nfs.example.com', path: '/exports' } },
        { name: 'csi', csi: { driver: 'inline.storage.kubernetes.io', volumeAttributes: { foo: 'bar', a: 'b' } } },
        { name: 'csi2', csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true } },
        {
          name: 'scratch-claim',
          ephemeral: {
            volumeClaimTemplate: {
              metadata: { labels: { type: 'scratch' } },
              spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
            },
          },
        },
        { name: 'raw', gcePersistentDisk: { pdName: 'disk-1', fsType: 'ext4' } },
        { name: 'git', gitRepo: { repository: 'https://example.com/repo.git', revision: 'main' } },
        { name: 'iscsi', iscsi: { targetPortal: '10.0.0.1:3260', iqn: 'iqn.2001-04.com.example:storage', lun: 0, portals: ['10.0.0.2:3260'], secretRef: { name: 'chap' } } },
        { name: 'rbd', rbd: { monitors: ['10.0.0.1:6789', '10.0.0.2:6789'], image: 'foo', user: 'admin' } },
        { name: 'fc', fc: { targetWWNs: ['500a0981891b8dc5', '500a0981991b8dc5'], lun: 2, fsType: 'ext4' } },
        { name: 'cephfs', cephfs: { monitors: ['10.0.0.1:6789'], path: '/', secretRef: { name: 'ceph' } } },
        { name: 'flex', flexVolume: { driver: 'kubernetes.io/lvm', options: { volumeID: 'vol1', size: '1000m' } } },
        { name: 'azure', azureFile: { secretName: 'azure-secret', shareName: 'share' } },
        { name: 'img', image: { reference: 'quay.io/crio/artifact:v1', pullPolicy: 'IfNotPresent' } },
      ],
      nodeSelector: { disktype: 'ssd', 'kubernetes.io/os': 'linux' },
      tolerations: [
        { operator: 'Exists' },
        { key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' },
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { effect: 'NoSchedule', operator: 'Exists' },
      ],
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'rich' } } },
        { maxSkew: 2, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway' },
      ],
      ephemeralContainers: [{ name: 'debugger', image: 'busybox', command: ['sh'], targetContainerName: 'app' }],
    },
    {
      phase: 'Running',
      hostIP: '10.0.0.5',
      podIP: '10.244.1.7',
      podIPs: [{ ip: '10.244.1.7' }, { ip: 'fd00::7' }],
      startTime: t(3990),
      reason: 'Evicting',
      message: 'The node was low on resource: memory.',
      nominatedNodeName: 'node-b',
      conditions: [
        { type: 'example.com/feature-1', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      initContainerStatuses: [
        {
          name: 'init-db',
          ready: false,
          restartCount: 0,
          image: 'busybox:1.28',
          imageID: '',
          containerID: 'containerd://init',
          state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t(3980), finishedAt: t(3970) } },
        },
      ],
      containerStatuses: [
        {
          name: 'app',
          ready: true,
          restartCount: 2,
          image: 'app:2',
          imageID: 'docker-pullable://app@sha256:1',
          containerID: 'docker://app',
          state: { running: { startedAt: t(600) } },
          lastState: { terminated: { exitCode: 137, signal: 9, reason: 'OOMKilled', message: 'killed\nby the kernel', startedAt: t(900), finishedAt: t(700) } },
        },
        { name: 'plain', ready: false, restartCount: 0, image: 'nginx', imageID: '', state: {} },
      ],
    },
    {
      labels: { app: 'rich', tier: 'backend' },
      annotations: {
        'example.com/long': longValue,
        'example.com/multi': 'first line\nsecond line\n',
        'kubectl.kubernetes.io/last-applied-configuration': '{"hidden":true}',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'node-a', uid: 'uid-node-a', controller: false }],
    },
  );
  const terminating = pod(
    'terminating',
    {
      nodeName: 'node-a',
      containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '100m', memory: '64Mi' } } }],
    },
    { phase: 'Running', hostIP: '10.0.0.5', podIP: '10.244.1.8', podIPs: [{ ip: '10.244.1.8' }], qosClass: 'Guaranteed' },
    { deletionTimestamp: t(-25), deletionGracePeriodSeconds: 30 },
  );
  const guaranteed = pod(
    'guaranteed',
    { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '250m', memory: '64Mi' } } }] },
    { phase: 'Succeeded', hostIP: '' },
    { deletionTimestamp: t(5), deletionGracePeriodSeconds: 0 },
  );
  const mirror = pod(
    'kube-apiserver-node-a',
    { nodeName: 'node-a', priority: 2000001000, priorityClassName: 'system-node-critical', containers: [{ name: 'kube-apiserver', image: 'apiserver' }], overhead: { cpu: '10m' } },
    { phase: 'Pending' },
    { annotations: { 'kubernetes.io/config.mirror': 'mirror-hash', 'kubernetes.io/config.source': 'file' } },
  );
  const podEvents = [
    schedulerEvent('rich.1', { name: 'rich', namespace: ns, uid: 'uid-rich' }, 'node-a', micro(4000)),
    ev('rich.2', 'Pod', 'rich', 'Pulling', 'Pulling image "app:2"', 'kubelet', 3995),
    ev('rich.3', 'Pod', 'rich', 'Unhealthy', '  Readiness probe failed: connection refused  ', 'kubelet', 3000, 100, 25, 'Warning'),
    {
      ...ev('rich.4', 'Pod', 'rich', 'Killing', 'Stopping container app', 'kubelet', 200),
      series: { count: 3, lastObservedTime: micro(50) },
    },
    ev('mirror.1', 'Pod', 'kube-apiserver-node-a', 'Started', 'Started container kube-apiserver', 'kubelet', 100),
    { ...ev('mirror.2', 'Pod', 'kube-apiserver-node-a', 'Created', 'Created container: kube-apiserver', 'kubelet', 100), involvedObject: { kind: 'Pod', namespace: ns, name: 'kube-apiserver-node-a', uid: 'mirror-hash' } },
  ];

  // Workloads.
  const template = (labels: Record<string, string>, extra: object = {}) => ({
    metadata: { labels, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } },
    spec: {
      serviceAccountName: 'builder',
      priorityClassName: 'high',
      initContainers: [{ name: 'setup', image: 'busybox', command: ['true'] }],
      containers: [
        {
          name: 'web',
          image: 'nginx:1.16.1',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          env: [{ name: 'POD', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
          volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx' }],
        },
      ],
      volumes: [{ name: 'conf', configMap: { name: 'nginx-conf', optional: false } }],
      nodeSelector: { disktype: 'ssd' },
      tolerations: [{ key: 'a', operator: 'Exists' }],
      topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }],
      ...extra,
    },
  });
  const owner = (kindName: string, name: string, apiVersion = 'apps/v1') => [{ apiVersion, kind: kindName, name, uid: `uid-${name}`, controller: true }];
  const deploy: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns, uid: 'uid-web', creationTimestamp: t(86400 * 3), labels: { app: 'web' }, annotations: { 'deployment.kubernetes.io/revision': '3' } },
    spec: {
      replicas: 4,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'edge'] }] },
      template: template({ app: 'web', tier: 'front' }),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '50%' } },
      minReadySeconds: 5,
    },
    status: {
      replicas: 5,
      updatedReplicas: 2,
      availableReplicas: 3,
      unavailableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' },
        { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
      ],
    },
  };
  const rsFor = (name: string, created: number, replicas: number, image: string): KubeObject => {
    const tpl = template({ app: 'web', tier: 'front', 'pod-template-hash': name.split('-').pop()! });
    tpl.spec.containers[0].image = image;
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: ns,
        uid: `uid-${name}`,
        creationTimestamp: t(created),
        labels: { app: 'web', tier: 'front', 'pod-template-hash': name.split('-').pop()! },
        ownerReferences: owner('Deployment', 'web'),
      },
      spec: { replicas, selector: { matchLabels: { app: 'web', 'pod-template-hash': name.split('-').pop()! } }, template: tpl },
      status: {
        replicas,
        conditions: name.endsWith('old1') ? [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }] : undefined,
      },
    };
  };
  const recreate: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'lonely', namespace: ns, uid: 'uid-lonely', creationTimestamp: t(60) },
    spec: { replicas: 0, selector: {}, template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'x' }] } }, strategy: { type: 'Recreate' } },
    status: {},
  };
  const rc: KubeObject = {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'legacy', namespace: ns, uid: 'uid-legacy', labels: { app: 'legacy' } },
    spec: { replicas: 2, selector: { app: 'legacy' }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    status: { replicas: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }] },
  };
  const workloadPods = [
    pod('web-new1-a', { containers: [{ name: 'web', image: 'x' }] }, { phase: 'Running' }, { labels: { app: 'web', 'pod-template-hash': 'new1' }, ownerReferences: owner('ReplicaSet', 'web-new1') }),
    pod('web-new1-b', { containers: [{ name: 'web', image: 'x' }] }, { phase: 'Pending' }, { labels: { app: 'web', 'pod-template-hash': 'new1' }, ownerReferences: owner('ReplicaSet', 'web-new1') }),
    pod('web-new1-c', { containers: [{ name: 'web', image: 'x' }] }, { phase: 'Failed' }, { labels: { app: 'web', 'pod-template-hash': 'new1' }, ownerReferences: owner('ReplicaSet', 'other') }),
    pod('legacy-1', { containers: [{ name: 'c', image: 'x' }] }, { phase: 'Succeeded' }, { labels: { app: 'legacy' }, ownerReferences: owner('ReplicationController', 'legacy', 'v1') }),
    pod('db-0', { containers: [{ name: 'c', image: 'x' }] }, { phase: 'Running' }, { labels: { app: 'db' }, ownerReferences: owner('StatefulSet', 'db') }),
    pod('agent-x', { containers: [{ name: 'c', image: 'x' }] }, { phase: 'Running' }, { labels: { name: 'agent' }, ownerReferences: owner('DaemonSet', 'agent') }),
  ];
  const sts: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: ns, uid: 'uid-db', creationTimestamp: t(7200), labels: { app: 'db' }, annotations: { note: 'primary' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'db' } },
      serviceName: 'db',
      template: template({ app: 'db' }),
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1, maxUnavailable: '50%' } },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: { tier: 'db' }, annotations: { 'volume.beta.kubernetes.io/storage-class': 'gold', owner: 'team' } },
          spec: { accessModes: ['ReadWriteOnce', 'ReadOnlyMany'], storageClassName: 'silver', resources: { requests: { storage: '10Gi' } } },
        },
        { metadata: { name: 'logs' }, spec: { accessModes: ['ReadWriteMany'], storageClassName: 'standard', resources: {} } },
      ],
    },
    status: { replicas: 1 },
  };
  const stsOnDelete: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'cache', namespace: ns, uid: 'uid-cache', creationTimestamp: t(7200) },
    spec: { replicas: 1, selector: { matchLabels: { app: 'cache' } }, serviceName: 'cache', template: template({ app: 'cache' }), updateStrategy: { type: 'OnDelete' } },
    status: {},
  };
  const ds: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: ns, uid: 'uid-agent', labels: { k8s: 'agent' }, annotations: { 'deprecated.daemonset.template.generation': '1' } },
    spec: { selector: { matchLabels: { name: 'agent' } }, template: template({ name: 'agent' }, { nodeSelector: { 'kubernetes.io/os': 'linux' } }) },
    status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberMisscheduled: 0, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 },
  };
  const indexedJob: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'hello-29000000', namespace: ns, uid: 'uid-hello-29000000', ownerReferences: owner('CronJob', 'hello', 'batch/v1') },
    spec: {
      parallelism: 3,
      completionMode: 'Indexed',
      completions: 60,
      suspend: true,
      backoffLimit: 6,
      ttlSecondsAfterFinished: 100,
      activeDeadlineSeconds: 600,
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-hello-29000000' } },
      template: template({ 'job-name': 'hello-29000000' }),
    },
    status: {
      startTime: t(90000),
      active: 2,
      failed: 1,
      completedIndexes: '0-3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41,43,45',
    },
  };
  const plainJob: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'once', namespace: ns, uid: 'uid-once' },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Never' } } },
    status: { succeeded: 1, startTime: t(3 * 3600), completionTime: t(3600 + 65) },
  };
  const cronJob: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: ns, uid: 'uid-hello', labels: { team: 'a' } },
    spec: {
      schedule: '*/1 * * * *',
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      startingDeadlineSeconds: 100,
      jobTemplate: { spec: { activeDeadlineSeconds: 30, template: template({ app: 'hello' }) } },
    },
    status: {
      lastScheduleTime: t(30),
      active: [
        { kind: 'Job', name: 'hello-29000000', namespace: ns },
        { kind: 'Job', name: 'hello-29000001', namespace: ns },
      ],
    },
  };
  const cronJob2: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'quiet', namespace: ns, uid: 'uid-quiet' },
    spec: { schedule: '@daily', jobTemplate: { spec: { selector: { matchLabels: { a: 'b' } }, parallelism: 2, completions: 2, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } } } },
    status: {},
  };
  const workloadEvents = [
    ev('web.1', 'Deployment', 'web', 'ScalingReplicaSet', 'Scaled up replica set web-new1 to 2 from 1', 'deployment-controller', 100),
    ev('web.2', 'Deployment', 'web', 'ScalingReplicaSet', 'Scaled down replica set web-old2 to 2 from 3', 'deployment-controller', 90),
    ev('hello.1', 'CronJob', 'hello', 'SuccessfulCreate', 'Created job hello-29000000', 'cronjob-controller', 30),
    ev('hello.2', 'Job', 'hello', 'Wrong', 'same name, other kind', 'x', 30),
  ];

  // Services.
  const service = (name: string, spec: object, status: object = {}, meta: object = {}): KubeObject => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, uid: `uid-${name}`, ...meta },
    spec: { sessionAffinity: 'None', internalTrafficPolicy: 'Cluster', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', ...spec },
    status,
  });
  const slice = (name: string, svc: string, endpoints: { ip: string; ready?: boolean }[], ports: { name?: string; port: number }[]): KubeObject => ({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name, namespace: ns, labels: { 'kubernetes.io/service-name': svc } },
    addressType: 'IPv4',
    endpoints: endpoints.map((e) => ({ addresses: [e.ip], conditions: e.ready === undefined ? {} : { ready: e.ready } })),
    ports: ports.map((p) => ({ ...p, protocol: 'TCP' })),
  });
  const services = [
    service(
      'lb',
      {
        type: 'LoadBalancer',
        selector: { app: 'web', tier: 'front' },
        clusterIP: '10.96.10.10',
        clusterIPs: ['10.96.10.10', 'fd00::10'],
        ipFamilies: ['IPv4', 'IPv6'],
        ipFamilyPolicy: 'PreferDualStack',
        externalIPs: ['1.2.3.4', '5.6.7.8'],
        loadBalancerIP: '9.9.9.9',
        loadBalancerSourceRanges: ['10.0.0.0/8', '192.168.0.0/16'],
        externalTrafficPolicy: 'Local',
        healthCheckNodePort: 32000,
        sessionAffinity: 'ClientIP',
        ports: [
          { name: 'http', port: 80, targetPort: 'web', nodePort: 30080, protocol: 'TCP' },
          { name: 'metrics', port: 9100, targetPort: 9100, nodePort: 30091, protocol: 'TCP' },
        ],
      },
      { loadBalancer: { ingress: [{ ip: '9.9.9.9', ipMode: 'VIP' }, { hostname: 'lb.example.com' }] } },
      { labels: { app: 'web' }, annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } },
    ),
    slice('lb-1', 'lb', [{ ip: '10.244.0.1' }, { ip: '10.244.0.2', ready: false }, { ip: '10.244.0.3', ready: true }], [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }]),
    slice('lb-2', 'lb', [{ ip: '10.244.0.4' }, { ip: '10.244.0.5' }, { ip: '10.244.0.6' }], [{ name: 'http', port: 8080 }]),
    service('headless', { clusterIP: 'None', clusterIPs: ['None'], selector: { app: 'db' } }),
    slice('headless-1', 'headless', [{ ip: '10.244.2.1' }, { ip: '10.244.2.2', ready: false }], []),
    service('external', { type: 'ExternalName', externalName: 'db.example.com', ipFamilies: undefined, ipFamilyPolicy: undefined, internalTrafficPolicy: undefined, ports: [{ port: 5432, protocol: 'TCP', targetPort: 5432 }] }),
    service('unready', { clusterIP: '10.96.0.50', clusterIPs: ['10.96.0.50'], ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }),
    slice('unready-1', 'unready', [{ ip: '10.244.3.1', ready: false }], [{ name: '', port: 80 }]),
    {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'lb', namespace: ns, labels: { app: 'web' } },
      subsets: [
        {
          addresses: [{ ip: '10.244.0.1' }, { ip: '10.244.0.3' }],
          notReadyAddresses: [{ ip: '10.244.0.2' }],
          ports: [
            { name: 'http', port: 8080, protocol: 'TCP' },
            { port: 9100, protocol: 'TCP' },
          ],
        },
        { addresses: [{ ip: '10.244.9.9' }] },
      ],
    },
    { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'empty', namespace: ns } },
  ];

  // Nodes.
  const nodeA: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-a', uid: 'uid-node-a', creationTimestamp: t(86400 * 40), labels: { 'kubernetes.io/role': 'worker', 'node-role.kubernetes.io/infra': '', 'node-role.kubernetes.io/': '' } },
    spec: {
      unschedulable: true,
      taints: [
        { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule', timeAdded: t(100) },
        { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
        { key: 'flaky', effect: 'NoExecute' },
      ],
      providerID: 'aws:///us-east-1a/i-0123',
    },
    status: {
      capacity: { cpu: '4', memory: '16Gi', pods: '110', 'nvidia.com/gpu': '2', 'hugepages-1Gi': '2Gi', 'ephemeral-storage': '100Gi' },
      allocatable: { cpu: '3900m', memory: '15Gi', pods: '110', 'nvidia.com/gpu': '2', 'hugepages-1Gi': '2Gi', 'ephemeral-storage': '95Gi' },
      addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
      nodeInfo: { machineID: 'm', systemUUID: 's', bootID: 'b', kernelVersion: 'k', osImage: 'o', operatingSystem: 'linux', architecture: 'arm64', containerRuntimeVersion: 'containerd://1.7', kubeletVersion: 'v1.32.0', kubeProxyVersion: '' },
    },
  };
  const nodeB: KubeObject = {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: 'node-b', uid: 'uid-node-b', creationTimestamp: t(86400 * 40) },
    spec: {},
    status: { capacity: { cpu: '2', memory: '2Gi' }, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }] },
  };
  const leaseB: KubeObject = {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'node-b', namespace: 'kube-node-lease' },
    spec: { acquireTime: micro(86400), renewTime: micro(40) },
  };
  const nodeEvents = [
    { ...ev('node-a.1', 'Node', 'node-a', 'NodeNotSchedulable', 'Node node-a status is now: NodeNotSchedulable', 'kubelet', 100, 100, 1, 'Normal', 'default'), involvedObject: { kind: 'Node', name: 'node-a', uid: 'node-a' } },
    { ...ev('node-a.2', 'Node', 'node-a', 'RegisteredNode', 'Node node-a event: Registered Node node-a in Controller', 'node-controller', 86400, 86400, 1, 'Normal', 'default'), involvedObject: { kind: 'Node', name: 'node-a', uid: 'uid-node-a' } },
  ];

  // Namespaces, quotas, limit ranges.
  const namespaces = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: 'a' }, annotations: { owner: 'me' } }, status: { phase: 'Active' } },
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'going', deletionTimestamp: t(30) },
      status: {
        phase: 'Terminating',
        conditions: [{ type: 'NamespaceDeletionContentFailure', status: 'False', lastTransitionTime: t(20), reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'compute', namespace: ns },
      spec: { hard: { 'requests.cpu': '2', 'limits.memory': '4Gi', pods: '10' }, scopes: ['NotTerminating', 'BestEffort'] },
      status: { hard: { 'requests.cpu': '2', 'limits.memory': '4Gi', pods: '10' }, used: { 'requests.cpu': '500m', 'limits.memory': '1073741824', pods: '3' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'objects', namespace: ns },
      spec: { hard: { configmaps: '5' } },
      status: { hard: { configmaps: '5' }, used: { configmaps: '1' } },
    },
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'limits', namespace: ns },
      spec: {
        limits: [
          // One resource per item: kubectl walks the resources of an item in map order.
          { type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '500m' }, defaultRequest: { cpu: '250m' }, maxLimitRequestRatio: { cpu: '4' } },
          { type: 'Container', max: { memory: '1Gi' }, defaultRequest: { memory: '128Mi' } },
          { type: 'PersistentVolumeClaim', max: { storage: '10Gi' } },
        ],
      },
    },
  ];

  // Config. kubectl 1.32 walks data maps in random order: one key per map here.
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  const config = [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: ns, labels: { app: 'web' } }, data: { mode: 'production' } },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'nginx-conf', namespace: ns },
      data: { 'nginx.conf': 'server {\n  listen 80;\n}\n' },
      binaryData: { 'logo.png': Buffer.from([1, 2, 3, 4, 5, 6, 7]).toString('base64') },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'blank', namespace: ns }, data: { empty: '' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'nothing', namespace: ns } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, type: 'Opaque', data: { password: b64('s3cr3t') } },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'builder-token', namespace: ns, annotations: { 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': 'uid-builder' } },
      type: 'kubernetes.io/service-account-token',
      data: { token: b64('eyJhbGciOi.token') },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'other-token', namespace: ns, annotations: { 'kubernetes.io/service-account.name': 'builder', 'kubernetes.io/service-account.uid': 'stale' } },
      type: 'kubernetes.io/service-account-token',
      data: { 'ca.crt': b64('-----BEGIN CERTIFICATE-----') },
    },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'empty', namespace: ns }, type: 'Opaque' },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'builder', namespace: ns, uid: 'uid-builder' },
      secrets: [{ name: 'builder-token' }, { name: 'gone' }],
      imagePullSecrets: [{ name: 'regcred' }, { name: 'db' }],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns, uid: 'uid-default' } },
  ];

  // Storage.
  const storage = [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-claim', namespace: ns, uid: 'uid-data-claim', finalizers: ['kubernetes.io/pvc-protection'], annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } },
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'standard', volumeName: 'pv-1', volumeMode: 'Filesystem', resources: { requests: { storage: '1Gi' } }, dataSource: { apiGroup: 'snapshot.storage.k8s.io', kind: 'VolumeSnapshot', name: 'snap' } },
      status: {
        phase: 'Bound',
        accessModes: ['ReadWriteOnce', 'ReadWriteMany'],
        capacity: { storage: '1073741824' },
        conditions: [{ type: 'Resizing', status: 'True', lastTransitionTime: t(50), reason: 'Expanding', message: 'waiting' }],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'pending-claim', namespace: ns, uid: 'uid-pending-claim', deletionTimestamp: t(10), ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'guaranteed', uid: 'uid-guaranteed' }] },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } },
      status: { phase: 'Pending' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-1', finalizers: ['kubernetes.io/pv-protection'], labels: { type: 'local' } },
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteMany', 'ReadWriteOnce'],
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: 'standard',
        volumeMode: 'Filesystem',
        claimRef: { namespace: ns, name: 'data-claim' },
        hostPath: { path: '/mnt/data', type: '' },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['node-a', 'node-b'] }, { key: 'ssd', operator: 'Exists' }] }, { matchExpressions: [] }] } },
      },
      status: { phase: 'Bound' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-nfs', annotations: { 'volume.beta.kubernetes.io/storage-class': 'slow' }, deletionTimestamp: t(5) },
      spec: { capacity: { storage: '500Mi' }, accessModes: ['ReadOnlyMany'], persistentVolumeReclaimPolicy: 'Recycle', nfs: { server: '10.0.0.9', path: '/share', readOnly: true } },
      status: { phase: 'Available', message: 'ok' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-csi' },
      spec: {
        capacity: { storage: '2Gi' },
        accessModes: ['ReadWriteOncePod'],
        persistentVolumeReclaimPolicy: 'Delete',
        csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1', fsType: 'ext4', volumeAttributes: { 'storage.kubernetes.io/csiProvisionerIdentity': 'x' } },
        nodeAffinity: { required: { nodeSelectorTerms: [] } },
      },
      status: { phase: 'Released' },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-local' },
      spec: { capacity: { storage: '100Gi' }, accessModes: ['ReadWriteOnce'], local: { path: '/mnt/disks/ssd1' }, glusterfs: undefined },
      status: { phase: 'Failed' },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'k8s.io/minikube-hostpath',
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast' },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', iops: '3000' },
      allowVolumeExpansion: true,
      mountOptions: ['debug', 'noatime'],
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['us-east-1a', 'us-east-1b'] }] }],
    },
  ];

  // Kinds the generic describer prints.
  const generic = [
    {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'leader', namespace: ns, uid: 'uid-leader', creationTimestamp: t(100), resourceVersion: '42', labels: { a: 'b' }, managedFields: [{ manager: 'x' }] },
      spec: { holderIdentity: 'leader-1', leaseDurationSeconds: 15, leaseTransitions: 0, renewTime: micro(2) },
    },
    {
      apiVersion: 'v1',
      kind: 'PodTemplate',
      metadata: { name: 'tmpl', namespace: ns, uid: 'uid-tmpl', creationTimestamp: t(100), ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'y', uid: 'z', controller: true, blockOwnerDeletion: false }] },
      template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'x', args: ['a', 'b'], ports: [{ containerPort: 80 }] }], dnsPolicy: 'ClusterFirst' } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: { name: 'agent-123', namespace: ns, uid: 'uid-agent-123', creationTimestamp: t(100) },
      data: { spec: { template: { metadata: { creationTimestamp: null } } }, ratio: 0.5, tiny: 0.00001, big: 1e21, nested: [[1, 2], ['a']], flag: true, nothing: null },
      revision: 1,
    },
    { ...ev('leader.1', 'Lease', 'leader', 'LeaderElection', 'leader-1 became leader', 'lease-controller', 60), involvedObject: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: 'leader', namespace: ns, uid: 'uid-leader' } },
  ];

  // RBAC, networking, policy, autoscaling.
  const more = [
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'reader', namespace: ns, labels: { a: 'b' } },
      rules: [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['web', 'api'], verbs: ['get', 'update'] },
        { apiGroups: [''], resources: ['pods'], verbs: ['delete', 'get'] },
        { apiGroups: ['', 'batch'], resources: ['jobs'], verbs: ['*'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'viewer', annotations: { 'rbac.authorization.kubernetes.io/autoupdate': 'true' } },
      rules: [
        { nonResourceURLs: ['/healthz', '/version'], verbs: ['get'] },
        { apiGroups: ['*'], resources: ['*'], verbs: ['list'] },
      ],
    },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'empty-role' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'read-pods', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [
        { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
        { kind: 'ServiceAccount', name: 'builder', namespace: ns },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'view-all' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'viewer' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: ns, uid: 'uid-ing', labels: { app: 'web' }, annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$1' } },
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'lb', port: { name: 'http' } } },
        tls: [{ hosts: ['a.example.com', 'b.example.com'], secretName: 'tls-cert' }, { hosts: ['c.example.com'] }],
        rules: [
          {
            host: 'a.example.com',
            http: {
              paths: [
                { path: '/', pathType: 'Prefix', backend: { service: { name: 'lb', port: { number: 9100 } } } },
                { path: '/missing', pathType: 'Exact', backend: { service: { name: 'nope', port: { number: 80 } } } },
              ],
            },
          },
          { http: { paths: [{ pathType: 'ImplementationSpecific', backend: { resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } } }] } },
          { host: 'ignored.example.com' },
        ],
      },
      status: { loadBalancer: { ingress: [{ ip: '192.168.49.2' }, { hostname: 'b.lb' }, { ip: '10.0.0.1' }] } },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'bare', namespace: ns, uid: 'uid-bare' }, spec: {}, status: {} },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx', uid: 'uid-nginx', annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
      spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb', scope: 'Cluster' } },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'plain', uid: 'uid-plain' }, spec: { controller: 'example.com/c' } },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db-access', namespace: ns, creationTimestamp: t(86400) },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [
          {
            from: [
              { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24', '172.17.2.0/24'] } },
              { namespaceSelector: { matchLabels: { project: 'myproject' } } },
              { podSelector: { matchLabels: { role: 'frontend' } } },
              { podSelector: { matchLabels: { role: 'x' } }, namespaceSelector: { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] } },
            ],
            ports: [{ protocol: 'TCP', port: 6379 }, { port: 'metrics' }, { protocol: 'UDP', port: 32000, endPort: 32768 }],
          },
          {},
        ],
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
      },
    },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny-all', namespace: ns, creationTimestamp: t(100) }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'egress-none', namespace: ns, creationTimestamp: t(100) }, spec: { podSelector: {}, policyTypes: ['Egress'] } },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb', namespace: ns, uid: 'uid-web-pdb' },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
      status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 },
    },
    { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'zk-pdb', namespace: ns, uid: 'uid-zk-pdb' }, spec: { maxUnavailable: '25%' }, status: {} },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: ns, uid: 'uid-hpa-web', creationTimestamp: t(7200) },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
          { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
          { type: 'Pods', pods: { metric: { name: 'packets-per-second' }, target: { type: 'AverageValue', averageValue: '1k' } } },
          {
            type: 'Object',
            object: { metric: { name: 'requests-per-second' }, describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main-route' }, target: { type: 'Value', value: '10k' } },
          },
          { type: 'External', external: { metric: { name: 'queue_messages_ready' }, target: { type: 'AverageValue', averageValue: '30' } } },
          { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization' } } },
        ],
        behavior: {
          scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
          scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }] },
        },
      },
      status: {
        currentReplicas: 3,
        desiredReplicas: 4,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 73, averageValue: '365m' } } },
          { type: 'Resource', resource: { name: 'memory', current: { averageValue: '300Mi' } } },
        ],
        conditions: [
          { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' },
          { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count' },
        ],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'php', namespace: ns, uid: 'uid-php', creationTimestamp: t(60) },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, maxReplicas: 5, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] },
      status: { currentReplicas: 0, desiredReplicas: 0 },
    },
    {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: 'manual', namespace: ns, labels: { 'kubernetes.io/service-name': 'manual' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.1.2.3', '10.1.2.4'], conditions: { ready: true }, hostname: 'pod-1', nodeName: 'node-a', zone: 'us-west2-a', targetRef: { kind: 'Pod', name: 'pod-1', namespace: ns } },
        { addresses: ['10.1.2.5'], conditions: {} },
      ],
      ports: [{ name: 'http', protocol: 'TCP', port: 80 }, { protocol: 'UDP' }],
    },
    { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'nothing', namespace: ns }, addressType: 'FQDN', endpoints: [] },
    ev('ing.1', 'Ingress', 'ing', 'Sync', 'Scheduled for sync', 'nginx-ingress-controller', 300, 60, 3),
  ];
  more[more.length - 1].involvedObject = { kind: 'Ingress', namespace: ns, name: 'web', uid: 'uid-ing', apiVersion: 'networking.k8s.io/v1' };

  // Many events with equal timestamps: kubectl's sort.Sort is not stable past 12 elements.
  const busy = pod('busy', { containers: [{ name: 'c', image: 'x' }] }, { phase: 'Pending' });
  const busyEvents = Array.from({ length: 70 }, (_, i) =>
    ev(`busy.${String(i).padStart(2, '0')}`, 'Pod', 'busy', `Reason${i}`, `event ${i}`, 'kubelet', 600, ((i * 7) % 5) * 60 + (i % 3 === 0 ? 0 : 60)),
  );

  return [
    busy,
    ...busyEvents,
    richPod,
    terminating,
    guaranteed,
    mirror,
    ...podEvents,
    deploy,
    rsFor('web-old1', 86400 * 3, 0, 'nginx:1.14.2'),
    rsFor('web-old2', 86400 * 2, 2, 'nginx:1.15'),
    rsFor('web-new1', 3600, 2, 'nginx:1.16.1'),
    recreate,
    rc,
    ...workloadPods,
    sts,
    stsOnDelete,
    ds,
    indexedJob,
    plainJob,
    cronJob,
    cronJob2,
    ...workloadEvents,
    ...services,
    nodeA,
    nodeB,
    leaseB,
    ...nodeEvents,
    ...namespaces,
    ...config,
    ...storage,
    ...generic,
    ...more,
  ] as KubeObject[];
}

// ---------------------------------------------------------------------------
// The differential run against the real kubectl.

// Serves discovery, GET and LIST (label and field selectors) from an ApiServer:
// describe lists events, pods and replica sets by selector, which the shared
// helpers/fake-apiserver does not answer.
function fakeApiServer(api: () => ApiServer): Promise<http.Server> {
  const resourceList = (gv: string) => ({
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: KINDS.filter((k) => apiVersionOf(k) === gv).map((k) => ({
      name: k.resource,
      singularName: k.singular,
      namespaced: k.namespaced,
      kind: k.kind,
      verbs: k.verbs,
      shortNames: k.shortNames,
      categories: k.categories,
    })),
  });
  const groups = [...new Set(KINDS.filter((k) => k.group).map((k) => apiVersionOf(k)))].map((gv) => {
    const [name, version] = gv.split('/');
    return { name, versions: [{ groupVersion: gv, version }], preferredVersion: { groupVersion: gv, version } };
  });
  const server = http.createServer((req, res) => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    const p = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/api') return send(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') return send(200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    const gv = p[0] === 'api' ? p[1] : `${p[1]}/${p[2]}`;
    let rest = p.slice(p[0] === 'api' ? 2 : 3);
    if (rest.length === 0) return send(200, resourceList(gv));
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const info = KINDS.find((k) => apiVersionOf(k) === gv && k.resource === rest[0]);
    if (!info) return send(404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404, message: 'the server could not find the requested resource' });
    try {
      const a = api();
      if (rest[1]) return send(200, a.get(info, namespace, rest[1]));
      const labelSelector = url.searchParams.get('labelSelector');
      const fieldSelector = url.searchParams.get('fieldSelector');
      const items = a.list(info, {
        namespace: info.namespaced ? namespace : undefined,
        labelSelector: labelSelector ? parseLabelSelector(labelSelector) : undefined,
        fieldSelector: fieldSelector ? parseFieldSelector(fieldSelector) : undefined,
      });
      send(200, { kind: `${info.kind}List`, apiVersion: apiVersionOf(info), metadata: { resourceVersion: '1' }, items });
    } catch (e) {
      if (e instanceof StatusError) return send(e.code, e.toStatus());
      send(500, { kind: 'Status', code: 500, message: String(e) });
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// `kubectl describe <resource> -n <ns>` describes every object of the list, joined by two blank lines.
const CASES: [resource: string, kindName: string, namespace: string | undefined][] = [
  ['pods', 'Pod', 'demo'],
  ['deployments', 'Deployment', 'demo'],
  ['replicasets', 'ReplicaSet', 'demo'],
  ['replicationcontrollers', 'ReplicationController', 'demo'],
  ['statefulsets', 'StatefulSet', 'demo'],
  ['daemonsets', 'DaemonSet', 'demo'],
  ['jobs', 'Job', 'demo'],
  ['cronjobs', 'CronJob', 'demo'],
  ['services', 'Service', 'demo'],
  ['endpoints', 'Endpoints', 'demo'],
  ['nodes', 'Node', undefined],
  ['namespaces', 'Namespace', undefined],
  ['resourcequotas', 'ResourceQuota', 'demo'],
  ['limitranges', 'LimitRange', 'demo'],
  ['configmaps', 'ConfigMap', 'demo'],
  ['secrets', 'Secret', 'demo'],
  ['serviceaccounts', 'ServiceAccount', 'demo'],
  ['persistentvolumeclaims', 'PersistentVolumeClaim', 'demo'],
  ['persistentvolumes', 'PersistentVolume', undefined],
  ['storageclasses', 'StorageClass', undefined],
  ['leases', 'Lease', 'demo'],
  ['podtemplates', 'PodTemplate', 'demo'],
  ['controllerrevisions', 'ControllerRevision', 'demo'],
  ['roles', 'Role', 'demo'],
  ['clusterroles', 'ClusterRole', undefined],
  ['rolebindings', 'RoleBinding', 'demo'],
  ['clusterrolebindings', 'ClusterRoleBinding', undefined],
  ['ingresses', 'Ingress', 'demo'],
  ['ingressclasses', 'IngressClass', undefined],
  ['networkpolicies', 'NetworkPolicy', 'demo'],
  ['poddisruptionbudgets', 'PodDisruptionBudget', 'demo'],
  ['horizontalpodautoscalers', 'HorizontalPodAutoscaler', 'demo'],
  ['endpointslices', 'EndpointSlice', 'demo'],
];

function ours(api: ApiServer, info: KindInfo, namespace: string | undefined, now: number): string {
  return api
    .list(info, { namespace })
    .map((o) => describeObject(info, o, { api, now, showEvents: true }))
    .join('\n\n');
}

describe('describe: byte-identical to kubectl 1.32 on the same objects', { skip: oracleSkip }, () => {
  let server: http.Server;
  let current: ApiServer;
  before(async () => {
    server = await fakeApiServer(() => current);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const [resource, kindName, namespace] of CASES) {
    it(`describe ${resource}`, async () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const fake = { url, requests: [], close: async () => undefined };
      // Ages are seconds-exact: start at a second boundary so that kubectl's
      // clock and ours agree on the second; retry once if a boundary slipped by.
      let last = { theirs: '', mine: '' };
      for (let attempt = 0; attempt < 2; attempt++) {
        while (Date.now() % 1000 > 30) await new Promise((r) => setTimeout(r, 1));
        const base = Math.floor(Date.now() / 1000) * 1000;
        current = memoryApi(fixtures(base), base);
        const r = await runOracleAgainst(fake, ['describe', resource, ...(namespace ? ['-n', namespace] : [])]);
        assert.equal(r.status, 0, r.stderr);
        const theirs = r.stdout;
        const mine = ours(current, kind(kindName), namespace, base);
        last = { theirs, mine };
        // DESCRIBE_DIFF_DIR=<dir> keeps both outputs, for a look with diff.
        if (process.env.DESCRIBE_DIFF_DIR) {
          const fs = await import('node:fs');
          fs.writeFileSync(`${process.env.DESCRIBE_DIFF_DIR}/${resource}.kubectl`, theirs);
          fs.writeFileSync(`${process.env.DESCRIBE_DIFF_DIR}/${resource}.kubemu`, mine);
        }
        if (theirs === mine) break;
      }
      assert.equal(last.mine, last.theirs);
    });
  }
});
