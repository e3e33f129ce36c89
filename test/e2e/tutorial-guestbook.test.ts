import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster, kubemu, tempHome, tutorialShell } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { get, serve } from '../helpers/serve';

// Seed 003's stateless guestbook pages, in order: "Deploying PHP Guestbook
// application with Redis" (the master, the slaves, the PHP frontend behind a
// NodePort, scaling it, label-selected cleanup) and "Add logging and metrics
// to the PHP / Redis Guestbook example" (a cluster-admin binding,
// kube-state-metrics and the Beats from the bundled clones, their Secret,
// scaling the frontend, cleanup). The pages' outputs are from older kubectl
// releases; kubectl 1.32's layout is asserted with the pages' values.

const GUESTBOOK = 'https://k8s.io/examples/application/guestbook';
const IP = '10\\.\\d+\\.\\d+\\.\\d+';

// The rows of a table after its header, split on column gaps.
function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(/\s{2,}/));
}

function names(r: Result): string[] {
  return rows(r.stdout).map((row) => row[0]);
}

test('PHP Guestbook with Redis: master, slaves, frontend, scaling, cleanup', async () => {
  const { home, k } = cluster();
  assert.equal(k('version').status, 0);

  // Redis master
  assert.equal(k('apply', '-f', `${GUESTBOOK}/redis-master-deployment.yaml`).stdout, 'deployment.apps/redis-master created\n');
  k('sim', 'advance', '28s');
  const master = k('get', 'pods').stdout;
  assert.match(master, /^NAME +READY   STATUS    RESTARTS   AGE\nredis-master-[a-z0-9]{9,10}-[a-z0-9]{5}   1\/1     Running   0          28s\n$/);
  const masterPod = names({ stdout: master, stderr: '', status: 0 })[0];
  // The page's `kubectl logs -f POD-NAME`, typed literally, then with the name.
  const literal = k('logs', '-f', 'POD-NAME');
  assert.deepEqual([literal.stdout, literal.stderr, literal.status], ['', 'error: error from server (NotFound): pods "POD-NAME" not found in namespace "default"\n', 1]);
  assert.match(k('logs', masterPod).stdout, /^1:C \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:M [^#*]+ \* Ready to accept connections/);
  assert.equal(k('logs', 'deployment/redis-master').stdout, k('logs', masterPod).stdout);

  assert.equal(k('apply', '-f', `${GUESTBOOK}/redis-master-service.yaml`).stdout, 'service/redis-master created\n');
  assert.match(
    k('get', 'service').stdout,
    new RegExp(`^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP   PORT\\(S\\)    AGE\\nkubernetes +ClusterIP   10\\.96\\.0\\.1 +<none>        443/TCP    88s\\nredis-master   ClusterIP   ${IP} +<none>        6379/TCP   0s\\n$`),
  );

  // Redis slaves: pulling at first, beside the running master.
  assert.equal(k('apply', '-f', `${GUESTBOOK}/redis-slave-deployment.yaml`).stdout, 'deployment.apps/redis-slave created\n');
  k('sim', 'advance', '6s');
  const pulling = rows(k('get', 'pods').stdout);
  assert.deepEqual(
    pulling.map((r) => r.slice(1)),
    [
      ['1/1', 'Running', '0', '34s'],
      ['0/1', 'ContainerCreating', '0', '6s'],
      ['0/1', 'ContainerCreating', '0', '6s'],
    ],
  );
  assert.match(pulling[1][0], /^redis-slave-[a-z0-9]{9,10}-[a-z0-9]{5}$/);
  assert.equal(k('get', 'pods', '-l', 'role=slave', '-o', 'jsonpath={.items[0].spec.containers[0].image}').stdout, 'gcr.io/google_samples/gb-redisslave:v3');

  assert.equal(k('apply', '-f', `${GUESTBOOK}/redis-slave-service.yaml`).stdout, 'service/redis-slave created\n');
  assert.deepEqual(
    rows(k('get', 'services').stdout).map((r) => [r[0], r[1], r[3], r[4]]),
    [
      ['kubernetes', 'ClusterIP', '<none>', '443/TCP'],
      ['redis-master', 'ClusterIP', '<none>', '6379/TCP'],
      ['redis-slave', 'ClusterIP', '<none>', '6379/TCP'],
    ],
  );

  // The frontend; the last -l is the selector kubectl uses.
  assert.equal(k('apply', '-f', `${GUESTBOOK}/frontend-deployment.yaml`).stdout, 'deployment.apps/frontend created\n');
  k('sim', 'advance', '54s');
  const frontend = k('get', 'pods', '-l', 'app=guestbook', '-l', 'tier=frontend');
  assert.match(frontend.stdout, /^NAME +READY   STATUS    RESTARTS   AGE\n(frontend-[a-z0-9]{9,10}-[a-z0-9]{5}   1\/1     Running   0          54s\n){3}$/);
  assert.deepEqual(names(k('get', 'pods', '-l', 'app=redis', '-l', 'tier=frontend')), names(frontend));
  const hash = /^frontend-([a-z0-9]+)-/.exec(names(frontend)[0])![1];
  // Apache in the PHP image, started on the pod's address.
  const frontIP = k('get', 'pod', names(frontend)[0], '-o', 'jsonpath={.status.podIP}').stdout;
  assert.match(
    k('logs', names(frontend)[0]).stdout,
    new RegExp(`^AH00558: apache2: Could not reliably determine the server's fully qualified domain name, using ${frontIP.replace(/\./g, '\\.')}\\. Set the 'ServerName' directive globally to suppress this message\n[\\s\\S]*\\[mpm_prefork:notice\\] \\[pid 1\\] AH00163: Apache/2\\.4\\.10 \\(Debian\\) PHP/5\\.6\\.40 configured -- resuming normal operations\n`),
  );

  // Started after the Redis Services: their variables are set (GET_HOSTS_FROM=env would use them).
  const masterIP = k('get', 'service', 'redis-master', '-o', 'jsonpath={.spec.clusterIP}').stdout;
  assert.equal(k('exec', names(frontend)[0], '--', 'printenv', 'GET_HOSTS_FROM', 'REDIS_MASTER_SERVICE_HOST', 'REDIS_SLAVE_SERVICE_PORT').stdout, `dns\n${masterIP}\n6379\n`);

  assert.equal(k('apply', '-f', `${GUESTBOOK}/frontend-service.yaml`).stdout, 'service/frontend created\n');
  const services = k('get', 'services').stdout;
  const nodePort = new RegExp(`^frontend +NodePort    ${IP} +<none>        80:(3\\d{4})/TCP   0s$`, 'm').exec(services)?.[1];
  assert.ok(nodePort, services);
  assert.deepEqual(names({ stdout: services, stderr: '', status: 0 }), ['frontend', 'kubernetes', 'redis-master', 'redis-slave']);

  // The guestbook through the node's NodePort (the page's browser; here curl):
  // the page, then the writes to the master read back from a slave.
  const node = `http://${k('minikube', 'ip').stdout.trim()}:${nodePort}`;
  assert.match(k('sim', 'curl', '-s', node).stdout, /<title>Guestbook<\/title>[\s\S]*<script src="controllers\.js"><\/script>/);
  assert.match(k('sim', 'curl', '-s', `${node}/controllers.js`).stdout, /guestbook\.php\?cmd=get&key=messages/);
  assert.equal(k('sim', 'curl', '-s', `${node}/guestbook.php?cmd=get&key=messages`).stdout, '{"data": ""}');
  assert.equal(k('sim', 'curl', '-s', `${node}/guestbook.php?cmd=set&key=messages&value=,Hello`).stdout, '{"message": "Updated"}');
  assert.equal(k('sim', 'curl', '-s', `${node}/guestbook.php?cmd=set&key=messages&value=,Hello,World`).stdout, '{"message": "Updated"}');
  assert.equal(k('sim', 'curl', '-s', `${node}/guestbook.php?cmd=get&key=messages`).stdout, '{"data": ",Hello,World"}');
  assert.equal(k('exec', masterPod, '--', 'redis-cli', 'GET', 'messages').stdout, ',Hello,World\n');
  const slave = pulling[1][0];
  assert.equal(k('exec', slave, '--', 'redis-cli', 'GET', 'messages').stdout, ',Hello,World\n');
  // A slave is a read-only Redis 3.2.
  assert.equal(k('exec', slave, '--', 'redis-cli', 'SET', 'messages', 'x').stdout, "READONLY You can't write against a read only slave.\n\n");

  // minikube service frontend --url: with the docker driver, a tunnel on 127.0.0.1.
  const url = await serve(home, ['minikube', 'service', 'frontend', '--url']);
  try {
    assert.match(url.first, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match((await get(url.first)).body, /<h2>Guestbook<\/h2>/);
    const read = await get(`${url.first}/guestbook.php?cmd=get&key=messages`);
    assert.deepEqual([read.status, read.body], [200, '{"data": ",Hello,World"}']);
  } finally {
    assert.equal(await url.stop('SIGINT'), 0);
  }

  // The page's LoadBalancer variant (type changed in the manifest): on minikube it stays pending.
  const lb = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'manifests', 'examples', 'application', 'guestbook', 'frontend-service.yaml'), 'utf8').replace('  type: NodePort\n', '').replace('  # type: LoadBalancer', '  type: LoadBalancer');
  assert.equal(kubemu(['apply', '-f', '-'], { home, input: lb }).stdout, 'service/frontend configured\n');
  assert.match(k('get', 'service', 'frontend').stdout, new RegExp(`^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP   PORT\\(S\\) +AGE\\nfrontend   LoadBalancer   ${IP} +<pending>     80:${nodePort}/TCP   0s\\n$`));

  // Scale up: two more pods from the same ReplicaSet, the others untouched.
  const before = names(frontend);
  assert.equal(k('scale', 'deployment', 'frontend', '--replicas=5').stdout, 'deployment.apps/frontend scaled\n');
  k('sim', 'advance', '5s');
  let pods = rows(k('get', 'pods').stdout);
  assert.equal(pods.length, 8);
  const fronts = pods.filter((r) => r[0].startsWith('frontend-'));
  assert.equal(fronts.length, 5);
  for (const r of fronts) assert.ok(r[0].startsWith(`frontend-${hash}-`), r[0]);
  const added = fronts.filter((r) => !before.includes(r[0]));
  assert.deepEqual(added.map((r) => r[4]), ['5s', '5s']);
  assert.deepEqual(pods.map((r) => r[0]), [...pods.map((r) => r[0])].sort());

  // Scale down: the new pods go first.
  assert.equal(k('scale', 'deployment', 'frontend', '--replicas=2').stdout, 'deployment.apps/frontend scaled\n');
  k('sim', 'advance', '40s');
  pods = rows(k('get', 'pods').stdout);
  const left = pods.filter((r) => r[0].startsWith('frontend-')).map((r) => r[0]);
  assert.equal(left.length, 2);
  for (const p of left) assert.ok(before.includes(p), `${p} is one of the first three`);
  assert.deepEqual(pods.map((r) => r[2]), ['Running', 'Running', 'Running', 'Running', 'Running']);

  // Clean up by label, one line per object.
  const cleanup = [
    k('delete', 'deployment', '-l', 'app=redis'),
    k('delete', 'service', '-l', 'app=redis'),
    k('delete', 'deployment', '-l', 'app=guestbook'),
    k('delete', 'service', '-l', 'app=guestbook'),
  ];
  assert.equal(
    cleanup.map((r) => r.stdout).join(''),
    'deployment.apps "redis-master" deleted\ndeployment.apps "redis-slave" deleted\nservice "redis-master" deleted\nservice "redis-slave" deleted\ndeployment.apps "frontend" deleted\nservice "frontend" deleted\n',
  );
  k('sim', 'advance', '1m');
  const none = k('get', 'pods');
  assert.deepEqual([none.stdout, none.stderr, none.status], ['', 'No resources found in default namespace.\n', 0]);
});

test('Guestbook + logging and metrics: kube-state-metrics, the Beats, scaling, cleanup', () => {
  const { home } = cluster();
  const dir = tempHome('kubemu-guestbook-');
  // The page's commands, as typed after `eval "$(kubemu sim shellenv)"` (git clone included).
  let cwd = dir;
  const sh = (script: string): Result => tutorialShell(script, { home, cwd });
  const k = (...args: string[]): Result => kubemu(args, { home, cwd });

  // The guestbook of the previous page, running.
  const files = ['redis-master-deployment', 'redis-master-service', 'redis-slave-deployment', 'redis-slave-service', 'frontend-deployment', 'frontend-service'];
  assert.equal(k('apply', ...files.flatMap((f) => ['-f', `${GUESTBOOK}/${f}.yaml`])).status, 0);
  k('sim', 'advance', '1m');
  assert.equal(k('version').status, 0);

  let r = sh('kubectl create clusterrolebinding cluster-admin-binding \\\n  --clusterrole=cluster-admin --user=guest@example.com');
  assert.deepEqual([r.stdout, r.status], ['clusterrolebinding.rbac.authorization.k8s.io/cluster-admin-binding created\n', 0]);
  assert.equal(
    k('get', 'clusterrolebinding', 'cluster-admin-binding', '-o', 'jsonpath={.roleRef.kind}/{.roleRef.name} {.subjects[0].kind}:{.subjects[0].name} {.subjects[0].apiGroup}').stdout,
    'ClusterRole/cluster-admin User:guest@example.com rbac.authorization.k8s.io',
  );

  // kube-state-metrics: not there, cloned, applied as a directory, running.
  r = sh('kubectl get pods --namespace=kube-system | grep kube-state');
  assert.deepEqual([r.stdout, r.status], ['', 1]);
  r = sh('git clone https://github.com/kubernetes/kube-state-metrics.git kube-state-metrics');
  assert.deepEqual([r.stderr, r.status], ["Cloning into 'kube-state-metrics'...\n", 0]);
  r = k('apply', '-f', 'kube-state-metrics/examples/standard');
  assert.equal(
    r.stdout,
    'clusterrolebinding.rbac.authorization.k8s.io/kube-state-metrics created\nclusterrole.rbac.authorization.k8s.io/kube-state-metrics created\ndeployment.apps/kube-state-metrics created\nserviceaccount/kube-state-metrics created\nservice/kube-state-metrics created\n',
  );
  k('sim', 'advance', '21s');
  r = sh('kubectl get pods --namespace=kube-system | grep kube-state-metrics');
  assert.match(r.stdout, /^kube-state-metrics-[a-z0-9]{9,10}-[a-z0-9]{5} +1\/1 +Running +0 +21s\n$/);
  assert.match(k('get', 'pods', '-n', 'kube-system', '-l', 'app.kubernetes.io/name=kube-state-metrics').stdout, /^NAME +READY   STATUS    RESTARTS   AGE\nkube-state-metrics-\S+   1\/1     Running   0          21s\n$/);

  // The Elastic examples and the Secret (self-managed Elasticsearch).
  r = sh('git clone https://github.com/elastic/examples.git');
  assert.deepEqual([r.stderr, r.status], ["Cloning into 'examples'...\n", 0]);
  cwd = path.join(dir, 'examples', 'beats-k8s-send-anywhere');
  fs.writeFileSync(path.join(cwd, 'ELASTICSEARCH_HOSTS'), '["http://host1.example.com:9200", "http://host2.example.com:9200"]\n');
  fs.writeFileSync(path.join(cwd, 'ELASTICSEARCH_PASSWORD'), 'yoursecretpassword\n');
  r = sh(
    'kubectl create secret generic dynamic-logging \\\n  --from-file=./ELASTICSEARCH_HOSTS \\\n  --from-file=./ELASTICSEARCH_PASSWORD \\\n  --from-file=./ELASTICSEARCH_USERNAME \\\n  --from-file=./KIBANA_HOST \\\n  --namespace=kube-system',
  );
  assert.deepEqual([r.stdout, r.status], ['secret/dynamic-logging created\n', 0]);
  assert.equal(
    k('get', 'secret', 'dynamic-logging', '-n', 'kube-system', '-o', 'go-template={{.type}}{{range $k, $v := .data}} {{$k}}={{$v | base64decode}}{{end}}').stdout,
    'Opaque ELASTICSEARCH_HOSTS=["http://host1.example.com:9200", "http://host2.example.com:9200"]\n ELASTICSEARCH_PASSWORD=yoursecretpassword\n ELASTICSEARCH_USERNAME=elastic\n KIBANA_HOST="kibana-kibana.default.svc.cluster.local:5601"\n',
  );
  // Only one of the two tabs: the Elastic Cloud variant finds the name taken.
  r = k('create', 'secret', 'generic', 'dynamic-logging', '--from-file=./ELASTIC_CLOUD_ID', '--from-file=./ELASTIC_CLOUD_AUTH', '--namespace=kube-system');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', 'error: failed to create secret secrets "dynamic-logging" already exists\n', 1]);

  // The Beats: a pod per node for each DaemonSet, plus Metricbeat's cluster-wide Deployment.
  const created = ['filebeat', 'metricbeat', 'packetbeat'].map((b) => k('create', '-f', `${b}-kubernetes.yaml`));
  assert.deepEqual(
    created.map((c) => c.stdout.split('\n').filter((l) => /^(daemonset|deployment)/.test(l))),
    [['daemonset.apps/filebeat-dynamic created'], ['daemonset.apps/metricbeat created', 'deployment.apps/metricbeat created'], ['daemonset.apps/packetbeat-dynamic created']],
  );
  assert.equal(k('create', '-f', 'filebeat-kubernetes.yaml').status, 1);
  k('sim', 'advance', '30s');
  for (const [label, pattern] of [
    ['filebeat-dynamic', /^NAME +READY   STATUS    RESTARTS   AGE\nfilebeat-dynamic-[a-z0-9]{5}   1\/1     Running   0          30s\n$/],
    ['metricbeat', /^NAME +READY   STATUS    RESTARTS   AGE\nmetricbeat-[a-z0-9]{9,10}-[a-z0-9]{5}   1\/1     Running   0          30s\nmetricbeat-[a-z0-9]{5} +1\/1     Running   0          30s\n$/],
    ['packetbeat-dynamic', /^NAME +READY   STATUS    RESTARTS   AGE\npacketbeat-dynamic-[a-z0-9]{5}   1\/1     Running   0          30s\n$/],
  ] as const) {
    assert.match(k('get', 'pods', '-n', 'kube-system', '-l', `k8s-app=${label}`).stdout, pattern, label);
  }
  // They read the Secret: the file's bytes, its newline included.
  const filebeat = k('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=filebeat-dynamic', '-o', 'name').stdout.trim();
  assert.equal(k('exec', '-n', 'kube-system', filebeat, '--', 'printenv', 'ELASTICSEARCH_USERNAME').stdout, 'elastic\n\n');

  // Scale the frontend and watch it come back.
  assert.match(k('get', 'deployments').stdout, /^NAME +READY   UP-TO-DATE   AVAILABLE   AGE\nfrontend +3\/3     3            3           \S+\nredis-master +1\/1     1            1           \S+\nredis-slave +2\/2     2            2           \S+\n$/);
  assert.equal(k('scale', '--replicas=2', 'deployment/frontend').stdout, 'deployment.apps/frontend scaled\n');
  assert.equal(k('scale', '--replicas=3', 'deployment/frontend').stdout, 'deployment.apps/frontend scaled\n');
  k('sim', 'advance', '30s');
  const events = k('get', 'events', '--field-selector', 'involvedObject.name=frontend', '-o', 'jsonpath={range .items[*]}{.reason}: {.message}{"\\n"}{end}').stdout;
  assert.match(events, /ScalingReplicaSet: Scaled down replica set frontend-\S+ to 2 from 3\nScalingReplicaSet: Scaled up replica set frontend-\S+ to 3 from 2\n$/);
  assert.match(k('get', 'deployments', 'frontend').stdout, /\nfrontend   3\/3     3            3           \S+\n$/);

  // Clean up.
  const out = (args: string[]) => k(...args).stdout;
  assert.equal(out(['delete', 'deployment', '-l', 'app=redis']), 'deployment.apps "redis-master" deleted\ndeployment.apps "redis-slave" deleted\n');
  assert.equal(out(['delete', 'service', '-l', 'app=redis']), 'service "redis-master" deleted\nservice "redis-slave" deleted\n');
  assert.equal(out(['delete', 'deployment', '-l', 'app=guestbook']), 'deployment.apps "frontend" deleted\n');
  assert.equal(out(['delete', 'service', '-l', 'app=guestbook']), 'service "frontend" deleted\n');
  assert.equal(
    out(['delete', '-f', 'filebeat-kubernetes.yaml']),
    'configmap "filebeat-dynamic-config" deleted\ndaemonset.apps "filebeat-dynamic" deleted\nclusterrolebinding.rbac.authorization.k8s.io "filebeat-dynamic" deleted\nclusterrole.rbac.authorization.k8s.io "filebeat-dynamic" deleted\nserviceaccount "filebeat-dynamic" deleted\n',
  );
  assert.match(out(['delete', '-f', 'metricbeat-kubernetes.yaml']), /^configmap "metricbeat-daemonset-config" deleted\n[\s\S]*\ndeployment\.apps "metricbeat" deleted\n[\s\S]*serviceaccount "metricbeat" deleted\n$/);
  assert.match(out(['delete', '-f', 'packetbeat-kubernetes.yaml']), /\ndaemonset\.apps "packetbeat-dynamic" deleted\n/);
  // Deleted twice: every object is reported missing, and the exit code says so.
  r = k('delete', '-f', 'packetbeat-kubernetes.yaml');
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^Error from server \(NotFound\): error when deleting "packetbeat-kubernetes\.yaml": configmaps "packetbeat-dynamic-config" not found\n/);
  assert.equal(out(['delete', 'secret', 'dynamic-logging', '-n', 'kube-system']), 'secret "dynamic-logging" deleted\n');
  k('sim', 'advance', '1m');
  r = k('get', 'pods');
  assert.deepEqual([r.stdout, r.stderr], ['', 'No resources found in default namespace.\n']);
  assert.equal(sh('kubectl get pods -n kube-system | grep beat').stdout, '');
});
