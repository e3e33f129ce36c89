import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster } from '../helpers/kubemu';
import { freePort, get, serve, until, wait } from '../helpers/serve';
import versions from '../../src/cluster/versions.json';

// The host-facing listeners: kubectl port-forward, kubectl proxy, minikube
// service --url and minikube tunnel run as real child processes; the test
// waits for their first line, talks HTTP to 127.0.0.1, then stops them.

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

function helloNode(replicas = 1) {
  const c = cluster();
  c.k('create', 'deployment', 'hello-node', `--image=${AGNHOST}`, `--replicas=${replicas}`, '--', '/agnhost', 'netexec', '--http-port=8080');
  c.k('sim', 'advance', '30s');
  return c;
}

function lbService(name: string, port: number, targetPort: number): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: LoadBalancer\n  selector:\n    app: ${name}\n  ports:\n  - port: ${port}\n    targetPort: ${targetPort}\n`;
}

test('kubectl port-forward: forwards to the pod, one line per connection, SIGINT ends it', async () => {
  const { home, k } = helloNode();
  const pod = k('get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  const fwd = await serve(home, ['port-forward', 'deploy/hello-node', ':8080']);
  const m = /^Forwarding from 127\.0\.0\.1:(\d+) -> 8080$/.exec(fwd.first);
  assert.ok(m, fwd.first);
  const port = m[1];
  assert.match((await get(`http://127.0.0.1:${port}/`)).body, /^NOW: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000 UTC$/);
  const hostname = await get(`http://127.0.0.1:${port}/hostname`);
  assert.equal(hostname.status, 200);
  assert.equal(hostname.body, pod);
  assert.equal((await get(`http://127.0.0.1:${port}/echo?msg=hello`)).body, 'hello');
  assert.equal(await fwd.stop('SIGINT'), 0);
  const lines = fwd.stdout().split('\n');
  // The ::1 listener is there when the host has IPv6.
  assert.ok(lines[1] === `Forwarding from [::1]:${port} -> 8080` || lines[1] === `Handling connection for ${port}`, fwd.stdout());
  assert.equal(lines.filter((l) => l === `Handling connection for ${port}`).length, 3);
  assert.equal(fwd.stderr(), '');
});

test('kubectl port-forward: a service port maps to the container port; its errors are kubectl\'s', async () => {
  const { home, k, kin } = helloNode();
  const port = await freePort();
  kin(lbService('hello-node', 9090, 8080), 'apply', '-f', '-');
  const fwd = await serve(home, ['port-forward', 'svc/hello-node', `${port}:9090`]);
  assert.equal(fwd.first, `Forwarding from 127.0.0.1:${port} -> 8080`);
  assert.equal((await get(`http://127.0.0.1:${port}/hostname`)).status, 200);
  // The ::1 listener (when the host has IPv6) comes up just after the first.
  await until(() => fwd.stdout().includes('[::1]'), 2000);

  // The same local port again.
  let r = k('port-forward', 'deploy/hello-node', `${port}:8080`);
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`^Unable to listen on port ${port}: Listeners failed to create with the following errors: \\[unable to create listener: Error listen tcp4 127\\.0\\.0\\.1:${port}: bind: address already in use`));
  assert.match(r.stderr, new RegExp(`\\nerror: unable to listen on any of the requested ports: \\[\\{${port} 8080\\}\\]\\n$`));
  assert.equal(await fwd.stop(), 0);

  r = k('port-forward', 'pod/nope', '8080');
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  assert.equal(r.status, 1);
  r = k('port-forward', 'svc/hello-node', '8080:http');
  assert.equal(r.stderr, "error: Service 'hello-node' does not have a named port 'http'\n");
  r = k('port-forward', 'deploy/hello-node');
  assert.equal(r.stderr, "error: TYPE/NAME and list of ports are required for port-forward\nSee 'kubectl port-forward -h' for help and examples\n");
  r = k('port-forward', 'deploy/hello-node', 'abc');
  assert.equal(r.stderr, `error: Pod '${k('get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}').stdout}' does not have a named port 'abc'\n`);
  r = k('port-forward', 'deploy/hello-node', 'abc:8080');
  assert.equal(r.stderr, 'error: error parsing local port \'abc\': strconv.ParseUint: parsing "abc": invalid syntax\n');

  k('run', 'pending', '--image=nginx');
  r = k('port-forward', 'pod/pending', '8080:80');
  assert.equal(r.stderr, 'error: unable to forward port because pod is not running. Current status=Pending\n');
  assert.equal(r.status, 1);
});

