import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { BIN, ROOT, cluster, kubemuEnv } from '../helpers/kubemu';

// The Workloads concept pages (Japanese docs, seeds 000 and 002), replayed in
// order: Pod termination, init containers, ReplicaSet, garbage collection,
// DaemonSet, Jobs, CronJob and TTL-after-finished. Outputs are kubectl 1.32's
// with the seed's values; ages, hashes and IPs are matched by pattern. (The
// Deployment page is test/e2e/tutorial-deployment.test.ts; ephemeral
// containers are concepts-ephemeral.test.ts.)

type K = (...a: string[]) => { stdout: string; stderr: string; status: number };

function file(home: string, name: string, text: string): string {
  const p = path.join(home, name);
  fs.writeFileSync(p, text);
  return p;
}

const POD_NAME = /[bcdfghjklmnpqrstvwxz2456789]{5}/.source;

function rows(k: K, ...args: string[]): string[][] {
  return k('get', ...args)
    .stdout.trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s{2,}/));
}

// After an orphaning delete: the pods keep running, released by their owner.
function orphansLeft(k: K, count: number): void {
  k('sim', 'advance', '5s');
  const left = rows(k, 'pods');
  assert.equal(left.length, count);
  for (const r of left) assert.deepEqual(r.slice(1, 3), ['1/1', 'Running']);
  assert.equal(k('get', 'pods', '-o', 'jsonpath={.items[*].metadata.ownerReferences}').stdout, '');
}

// Both pages' myapp-pod: one app container, the image and the words differ.
function myappPod(image: string, says: string): string {
  return `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
spec:
  containers:
  - name: myapp-container
    image: ${image}
    command: ['sh', '-c', 'echo ${says} && sleep 3600']
`;
}

// M2: the Pod of "Pod templates"/"Pod overview".
const MYAPP_POD = myappPod('busybox', 'Hello Kubernetes!');

