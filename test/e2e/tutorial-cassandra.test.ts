import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster, kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';

// "Deploying Cassandra with a StatefulSet", in order: the headless Service,
// the StatefulSet with its own StorageClass, ordered start-up, the ring as
// `nodetool status` shows it, scaling with `kubectl edit`, and the clean-up
// (delete the StatefulSet, wait its grace period, delete the claims).

const SERVICE = 'https://k8s.io/examples/application/cassandra/cassandra-service.yaml';
const STATEFULSET = 'https://k8s.io/examples/application/cassandra/cassandra-statefulset.yaml';
const NO_TTY = 'Unable to use a TTY - input is not a terminal or the right kind of file\n';
const IP = '\\d+\\.\\d+\\.\\d+\\.\\d+';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';

type K = (...args: string[]) => Result;

// name -> [ready, status, restarts] of the cassandra pods.
function pods(k: K): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const text = k('get', 'pods', '-l=app=cassandra').stdout;
  const [head, ...rows] = text.trim().split('\n');
  assert.match(head, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  for (const line of rows) {
    const f = line.split(/\s+/);
    out[f[0]] = f.slice(1, 4);
  }
  return out;
}

// The rows of `nodetool status`: [state, address, owns %, host id], after checking the layout.
function ring(k: K, pod: string): string[][] {
  const r = k('exec', '-it', pod, '--', 'nodetool', 'status');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, NO_TTY);
  const lines = r.stdout.split('\n');
  assert.deepEqual(lines.slice(0, 4), ['Datacenter: DC1-K8Demo', '======================', 'Status=Up/Down', '|/ State=Normal/Leaving/Joining/Moving']);
  const width = Math.max(...lines.slice(5, -2).map((l) => l.split('  ')[1].length));
  assert.equal(lines[4], `--  ${'Address'.padEnd(width)}  Load       Tokens       Owns (effective)  Host ID                               Rack`);
  assert.deepEqual(lines.slice(-2), ['', '']);
  // Load is "%.2f KiB" without trailing zeros, padded to nine; tokens to eleven.
  const row = new RegExp(`^(UN|DN)  (${IP}) *  (\\d+(?:\\.\\d{1,2})? KiB) *  32 {11}(\\d+\\.\\d)% +(${UUID})  Rack1-K8Demo$`);
  return lines.slice(5, -2).map((l) => {
    const m = row.exec(l);
    assert.ok(m, l);
    assert.equal(l.indexOf('32 '), 4 + width + 2 + Math.max(9, m[3].length) + 2, l);
    return [m[1], m[2], m[4], m[5]];
  });
}

