import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster, kubemu } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';

// kubectl describe through bin/kubemu, against the default cluster and after
// the Deployment tutorial's apply: the layout line by line, with patterns for
// what the simulation makes up (names, ages, IPs, times, container ids). The
// exact bytes of every layout are checked against the real kubectl in
// test/unit/describe-kinds.test.ts; here it is the verb and the cluster.

const NGINX_URL = 'https://k8s.io/examples/controllers/nginx-deployment.yaml';

// An expected line: literal text with placeholders; a run of two or more
// spaces stands for the tabwriter's padding (its width depends on the names).
const TOKENS: Record<string, string> = {
  '{rand}': '[bcdfghjklmnpqrstvwxz2456789]+',
  '{time}': '\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} \\+0000',
  '{age}': '(?:\\d+[smhdy])+',
  '{ip}': '\\d+\\.\\d+\\.\\d+\\.\\d+',
  '{hex}': '[0-9a-f]+',
  '{n}': '\\d+',
  '{any}': '.*',
};

function linePattern(expected: string): RegExp {
  let re = expected.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  for (const [token, pattern] of Object.entries(TOKENS)) re = re.split(token).join(pattern);
  re = re.replace(/ {2,}/g, ' {2,}');
  return new RegExp(`^${re}$`);
}

function assertLines(actual: string, expected: string): void {
  const got = actual.split('\n');
  const want = expected.split('\n');
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    const line = got[i];
    const pattern = want[i] === undefined ? undefined : linePattern(want[i]);
    if (line === undefined || !pattern || !pattern.test(line)) {
      assert.fail(`line ${i + 1}: ${JSON.stringify(line)} does not match ${JSON.stringify(want[i])}\n--- output ---\n${actual}`);
    }
  }
}

function ok(r: Result): string {
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  return r.stdout;
}

