import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster, kubemu, tempHome } from '../helpers/kubemu';
import { oracleSkip, runOracle } from '../helpers/oracle';

// The core, as a new user meets it: the default cluster, apply, get, delete.

const NGINX_URL = 'https://k8s.io/examples/controllers/nginx-deployment.yaml';

test('a fresh home has a minikube-shaped cluster', () => {
  const { k } = cluster();
  const nodes = k('get', 'nodes');
  assert.equal(nodes.status, 0, nodes.stderr);
  assert.match(nodes.stdout, /^NAME       STATUS   ROLES           AGE   VERSION\nminikube   Ready    control-plane   \d+s   v1\.32\.0\n$/);

  const ns = k('get', 'ns');
  assert.deepEqual(
    ns.stdout.split('\n').slice(1, -1).map((l) => l.split(/\s+/).slice(0, 2).join(' ')),
    ['default Active', 'kube-node-lease Active', 'kube-public Active', 'kube-system Active'],
  );

  const pods = k('get', 'pods', '-A');
  const rows = pods.stdout.trim().split('\n');
  assert.match(rows[0], /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  const names = rows.slice(1).map((r) => r.split(/\s+/)[1]);
  const patterns = [
    /^coredns-[bcdfghjklmnpqrstvwxz2456789]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    /^etcd-minikube$/,
    /^kube-apiserver-minikube$/,
    /^kube-controller-manager-minikube$/,
    /^kube-proxy-[bcdfghjklmnpqrstvwxz2456789]{5}$/,
    /^kube-scheduler-minikube$/,
    /^storage-provisioner$/,
  ];
  assert.equal(names.length, patterns.length, pods.stdout);
  names.forEach((n, i) => assert.match(n, patterns[i]));
  for (const r of rows.slice(1)) assert.match(r, /^kube-system\s+\S+\s+1\/1\s+Running\s+0\s+\d+s$/);

  const svc = k('get', 'svc', '-A');
  assert.match(svc.stdout, /default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
  assert.match(svc.stdout, /kube-system\s+kube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
  assert.match(k('get', 'sc').stdout, /^standard \(default\)\s+k8s\.io\/minikube-hostpath\s+Delete\s+Immediate\s+false/m);
  assert.match(k('get', 'sa', '-A').stdout, /kube-public\s+default\s+0/);
});

test('apply from a tutorial URL: created, unchanged, configured', () => {
  const { k, home } = cluster();
  let r = k('apply', '-f', NGINX_URL);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment created\n');
  r = k('apply', '-f', NGINX_URL);
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment unchanged\n');
  const local = path.join(home, 'nginx.yaml');
  const text = k('get', 'deployment', 'nginx-deployment', '-o', 'yaml').stdout;
  assert.match(text, /kubectl\.kubernetes\.io\/last-applied-configuration: \|\n {6}\{"apiVersion":"apps\/v1","kind":"Deployment","metadata":\{"annotations":\{\},"labels":\{"app":"nginx"\},"name":"nginx-deployment","namespace":"default"\}/);
  fs.writeFileSync(
    local,
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx-deployment\n  labels:\n    app: nginx\nspec:\n  replicas: 5\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.14.2\n        ports:\n        - containerPort: 80\n',
  );
  r = k('apply', '-f', local);
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment configured\n');
  assert.equal(k('get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.spec.replicas}').stdout, '5');
  r = k('apply', '-f', local, '--dry-run=client');
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment configured (dry run)\n');
});

test('a deployment brings its pods up as time passes', () => {
  const { k } = cluster();
  k('apply', '-f', NGINX_URL);
  const early = k('get', 'pods');
  assert.match(early.stdout, /nginx-deployment-[a-z0-9]+-[a-z0-9]{5}\s+0\/1\s+ContainerCreating\s+0\s+0s/);
  assert.equal(k('sim', 'advance', '30s').status, 0);
  const later = k('get', 'pods', '-l', 'app=nginx', '-o', 'wide');
  const rows = later.stdout.trim().split('\n').slice(1);
  assert.equal(rows.length, 3);
  for (const r of rows) assert.match(r, /1\/1\s+Running\s+0\s+30s\s+10\.244\.0\.\d+\s+minikube\s+<none>\s+<none>$/);
  const rs = k('get', 'rs');
  assert.match(rs.stdout, /^nginx-deployment-([a-z0-9]+)\s+3\s+3\s+3\s+30s$/m);
  const hash = /nginx-deployment-([a-z0-9]+)/.exec(rs.stdout)![1];
  assert.equal(k('get', 'pods', '-o', 'jsonpath={.items[*].metadata.labels.pod-template-hash}').stdout, `${hash} ${hash} ${hash}`);
});

test('get prints kubectl\'s messages, wrappers and multi-kind layout', () => {
  const { k } = cluster();
  let r = k('get', 'pods');
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'No resources found in default namespace.\n');
  assert.equal(r.status, 0);
  r = k('get', 'pods', '-n', 'nope');
  assert.equal(r.stderr, 'No resources found in nope namespace.\n');
  r = k('get', 'pod', 'nope');
  assert.equal(r.stderr, 'Error from server (NotFound): pods "nope" not found\n');
  assert.equal(r.status, 1);
  r = k('get', 'foo');
  assert.equal(r.stderr, 'error: the server doesn\'t have a resource type "foo"\n');
  assert.equal(r.status, 1);
  r = k('get', 'pods', '-o', 'yaml');
  assert.equal(r.stdout, 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n');
  r = k('get', 'svc,deploy', '-n', 'kube-system');
  assert.match(r.stdout, /^NAME\s+TYPE\s+CLUSTER-IP.*\nservice\/kube-dns\s+ClusterIP.*\n\nNAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\ndeployment\.apps\/coredns\s+1\/1\s+1\s+1\s+\d+s\n$/);
  r = k('get', 'deploy/coredns', 'svc/kube-dns', '-n', 'kube-system', '-o', 'name');
  assert.equal(r.stdout, 'deployment.apps/coredns\nservice/kube-dns\n');
  r = k('get', 'ns', 'default', '--show-labels', '--no-headers');
  assert.match(r.stdout, /^default\s+Active\s+\d+s\s+kubernetes\.io\/metadata\.name=default\n$/);
  r = k('get', 'pods', '-n', 'kube-system', '-L', 'k8s-app', '-l', 'k8s-app');
  assert.match(r.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+K8S-APP\ncoredns-\S+\s+1\/1\s+Running\s+0\s+\d+s\s+kube-dns\nkube-proxy-\S+\s+1\/1\s+Running\s+0\s+\d+s\s+kube-proxy\n$/);
  r = k('get', 'pods', '-A', '--field-selector', 'metadata.namespace=kube-system,status.phase=Running', '-o', 'name');
  assert.equal(r.stdout.trim().split('\n').length, 7);
  r = k('get', 'pods', '--field-selector', 'spec.foo=bar');
  assert.equal(r.stderr, 'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label selector "", field selector "spec.foo=bar": field label not supported: spec.foo\n');
});

test('delete: by name, cascades to dependents, namespaces take their contents', () => {
  const { k } = cluster();
  k('apply', '-f', NGINX_URL);
  k('sim', 'advance', '20s');
  let r = k('delete', 'deployment', 'nginx-deployment');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'deployment.apps "nginx-deployment" deleted\n');
  assert.equal(k('get', 'rs', '-o', 'name').stdout, '');
  // Its pods are stopped by the kubelet (nginx exits on SIGTERM at once).
  assert.match(k('get', 'pods').stdout, /^nginx-deployment-\S+\s+1\/1\s+Terminating\s+0\s+20s$/m);
  k('sim', 'advance', '2s');
  assert.equal(k('get', 'pods', '-o', 'name').stdout, '');
  r = k('delete', 'deployment', 'nginx-deployment');
  assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "nginx-deployment" not found\n');
  assert.equal(r.status, 1);
  assert.equal(k('delete', 'deployment', 'nginx-deployment', '--ignore-not-found').status, 0);
  r = k('delete', 'pods', '-l', 'app=none');
  assert.equal(r.stdout, 'No resources found\n');

  const home = tempHome();
  kubemu(['create', '-f', '-'], { home, input: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: dev\n' });
  r = kubemu(['create', '-f', '-', '-n', 'dev'], { home, input: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n' });
  assert.equal(r.stdout, 'configmap/settings created\n');
  r = kubemu(['delete', 'ns', 'dev'], { home });
  assert.equal(r.stdout, 'namespace "dev" deleted\n');
  assert.equal(kubemu(['get', 'ns', 'dev'], { home }).stderr, 'Error from server (NotFound): namespaces "dev" not found\n');
  assert.equal(kubemu(['get', 'cm', '-n', 'dev'], { home }).stderr, 'No resources found in dev namespace.\n');
});

test('the same seed and commands on fresh homes print the same names', () => {
  const run = () => {
    const { k } = cluster({ KUBEMU_SEED: '1234' });
    k('apply', '-f', NGINX_URL);
    return k('get', 'pods', '-A', '-o', 'custom-columns=NAME:.metadata.name,IP:.status.podIP,UID:.metadata.uid').stdout;
  };
  const a = run();
  const b = run();
  assert.equal(a, b);
  assert.match(a, /nginx-deployment-/);
});

test('api-resources and api-versions list the registered kinds', () => {
  const { k } = cluster();
  const r = k('api-resources');
  assert.match(r.stdout, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\n/);
  assert.match(r.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  assert.match(r.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  assert.match(r.stdout, /^horizontalpodautoscalers\s+hpa\s+autoscaling\/v2\s+true\s+HorizontalPodAutoscaler$/m);
  const v = k('api-versions').stdout.split('\n');
  assert.ok(v.includes('apps/v1') && v.includes('v1') && v.includes('autoscaling/v1') && v.includes('autoscaling/v2'));
  assert.equal(k('version').stdout, 'Client Version: v1.32.5\nKustomize Version: v5.5.0\nServer Version: v1.32.0\n');
});

test('config --kubeconfig: the named file is read and written; $KUBECONFIG (a real cluster\'s) is never touched', () => {
  const { home, k } = cluster();
  assert.equal(k('get', 'pods').status, 0);
  const own = path.join(home, 'kubeconfig');
  const original = fs.readFileSync(own, 'utf8');
  const dir = tempHome();
  const file = path.join(dir, 'k.yaml');
  fs.copyFileSync(own, file);
  assert.equal(k('config', 'set-context', '--current', '--namespace=x', `--kubeconfig=${file}`).status, 0);
  assert.match(fs.readFileSync(file, 'utf8'), /namespace: x/);
  assert.equal(fs.readFileSync(own, 'utf8'), original);
  assert.deepEqual(fs.readdirSync(dir), ['k.yaml']);
  assert.match(k('config', 'view', '--minify', `--kubeconfig=${file}`).stdout, /\n {4}namespace: x\n/);
  // Without the flag, kubemu's own kubeconfig, whatever $KUBECONFIG says.
  const named = fs.readFileSync(file, 'utf8');
  const viaEnv = kubemu(['config', 'set-context', '--current', '--namespace=y'], { home, env: { KUBECONFIG: file } });
  assert.equal(viaEnv.status, 0, viaEnv.stderr);
  assert.equal(fs.readFileSync(file, 'utf8'), named);
  assert.match(fs.readFileSync(own, 'utf8'), /namespace: y/);
});

test('config view -o: the same bytes as kubectl 1.32 reading kubemu\'s kubeconfig', { skip: oracleSkip }, () => {
  const { home, k } = cluster();
  assert.equal(k('get', 'ns').status, 0);
  const env = { KUBECONFIG: path.join(home, 'kubeconfig') };
  for (const args of [
    ['config', 'view'],
    ['config', 'view', '-o', 'json'],
    ['config', 'view', '--minify', '-o', 'json'],
    ['config', 'view', '-o', 'name'],
    ['config', 'view', '-o', 'jsonpath={.users[].name}'],
    ['config', 'view', '--minify', '-o', 'jsonpath={..namespace}'],
    ['config', 'view', '-o', 'jsonpath={.users[?(@.name=="minikube")].user.client-key}'],
    ['config', 'view', '-o', 'go-template={{index . "current-context"}}'],
    ['config', 'view', '-o', 'wide'],
  ]) {
    const mine = k(...args);
    const real = runOracle(args, { env });
    assert.deepEqual([mine.stdout, mine.stderr, mine.status], [real.stdout, real.stderr, real.status], args.join(' '));
  }
  assert.equal(k('config', 'view', '-o', 'jsonpath={.current-context}').stdout, 'minikube');
});
