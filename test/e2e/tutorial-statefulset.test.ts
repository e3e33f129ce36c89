import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// StatefulSet Basics, in order: ordered creation, stable names and DNS,
// storage that outlives the pods, scaling both ways, rolling updates, and
// non-cascading deletion.

const URL = 'https://k8s.io/examples/application/web/web.yaml';

function names(k: (...a: string[]) => { stdout: string }): string[] {
  return k('get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={.items[*].metadata.name}').stdout.split(' ').filter(Boolean);
}

test('StatefulSet Basics: web, from creation to deletion', () => {
  const { k } = cluster();
  assert.equal(k('apply', '-f', URL).stdout, 'service/nginx created\nstatefulset.apps/web created\n');
  assert.match(k('get', 'service', 'nginx').stdout, /^nginx\s+ClusterIP\s+None\s+<none>\s+80\/TCP\s+0s$/m);
  assert.match(k('get', 'statefulset', 'web').stdout, /^web\s+0\/2\s+0s$/m);

  // web-1 is created only once web-0 is Running and Ready.
  k('sim', 'advance', '3s');
  assert.deepEqual(names(k), ['web-0']);
  k('sim', 'advance', '40s');
  assert.deepEqual(names(k), ['web-0', 'web-1']);
  for (const i of [0, 1]) assert.equal(k('exec', `web-${i}`, '--', 'sh', '-c', 'hostname').stdout, `web-${i}\n`);

  // Stable DNS names through the headless Service.
  const ip0 = k('get', 'pod', 'web-0', '-o', 'jsonpath={.status.podIP}').stdout;
  const dns = k('run', '-i', '--rm', '--image', 'busybox:1.28', 'dns-test', '--restart=Never', '--', 'nslookup', 'web-0.nginx');
  assert.equal(dns.stdout, `Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web-0.nginx\nAddress 1: ${ip0}\npod "dns-test" deleted\n`);

  // Each pod has its own claim; what is written there survives the pods.
  const pvcs = k('get', 'pvc', '-l', 'app=nginx').stdout.trim().split('\n').slice(1);
  assert.deepEqual(
    pvcs.map((l) => l.split(/\s+/).slice(0, 2).concat(l.split(/\s+/).slice(3, 6)).join(' ')),
    ['www-web-0 Bound 1Gi RWO standard', 'www-web-1 Bound 1Gi RWO standard'],
  );
  for (const i of [0, 1]) k('exec', `web-${i}`, '--', 'sh', '-c', 'echo "$(hostname)" > /usr/share/nginx/html/index.html');
  for (const i of [0, 1]) assert.equal(k('exec', '-i', '-t', `web-${i}`, '--', 'curl', '-s', 'http://localhost/').stdout, `web-${i}\n`);
  assert.equal(k('delete', 'pod', '-l', 'app=nginx').stdout, 'pod "web-0" deleted\npod "web-1" deleted\n');
  k('sim', 'advance', '40s');
  assert.deepEqual(names(k), ['web-0', 'web-1']);
  for (const i of [0, 1]) assert.equal(k('exec', `web-${i}`, '--', 'curl', '-s', 'http://localhost/').stdout, `web-${i}\n`);

  // Scaling up creates in order; scaling down removes from the top, keeping the claims.
  assert.equal(k('scale', 'sts', 'web', '--replicas=5').stdout, 'statefulset.apps/web scaled\n');
  assert.equal(k('rollout', 'status', 'sts/web').stdout.split('\n').filter(Boolean).pop(), 'partitioned roll out complete: 5 new pods have been updated...');
  assert.deepEqual(names(k), ['web-0', 'web-1', 'web-2', 'web-3', 'web-4']);
  assert.equal(k('patch', 'sts', 'web', '-p', '{"spec":{"replicas":3}}').stdout, 'statefulset.apps/web patched\n');
  k('sim', 'advance', '60s');
  assert.deepEqual(names(k), ['web-0', 'web-1', 'web-2']);
  assert.equal(k('get', 'pvc', '-l', 'app=nginx', '-o', 'name').stdout.trim().split('\n').length, 5);

  // A rolling update replaces the pods from the highest ordinal down.
  const patched = k('patch', 'statefulset', 'web', '--type=json', '-p=[{"op": "replace", "path": "/spec/template/spec/containers/0/image", "value":"gcr.io/google_containers/nginx-slim:0.7"}]');
  assert.equal(patched.stdout, 'statefulset.apps/web patched\n');
  const status = k('rollout', 'status', 'sts/web').stdout.split('\n').filter(Boolean);
  assert.equal(status[0], 'Waiting for partitioned roll out to finish: 0 out of 3 new pods have been updated...');
  assert.equal(status.pop(), 'partitioned roll out complete: 3 new pods have been updated...');
  assert.equal(
    k('get', 'pod', '-l', 'app=nginx', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].image}{"\\n"}{end}').stdout,
    'web-0\tgcr.io/google_containers/nginx-slim:0.7\nweb-1\tgcr.io/google_containers/nginx-slim:0.7\nweb-2\tgcr.io/google_containers/nginx-slim:0.7\n',
  );
  const events = k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet', '--sort-by=.lastTimestamp', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}').stdout;
  const deletes = events.split('\n').filter((l) => /^delete Pod web-\d in StatefulSet web successful$/.test(l));
  assert.deepEqual(deletes.slice(-3), ['delete Pod web-2 in StatefulSet web successful', 'delete Pod web-1 in StatefulSet web successful', 'delete Pod web-0 in StatefulSet web successful']);

  // Non-cascading delete leaves the pods; a deleted pod is then not replaced.
  assert.equal(k('delete', 'statefulset', 'web', '--cascade=orphan').stdout, 'statefulset.apps "web" deleted\n');
  assert.deepEqual(names(k), ['web-0', 'web-1', 'web-2']);
  k('delete', 'pod', 'web-0');
  k('sim', 'advance', '10s');
  assert.deepEqual(names(k), ['web-1', 'web-2']);
  // Applying it again adopts the orphans and brings back web-0; the extra web-2 goes.
  assert.equal(k('apply', '-f', URL).stdout, 'service/nginx unchanged\nstatefulset.apps/web created\n');
  k('sim', 'advance', '60s');
  assert.deepEqual(names(k), ['web-0', 'web-1']);
  for (const i of [0, 1]) assert.equal(k('exec', `web-${i}`, '--', 'curl', '-s', 'http://localhost/').stdout, `web-${i}\n`);

  // Cascading delete removes the pods, the claims stay.
  k('delete', 'statefulset', 'web');
  k('sim', 'advance', '60s');
  assert.deepEqual(names(k), []);
  assert.equal(k('get', 'pvc', '-o', 'name').stdout.trim().split('\n').length, 5);
});

test('StatefulSet Basics: Parallel pod management starts every pod at once', () => {
  const { k } = cluster();
  k('apply', '-f', 'https://k8s.io/examples/application/web/web-parallel.yaml');
  k('sim', 'advance', '1s');
  assert.deepEqual(names(k), ['web-0', 'web-1']);
  k('scale', 'statefulset/web', '--replicas=4');
  k('sim', 'advance', '1s');
  assert.deepEqual(names(k), ['web-0', 'web-1', 'web-2', 'web-3']);
});