describe('kubectl describe on the default cluster', () => {
  const { k } = cluster();

  it('describe node minikube: lease, conditions, resources, system pods', () => {
    assertLines(
      ok(k('describe', 'node', 'minikube')),
      `Name:               minikube
Roles:              control-plane
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname=minikube
                    kubernetes.io/os=linux
                    minikube.k8s.io/commit={any}
                    minikube.k8s.io/name=minikube
                    minikube.k8s.io/primary=true
                    minikube.k8s.io/updated_at={any}
                    minikube.k8s.io/version={any}
                    node-role.kubernetes.io/control-plane=
                    node.kubernetes.io/exclude-from-external-load-balancers=
Annotations:        kubeadm.alpha.kubernetes.io/cri-socket: unix:///var/run/cri-dockerd.sock
                    node.alpha.kubernetes.io/ttl: 0
                    volumes.kubernetes.io/controller-managed-attach-detach: true
CreationTimestamp:  {time}
Taints:             <none>
Unschedulable:      false
Lease:
  HolderIdentity:  minikube
  AcquireTime:     <unset>
  RenewTime:       {time}
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   {time}   {time}   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   {time}   {time}   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   {time}   {time}   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    {time}   {time}   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  192.168.49.2
  Hostname:    minikube
Capacity:
  cpu:                2
  ephemeral-storage:  {n}Ki
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             {n}Ki
  pods:               110
Allocatable:
  cpu:                2
  ephemeral-storage:  {n}Ki
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             {n}Ki
  pods:               110
System Info:
  Machine ID:                 {hex}
  System UUID:                {any}
  Boot ID:                    {any}
  Kernel Version:             {any}
  OS Image:                   {any}
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  docker://{any}
  Kubelet Version:            v1.32.0
  Kube-Proxy Version:         v1.32.0
PodCIDR:                      10.244.0.0/24
PodCIDRs:                     10.244.0.0/24
Non-terminated Pods:          (7 in total)
  Namespace                   Name                                CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                                ------------  ----------  ---------------  -------------  ---
  kube-system                 coredns-{rand}-{rand}             100m (5%)     0 (0%)      70Mi ({n}%)        170Mi ({n}%)     {age}
  kube-system                 etcd-minikube                       100m (5%)     0 (0%)      100Mi ({n}%)       0 (0%)         {age}
  kube-system                 kube-apiserver-minikube             250m (12%)    0 (0%)      0 (0%)           0 (0%)         {age}
  kube-system                 kube-controller-manager-minikube    200m (10%)    0 (0%)      0 (0%)           0 (0%)         {age}
  kube-system                 kube-proxy-{rand}                    0 (0%)        0 (0%)      0 (0%)           0 (0%)         {age}
  kube-system                 kube-scheduler-minikube             100m (5%)     0 (0%)      0 (0%)           0 (0%)         {age}
  kube-system                 storage-provisioner                 0 (0%)        0 (0%)      0 (0%)           0 (0%)         {age}
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                750m (37%)  0 (0%)
  memory             170Mi ({n}%)  170Mi ({n}%)
  ephemeral-storage  0 (0%)      0 (0%)
  hugepages-1Gi      0 (0%)      0 (0%)
  hugepages-2Mi      0 (0%)      0 (0%)
Events:              <none>
`,
    );
  });

  it('describe pod -n kube-system <coredns pod>', () => {
    const name = ok(k('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '-o', 'name')).trim().replace('pod/', '');
    assertLines(
      ok(k('describe', 'pod', '-n', 'kube-system', name)),
      `Name:                 ${name}
Namespace:            kube-system
Priority:             2000000000
Priority Class Name:  system-cluster-critical
Service Account:      coredns
Node:                 minikube/192.168.49.2
Start Time:           {time}
Labels:               k8s-app=kube-dns
                      pod-template-hash={rand}
Annotations:          <none>
Status:               Running
IP:                   {ip}
IPs:
  IP:           {ip}
Controlled By:  ReplicaSet/coredns-{rand}
Containers:
  coredns:
    Container ID:  docker://{hex}
    Image:         registry.k8s.io/coredns/coredns:v1.11.3
    Image ID:      docker-pullable://registry.k8s.io/coredns/coredns@sha256:{hex}
    Ports:         53/UDP, 53/TCP, 9153/TCP
    Host Ports:    0/UDP, 0/TCP, 0/TCP
    Args:
      -conf
      /etc/coredns/Corefile
    State:          Running
      Started:      {time}
    Ready:          True
    Restart Count:  0
    Limits:
      memory:  170Mi
    Requests:
      cpu:        100m
      memory:     70Mi
    Liveness:     http-get http://:8080/health delay=60s timeout=5s period=10s #success=1 #failure=5
    Readiness:    http-get http://:8181/ready delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:  <none>
    Mounts:
      /etc/coredns from config-volume (ro)
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-{rand} (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  config-volume:
    Type:      ConfigMap (a volume populated by a ConfigMap)
    Name:      coredns
    Optional:  false
  kube-api-access-{rand}:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    ConfigMapOptional:       <nil>
    DownwardAPI:             true
QoS Class:                   Burstable
Node-Selectors:              kubernetes.io/os=linux
Tolerations:                 CriticalAddonsOnly op=Exists
                             node-role.kubernetes.io/control-plane:NoSchedule
                             node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  {age}   default-scheduler  Successfully assigned kube-system/${name} to minikube
  Normal  Pulled     {age}   kubelet            Container image "registry.k8s.io/coredns/coredns:v1.11.3" already present on machine
  Normal  Created    {age}   kubelet            Created container: coredns
  Normal  Started    {age}   kubelet            Started container coredns
`,
    );
  });

  it('describe deployment coredns -n kube-system', () => {
    assertLines(
      ok(k('describe', 'deployment', 'coredns', '-n', 'kube-system')),
      `Name:                   coredns
Namespace:              kube-system
CreationTimestamp:      {time}
Labels:                 k8s-app=kube-dns
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               k8s-app=kube-dns
Replicas:               1 desired | 1 updated | 1 total | 1 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  1 max unavailable, 25% max surge
Pod Template:
  Labels:           k8s-app=kube-dns
  Service Account:  coredns
  Containers:
   coredns:
    Image:       registry.k8s.io/coredns/coredns:v1.11.3
    Ports:       53/UDP, 53/TCP, 9153/TCP
    Host Ports:  0/UDP, 0/TCP, 0/TCP
    Args:
      -conf
      /etc/coredns/Corefile
    Limits:
      memory:  170Mi
    Requests:
      cpu:        100m
      memory:     70Mi
    Liveness:     http-get http://:8080/health delay=60s timeout=5s period=10s #success=1 #failure=5
    Readiness:    http-get http://:8181/ready delay=0s timeout=1s period=10s #success=1 #failure=3
    Environment:  <none>
    Mounts:
      /etc/coredns from config-volume (ro)
  Volumes:
   config-volume:
    Type:               ConfigMap (a volume populated by a ConfigMap)
    Name:               coredns
    Optional:           false
  Priority Class Name:  system-cluster-critical
  Node-Selectors:       kubernetes.io/os=linux
  Tolerations:          CriticalAddonsOnly op=Exists
                        node-role.kubernetes.io/control-plane:NoSchedule
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   coredns-{rand} (1/1 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  {age}   deployment-controller  Scaled up replica set coredns-{rand} to 1
`,
    );
  });

  it('describe svc kubernetes', () => {
    assertLines(
      ok(k('describe', 'svc', 'kubernetes')),
      `Name:                     kubernetes
Namespace:                default
Labels:                   component=apiserver
                          provider=kubernetes
Annotations:              <none>
Selector:                 <none>
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.0.1
IPs:                      10.96.0.1
Port:                     https  443/TCP
TargetPort:               8443/TCP
Endpoints:                {any}
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
`,
    );
  });

  it('describe ns default', () => {
    assert.equal(
      ok(k('describe', 'ns', 'default')),
      'Name:         default\nLabels:       kubernetes.io/metadata.name=default\nAnnotations:  <none>\nStatus:       Active\n\nNo resource quota.\n\nNo LimitRange resource.\n',
    );
  });
});

describe('kubectl describe after applying the nginx Deployment', () => {
  const { k, home } = cluster();
  assert.equal(k('apply', '-f', NGINX_URL).status, 0);
  assert.equal(k('sim', 'advance', '1m').status, 0);

  it('describe deployment: new replica set and the scaling event', () => {
    assertLines(
      ok(k('describe', 'deployment', 'nginx-deployment')),
      `Name:                   nginx-deployment
Namespace:              default
CreationTimestamp:      {time}
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
NewReplicaSet:   nginx-deployment-{rand} (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  {age}   deployment-controller  Scaled up replica set nginx-deployment-{rand} to 3
`,
    );
  });

  it('describe rs -l: the replica set, its pods and their creation events', () => {
    assertLines(
      ok(k('describe', 'rs', '-l', 'app=nginx')),
      `Name:           nginx-deployment-{rand}
Namespace:      default
Selector:       app=nginx,pod-template-hash={rand}
Labels:         app=nginx
                pod-template-hash={rand}
Annotations:    deployment.kubernetes.io/desired-replicas: 3
                deployment.kubernetes.io/max-replicas: 4
                deployment.kubernetes.io/revision: 1
Controlled By:  Deployment/nginx-deployment
Replicas:       3 current / 3 desired
Pods Status:    3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  app=nginx
           pod-template-hash={rand}
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
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
  Normal  SuccessfulCreate  {age}   replicaset-controller  Created pod: nginx-deployment-{rand}-{rand}
  Normal  SuccessfulCreate  {age}   replicaset-controller  Created pod: nginx-deployment-{rand}-{rand}
  Normal  SuccessfulCreate  {age}   replicaset-controller  Created pod: nginx-deployment-{rand}-{rand}
`,
    );
  });

  it('describe pods: three descriptions separated by two blank lines', () => {
    const out = ok(k('describe', 'pods'));
    const blocks = out.split('\n\n\n');
    assert.equal(blocks.length, 3);
    for (const [i, block] of blocks.entries()) {
      assertLines(
        i < 2 ? `${block}\n` : block,
        `Name:             nginx-deployment-{rand}-{rand}
Namespace:        default
Priority:         0
Service Account:  default
Node:             minikube/192.168.49.2
Start Time:       {time}
Labels:           app=nginx
                  pod-template-hash={rand}
Annotations:      <none>
Status:           Running
IP:               {ip}
IPs:
  IP:           {ip}
Controlled By:  ReplicaSet/nginx-deployment-{rand}
Containers:
  nginx:
    Container ID:   docker://{hex}
    Image:          nginx:1.14.2
    Image ID:       docker-pullable://nginx@sha256:{hex}
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      {time}
    Ready:          True
    Restart Count:  0
    Environment:    <none>
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-{rand} (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-{rand}:
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
  Type    Reason     Age   From               Message
  ----    ------     ----  ----               -------
  Normal  Scheduled  {age}   default-scheduler  Successfully assigned default/nginx-deployment-{rand}-{rand} to minikube
  Normal  Pulling    {age}   kubelet            Pulling image "nginx:1.14.2"
  Normal  Pulled     {age}   kubelet            Successfully pulled image "nginx:1.14.2" in {any} including waiting). Image size: {n} bytes.
  Normal  Created    {age}   kubelet            Created container: nginx
  Normal  Started    {age}   kubelet            Started container nginx
`,
      );
    }
  });

  it('a name that matches nothing exactly describes every object it prefixes, one blank line apart', () => {
    const all = ok(k('describe', 'pods'));
    const prefixed = ok(k('describe', 'pods', 'nginx-deployment'));
    assert.equal(prefixed, `${all.split('\n\n\n').join('\n\n')}\n`);
    const one = ok(k('describe', 'deploy', 'nginx'));
    assert.equal(one, `${ok(k('describe', 'deploy', 'nginx-deployment'))}\n`);
  });

  it('TYPE/NAME, several types, -A, --show-events=false', () => {
    const deploy = ok(k('describe', 'deployment', 'nginx-deployment'));
    assert.equal(ok(k('describe', 'deploy/nginx-deployment')), deploy);
    const svc = ok(k('describe', 'svc', 'kubernetes'));
    assert.equal(ok(k('describe', 'deploy/nginx-deployment', 'svc/kubernetes')), `${deploy}\n\n${svc}`);
    const both = ok(k('describe', 'deploy,svc'));
    assert.equal(both, `${deploy}\n\n${svc}`);
    const quiet = ok(k('describe', 'deployment', 'nginx-deployment', '--show-events=false'));
    assert.equal(quiet, deploy.slice(0, deploy.indexOf('Events:')));
    const everywhere = ok(k('describe', 'deployments', '-A'));
    assert.equal(everywhere.split('\n\n\n').length, 2);
    assert.match(everywhere, /^Name:\s+nginx-deployment\nNamespace:\s+default\n[^]*\n\n\nName:\s+coredns\nNamespace:\s+kube-system\n/);
    assert.equal(ok(k('describe', 'deploy', '--chunk-size=1')), deploy);
  });

  it('times are printed in the zone TZ names', () => {
    const utc = ok(k('describe', 'deployment', 'nginx-deployment'));
    const india = kubemu(['describe', 'deployment', 'nginx-deployment'], { home, env: { TZ: 'Asia/Kolkata' } });
    assert.equal(india.status, 0, india.stderr);
    const stamp = (text: string) => /^CreationTimestamp:\s+(.*)$/m.exec(text)![1];
    const when = Date.parse(stamp(utc).replace(/^\w+, /, ''));
    assert.match(stamp(utc), /\+0000$/);
    assert.match(stamp(india.stdout), /\+0530$/);
    assert.equal(Date.parse(stamp(india.stdout).replace(/^\w+, /, '')), when);
  });

  it('-f: the objects a file names, read back from the cluster', () => {
    const file = path.join(home, 'objects.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx-deployment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: kubernetes\n',
    );
    assert.equal(ok(k('describe', '-f', file)), ok(k('describe', 'deploy/nginx-deployment', 'svc/kubernetes')));
    const r = k('describe', '-f', NGINX_URL, '-l', 'app=nope');
    assert.deepEqual(r, { stdout: '', stderr: 'No resources found in default namespace.\n', status: 0 });
  });

  it('errors: not found, nothing selected, no type, bad combinations', () => {
    assert.deepEqual(k('describe', 'pod', 'x'), { stdout: '', stderr: 'Error from server (NotFound): pods "x" not found\n', status: 1 });
    assert.deepEqual(k('describe', 'pods', '-l', 'app=nope'), { stdout: '', stderr: 'No resources found in default namespace.\n', status: 0 });
    assert.deepEqual(k('describe', 'nodes', '-l', 'app=nope'), { stdout: '', stderr: 'No resources found in default namespace.\n', status: 0 });
    assert.deepEqual(k('describe', 'pods', '-A', '-l', 'app=nope'), { stdout: '', stderr: 'No resources found\n', status: 0 });
    assert.deepEqual(k('describe'), {
      stdout: '',
      stderr: 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n',
      status: 1,
    });
    assert.deepEqual(k('describe', 'pods', 'nginx', '-A'), {
      stdout: '',
      stderr: 'error: a resource cannot be retrieved by name across all namespaces\n',
      status: 1,
    });
    assert.deepEqual(k('describe', 'pods', 'nginx', '-l', 'app=nginx'), {
      stdout: '',
      stderr: 'error: name cannot be provided when a selector is specified\n',
      status: 1,
    });
    assert.deepEqual(k('describe', 'pod/a/b'), {
      stdout: '',
      stderr: 'error: arguments in resource/name form may not have more than one slash\n',
      status: 1,
    });
    assert.deepEqual(k('describe', '/a'), {
      stdout: '',
      stderr: 'error: arguments in resource/name form must have a single resource and name\n',
      status: 1,
    });
    assert.deepEqual(k('describe', 'foo'), { stdout: '', stderr: 'error: the server doesn\'t have a resource type "foo"\n', status: 1 });
    // Several names: what exists is described, then each error.
    const deploy = ok(k('describe', 'deployment', 'nginx-deployment'));
    assert.deepEqual(k('describe', 'deploy', 'nginx-deployment', 'nope', 'nope2'), {
      stdout: deploy,
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\nError from server (NotFound): deployments.apps "nope2" not found\n',
      status: 1,
    });
    // Two TYPE/NAME arguments with one missing take the prefix path, as kubectl does: only the error.
    assert.deepEqual(k('describe', 'deploy/nginx-deployment', 'deploy/nope'), {
      stdout: '',
      stderr: 'Error from server (NotFound): deployments.apps "nope" not found\n',
      status: 1,
    });
    assert.deepEqual(k('describe', 'pods,svc', 'nginx'), {
      stdout: '',
      stderr: 'Error from server (NotFound): pods "nginx" not found\nError from server (NotFound): services "nginx" not found\n',
      status: 1,
    });
  });
});
