import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// Kubernetes Basics, modules 2 to 6, in order, as the tutorial types them
// (module 2's `kubectl proxy` and its curl are in network.test.ts, which
// talks to the real listener). curl to `$(minikube ip):$NODE_PORT` goes
// through `kubemu sim curl`, which `eval "$(kubemu sim shellenv)"` makes the
// shell's curl for the node's addresses.

const POD_NAMES = ['get', 'pods', '-o', 'go-template', '--template', '{{range .items}}{{.metadata.name}}{{"\\n"}}{{end}}'];

test('Kubernetes Basics: deploy, explore, expose, scale, update and roll back kubernetes-bootcamp', () => {
  const { k } = cluster();
  // Module 2
  assert.equal(k('create', 'deployment', 'kubernetes-bootcamp', '--image=gcr.io/google-samples/kubernetes-bootcamp:v1').stdout, 'deployment.apps/kubernetes-bootcamp created\n');
  k('sim', 'advance', '30s');
  assert.match(k('get', 'deployments').stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nkubernetes-bootcamp\s+1\/1\s+1\s+1\s+30s\n$/);

  // Module 3: pods and their containers
  const pod = k(...POD_NAMES).stdout.trim();
  assert.match(pod, /^kubernetes-bootcamp-[a-z0-9]{9,10}-[a-z0-9]{5}$/);
  const described = k('describe', 'pods').stdout;
  assert.match(described, /Image:\s+gcr\.io\/google-samples\/kubernetes-bootcamp:v1\n/);
  assert.match(described, /Port:\s+<none>\n/);
  assert.match(k('logs', pod).stdout, new RegExp(`^Kubernetes Bootcamp App Started At: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\| Running On:  ${pod} \\n\\n$`));
  const env = k('exec', pod, '--', 'env').stdout;
  assert.match(env, new RegExp(`^PATH=.*\\nHOSTNAME=${pod}\\n`));
  assert.match(env, /\nKUBERNETES_SERVICE_HOST=10\.96\.0\.1\n/);
  assert.match(k('exec', pod, '--', 'bash', '-c', 'cat server.js').stdout, /^var http = require\('http'\);\n/);
  assert.equal(k('exec', pod, '--', 'curl', '-s', 'http://localhost:8080').stdout, `Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n`);

  // Module 4: a NodePort Service, labels
  assert.equal(k('expose', 'deployment/kubernetes-bootcamp', '--type=NodePort', '--port', '8080').stdout, 'service/kubernetes-bootcamp exposed\n');
  assert.match(k('get', 'services').stdout, /^kubernetes-bootcamp\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+8080:3\d{4}\/TCP\s+0s$/m);
  assert.match(k('describe', 'services/kubernetes-bootcamp').stdout, /NodePort:\s+<unset>\s+3\d{4}\/TCP\nEndpoints:\s+10\.244\.0\.\d+:8080\n/);
  const nodePort = k('get', 'services/kubernetes-bootcamp', '-o', 'go-template={{(index .spec.ports 0).nodePort}}').stdout;
  const ip = k('minikube', 'ip').stdout.trim();
  assert.equal(ip, '192.168.49.2');
  assert.equal(k('sim', 'curl', `http://${ip}:${nodePort}`).stdout, `Hello Kubernetes bootcamp! | Running on: ${pod} | v=1\n`);
  assert.match(k('describe', 'deployment').stdout, /Labels:\s+app=kubernetes-bootcamp\n/);
  assert.equal(k('get', 'pods', '-l', 'app=kubernetes-bootcamp', '-o', 'name').stdout, `pod/${pod}\n`);
  assert.equal(k('label', 'pods', pod, 'version=v1').stdout, `pod/${pod} labeled\n`);
  assert.match(k('describe', 'pods', pod).stdout, /Labels:\s+app=kubernetes-bootcamp\n\s+pod-template-hash=\S+\n\s+version=v1\n/);
  assert.equal(k('get', 'pods', '-l', 'version=v1', '-o', 'name').stdout, `pod/${pod}\n`);

  // Module 5: scale to four; the NodePort answers from every pod
  assert.equal(k('scale', 'deployments/kubernetes-bootcamp', '--replicas=4').stdout, 'deployment.apps/kubernetes-bootcamp scaled\n');
  k('sim', 'advance', '30s');
  assert.match(k('get', 'deployments').stdout, /^kubernetes-bootcamp\s+4\/4\s+4\s+4\s+\S+$/m);
  const pods = k(...POD_NAMES).stdout.trim().split('\n');
  assert.equal(pods.length, 4);
  const wide = k('get', 'pods', '-o', 'wide').stdout.trim().split('\n').slice(1);
  assert.equal(new Set(wide.map((l) => l.split(/\s+/)[5])).size, 4, 'four pod IPs');
  assert.match(k('describe', 'deployments/kubernetes-bootcamp').stdout, /Replicas:\s+4 desired \| 4 updated \| 4 total \| 4 available \| 0 unavailable\n/);
  const answered = new Set<string>();
  for (let i = 0; i < 8; i++) answered.add(/Running on: (\S+)/.exec(k('sim', 'curl', `http://${ip}:${nodePort}`).stdout)![1]);
  assert.deepEqual([...answered].sort(), [...pods].sort());
  k('scale', 'deployments/kubernetes-bootcamp', '--replicas=2');
  k('sim', 'advance', '40s');
  assert.equal(k(...POD_NAMES).stdout.trim().split('\n').length, 2);

  // Module 6: rolling update to v2, a bad image, and the roll back
  assert.equal(k('set', 'image', 'deployments/kubernetes-bootcamp', 'kubernetes-bootcamp=jocatalin/kubernetes-bootcamp:v2').stdout, 'deployment.apps/kubernetes-bootcamp image updated\n');
  assert.equal(k('rollout', 'status', 'deployments/kubernetes-bootcamp').stdout.split('\n').filter(Boolean).pop(), 'deployment "kubernetes-bootcamp" successfully rolled out');
  k('sim', 'advance', '40s');
  assert.match(k('sim', 'curl', `http://${ip}:${nodePort}`).stdout, /^Hello Kubernetes bootcamp! \| Running on: kubernetes-bootcamp-\S+ \| v=2\n$/);
  assert.match(k('describe', 'pods').stdout, /Image:\s+jocatalin\/kubernetes-bootcamp:v2\n/);
  k('set', 'image', 'deployments/kubernetes-bootcamp', 'kubernetes-bootcamp=gcr.io/google-samples/kubernetes-bootcamp:v10');
  k('sim', 'advance', '30s');
  const statuses = k('get', 'pods', '--no-headers').stdout.trim().split('\n').map((l) => l.split(/\s+/)[2]);
  assert.ok(statuses.some((s) => s === 'ImagePullBackOff' || s === 'ErrImagePull'), statuses.join(','));
  assert.equal(k('rollout', 'undo', 'deployments/kubernetes-bootcamp').stdout, 'deployment.apps/kubernetes-bootcamp rolled back\n');
  k('sim', 'advance', '60s');
  assert.deepEqual(
    k('get', 'pods', '--no-headers').stdout.trim().split('\n').map((l) => l.split(/\s+/).slice(1, 3).join(' ')),
    ['1/1 Running', '1/1 Running'],
  );
  assert.match(k('describe', 'pods').stdout, /Image:\s+jocatalin\/kubernetes-bootcamp:v2\n[\s\S]*Image:\s+jocatalin\/kubernetes-bootcamp:v2\n/);
  assert.equal(k('delete', 'service', '-l', 'app=kubernetes-bootcamp').stdout, 'service "kubernetes-bootcamp" deleted\n');
  assert.equal(k('sim', 'curl', '-s', `http://${ip}:${nodePort}`).status, 7);
  // The pods still answer from inside.
  const current = k(...POD_NAMES).stdout.trim().split('\n')[0];
  assert.equal(k('exec', '-ti', current, '--', 'curl', '-s', 'http://localhost:8080').stdout, `Hello Kubernetes bootcamp! | Running on: ${current} | v=2\n`);
});
