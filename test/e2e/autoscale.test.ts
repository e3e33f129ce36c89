import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl autoscale: the autoscaling/v1 HorizontalPodAutoscaler kubectl 1.32
// builds, for what has a scale subresource; printed (--dry-run=client, the
// same bytes as kubectl) or created and read back as v1.

const FILES = tempHome('kubemu-autoscale-files-');
writeManifests(FILES);

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('autoscale: created, listed, read back as autoscaling/v1', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  let r = k('autoscale', 'deployment/web', '--min=2', '--max=10', '--cpu-percent=80');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['horizontalpodautoscaler.autoscaling/web autoscaled\n', '', 0]);
  // The controller's first pass has read the target's 2 replicas; no metrics yet.
  assert.match(k('get', 'hpa').stdout, /^web\s+Deployment\/web\s+cpu: <unknown>\/80%\s+2\s+10\s+2\s+\d+s$/m);
  r = k('autoscale', 'deploy', 'web', '--max=3', '--name=web2', '-o', 'json');
  const hpa = JSON.parse(r.stdout) as { apiVersion: string; spec: Record<string, unknown>; status: Record<string, unknown> };
  assert.equal(hpa.apiVersion, 'autoscaling/v1');
  // Go struct order, v1 fields, the server's default of 80% CPU, zero status counts.
  assert.deepEqual(Object.keys(hpa.spec), ['scaleTargetRef', 'minReplicas', 'maxReplicas', 'targetCPUUtilizationPercentage']);
  assert.deepEqual(hpa.spec.targetCPUUtilizationPercentage, 80);
  assert.deepEqual(hpa.status, { currentReplicas: 0, desiredReplicas: 0 });
  r = k('autoscale', 'deploy', 'web', '--max=3');
  assert.deepEqual([r.stderr, r.status], ['Error from server (AlreadyExists): horizontalpodautoscalers.autoscaling "web" already exists\n', 1]);
  r = k('autoscale', 'deploy', 'web');
  assert.equal(r.stderr, 'error: required flag(s) "max" not set\n');
});

test('autoscale --dry-run=client and errors: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['apply', '-f', 'rc.yaml'], ['run', 'p1', '--image=nginx']]) assert.equal(k(...a).status, 0, a.join(' '));
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  const cases: string[][] = [
    ['autoscale', 'deploy', 'web', '--max=5', '--dry-run=client', '-o', 'yaml'],
    ['autoscale', 'deploy', 'web', '--max=5', '--min=2', '--cpu-percent=50', '--dry-run=client', '-o', 'json'],
    ['autoscale', 'deploy/web', 'rc/rc1', '--max=3', '--dry-run=client'],
    ['autoscale', '-f', 'web.yaml', '--max=2', '--dry-run=client', '--name=foo', '-o', 'yaml', '-n', 'default'],
    ['autoscale', 'pod', 'p1', '--max=3', '--dry-run=client'],
    ['autoscale', 'deploy', 'web'],
    ['autoscale', 'deploy', 'web', '--max=0'],
    ['autoscale', 'deploy', 'web', '--max=2', '--min=3'],
    ['autoscale', 'deploy', 'nope', '--max=2'],
    ['autoscale', '--max=2'],
  ];
  for (const args of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
});
