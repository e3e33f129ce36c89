import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl scale: through the scale subresource of deployments, replica sets,
// replication controllers and stateful sets; preconditions, several objects,
// --timeout; compared with the real kubectl against the same cluster.

const FILES = tempHome('kubemu-scale-files-');
writeManifests(FILES, {
  'sts.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  replicas: 1
  selector:
    matchLabels:
      app: db
  template:
    metadata:
      labels:
        app: db
    spec:
      containers:
      - name: db
        image: nginx
`,
});

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('scale: the messages, the preconditions, the workloads', () => {
  const { k } = session();
  for (const f of ['web.yaml', 'rc.yaml', 'sts.yaml']) assert.equal(k('apply', '-f', f).status, 0);
  let r = k('scale', 'deploy', 'web');
  assert.deepEqual([r.stderr, r.status], ['error: required flag(s) "replicas" not set\n', 1]);
  r = k('scale', 'deploy', 'web', '--replicas=3');
  assert.deepEqual([r.stdout, r.status], ['deployment.apps/web scaled\n', 0]);
  // Printed even when the size is already right.
  assert.equal(k('scale', 'deploy', 'web', '--replicas=3').stdout, 'deployment.apps/web scaled\n');
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout, '3');
  r = k('scale', 'deploy', 'web', '--replicas=1', '--current-replicas=2');
  assert.deepEqual([r.stderr, r.status], ['error: Expected replicas to be 2, was 3\n', 1]);
  r = k('scale', 'deploy', 'nope', '--replicas=1');
  assert.equal(r.stderr, 'error: no objects passed to scale deployments.apps "nope" not found\n');
  r = k('scale', 'rc/rc1', 'sts/db', '--replicas=2');
  assert.equal(r.stdout, 'replicationcontroller/rc1 scaled\nstatefulset.apps/db scaled\n');
  assert.equal(k('get', 'sts', 'db', '-o', 'jsonpath={.spec.replicas}').stdout, '2');
  r = k('scale', 'pod', '--all', '--replicas=1', '-A');
  assert.equal(r.status, 1);
  r = k('scale', 'deploy', 'web', '--replicas=-1');
  assert.equal(r.stderr, 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n');
});

test('scale --timeout waits for the new size on the simulated clock', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  assert.equal(k('sim', 'advance', '30s').status, 0);
  const r = k('scale', 'deploy', 'web', '--replicas=4', '--timeout=2m');
  assert.deepEqual([r.stdout, r.status], ['deployment.apps/web scaled\n', 0]);
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.status.replicas}').stdout, '4');
});

test('scale against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['apply', '-f', 'rc.yaml'], ['run', 'p1', '--image=nginx']]) {
    assert.equal(k(...a).status, 0, a.join(' '));
  }
  fs.writeFileSync(path.join(FILES, 'empty.yaml'), '');
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  const cases: string[][] = [
    ['scale', 'deploy', 'web', '--replicas=3'],
    ['scale', 'deploy', 'web', '--replicas=3', '--current-replicas=1'],
    ['scale', 'deploy', 'web', '--replicas=4', '--current-replicas=3'],
    ['scale', 'deploy', 'web', '--replicas=3', '--resource-version=1'],
    ['scale', 'deploy', 'nope', '--replicas=3'],
    ['scale', 'deploy', 'nope', 'nope2', '--replicas=3'],
    ['scale', 'deploy', 'web', 'nope', '--replicas=1'],
    ['scale', 'pod', 'p1', '--replicas=1'],
    ['scale', 'deploy/web', 'rc/rc1', '--replicas=1', '-o', 'yaml'],
    ['scale', 'deploy', '--all', '--replicas=1', '--dry-run=client'],
    ['scale', 'deploy', '-l', 'app=web', '--replicas=2', '--dry-run=server', '-o', 'name'],
    ['scale', '-f', 'web.yaml', '--replicas=2'],
    ['scale', '-f', 'empty.yaml', '--replicas=2'],
    ['scale', '--replicas=2'],
    ['scale', 'deploy', '--replicas=2'],
    ['scale', 'deploy/web', 'rc/rc1', '--replicas=2', '--resource-version=5'],
    ['scale', 'deploy', 'web', '--replicas=2', '--current-replicas=-2'],
  ];
  for (const args of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
});