test('Pod lifecycle: graceful deletion shows Terminating, --force --grace-period=0 removes at once (T1-T3)', () => {
  const { k, home } = cluster();
  const f = file(home, 'pod.yaml', MYAPP_POD);
  assert.equal(k('apply', '-f', f).stdout, 'pod/myapp-pod created\n');
  k('sim', 'advance', '20s');
  assert.equal(k('logs', 'myapp-pod').stdout, 'Hello Kubernetes!\n');
  // T1: describe shows each container's State.
  assert.match(k('describe', 'pod', 'myapp-pod').stdout, /^ {4}State: {10}Running\n {6}Started: {6}\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\n {4}Ready: {10}True\n {4}Restart Count: {2}0\n/m);
  const missing = k('describe', 'pod', 'nope');
  assert.equal(missing.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  assert.equal(missing.status, 1);

  // T2: --grace-period=N; `sleep` under sh ignores TERM, so it lasts the whole period.
  assert.equal(k('delete', 'pod', 'myapp-pod', '--grace-period=5', '--wait=false').stdout, 'pod "myapp-pod" deleted\n');
  assert.match(k('get', 'pods').stdout, /^myapp-pod\s+1\/1\s+Terminating\s+0\s+20s$/m);
  const d = k('describe', 'pod', 'myapp-pod').stdout;
  assert.match(d, /^Status:\s+Terminating \(lasts <invalid>\)\nTermination Grace Period:\s+5s$/m);
  k('sim', 'advance', '4s');
  assert.match(k('get', 'pods').stdout, /^myapp-pod\s+\S+\s+Terminating/m);
  k('sim', 'advance', '2s');
  assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');

  // T3: forced deletion, and the name is free again at once.
  k('apply', '-f', f);
  k('sim', 'advance', '20s');
  const force = k('delete', 'pod', 'myapp-pod', '--grace-period=0', '--force');
  assert.equal(force.stderr, 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  assert.equal(force.stdout, 'pod "myapp-pod" force deleted\n');
  assert.equal(k('apply', '-f', f).stdout, 'pod/myapp-pod created\n');
});

// M4, myapp.yaml.
const MYAPP_INIT = `${myappPod('busybox:1.28', 'The app is running!')}  initContainers:
  - name: init-myservice
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
  - name: init-mydb
    image: busybox:1.28
    command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
`;

const SERVICES = `---
apiVersion: v1
kind: Service
metadata:
  name: myservice
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9376
---
apiVersion: v1
kind: Service
metadata:
  name: mydb
spec:
  ports:
  - protocol: TCP
    port: 80
    targetPort: 9377
`;

test('Init containers: myapp-pod waits for myservice and mydb (T6-T12)', () => {
  const { k, home } = cluster();
  const myapp = file(home, 'myapp.yaml', MYAPP_INIT);
  assert.equal(k('apply', '-f', myapp).stdout, 'pod/myapp-pod created\n');
  k('sim', 'advance', '6m');
  // T7: the first init container loops for as long as there is no Service.
  assert.match(k('get', '-f', myapp).stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nmyapp-pod\s+0\/1\s+Init:0\/2\s+0\s+6m\d*s?\n$/);

  // T8
  const d = k('describe', '-f', myapp).stdout;
  assert.match(d, /^Name:\s+myapp-pod\nNamespace:\s+default\n/);
  assert.match(d, /^Labels:\s+app=myapp$/m);
  assert.match(d, /^Status:\s+Pending$/m);
  const inits = d.slice(d.indexOf('Init Containers:'), d.indexOf('\nContainers:'));
  assert.match(inits, /^ {2}init-myservice:\n[\s\S]*?^ {4}State: {10}Running\n {6}Started: .*\n {4}Ready: {10}False\n/m);
  assert.match(inits, /^ {2}init-mydb:\n[\s\S]*?^ {4}State: {10}Waiting\n {6}Reason: {7}PodInitializing\n {4}Ready: {10}False\n/m);
  const apps = d.slice(d.indexOf('\nContainers:'), d.indexOf('\nConditions:'));
  assert.match(apps, /^ {2}myapp-container:\n[\s\S]*?^ {4}State: {10}Waiting\n {6}Reason: {7}PodInitializing\n {4}Ready: {10}False\n/m);
  assert.match(d, /^ {2}Initialized {17}False $/m);
  const events = d.slice(d.indexOf('Events:'));
  assert.match(
    events,
    /^Events:\n {2}Type {4}Reason {5}Age +From {15}Message\n {2}-{4} {4}-{6} {5}-{4} {3}-{4} {15}-{7}\n {2}Normal {2}Scheduled {2}6m +default-scheduler {2}Successfully assigned default\/myapp-pod to minikube\n {2}Normal {2}Pulling +5m59s +kubelet +Pulling image "busybox:1.28"\n {2}Normal {2}Pulled +5m5\ds +kubelet +Successfully pulled image "busybox:1.28" in .*\n {2}Normal {2}Created +5m5\ds +kubelet +Created container: init-myservice\n {2}Normal {2}Started +5m5\ds +kubelet +Started container init-myservice\n$/,
  );

  // T9: busybox 1.28's nslookup failing, then the loop's own line, every 2 s.
  const log = k('logs', 'myapp-pod', '-c', 'init-myservice').stdout;
  const cycle = "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nnslookup: can't resolve 'myservice.default.svc.cluster.local'\nwaiting for myservice\n";
  assert.ok(log.startsWith(cycle + cycle), log.slice(0, 400));
  assert.ok(log.split('waiting for myservice\n').length > 100);
  // T10: the second one has not started.
  const mydb = k('logs', 'myapp-pod', '-c', 'init-mydb');
  assert.equal(mydb.stderr, 'Error from server (BadRequest): container "init-mydb" in pod "myapp-pod" is waiting to start: PodInitializing\n');
  assert.equal(mydb.status, 1);

  // T11, T12
  assert.equal(k('apply', '-f', file(home, 'services.yaml', SERVICES)).stdout, 'service/myservice created\nservice/mydb created\n');
  k('sim', 'advance', '5s');
  assert.match(k('get', '-f', myapp).stdout, /^myapp-pod\s+1\/1\s+Running\s+0\s+6m\d*s?$/m);
  assert.match(k('logs', 'myapp-pod', '-c', 'init-mydb').stdout, /^Name:\s+mydb\.default\.svc\.cluster\.local\nAddress 1: 10\.\d+\.\d+\.\d+ mydb\.default\.svc\.cluster\.local\n$/m);
  assert.equal(k('logs', 'myapp-pod', '-c', 'myapp-container').stdout, 'The app is running!\n');
  const done = k('describe', 'pod', 'myapp-pod').stdout;
  // Init containers that exited 0 are ready; the pod is Initialized.
  assert.match(done, /^ {2}init-myservice:\n[\s\S]*?^ {4}State: {10}Terminated\n {6}Reason: {7}Completed\n {6}Exit Code: {4}0\n[\s\S]*?^ {4}Ready: {10}True\n/m);
  assert.match(done, /^ {2}Initialized {17}True $/m);
});

test('Init containers: `sleep 60` holds the app back a minute; a failing one restarts, then Init:CrashLoopBackOff (seed 002 T15)', () => {
  const { k, home } = cluster();
  const pod = (name: string, init: string) =>
    file(
      home,
      `${name}.yaml`,
      `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  initContainers:
  - name: delay
    image: busybox:1.28
    command: ['sh', '-c', '${init}']
  containers:
  - name: app
    image: busybox:1.28
    command: ['sh', '-c', 'echo started && sleep 3600']
`,
    );
  k('apply', '-f', pod('slow', 'sleep 60'));
  k('sim', 'advance', '30s');
  assert.match(k('get', 'pod', 'slow').stdout, /^slow\s+0\/1\s+Init:0\/1\s+0\s+30s$/m);
  k('sim', 'advance', '40s');
  assert.match(k('get', 'pod', 'slow').stdout, /^slow\s+1\/1\s+Running\s+0\s+70s$/m);
  assert.equal(k('logs', 'slow').stdout, 'started\n');

  k('apply', '-f', pod('failing', 'exit 1'));
  k('sim', 'advance', '5s');
  assert.match(k('get', 'pod', 'failing').stdout, /^failing\s+0\/1\s+Init:(?:Error|CrashLoopBackOff)\s+/m);
  k('sim', 'advance', '1m');
  assert.match(k('get', 'pod', 'failing').stdout, /^failing\s+0\/1\s+Init:CrashLoopBackOff\s+[2-9] \(\S+ ago\)\s+65s$/m);
  assert.match(k('describe', 'pod', 'failing').stdout, /^ {4}Last State: {5}Terminated\n {6}Reason: {7}Error\n {6}Exit Code: {4}1\n/m);
});

// PodPreset (settings.k8s.io/v1alpha1) was removed in 1.20: a 1.32 cluster
// has no such kind, whatever minikube was started with.
test('Pod Preset: gone from 1.32, its objects are refused (T13)', () => {
  const { k, home } = cluster();
  const preset = file(
    home,
    'podpreset.yaml',
    `apiVersion: settings.k8s.io/v1alpha1
kind: PodPreset
metadata:
  name: allow-database
spec:
  selector:
    matchLabels:
      role: frontend
  env:
    - name: DB_PORT
      value: "6379"
`,
  );
  const r = k('apply', '-f', preset);
  assert.equal(r.stderr, `error: resource mapping not found for name: "allow-database" namespace: "" from "${preset}": no matches for kind "PodPreset" in version "settings.k8s.io/v1alpha1"\nensure CRDs are installed first\n`);
  assert.equal(r.status, 1);
  assert.equal(k('api-versions').stdout.split('\n').filter((v) => v.startsWith('settings.k8s.io')).length, 0);
});

test('ReplicaSet: frontend, its pods, and pods it acquires (T69-T79)', () => {
  const { k } = cluster();
  // T69: the http:// URL resolves offline too.
  assert.equal(k('apply', '-f', 'http://k8s.io/examples/controllers/frontend.yaml').stdout, 'replicaset.apps/frontend created\n');
  // The seed's 6s: gb-frontend:v3 takes longer to pull here.
  k('sim', 'advance', '16s');
  // T70
  assert.match(k('get', 'rs').stdout, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+AGE\nfrontend\s+3\s+3\s+3\s+16s\n$/);
  // T71: describe rs/NAME (1.32 leaves last-applied-configuration out of Annotations).
  const d = k('describe', 'rs/frontend').stdout;
  const pods = rows(k, 'pods').map((r) => r[0]);
  assert.equal(pods.length, 3);
  for (const p of pods) assert.match(p, new RegExp(`^frontend-${POD_NAME}$`));
  assert.match(
    d,
    new RegExp(
      `^Name:         frontend
Namespace:    default
Selector:     tier=frontend
Labels:       app=guestbook
              tier=frontend
Annotations:  <none>
Replicas:     3 current / 3 desired
Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed
Pod Template:
  Labels:  tier=frontend
  Containers:
   php-redis:
    Image:         gcr\\.io/google_samples/gb-frontend:v3
    Port:          <none>
    Host Port:     <none>
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Events:
  Type    Reason            Age   From                   Message
  ----    ------            ----  ----                   -------
  Normal  SuccessfulCreate  16s   replicaset-controller  Created pod: frontend-${POD_NAME}
  Normal  SuccessfulCreate  16s   replicaset-controller  Created pod: frontend-${POD_NAME}
  Normal  SuccessfulCreate  16s   replicaset-controller  Created pod: frontend-${POD_NAME}
$`,
    ),
  );
  // T72
  k('sim', 'advance', '6m20s');
  for (const r of rows(k, 'pods')) assert.deepEqual(r.slice(1), ['1/1', 'Running', '0', '6m36s']);
  // T73: generateName and the controller reference.
  const uid = k('get', 'rs', 'frontend', '-o', 'jsonpath={.metadata.uid}').stdout;
  const y = k('get', 'pods', pods[0], '-o', 'yaml').stdout;
  assert.match(
    y,
    new RegExp(
      `^apiVersion: v1\nkind: Pod\nmetadata:\n  creationTimestamp: "\\S+"\n  generateName: frontend-\n  labels:\n    tier: frontend\n  name: ${pods[0]}\n  namespace: default\n  ownerReferences:\n  - apiVersion: apps/v1\n    blockOwnerDeletion: true\n    controller: true\n    kind: ReplicaSet\n    name: frontend\n    uid: ${uid}\n`,
    ),
  );

  // T74, T75: bare pods with the selector's labels are acquired and, being
  // surplus, deleted: the RS takes the new, not-ready ones.
  assert.equal(k('apply', '-f', 'http://k8s.io/examples/pods/pod-rs.yaml').stdout, 'pod/pod1 created\npod/pod2 created\n');
  assert.match(k('describe', 'rs', 'frontend').stdout, /Deleted pod: pod1\n.*Deleted pod: pod2\n$/);
  k('sim', 'advance', '1m');
  assert.deepEqual(
    rows(k, 'pods').map((r) => r[0]),
    pods,
  );

  // T76-T78: pods first, then the ReplicaSet adopts them and adds one.
  assert.equal(k('delete', 'rs', 'frontend').stdout, 'replicaset.apps "frontend" deleted\n');
  k('sim', 'advance', '1m');
  assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');
  k('apply', '-f', 'http://k8s.io/examples/pods/pod-rs.yaml');
  k('sim', 'advance', '27s');
  k('apply', '-f', 'http://k8s.io/examples/controllers/frontend.yaml');
  k('sim', 'advance', '9s');
  const after = rows(k, 'pods');
  assert.equal(after.length, 3);
  assert.match(after[0].join(' '), new RegExp(`^frontend-${POD_NAME} 1/1 Running 0 9s$`));
  assert.deepEqual(after.slice(1), [
    ['pod1', '1/1', 'Running', '0', '36s'],
    ['pod2', '1/1', 'Running', '0', '36s'],
  ]);
  assert.equal(k('get', 'pod', 'pod1', '-o', 'jsonpath={.metadata.ownerReferences[0].name}').stdout, 'frontend');

  // T85: the HPA from the page's file, keeping the ReplicaSet within 3..10.
  assert.equal(k('apply', '-f', 'https://k8s.io/examples/controllers/hpa-rs.yaml').stdout, 'horizontalpodautoscaler.autoscaling/frontend-scaler created\n');
  assert.match(k('get', 'hpa', 'frontend-scaler').stdout, /^frontend-scaler\s+ReplicaSet\/frontend\s+cpu: <unknown>\/50%\s+3\s+10\s+3\s+0s$/m);
  k('delete', 'hpa', 'frontend-scaler');
  // T86: the HPA shortcut, named after its target.
  assert.equal(k('autoscale', 'rs', 'frontend', '--max=10', '--min=3', '--cpu-percent=50').stdout, 'horizontalpodautoscaler.autoscaling/frontend autoscaled\n');
  assert.match(k('get', 'hpa').stdout, /^frontend\s+ReplicaSet\/frontend\s+cpu: <unknown>\/50%\s+3\s+10\s+3\s+0s$/m);

  // T79, T82: deleting only the ReplicaSet leaves its pods, released.
  const orphan = k('delete', 'rs', 'frontend', '--cascade=false');
  assert.equal(orphan.stderr, 'warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n');
  assert.equal(orphan.stdout, 'replicaset.apps "frontend" deleted\n');
  orphansLeft(k, 3);
});

test('Garbage collection: ownerReferences and the three propagation policies with kubectl (T89-T98)', () => {
  const { k } = cluster();
  const URL = 'https://k8s.io/examples/controllers/replicaset.yaml';
  assert.equal(k('apply', '-f', URL).stdout, 'replicaset.apps/my-repset created\n');
  k('sim', 'advance', '20s');
  // T90: a List of pods, each owned by my-repset.
  const uid = k('get', 'rs', 'my-repset', '-o', 'jsonpath={.metadata.uid}').stdout;
  const list = k('get', 'pods', '--output=yaml').stdout;
  assert.match(list, /^apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n/);
  assert.match(list, /\nkind: List\nmetadata:\n  resourceVersion: ""\n$/);
  const refs = list.match(/ {4}ownerReferences:\n {4}- apiVersion: apps\/v1\n {6}blockOwnerDeletion: true\n {6}controller: true\n {6}kind: ReplicaSet\n {6}name: my-repset\n {6}uid: (\S+)\n/g) ?? [];
  assert.equal(refs.length, 3);
  for (const r of refs) assert.ok(r.endsWith(`uid: ${uid}\n`));

  // T97: --cascade=true (background, the default) takes the pods with it.
  assert.equal(k('delete', 'replicaset', 'my-repset', '--cascade=true').stdout, 'replicaset.apps "my-repset" deleted\n');
  assert.equal(k('get', 'rs').stderr, 'No resources found in default namespace.\n');
  assert.ok(rows(k, 'pods').every((r) => r[2] === 'Terminating'));
  k('sim', 'advance', '1m');
  assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');

  // Foreground: the owner waits, with its finalizer, for its blocking dependents.
  k('apply', '-f', URL);
  k('sim', 'advance', '20s');
  assert.equal(k('delete', 'replicaset', 'my-repset', '--cascade=foreground', '--wait=false').stdout, 'replicaset.apps "my-repset" deleted\n');
  assert.equal(k('get', 'rs', 'my-repset', '-o', 'jsonpath={.metadata.finalizers}').stdout, '["foregroundDeletion"]');
  assert.match(k('get', 'rs', 'my-repset', '-o', 'jsonpath={.metadata.deletionTimestamp}').stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  k('sim', 'advance', '1m');
  assert.equal(k('get', 'rs', 'my-repset').stderr, 'Error from server (NotFound): replicasets.apps "my-repset" not found\n');
  assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');

  // T98: orphaned pods keep running with no owner.
  k('apply', '-f', URL);
  k('sim', 'advance', '20s');
  k('delete', 'replicaset', 'my-repset', '--cascade=false');
  orphansLeft(k, 3);
});

test('DaemonSet: fluentd-elasticsearch in kube-system, orphaned and adopted again (T87, T88)', () => {
  const { k } = cluster();
  const URL = 'https://k8s.io/examples/controllers/daemonset.yaml';
  assert.equal(k('apply', '-f', URL).stdout, 'daemonset.apps/fluentd-elasticsearch created\n');
  k('sim', 'advance', '30s');
  assert.match(k('get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch').stdout, /^fluentd-elasticsearch\s+1\s+1\s+1\s+1\s+1\s+<none>\s+30s$/m);
  // Only visible in its namespace.
  assert.equal(k('get', 'pods', '-l', 'name=fluentd-elasticsearch').stderr, 'No resources found in default namespace.\n');
  const pods = rows(k, 'pods', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch', '-o', 'wide');
  assert.equal(pods.length, 1);
  assert.match(pods[0].join(' '), new RegExp(`^fluentd-elasticsearch-${POD_NAME} 1/1 Running 0 30s 10\\.244\\.0\\.\\d+ minikube <none> <none>$`));
  // M14: pinned to its node by matchFields; the daemon tolerations added.
  const pod = pods[0][0];
  assert.equal(
    k('get', 'pod', '-n', 'kube-system', pod, '-o', 'jsonpath={.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0]}').stdout,
    '{"key":"metadata.name","operator":"In","values":["minikube"]}',
  );
  assert.equal(
    k('get', 'pod', '-n', 'kube-system', pod, '-o', 'jsonpath={range .spec.tolerations[*]}{.key}:{.effect} {end}').stdout,
    'node-role.kubernetes.io/master:NoSchedule node.kubernetes.io/not-ready:NoExecute node.kubernetes.io/unreachable:NoExecute node.kubernetes.io/disk-pressure:NoSchedule node.kubernetes.io/memory-pressure:NoSchedule node.kubernetes.io/pid-pressure:NoSchedule node.kubernetes.io/unschedulable:NoSchedule ',
  );

  // T88: deleted with --cascade=false, its pod stays; a new DaemonSet with
  // the same selector adopts it instead of starting a second one.
  k('delete', 'ds', 'fluentd-elasticsearch', '-n', 'kube-system', '--cascade=false');
  k('sim', 'advance', '5s');
  assert.deepEqual(
    rows(k, 'pods', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch').map((r) => r[0]),
    [pod],
  );
  k('apply', '-f', URL);
  k('sim', 'advance', '5s');
  assert.deepEqual(
    rows(k, 'pods', '-n', 'kube-system', '-l', 'name=fluentd-elasticsearch').map((r) => r.join(' ')),
    [`${pod} 1/1 Running 0 40s`],
  );
  assert.equal(k('get', 'pod', '-n', 'kube-system', pod, '-o', 'jsonpath={.metadata.ownerReferences[0].uid}').stdout, k('get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch', '-o', 'jsonpath={.metadata.uid}').stdout);
  assert.match(k('get', 'ds', '-n', 'kube-system', 'fluentd-elasticsearch').stdout, /^fluentd-elasticsearch\s+1\s+1\s+1\s+1\s+1\s+<none>\s+5s$/m);
});

test('Jobs: the hello Pod template, a CronJob every minute, and TTL after finished (M1, M17, M18)', () => {
  const { k, home } = cluster();
  // M1: a Job whose pod says hello and sleeps an hour.
  const job = file(
    home,
    'job.yaml',
    `apiVersion: batch/v1
kind: Job
metadata:
  name: hello
spec:
  template:
    # これがPodテンプレートです
    spec:
      containers:
      - name: hello
        image: busybox
        command: ['sh', '-c', 'echo "Hello, Kubernetes!" && sleep 3600']
      restartPolicy: OnFailure
    # Podテンプレートはここまでです
`,
  );
  assert.equal(k('apply', '-f', job).stdout, 'job.batch/hello created\n');
  k('sim', 'advance', '30s');
  assert.match(k('get', 'job', 'hello').stdout, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\nhello\s+Running\s+0\/1\s+30s\s+30s\n$/);
  assert.equal(k('logs', 'job/hello').stdout, 'Hello, Kubernetes!\n');
  k('sim', 'advance', '1h');
  assert.match(k('get', 'job', 'hello').stdout, /^hello\s+Complete\s+1\/1\s+60m\d*s?\s+60m\d*s?$/m);
  assert.match(k('get', 'pods', '-l', 'job-name=hello').stdout, new RegExp(`^hello-${POD_NAME}\\s+0/1\\s+Completed\\s+0\\s+60m\\d*s?$`, 'm'));
  // A finished Job's pod still has its log.
  assert.equal(k('logs', 'job/hello').stdout, 'Hello, Kubernetes!\n');

  // The Job page's pi: computed, completed, its digits in the log.
  assert.equal(k('apply', '-f', 'https://kubernetes.io/examples/controllers/job.yaml').stdout, 'job.batch/pi created\n');
  k('sim', 'advance', '70s');
  const pi = k('describe', 'job', 'pi').stdout;
  assert.match(pi, /^Pods Statuses:    0 Active \(0 Ready\) \/ 1 Succeeded \/ 0 Failed$/m);
  assert.match(pi, /Normal {2}SuccessfulCreate {2}70s {3}job-controller {2}Created pod: pi-\w{5}\n {2}Normal {2}Completed +\d+s +job-controller {2}Job completed\n$/);
  assert.match(k('logs', 'jobs/pi').stdout, /^3\.14159265358979323846264338327950288419716939937510\d{1949}\n$/);

  // M17: a Job a minute, named after its scheduled time in minutes.
  const cron = file(
    home,
    'cronjob.yaml',
    `apiVersion: batch/v1
kind: CronJob
metadata:
  name: hello
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          containers:
          - name: hello
            image: busybox
            command:
            - /bin/sh
            - -c
            - date; echo Hello from the Kubernetes cluster
          restartPolicy: OnFailure
`,
  );
  assert.equal(k('apply', '-f', cron).stdout, 'cronjob.batch/hello created\n');
  assert.match(k('get', 'cronjob', 'hello').stdout, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\nhello\s+\*\/1 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+0s\n$/);
  // To half a minute after the second scheduled time, whatever second it is now.
  const created = Date.parse(k('get', 'cronjob', 'hello', '-o', 'jsonpath={.metadata.creationTimestamp}').stdout);
  const first = (Math.floor(created / 60000) + 1) * 60000;
  k('sim', 'advance', `${(first + 90000 - created) / 1000}s`);
  const jobs = rows(k, 'jobs');
  const scheduled = jobs.filter((r) => /^hello-\d{8}$/.test(r[0]));
  assert.equal(scheduled.length, 2);
  for (const r of scheduled) assert.deepEqual(r.slice(1, 3), ['Complete', '1/1']);
  const minutes = Number(scheduled[1][0].slice('hello-'.length));
  const now = Date.parse(k('get', 'cronjob', 'hello', '-o', 'jsonpath={.status.lastScheduleTime}').stdout);
  assert.equal(minutes * 60000, now);
  const log = k('logs', `job/${scheduled[1][0]}`).stdout;
  assert.match(log, /^\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\nHello from the Kubernetes cluster\n$/);
  // `date` prints the simulated clock a few seconds after the scheduled minute.
  const printed = Date.parse(log.split('\n')[0].replace(/^\w{3} (\w{3}) +(\d+) (\S+) UTC (\d{4})$/, '$1 $2 $4 $3 UTC'));
  assert.ok(printed >= now && printed < now + 10000, log);

  // CronJob limitations: over a hundred schedules missed (here while
  // suspended) is reported; 1.32's controller then starts the most recent one.
  const lastSchedule = () => Date.parse(k('get', 'cronjob', 'hello', '-o', 'jsonpath={.status.lastScheduleTime}').stdout);
  const tooMany = () => k('get', 'events', '--field-selector', 'reason=TooManyMissedTimes').stdout.split('\n').slice(1).filter(Boolean);
  k('patch', 'cronjob', 'hello', '-p', '{"spec":{"suspend":true}}');
  const clock = Date.parse(/ to (\S+)\n$/.exec(k('sim', 'advance', '2h').stdout)![1]);
  assert.match(k('get', 'cronjob', 'hello').stdout, /^hello\s+\*\/1 \* \* \* \*\s+<none>\s+True\s+0\s+120m\s+\d+m$/m);
  k('patch', 'cronjob', 'hello', '-p', '{"spec":{"suspend":false}}');
  const resumed = lastSchedule();
  assert.equal(resumed, Math.floor(clock / 60000) * 60000);
  assert.deepEqual(
    tooMany().map((l) => l.replace(/^\S+\s+/, '')),
    ['Warning   TooManyMissedTimes   cronjob/hello   too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew'],
  );
  assert.match(k('get', 'job', `hello-${resumed / 60000}`).stdout, new RegExp(`^hello-${resumed / 60000}\\s+Running\\s+0/1`, 'm'));
  // With startingDeadlineSeconds only the last 200 s count: no warning.
  k('patch', 'cronjob', 'hello', '-p', '{"spec":{"suspend":true,"startingDeadlineSeconds":200}}');
  k('sim', 'advance', '2h');
  k('patch', 'cronjob', 'hello', '-p', '{"spec":{"suspend":false}}');
  assert.equal(lastSchedule(), resumed + 2 * 3600000);
  // (The first warning has outlived the events' hour; no new one came.)
  assert.equal(tooMany().length, 0);
  assert.equal(k('delete', 'cronjob', 'hello').stdout, 'cronjob.batch "hello" deleted\n');

  // M18: a finished Job with ttlSecondsAfterFinished is deleted, pods and all.
  const ttl = file(
    home,
    'ttl.yaml',
    `apiVersion: batch/v1
kind: Job
metadata:
  name: pi-with-ttl
spec:
  ttlSecondsAfterFinished: 100
  template:
    spec:
      containers:
      - name: pi
        image: perl:5.34.0
        command: ["perl",  "-Mbignum=bpi", "-wle", "print bpi(2000)"]
      restartPolicy: Never
`,
  );
  assert.equal(k('apply', '-f', ttl).stdout, 'job.batch/pi-with-ttl created\n');
  k('sim', 'advance', '1m');
  assert.match(k('get', 'job', 'pi-with-ttl').stdout, /^pi-with-ttl\s+Complete\s+1\/1\s+\d+s\s+60s$/m);
  // bpi(2000): two thousand significant digits.
  assert.match(k('logs', 'job/pi-with-ttl').stdout, /^3\.14159265358979323846264338327950288419716939937510\d{1949}\n$/);
  k('sim', 'advance', '2m');
  assert.equal(k('get', 'job', 'pi-with-ttl').stderr, 'Error from server (NotFound): jobs.batch "pi-with-ttl" not found\n');
  assert.equal(k('get', 'pods', '-l', 'job-name=pi-with-ttl').stderr, 'No resources found in default namespace.\n');
});

// `kubectl proxy --port=N` in the background, as the page runs it before its curl.
function startProxy(home: string): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'proxy', '--port=0'], { cwd: ROOT, env: kubemuEnv(home) });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString('utf8');
      const m = /^Starting to serve on (127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) resolve({ child, base: `http://${m[1]}` });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`proxy exited with ${code}: ${out}`)));
  });
}