test('kubectl port-forward: a refused connection ends it with "lost connection to pod"', async () => {
  const { home } = helloNode();
  const fwd = await serve(home, ['port-forward', 'deploy/hello-node', ':9999']);
  const port = /127\.0\.0\.1:(\d+)/.exec(fwd.first)![1];
  await assert.rejects(get(`http://127.0.0.1:${port}/`));
  assert.equal(await fwd.exited, 1);
  assert.match(fwd.stderr(), /^E\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ portforward\.go:424\] "Unhandled Error" err="an error occurred forwarding \d+ -> 9999: error forwarding port 9999 to pod [0-9a-f]{64}, uid : exit status 1: .*Connection refused"\nerror: lost connection to pod\n$/);
  // socat's stamp and klog's are both the cluster's simulated now.
  const klog = /^E(\d\d)(\d\d) (\d\d:\d\d:\d\d)/.exec(fwd.stderr())!;
  assert.match(fwd.stderr(), new RegExp(`exit status 1: \\d{4}/${klog[1]}/${klog[2]} ${klog[3]} socat`));
});

test('kubectl proxy: the API read side, Status errors, and the pods and services proxy (Kubernetes Basics module 2)', async () => {
  const { home, k, kin } = cluster();
  k('create', 'deployment', 'kubernetes-bootcamp', '--image=gcr.io/google-samples/kubernetes-bootcamp:v1', '--replicas=2');
  // What `kubectl expose deployment/kubernetes-bootcamp --type=NodePort --port 8080` creates: one unnamed port.
  kin(lbService('kubernetes-bootcamp', 8080, 8080).replace('LoadBalancer', 'NodePort'), 'apply', '-f', '-');
  k('sim', 'advance', '30s');
  const pods = k('get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}').stdout.split(' ').filter(Boolean);
  const proxy = await serve(home, ['proxy', '--port=0']);
  const m = /^Starting to serve on 127\.0\.0\.1:(\d+)$/.exec(proxy.first);
  assert.ok(m, proxy.first);
  const base = `http://127.0.0.1:${m[1]}`;
  const curl = { 'User-Agent': 'curl/8.5.0' };

  const version = await get(`${base}/version`, curl);
  assert.equal(version.body, JSON.stringify(versions.serverVersion, null, 2));
  assert.equal(version.headers['content-type'], 'application/json');

  // curl http://localhost:8001/api/v1/namespaces/default/pods/$POD_NAME:8080/proxy/
  for (const pod of pods) {
    const r = await get(`${base}/api/v1/namespaces/default/pods/${pod}:8080/proxy/`, curl);
    assert.equal(r.body, `Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n`);
  }
  // A service spreads requests over its endpoints.
  const seen = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const r = await get(`${base}/api/v1/namespaces/default/services/kubernetes-bootcamp:8080/proxy/`, curl);
    seen.add(/Running on: (\S+)/.exec(r.body)![1]);
  }
  assert.deepEqual([...seen].sort(), [...pods].sort());
  assert.match((await get(`${base}/api/v1/namespaces/default/services/http:kubernetes-bootcamp:/proxy/`, curl)).body, /^Hello Kubernetes bootcamp!/);

  // Lists: compact JSON and a newline for programs, items without kind.
  const list = await get(`${base}/api/v1/namespaces/default/pods`);
  assert.ok(list.body.endsWith('}\n') && !list.body.includes('\n  '));
  const doc = JSON.parse(list.body) as { kind: string; apiVersion: string; metadata: { resourceVersion: string }; items: { kind?: string; metadata: { name: string } }[] };
  assert.equal(doc.kind, 'PodList');
  assert.equal(doc.apiVersion, 'v1');
  assert.match(doc.metadata.resourceVersion, /^\d+$/);
  assert.deepEqual(doc.items.map((i) => i.metadata.name).sort(), [...pods].sort());
  assert.equal(doc.items[0].kind, undefined);
  assert.ok(list.body.startsWith('{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":'));
  const selected = JSON.parse((await get(`${base}/api/v1/pods?labelSelector=app%3Dkubernetes-bootcamp&fieldSelector=metadata.namespace%3Ddefault`)).body) as typeof doc;
  assert.equal(selected.items.length, 2);
  assert.equal(JSON.parse((await get(`${base}/api/v1/pods?labelSelector=app%3Dnone`)).body).items.length, 0);
  const one = JSON.parse((await get(`${base}/api/v1/namespaces/default/pods/${pods[0]}`)).body) as { kind: string; metadata: { name: string } };
  assert.equal(one.kind, 'Pod');
  assert.equal(one.metadata.name, pods[0]);
  const deploy = JSON.parse((await get(`${base}/apis/apps/v1/namespaces/default/deployments/kubernetes-bootcamp`)).body) as { kind: string; apiVersion: string };
  assert.deepEqual([deploy.kind, deploy.apiVersion], ['Deployment', 'apps/v1']);

  // Errors are Status objects.
  const missing = await get(`${base}/api/v1/namespaces/default/pods/nope`, curl);
  assert.equal(missing.status, 404);
  assert.equal(
    missing.body,
    '{\n  "kind": "Status",\n  "apiVersion": "v1",\n  "metadata": {},\n  "status": "Failure",\n  "message": "pods \\"nope\\" not found",\n  "reason": "NotFound",\n  "details": {\n    "name": "nope",\n    "kind": "pods"\n  },\n  "code": 404\n}',
  );
  const nowhere = await get(`${base}/nowhere`);
  assert.equal(nowhere.status, 404);
  assert.equal(nowhere.body, '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"the server could not find the requested resource","reason":"NotFound","details":{},"code":404}\n');
  const refused = await get(`${base}/api/v1/namespaces/default/pods/${pods[0]}:9999/proxy/`);
  assert.equal(refused.status, 500);
  assert.match(JSON.parse(refused.body).message, /^error trying to reach service: dial tcp 10\.244\.\d+\.\d+:9999: connect: connection refused$/);
  k('create', 'service', 'clusterip', 'empty', '--tcp=80:80');
  const noEndpoints = await get(`${base}/api/v1/namespaces/default/services/empty:80/proxy/`);
  assert.equal(noEndpoints.status, 503);
  assert.equal(JSON.parse(noEndpoints.body).message, 'no endpoints available for service "empty:80"');

  // Discovery.
  const core = JSON.parse((await get(`${base}/api/v1`)).body) as { kind: string; groupVersion: string; resources: { name: string; shortNames?: string[]; namespaced: boolean; kind: string }[] };
  assert.equal(core.kind, 'APIResourceList');
  assert.deepEqual(core.resources.find((r) => r.name === 'pods'), {
    name: 'pods',
    singularName: 'pod',
    namespaced: true,
    kind: 'Pod',
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    shortNames: ['po'],
    categories: ['all'],
  });
  assert.ok(core.resources.some((r) => r.name === 'pods/proxy'));
  const groups = JSON.parse((await get(`${base}/apis`)).body) as { groups: { name: string }[] };
  assert.ok(groups.groups.some((g) => g.name === 'apps'));
  assert.deepEqual(JSON.parse((await get(`${base}/api`)).body).versions, ['v1']);

  // Only local hosts, as kubectl's filter allows.
  const forbidden = await get(`${base}/api`, { Host: 'example.com' });
  assert.deepEqual([forbidden.status, forbidden.body], [403, 'Forbidden\n']);
  proxy.child.kill('SIGINT');
});

