import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { oracleSkip } from '../helpers/oracle';
import type { OracleResult } from '../helpers/oracle';
import { runOracleAgainst, startFakeServer } from '../helpers/fake-apiserver';
import type { FakeServer } from '../helpers/fake-apiserver';
import { BIN, ROOT, kubemu, tempHome } from '../helpers/kubemu';
import { openApiDocuments } from '../../src/cli/verbs/explain';

// `kubectl explain`, byte for byte against the real kubectl 1.32. The oracle is
// given a fake API server (test/helpers/fake-apiserver.ts) that serves kubemu's
// discovery and the OpenAPI v3 documents kubemu builds from its schema, so both
// render the same documents: what is compared is kubemu's rendering (layout,
// wrapping, type names, field paths, resource names, errors) with kubectl's.

const CASES: string[][] = [
  ['pods'],
  ['pod.spec'],
  ['pods.spec.containers'],
  ['pod.spec.containers.resources'],
  ['pods.spec.containers.resources.limits'],
  ['pods.metadata'],
  ['pods.metadata.creationTimestamp'],
  ['pods.metadata.managedFields.fieldsV1'],
  ['pods.status.containerStatuses.state'],
  ['pods.spec.containers.livenessProbe.httpGet.port'],
  ['deployments'],
  ['deployment.spec.strategy'],
  ['deploy.spec.strategy.rollingUpdate'],
  ['deployment.spec.template.spec.containers.ports'],
  ['deployments.apps.spec'],
  ['svc'],
  ['service.spec.type'],
  ['service.spec.ports.targetPort'],
  ['nodes'],
  ['node.status.capacity'],
  ['cm'],
  ['secrets'],
  ['jobs'],
  ['cronjobs.spec'],
  ['hpa'],
  ['hpa.spec.metrics.resource.target'],
  ['ingress.spec.rules'],
  ['ingress.spec.rules.http.paths.backend'],
  ['pvc'],
  ['pvc.spec.resources'],
  ['events'],
  ['events.events.k8s.io'],
  ['ev'],
  ['endpointslices.endpoints'],
  ['controllerrevision.data'],
  ['pdb.spec.maxUnavailable'],
  ['clusterroles.rules'],
  ['leases.spec'],
  ['sc'],
  ['netpol.spec.ingress.ports.port'],
  // --recursive
  ['pods', '--recursive'],
  ['deployment.spec', '--recursive'],
  ['svc', '--recursive'],
  ['cronjobs', '--recursive'],
  ['ingress.spec.rules', '--recursive'],
  // --api-version and --output
  ['hpa', '--api-version=autoscaling/v1'],
  ['hpa.spec', '--api-version=autoscaling/v2'],
  ['deployments', '--api-version=apps/v1'],
  ['pods.spec', '--api-version=v1'],
  ['pods', '-o', 'plaintext'],
  // resource names as typed
  ['PODS'],
  ['Pod.spec'],
  ['pods.'],
  ['pods..spec'],
  ['deployments.appsx'],
  // errors
  ['foo'],
  ['FOO'],
  ['EV'],
  ['pods.foo'],
  ['pods.spec.foo.bar'],
  ['pods.metadata.labels.x'],
  ['deploy.apps'],
  ['pods.spec[0]'],
  ['pods.spec.*'],
  ['pods}x'],
  ['pods{x'],
  ['@pods'],
  ['pods', 'extra'],
  [],
  ['pods', '--api-version=apps/v1'],
  ['pods', '--api-version=foo/v1'],
  ['pods', '--api-version=a/b/c'],
  ['deployments.apps', '--api-version=apps/v1'],
  ['pods.spec[0]', '--api-version=v1'],
  ['pods', '-o', 'yaml'],
  ['pods', '--output='],
];

function runKubemu(home: string, args: string[]): Promise<OracleResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: home, TZ: 'UTC', KUBEMU_HOME: home, KUBEMU_DAEMON: '0', KUBEMU_CLOCK: 'manual', KUBEMU_SEED: '42' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, status: code ?? -1 }));
    child.stdin.end();
  });
}

// A few at a time: each oracle run rereads discovery from a fresh cache.
async function pool<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: size }, worker));
  return out;
}

describe('kubectl explain against kubectl 1.32', { skip: oracleSkip }, () => {
  let server: FakeServer;
  const home = tempHome('kubemu-explain-');
  const results = new Map<string, { oracle: OracleResult; kubemu: OracleResult }>();

  before(async () => {
    server = await startFakeServer({ openapiV3: openApiDocuments() });
    await pool(CASES, 4, async (args) => {
      const [oracle, mine] = await Promise.all([runOracleAgainst(server, ['explain', ...args]), runKubemu(home, ['explain', ...args])]);
      results.set(args.join(' '), { oracle, kubemu: mine });
    });
  });

  after(async () => {
    await server?.close();
  });

  for (const args of CASES) {
    test(`explain ${args.join(' ')}`, () => {
      const r = results.get(args.join(' '))!;
      assert.equal(r.kubemu.stdout, r.oracle.stdout);
      assert.equal(r.kubemu.stderr, r.oracle.stderr);
      assert.equal(r.kubemu.status, r.oracle.status);
    });
  }

  test('the outputs compared are the real thing, not two errors', () => {
    const pods = results.get('pods')!;
    assert.equal(pods.oracle.status, 0);
    assert.match(pods.oracle.stdout, /^KIND: {7}Pod\nVERSION: {4}v1\n\nDESCRIPTION:\n/);
    assert.match(results.get('pod.spec.containers.resources')!.oracle.stdout, /limits\t<map\[string\]Quantity>/);
  });
});

describe('kubectl explain without an oracle', () => {
  test('prints the schema kubemu validates against', () => {
    const home = tempHome('kubemu-explain-');
    const r = kubemu(['explain', 'deploy.spec.replicas'], { home });
    assert.equal(r.status, 0);
    assert.match(r.stdout, /^GROUP: {6}apps\nKIND: {7}Deployment\nVERSION: {4}v1\n\nFIELD: replicas <integer>\n\n\nDESCRIPTION:\n {4}Number of desired pods/);
  });

  test('plaintext-openapiv2 is not built', () => {
    const home = tempHome('kubemu-explain-');
    const r = kubemu(['explain', 'pods', '--output=plaintext-openapiv2'], { home });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /plaintext-openapiv2 is not supported by kubemu/);
  });
});
