import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// kubectl top: the Metrics API appears once the metrics-server addon has run
// for its 60 s resolution; usage comes from the image catalogue.

// kubectl's tabwriter: every tab-ended cell padded to its column's widest plus 3
// (at least 6); each line ends with a tab, so the last real column is padded too.
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(6, ...rows.map((r) => r[i].length + 3)));
  return rows.map((r) => `${r.map((cell, i) => (i < r.length - 1 ? cell.padEnd(widths[i]) : cell)).join('')}\n`).join('');
}

function withMetrics() {
  const c = cluster();
  c.k('create', 'deployment', 'hello-node', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--', '/agnhost', 'netexec', '--http-port=8080');
  assert.equal(c.k('minikube', 'addons', 'enable', 'metrics-server').status, 0);
  return c;
}

test('kubectl top: no Metrics API until metrics-server has run a resolution', () => {
  const { k } = cluster();
  let r = k('top', 'pods');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', 'error: Metrics API not available\n', 1]);
  assert.equal(k('top', 'node').stderr, 'error: Metrics API not available\n');
  k('minikube', 'addons', 'enable', 'metrics-server');
  k('sim', 'advance', '40s');
  assert.match(k('get', 'pods', '-n', 'kube-system', '-l', 'k8s-app=metrics-server').stdout, /1\/1\s+Running/);
  assert.equal(k('top', 'pods', '-A').stderr, 'error: Metrics API not available\n');
  k('sim', 'advance', '40s');
  assert.equal(k('top', 'pods', '-A').status, 0);
  k('minikube', 'addons', 'disable', 'metrics-server');
  assert.equal(k('top', 'pods', '-A').stderr, 'error: Metrics API not available\n');
});

test('kubectl top pod and node: kubectl\'s columns and values', () => {
  const { k } = withMetrics();
  k('sim', 'advance', '90s');
  const pod = k('get', 'pods', '-o', 'jsonpath={.items[0].metadata.name}').stdout;
  let r = k('top', 'pods');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, table([['NAME', 'CPU(cores)', 'MEMORY(bytes)', ''], [pod, '1m', '6Mi', '']]));
  assert.equal(k('top', 'pod', pod, '--no-headers').stdout, table([[pod, '1m', '6Mi', '']]));
  assert.equal(k('top', 'po', pod, '--containers').stdout, table([['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)', ''], [pod, 'agnhost', '1m', '6Mi', '']]));

  r = k('top', 'node');
  // 60m and 340Mi of the node's own, plus every pod: 146m of 2 CPUs, 705Mi of 7990060Ki.
  assert.equal(r.stdout, table([['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)', ''], ['minikube', '146m', '7%', '705Mi', '9%', '']]));
  assert.equal(k('top', 'nodes', 'minikube', '--show-capacity').stdout, r.stdout);

  r = k('top', 'pods', '-A', '--sort-by=memory', '--no-headers');
  const rows = r.stdout.trim().split('\n').map((l) => l.split(/\s+/));
  assert.deepEqual(rows[0].slice(0, 4), ['kube-system', 'kube-apiserver-minikube', '40m', '210Mi']);
  assert.deepEqual(rows[rows.length - 1].slice(1, 4), [pod, '1m', '6Mi']);
  assert.equal(rows.length, 9);

  r = k('top', 'pods', '-n', 'kube-system', '-l', 'component=etcd', '--sum');
  assert.equal(r.stdout, table([['NAME', 'CPU(cores)', 'MEMORY(bytes)', ''], ['etcd-minikube', '20m', '30Mi', ''], ['', '________', '________', ''], ['', '20m', '30Mi', '']]));

  r = k('top', 'pod', 'nope');
  assert.deepEqual([r.stderr, r.status], ['Error from server (NotFound): podmetrics.metrics.k8s.io "default/nope" not found\n', 1]);
  r = k('top', 'node', 'nope');
  assert.equal(r.stderr, 'Error from server (NotFound): nodemetrics.metrics.k8s.io "nope" not found\n');
  r = k('top', 'pods', '--sort-by=name');
  assert.deepEqual([r.stderr, r.status], ['error: --sort-by accepts only cpu or memory\n', 1]);
  r = k('top', 'pods', '-n', 'empty');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', 'No resources found in empty namespace.\n', 0]);

  // A pod younger than a scrape has no metrics yet.
  k('create', 'namespace', 'fresh');
  k('create', 'deployment', 'web', '--image=nginx', '-n', 'fresh');
  k('sim', 'advance', '10s');
  r = k('top', 'pods', '-n', 'fresh');
  assert.deepEqual([r.stderr, r.status], ['error: metrics not available yet\n', 1]);
  k('sim', 'advance', '60s');
  assert.match(k('top', 'pods', '-n', 'fresh').stdout, /^web-\S+\s+0m\s+3Mi\s+\n/m);
});
