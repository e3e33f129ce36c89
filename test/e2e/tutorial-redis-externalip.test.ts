import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { SCRIPT, cluster, kubemu, onTerminal, tempHome, tutorialShell } from '../helpers/kubemu';
import { get, serve, until } from '../helpers/serve';

// Two tutorials of seed 003, in order: "Configuring Redis using a ConfigMap"
// (the files fetched with curl, the kustomization written by heredocs,
// redis-cli on a terminal) and "Exposing an External IP Address to Access an
// Application in a Cluster" (five node-hello pods behind a LoadBalancer,
// reached through minikube's NodePort and, with `minikube tunnel`, its
// external IP). kustomize.test.ts covers apply/get/diff/delete -k in depth.

test('ConfigMap + Redis: curl the files, apply -k, redis-cli reads the mounted config', () => {
  const home = tempHome();
  const dir = tempHome('kubemu-redis-tutorial-');
  const k = (...args: string[]) => kubemu(args, { home, cwd: dir });

  assert.match(k('version').stdout, /^Client Version: v1\.32\.\d+\nKustomize Version: v5\.5\.0\nServer Version: v1\.32\.\d+\n$/);

  // The page's shell steps, the heredocs as the page means them.
  const shell = tutorialShell(
    [
      'curl -OL https://k8s.io/examples/pods/config/redis-config',
      'cat <<EOF >./kustomization.yaml',
      'configMapGenerator:',
      '- name: example-redis-config',
      '  files:',
      '  - redis-config',
      'EOF',
      'curl -OL https://raw.githubusercontent.com/kubernetes/website/master/content/en/examples/pods/config/redis-pod.yaml',
      'cat <<EOF >>./kustomization.yaml',
      'resources:',
      '- redis-pod.yaml',
      'EOF',
      '',
    ].join('\n'),
    { home, cwd: dir },
  );
  assert.equal(shell.status, 0, shell.stderr);
  assert.equal(shell.stdout, '');
  // curl's progress meter: k8s.io's redirect, then the file.
  assert.match(shell.stderr, /^ {2}% Total/);
  assert.equal(fs.readFileSync(path.join(dir, 'redis-config'), 'utf8'), 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n');
  // The page's version of redis-pod.yaml (the master branch): kubernetes/redis:v1 reading /redis-master.
  const pod = fs.readFileSync(path.join(dir, 'redis-pod.yaml'), 'utf8');
  assert.match(pod, /\n {4}image: kubernetes\/redis:v1\n/);
  assert.match(pod, /\n {4}- mountPath: \/redis-master\n {6}name: config\n/);
  assert.equal(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8'), 'configMapGenerator:\n- name: example-redis-config\n  files:\n  - redis-config\nresources:\n- redis-pod.yaml\n');

  // kubectl 1.32's kustomize (v5.5.0) names the ConfigMap -hfbhg9b679; the
  // seed's -dgh9dg555m is an older kustomize's hash of the same data.
  const applied = k('apply', '-k', './');
  assert.deepEqual([applied.stdout, applied.stderr, applied.status], ['configmap/example-redis-config-hfbhg9b679 created\npod/redis created\n', '', 0]);
  k('sim', 'advance', '52s');
  assert.equal(
    k('get', '-k', '.').stdout,
    'NAME                                        DATA   AGE\nconfigmap/example-redis-config-hfbhg9b679   1      52s\n\nNAME        READY   STATUS    RESTARTS   AGE\npod/redis   1/1     Running   0          52s\n',
  );
  // "the redis config file path is /redis-master/redis.conf"
  assert.equal(k('exec', 'redis', '--', 'cat', '/redis-master/redis.conf').stdout, 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n');

  // Without a terminal redis-cli prints bare values.
  const piped = kubemu(['exec', '-i', 'redis', '--', 'redis-cli'], { home, input: 'CONFIG GET maxmemory\nCONFIG GET maxmemory-policy\n' });
  assert.deepEqual([piped.stdout, piped.status], ['maxmemory\n2097152\nmaxmemory-policy\nallkeys-lru\n', 0]);

  assert.equal(k('delete', 'pod', 'redis').stdout, 'pod "redis" deleted\n');
  // The generated ConfigMap stays.
  assert.match(k('get', 'configmap').stdout, /\nexample-redis-config-hfbhg9b679 {3}1 {6}\S+\n/);
  assert.equal(k('get', 'pod', 'redis').stderr, 'Error from server (NotFound): pods "redis" not found\n');
});

test('ConfigMap + Redis: kubectl exec -it redis -- redis-cli on a terminal', { skip: SCRIPT ? false : 'script(1) is needed for a pseudo-terminal' }, () => {
  const { home, k } = cluster();
  const dir = tempHome('kubemu-redis-tutorial-');
  fs.writeFileSync(path.join(dir, 'redis-config'), 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n');
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'configMapGenerator:\n- name: example-redis-config\n  files:\n  - redis-config\nresources:\n- https://raw.githubusercontent.com/kubernetes/website/master/content/en/examples/pods/config/redis-pod.yaml\n');
  assert.equal(k('apply', '-k', dir).status, 0);
  k('sim', 'advance', '30s');
  const session = onTerminal(home, ['exec', '-it', 'redis', '--', 'redis-cli'], 'CONFIG GET maxmemory\nCONFIG GET maxmemory-policy\nquit\n');
  // After the terminal's echo of what was typed: the prompt, the quoted numbered replies, and `quit` ends it.
  assert.ok(
    session.endsWith('127.0.0.1:6379> 1) "maxmemory"\n2) "2097152"\n127.0.0.1:6379> 1) "maxmemory-policy"\n2) "allkeys-lru"\n127.0.0.1:6379> '),
    JSON.stringify(session),
  );
});

// Whether the host can listen on 127.0.0.1:port (minikube tunnel needs the service's own port).
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

test('External IP: five node-hello pods behind a LoadBalancer Service', async (t) => {
  const { home, k } = cluster();
  assert.equal(k('apply', '-f', 'https://k8s.io/examples/service/load-balancer-example.yaml').stdout, 'deployment.apps/hello-world created\n');
  k('sim', 'advance', '30s');
  assert.match(k('get', 'deployments', 'hello-world').stdout, /^NAME {10}READY   UP-TO-DATE   AVAILABLE   AGE\nhello-world   5\/5     5            5           30s\n$/);

  const deploy = k('describe', 'deployments', 'hello-world').stdout;
  assert.match(deploy, /^Name: {19}hello-world\nNamespace: {14}default\n/);
  assert.match(deploy, /\nLabels: {17}app\.kubernetes\.io\/name=load-balancer-example\nAnnotations: {12}deployment\.kubernetes\.io\/revision: 1\nSelector: {15}app\.kubernetes\.io\/name=load-balancer-example\nReplicas: {15}5 desired \| 5 updated \| 5 total \| 5 available \| 0 unavailable\nStrategyType: {11}RollingUpdate\n/);
  assert.match(deploy, /\nRollingUpdateStrategy: {2}25% max unavailable, 25% max surge\n/);
  assert.match(deploy, /\n {4}Image: {9}gcr\.io\/google-samples\/node-hello:1\.0\n {4}Port: {10}8080\/TCP\n/);
  const rs = /\nNewReplicaSet: {3}(hello-world-[a-z0-9]{6,10}) \(5\/5 replicas created\)\n/.exec(deploy)?.[1];
  assert.ok(rs, deploy);
  assert.match(deploy, new RegExp(`\\n {2}Normal {2}ScalingReplicaSet {2}30s {3}deployment-controller {2}Scaled up replica set ${rs} to 5\\n$`));

  assert.equal(k('get', 'replicasets').stdout, `NAME${' '.repeat(rs.length - 1)}DESIRED   CURRENT   READY   AGE\n${rs}   5         5         5       30s\n`);
  const rsDescribed = k('describe', 'replicasets').stdout;
  assert.match(rsDescribed, new RegExp(`^Name: {11}${rs}\\n`));
  assert.match(rsDescribed, /\nControlled By: {2}Deployment\/hello-world\nReplicas: {7}5 current \/ 5 desired\nPods Status: {4}5 Running \/ 0 Waiting \/ 0 Succeeded \/ 0 Failed\n/);
  assert.equal(rsDescribed.match(/Normal {2}SuccessfulCreate {2}30s {3}replicaset-controller {2}Created pod: hello-world-/g)?.length, 5);

  // No --port: the container's 8080; labels and selector from the Deployment.
  assert.equal(k('expose', 'deployment', 'hello-world', '--type=LoadBalancer', '--name=my-service').stdout, 'service/my-service exposed\n');
  // minikube has no cloud load balancer: the external IP stays pending.
  k('sim', 'advance', '54s');
  const svc = k('get', 'services', 'my-service').stdout;
  const m = /^NAME {9}TYPE {11}CLUSTER-IP {7}EXTERNAL-IP   PORT\(S\) {10}AGE\nmy-service   LoadBalancer   (10\.\d+\.\d+\.\d+) +<pending> {5}8080:(3\d{4})\/TCP   54s\n$/.exec(svc);
  assert.ok(m, svc);
  const [, clusterIP, nodePort] = m;

  const podIPs = k('get', 'pods', '-l', 'app.kubernetes.io/name=load-balancer-example', '-o', 'jsonpath={.items[*].status.podIP}').stdout.split(' ').sort();
  assert.equal(podIPs.length, 5);
  const described = k('describe', 'services', 'my-service').stdout;
  const endpoints = /\nEndpoints: {16}(\S+) \+ 2 more\.\.\.\n/.exec(described)?.[1].split(',') ?? [];
  assert.equal(endpoints.length, 3, described);
  for (const e of endpoints) assert.ok(podIPs.includes(e.replace(/:8080$/, '')), `${e} is a pod's`);
  assert.equal(
    described.replace(/\nEndpoints: .*\n/, '\nEndpoints: -\n'),
    [
      'Name:                     my-service',
      'Namespace:                default',
      'Labels:                   app.kubernetes.io/name=load-balancer-example',
      'Annotations:              <none>',
      'Selector:                 app.kubernetes.io/name=load-balancer-example',
      'Type:                     LoadBalancer',
      'IP Family Policy:         SingleStack',
      'IP Families:              IPv4',
      `IP:                       ${clusterIP}`,
      `IPs:                      ${clusterIP}`,
      'Port:                     <unset>  8080/TCP',
      'TargetPort:               8080/TCP',
      `NodePort:                 <unset>  ${nodePort}/TCP`,
      'Endpoints: -',
      'Session Affinity:         None',
      'External Traffic Policy:  Cluster',
      'Internal Traffic Policy:  Cluster',
      'Events:                   <none>',
      '',
    ].join('\n'),
  );

  const wide = k('get', 'pods', '--output=wide').stdout.trim().split('\n');
  assert.match(wide[0], /^NAME +READY   STATUS    RESTARTS   AGE   IP {11}NODE {7}NOMINATED NODE   READINESS GATES$/);
  assert.equal(wide.length, 6);
  for (const row of wide.slice(1)) assert.match(row, new RegExp(`^${rs}-[a-z0-9]{5}   1/1     Running   0          84s   10\\.244\\.0\\.\\d+ +minikube   <none>           <none>$`));
  assert.deepEqual(wide.slice(1).map((r) => r.split(/\s+/)[5]).sort(), podIPs);

  // curl http://<external-ip>:<port>, the minikube way: the node's NodePort...
  const ip = k('minikube', 'ip').stdout.trim();
  assert.equal(k('sim', 'curl', `http://${ip}:${nodePort}`).stdout, 'Hello Kubernetes!');

  // ...and the external IP that `minikube tunnel` gives while it runs.
  await t.test('minikube tunnel: EXTERNAL-IP 127.0.0.1, and the app answers there', { skip: (await portFree(8080)) ? false : 'port 8080 is in use on this host' }, async () => {
    const tunnel = await serve(home, ['minikube', 'tunnel']);
    try {
      let row = '';
      await until(() => /127\.0\.0\.1/.test((row = k('get', 'services', 'my-service').stdout)), 5000);
      assert.match(row, new RegExp(`\\nmy-service   LoadBalancer   ${clusterIP.replace(/\./g, '\\.')} +127\\.0\\.0\\.1 +8080:${nodePort}/TCP   54s\\n$`));
      assert.match(k('describe', 'services', 'my-service').stdout, /\nIPs: {22}\S+\nLoadBalancer Ingress:     127\.0\.0\.1 \(VIP\)\nPort:/);
      const answer = await get('http://127.0.0.1:8080/');
      assert.deepEqual([answer.status, answer.body], [200, 'Hello Kubernetes!']);
    } finally {
      assert.equal(await tunnel.stop('SIGINT'), 0);
    }
  });

  // Clean up: the Service alone, then the Deployment with its ReplicaSet and pods.
  assert.equal(k('delete', 'services', 'my-service').stdout, 'service "my-service" deleted\n');
  assert.equal(k('get', 'deployments', 'hello-world', '-o', 'name').stdout, 'deployment.apps/hello-world\n');
  assert.equal(k('delete', 'deployment', 'hello-world').stdout, 'deployment.apps "hello-world" deleted\n');
  k('sim', 'advance', '1m');
  for (const kind of ['replicasets', 'pods']) assert.deepEqual([k('get', kind).stdout, k('get', kind).stderr], ['', 'No resources found in default namespace.\n']);
});