test('minikube service --url: a tunnel on 127.0.0.1 spreading requests over the ready pods', async () => {
  const { home, k, kin } = helloNode(2);
  assert.equal(k('minikube', 'start').status, 0);
  kin(lbService('hello-node', 8080, 8080), 'apply', '-f', '-');
  const svc = await serve(home, ['minikube', 'service', 'hello-node', '--url']);
  assert.match(svc.first, /^http:\/\/127\.0\.0\.1:\d+$/);
  const names = new Set<string>();
  for (let i = 0; i < 4; i++) names.add((await get(`${svc.first}/hostname`)).body);
  assert.deepEqual([...names].sort(), k('get', 'pods', '-o', 'jsonpath={.items[*].metadata.name}').stdout.split(' ').sort());
  assert.match((await get(svc.first)).body, /^NOW: /);
  await wait(100);
  assert.equal(svc.stderr(), `! Because you are using a Docker driver on ${process.platform === 'win32' ? 'windows' : process.platform}, the terminal needs to be open to run it.\n`);
  assert.equal(await svc.stop('SIGINT'), 0);
  assert.equal(svc.stdout(), `${svc.first}\n`);
});

test('minikube tunnel: LoadBalancer services get 127.0.0.1 while it runs', async () => {
  const { home, k, kin } = helloNode();
  k('minikube', 'start');
  const port = await freePort();
  kin(lbService('hello-node', port, 8080), 'apply', '-f', '-');
  assert.match(k('get', 'svc', 'hello-node').stdout, /hello-node\s+LoadBalancer\s+\S+\s+<pending>\s+/);
  const tunnel = await serve(home, ['minikube', 'tunnel']);
  assert.equal(tunnel.first, '* Tunnel successfully started');
  await wait(500);
  assert.match(k('get', 'svc', 'hello-node').stdout, new RegExp(`hello-node\\s+LoadBalancer\\s+\\S+\\s+127\\.0\\.0\\.1\\s+${port}:\\d+/TCP`));
  assert.equal((await get(`http://127.0.0.1:${port}/hostname`)).status, 200);
  const again = k('minikube', 'tunnel');
  assert.equal(again.status, 111);
  assert.match(again.stderr, /Exiting due to TUNNEL_ALREADY_RUNNING: Another tunnel process is already running, terminate the existing instance to start a new one/);
  assert.equal(await tunnel.stop('SIGINT'), 0);
  assert.equal(
    tunnel.stdout(),
    '* Tunnel successfully started\n\n* NOTE: Please do not close this terminal as this process must stay alive for the tunnel to be accessible ...\n\n* Starting tunnel for service hello-node.\n* Stopping tunnel for service hello-node.\n',
  );
  assert.match(k('get', 'svc', 'hello-node').stdout, /hello-node\s+LoadBalancer\s+\S+\s+<pending>\s+/);
});