// The page's curl: DELETE with DeleteOptions in the body.
async function curlDelete(base: string, path: string, policy: string): Promise<{ status: number; body: string }> {
  const r = await fetch(`${base}${path}`, {
    method: 'DELETE',
    headers: { 'Content-Type': 'application/json', 'User-Agent': 'curl/8.5.0' },
    body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: policy }),
  });
  return { status: r.status, body: await r.text() };
}

test('Garbage collection through kubectl proxy and curl: Foreground, Background, Orphan (T80-T84, T91-T96)', async () => {
  const { k, home } = cluster();
  const URL = 'https://k8s.io/examples/controllers/replicaset.yaml';
  const RS = '/apis/apps/v1/namespaces/default/replicasets/my-repset';
  const { child, base } = await startProxy(home);
  try {
    // T94: Foreground: the owner stays, marked, until its pods are gone.
    k('apply', '-f', URL);
    k('sim', 'advance', '20s');
    const fg = await curlDelete(base, RS, 'Foreground');
    assert.equal(fg.status, 200);
    const obj = JSON.parse(fg.body) as { kind: string; metadata: { name: string; deletionTimestamp?: string; finalizers?: string[] } };
    assert.equal(obj.kind, 'ReplicaSet');
    assert.equal(obj.metadata.name, 'my-repset');
    assert.deepEqual(obj.metadata.finalizers, ['foregroundDeletion']);
    assert.match(obj.metadata.deletionTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Indented for curl, as the API server does for it.
    assert.match(fg.body, /^\{\n  "kind": "ReplicaSet",\n  "apiVersion": "apps\/v1",\n/);
    assert.match(k('get', 'rs', 'my-repset').stdout, /^my-repset\s+3\s+/m);
    assert.ok(rows(k, 'pods').every((r) => r[2] === 'Terminating'));
    k('sim', 'advance', '1m');
    assert.equal(k('get', 'rs').stderr, 'No resources found in default namespace.\n');
    assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');

    // T92: Background: the owner goes at once, the pods after it.
    k('apply', '-f', URL);
    k('sim', 'advance', '20s');
    assert.equal((await curlDelete(base, RS, 'Background')).status, 200);
    assert.equal(k('get', 'rs').stderr, 'No resources found in default namespace.\n');
    k('sim', 'advance', '1m');
    assert.equal(k('get', 'pods').stderr, 'No resources found in default namespace.\n');

    // T96 (and T84 for frontend): Orphan: the pods stay, without an owner.
    k('apply', '-f', URL);
    k('sim', 'advance', '20s');
    assert.equal((await curlDelete(base, RS, 'Orphan')).status, 200);
    orphansLeft(k, 3);
    assert.equal(k('get', 'rs').stderr, 'No resources found in default namespace.\n');

    // Gone already: the API server's NotFound Status.
    const missing = await curlDelete(base, RS, 'Orphan');
    assert.equal(missing.status, 404);
    assert.match(missing.body, /"message": "replicasets.apps \\"my-repset\\" not found",\n  "reason": "NotFound",/);
  } finally {
    child.kill();
  }
});