test('Cassandra: headless Service, a ring of three, scaled to four with kubectl edit, then cleaned up', () => {
  // The tutorial asks for at least two nodes besides the control plane.
  const { k, home } = cluster({ KUBEMU_NODES: '3' });

  // The headless Service.
  assert.equal(k('apply', '-f', SERVICE).stdout, 'service/cassandra created\n');
  k('sim', 'advance', '45s');
  assert.deepEqual(k('get', 'svc', 'cassandra').stdout.split('\n'), [
    'NAME        TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)    AGE',
    'cassandra   ClusterIP   None         <none>        9042/TCP   45s',
    '',
  ]);

  // The StatefulSet and its StorageClass "fast".
  assert.equal(k('apply', '-f', STATEFULSET).stdout, 'statefulset.apps/cassandra created\nstorageclass.storage.k8s.io/fast created\n');
  k('sim', 'advance', '13s');
  // 1.32 prints READY where the seed's older kubectl printed DESIRED and CURRENT.
  assert.deepEqual(k('get', 'statefulset', 'cassandra').stdout.split('\n'), ['NAME        READY   AGE', 'cassandra   0/3     13s', '']);
  assert.match(k('get', 'storageclass', 'fast', '--no-headers').stdout, /^fast\s+k8s\.io\/minikube-hostpath\s+Delete\s+Immediate\s+false\s+13s\n$/);
  assert.equal(k('get', 'sc', 'fast', '-o', 'jsonpath={.parameters.type}').stdout, 'pd-ssd');

  // Ordered creation: cassandra-1 starts only once cassandra-0 is Ready.
  k('sim', 'advance', '57s');
  assert.deepEqual(pods(k), { 'cassandra-0': ['1/1', 'Running', '0'], 'cassandra-1': ['0/1', 'ContainerCreating', '0'] });
  assert.match(k('get', 'pods', '-l=app=cassandra').stdout, /\ncassandra-1\s+0\/1\s+ContainerCreating\s+0\s+\d+s\n$/);
  k('sim', 'advance', '10m');
  const all = pods(k);
  assert.deepEqual(all, { 'cassandra-0': ['1/1', 'Running', '0'], 'cassandra-1': ['1/1', 'Running', '0'], 'cassandra-2': ['1/1', 'Running', '0'] });
  assert.match(k('get', 'pods', '-l=app=cassandra').stdout, /\ncassandra-0\s+1\/1\s+Running\s+0\s+11m\n/);

  // Each pod has its claim from the template, bound through "fast".
  const claims = k('get', 'pvc', '-l', 'app=cassandra', '--no-headers').stdout.trim().split('\n');
  assert.deepEqual(
    claims.map((l) => l.split(/\s+/).filter((_, i) => i !== 2 && i !== 7).join(' ')),
    [0, 1, 2].map((i) => `cassandra-data-cassandra-${i} Bound 1Gi RWO fast <unset>`),
  );

  // The ring: three nodes Up and Normal at the pods' addresses, owning 200% between them.
  const ips = [0, 1, 2].map((i) => k('get', 'pod', `cassandra-${i}`, '-o', 'jsonpath={.status.podIP}').stdout);
  const rows = ring(k, 'cassandra-0');
  assert.deepEqual(rows.map((r) => r[0]), ['UN', 'UN', 'UN']);
  assert.deepEqual(rows.map((r) => r[1]).sort(), [...ips].sort());
  assert.ok(Math.abs(rows.reduce((s, r) => s + Number(r[2]), 0) - 200) < 0.3, JSON.stringify(rows));
  assert.equal(new Set(rows.map((r) => r[3])).size, 3);
  // Every node sees the same ring.
  assert.deepEqual(ring(k, 'cassandra-2'), rows);

  // kubectl edit: the editor gets the object with kubectl's header; replicas 3 -> 4.
  const files = tempHome('kubemu-editor-');
  const editor = path.join(files, 'editor.sh');
  fs.writeFileSync(editor, `#!/bin/sh\ncp "$1" "${files}/seen.yaml"\nsed -i "s/^  replicas: 3$/  replicas: 4/" "$1"\n`, { mode: 0o755 });
  const edited = kubemu(['edit', 'statefulset', 'cassandra'], { home, env: { KUBEMU_NODES: '3', KUBE_EDITOR: editor } });
  assert.equal(edited.stdout, 'statefulset.apps/cassandra edited\n', edited.stderr);
  const seen = fs.readFileSync(path.join(files, 'seen.yaml'), 'utf8').split('\n');
  assert.deepEqual(seen.slice(0, 6), [
    "# Please edit the object below. Lines beginning with a '#' will be ignored,",
    '# and an empty file will abort the edit. If an error occurs while saving this file will be',
    '# reopened with the relevant failures.',
    '#',
    'apiVersion: apps/v1',
    'kind: StatefulSet',
  ]);
  for (const line of ['  generation: 1', '    app: cassandra', '  name: cassandra', '  namespace: default', '  replicas: 3']) assert.ok(seen.includes(line), line);
  k('sim', 'advance', '3m');
  assert.match(k('get', 'statefulset', 'cassandra').stdout, /^NAME\s+READY\s+AGE\ncassandra\s+4\/4\s+14m\n$/);
  assert.equal(pods(k)['cassandra-3'].join(' '), '1/1 Running 0');
  const four = ring(k, 'cassandra-3');
  assert.deepEqual(four.map((r) => r[0]), ['UN', 'UN', 'UN', 'UN']);
  // The first three keep their Host IDs: they derive from their volumes.
  for (const r of rows) assert.ok(four.some((f) => f[3] === r[3] && f[1] === r[1]), r.join(' '));

  // Clean-up, as the tutorial chains it: the grace period, delete by label, wait, delete the claims.
  const grace = k('get', 'pod', 'cassandra-0', '-o=jsonpath={.spec.terminationGracePeriodSeconds}').stdout;
  assert.equal(grace, '500');
  assert.equal(k('delete', 'statefulset', '-l', 'app=cassandra').stdout, 'statefulset.apps "cassandra" deleted\n');
  k('sim', 'advance', `${grace}s`);
  assert.equal(k('get', 'pods', '-l', 'app=cassandra').stderr, 'No resources found in default namespace.\n');
  // The claims stay until they are deleted; their volumes go with them (reclaim policy Delete).
  assert.equal(k('get', 'pv', '--no-headers').stdout.trim().split('\n').length, 4);
  assert.equal(
    k('delete', 'persistentvolumeclaim', '-l', 'app=cassandra').stdout,
    [0, 1, 2, 3].map((i) => `persistentvolumeclaim "cassandra-data-cassandra-${i}" deleted\n`).join(''),
  );
  k('sim', 'advance', '30s');
  assert.equal(k('get', 'pv').stderr, 'No resources found\n');
  assert.equal(k('delete', 'service', '-l', 'app=cassandra').stdout, 'service "cassandra" deleted\n');
  assert.equal(k('get', 'svc', '-l', 'app=cassandra').stderr, 'No resources found in default namespace.\n');
});

test('Cassandra on one default minikube node: the third pod waits for CPU, as the tutorial warns', () => {
  const { k } = cluster();
  k('apply', '-f', SERVICE);
  k('apply', '-f', STATEFULSET);
  k('sim', 'advance', '6m');
  assert.deepEqual(pods(k), { 'cassandra-0': ['1/1', 'Running', '0'], 'cassandra-1': ['1/1', 'Running', '0'], 'cassandra-2': ['0/1', 'Pending', '0'] });
  assert.match(k('describe', 'pod', 'cassandra-2').stdout, /FailedScheduling +\S+ +default-scheduler +0\/1 nodes are available: 1 Insufficient cpu\./);
  assert.match(k('get', 'statefulset', 'cassandra').stdout, /\ncassandra\s+2\/3\s+6m\n$/);
});