test('minikube dashboard --url: enables the addon, waits for it, serves it through a kubectl proxy', async () => {
  const { home, k } = cluster();
  k('minikube', 'start');
  const dashboard = await serve(home, ['minikube', 'dashboard', '--url'], /^http/);
  assert.match(dashboard.first, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/kubernetes-dashboard\/services\/http:kubernetes-dashboard:\/proxy\/$/);
  assert.equal((await get(dashboard.first)).status, 200);
  assert.equal(dashboard.stderr(), '* Enabling dashboard ...\n* Verifying dashboard health ...\n* Launching proxy ...\n* Verifying proxy health ...\n');
  assert.match(dashboard.stdout(), /^ {2}- Using image docker\.io\/kubernetesui\/dashboard:v2\.7\.0\n {2}- Using image docker\.io\/kubernetesui\/metrics-scraper:v1\.0\.8\n\* Some dashboard features require the metrics-server addon/);
  // Like kubectl proxy, it serves until a signal ends it.
  dashboard.child.kill('SIGINT');
  await dashboard.exited;
  assert.match(k('get', 'pods', '-n', 'kubernetes-dashboard').stdout, /kubernetes-dashboard-\S+\s+1\/1\s+Running/);
});

test('minikube service (no --url): the NodePort table, the tunnel table, and the URL to open', async () => {
  const { home, k, kin } = helloNode();
  k('minikube', 'start');
  kin(lbService('hello-node', 8080, 8080), 'apply', '-f', '-');
  const nodePort = k('get', 'svc', 'hello-node', '-o', 'jsonpath={.spec.ports[0].nodePort}').stdout;
  const svc = await serve(home, ['minikube', 'service', 'hello-node'], /^http:\/\/127/);
  const port = /:(\d+)$/.exec(svc.first)![1];
  assert.equal((await get(`${svc.first}/hostname`)).status, 200);
  assert.equal(await svc.stop('SIGINT'), 0);
  const url = `http://127.0.0.1:${port}`;
  assert.equal(
    svc.stdout(),
    [
      '|-----------|------------|-------------|---------------------------|',
      '| NAMESPACE |    NAME    | TARGET PORT |            URL            |',
      '|-----------|------------|-------------|---------------------------|',
      `| default   | hello-node |        8080 | http://192.168.49.2:${nodePort} |`,
      '|-----------|------------|-------------|---------------------------|',
      '* Starting tunnel for service hello-node.',
      `|-----------|------------|-------------|${'-'.repeat(url.length + 2)}|`,
      `| NAMESPACE |    NAME    | TARGET PORT |${' '.repeat(Math.floor((url.length - 1) / 2))}URL${' '.repeat(Math.ceil((url.length - 1) / 2))}|`,
      `|-----------|------------|-------------|${'-'.repeat(url.length + 2)}|`,
      `| default   | hello-node |             | ${url} |`,
      `|-----------|------------|-------------|${'-'.repeat(url.length + 2)}|`,
      '* Opening service default/hello-node in default browser...',
      url,
      '',
    ].join('\n'),
  );
});

test('minikube tunnel: a killed tunnel\'s lock (its pid dead) does not keep a new one from starting', async () => {
  const { home, k } = cluster();
  k('minikube', 'start');
  const lock = path.join(home, 'minikube', 'profiles', 'minikube', '.tunnel_lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  // The pid of a process that has ended.
  fs.writeFileSync(lock, `${spawnSync('true').pid} 1\n`);
  const tunnel = await serve(home, ['minikube', 'tunnel']);
  assert.equal(tunnel.first, '* Tunnel successfully started');
  const again = k('minikube', 'tunnel');
  assert.equal(again.status, 111, again.stderr);
  assert.equal(await tunnel.stop('SIGINT'), 0);
  assert.ok(!fs.existsSync(lock));
});

const GUESTBOOK = 'https://k8s.io/examples/application/guestbook';

test('guestbook: a set through port-forward and through minikube service is kept; a get rewrites nothing', async () => {
  const { home, k } = cluster();
  for (const f of ['redis-master-deployment', 'redis-master-service', 'redis-slave-deployment', 'redis-slave-service', 'frontend-deployment', 'frontend-service']) {
    assert.equal(k('apply', '-f', `${GUESTBOOK}/${f}.yaml`).status, 0);
  }
  k('sim', 'advance', '2m');
  const master = k('get', 'pods', '-l', 'app=redis,role=master', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  const fwd = await serve(home, ['port-forward', 'svc/frontend', ':80']);
  const port = /^Forwarding from 127\.0\.0\.1:(\d+) -> 80$/.exec(fwd.first)?.[1];
  assert.ok(port, fwd.first);
  const url = `http://127.0.0.1:${port}/guestbook.php`;
  assert.equal((await get(`${url}?cmd=set&key=messages&value=,Hello`)).body, '{"message": "Updated"}');
  assert.equal((await get(`${url}?cmd=get&key=messages`)).body, '{"data": ",Hello"}');
  const stateFile = path.join(home, 'state.json');
  const before = fs.statSync(stateFile).mtimeMs;
  const text = fs.readFileSync(stateFile, 'utf8');
  // The page itself changes nothing (a get goes through the redis-slave
  // Service, whose round-robin turn is state).
  assert.equal((await get(`http://127.0.0.1:${port}/`)).status, 200);
  assert.equal(fs.statSync(stateFile).mtimeMs, before);
  assert.equal(fs.readFileSync(stateFile, 'utf8'), text);
  assert.equal(await fwd.stop('SIGINT'), 0);
  assert.equal(k('exec', master, '--', 'redis-cli', 'GET', 'messages').stdout, ',Hello\n');

  assert.equal(k('minikube', 'start').status, 0);
  const svc = await serve(home, ['minikube', 'service', 'frontend', '--url']);
  assert.equal((await get(`${svc.first}/guestbook.php?cmd=set&key=messages&value=,Hello,World`)).body, '{"message": "Updated"}');
  assert.equal(await svc.stop('SIGINT'), 0);
  assert.equal(k('exec', master, '--', 'redis-cli', 'GET', 'messages').stdout, ',Hello,World\n');
});
