import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { KubeObject } from '../../src/api/types';
import type { ClusterState } from '../../src/store/store';
import type { RngState } from '../../src/util/rand';
import type { ControllerContext } from '../../src/controllers/types';
import { ApiServer, objectKey } from '../../src/api/server';
import { storageKey } from '../../src/api/kinds';
import { kind } from '../../src/api/registry';
import { StatusError } from '../../src/api/errors';
import { evictPod } from '../../src/api/eviction';
import { disruptionController } from '../../src/controllers/disruption';
import { EventRecorder } from '../../src/controllers/events';
import { Clock, rfc3339 } from '../../src/sim/clock';
import { Rng } from '../../src/util/rand';

// The disruption controller's arithmetic (expected pods from the controllers'
// scale, percentages rounded up, unready and just-evicted pods not healthy) and
// the eviction handler's answers, on an in-process API server with no other
// controllers.

const NOW = Date.parse('2026-01-01T12:00:00Z');

function memoryApi(objects: KubeObject[]): ApiServer {
  const state = { objects: {}, resourceVersion: 100 } as unknown as ClusterState;
  const clock = new Clock({ mode: 'manual', speed: 1, anchorReal: 0, anchorSim: NOW });
  const api = new ApiServer({ state, clock, rng: new Rng({ s: [1, 2, 3, 4] } as unknown as RngState) });
  for (const o of [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default', uid: 'ns' } }, ...objects]) {
    const info = api.kindOf(o)!;
    (state.objects[storageKey(info)] ??= {})[objectKey(info.namespaced, o.metadata.namespace, o.metadata.name ?? '')] = { ...o, metadata: { resourceVersion: '1', ...o.metadata } };
  }
  return api;
}

function owner(kindName: string, apiVersion: string, name: string): KubeObject['metadata'] {
  return { ownerReferences: [{ apiVersion, kind: kindName, name, uid: `${name}-uid`, controller: true }] };
}

function workload(kindName: string, apiVersion: string, name: string, replicas: number, extra: KubeObject['metadata'] = {}): KubeObject {
  return { apiVersion, kind: kindName, metadata: { name, namespace: 'default', uid: `${name}-uid`, ...extra }, spec: { replicas, selector: { matchLabels: { app: 'web' } } } };
}

function pod(name: string, ready: boolean, meta: KubeObject['metadata'] = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `${name}-uid`, labels: { app: 'web' }, ...meta },
    spec: { nodeName: 'minikube', containers: [{ name: 'c', image: 'nginx' }], terminationGracePeriodSeconds: 30 },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function pdb(spec: Record<string, unknown>, status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'budget', namespace: 'default', uid: 'pdb-uid', generation: 1 },
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec },
    ...(status ? { status } : {}),
  };
}

// A Deployment of `replicas` whose ReplicaSet runs the given pods.
function deployment(replicas: number, readiness: boolean[]): KubeObject[] {
  return [
    workload('Deployment', 'apps/v1', 'web', replicas),
    workload('ReplicaSet', 'apps/v1', 'web-abc', replicas, owner('Deployment', 'apps/v1', 'web')),
    ...readiness.map((r, i) => pod(`web-abc-${i}`, r, owner('ReplicaSet', 'apps/v1', 'web-abc'))),
  ];
}

function sync(api: ApiServer): { status: Record<string, unknown>; events: string[] } {
  const ctx: ControllerContext = { api, recorder: new EventRecorder(api), now: NOW, requeueAfter() {}, requeueAt() {} };
  disruptionController.reconcile('default/budget', ctx);
  const obj = api.get(kind('PodDisruptionBudget'), 'default', 'budget');
  const events = api.list(kind('Event')).map((e) => `${e.type} ${e.reason} ${e.message}`);
  return { status: obj.status as Record<string, unknown>, events };
}

function counts(status: Record<string, unknown>): number[] {
  return [status.expectedPods, status.desiredHealthy, status.currentHealthy, status.disruptionsAllowed] as number[];
}

describe('disruption controller', () => {
  it('percentages are of the controller scale, rounded up', () => {
    // [expected, desired, healthy, allowed]
    assert.deepEqual(counts(sync(memoryApi([...deployment(3, [true, true, true]), pdb({ minAvailable: '50%' })])).status), [3, 2, 3, 1]);
    assert.deepEqual(counts(sync(memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: '50%' })])).status), [3, 1, 3, 2]);
    assert.deepEqual(counts(sync(memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: '34%' })])).status), [3, 1, 3, 2]);
    assert.deepEqual(counts(sync(memoryApi([...deployment(10, Array(10).fill(true)), pdb({ minAvailable: '75%' })])).status), [10, 8, 10, 2]);
    assert.deepEqual(counts(sync(memoryApi([...deployment(3, [true, true, true]), pdb({ minAvailable: '100%' })])).status), [3, 3, 3, 0]);
    // The Deployment's replicas count, not the pods that happen to exist.
    assert.deepEqual(counts(sync(memoryApi([...deployment(4, [true, true, true]), pdb({ maxUnavailable: 1 })])).status), [4, 3, 3, 0]);
  });

  it('an integer minAvailable counts the pods there are; unready pods are not healthy', () => {
    const { status } = sync(memoryApi([...deployment(5, [true, true, false]), pdb({ minAvailable: 2 })]));
    assert.deepEqual(counts(status), [3, 2, 2, 0]);
    assert.deepEqual(status.conditions, [
      { type: 'DisruptionAllowed', status: 'False', observedGeneration: 1, lastTransitionTime: rfc3339(NOW), reason: 'InsufficientPods', message: '' },
    ]);
    assert.equal(status.observedGeneration, 1);
  });

  it('StatefulSets and ReplicationControllers give their own replicas', () => {
    const sts = [workload('StatefulSet', 'apps/v1', 'zk', 3), ...[0, 1, 2].map((i) => pod(`zk-${i}`, true, owner('StatefulSet', 'apps/v1', 'zk')))];
    const { status } = sync(memoryApi([...sts, pdb({ maxUnavailable: 1 })]));
    assert.deepEqual(counts(status), [3, 2, 3, 1]);
    assert.equal((status.conditions as { reason: string }[])[0].reason, 'SufficientPods');
    const rc = [workload('ReplicationController', 'v1', 'rc', 2), ...[0, 1].map((i) => pod(`rc-${i}`, true, owner('ReplicationController', 'v1', 'rc')))];
    assert.deepEqual(counts(sync(memoryApi([...rc, pdb({ minAvailable: '50%' })])).status), [2, 1, 2, 1]);
  });

  it('pods without a controller are left out of a percentage, with a warning', () => {
    const { status, events } = sync(memoryApi([...deployment(2, [true, true]), pod('bare', true), pdb({ minAvailable: '50%' })]));
    assert.deepEqual(counts(status), [2, 1, 3, 2]);
    assert.deepEqual(events, [
      'Warning UnmanagedPods Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
    ]);
  });

  it('a controller without a scale fails safe', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'batch', namespace: 'default', uid: 'batch-uid' }, spec: {} };
    const { status, events } = sync(memoryApi([job, pod('batch-x', true, owner('Job', 'batch/v1', 'batch')), pdb({ maxUnavailable: '10%' }, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1 })]));
    assert.equal(status.disruptionsAllowed, 0);
    assert.deepEqual(status.conditions, [
      { type: 'DisruptionAllowed', status: 'False', lastTransitionTime: rfc3339(NOW), reason: 'SyncFailed', message: 'jobs.batch does not implement the scale subresource' },
    ]);
    assert.deepEqual(events, ['Warning CalculateExpectedPodCountFailed Failed to calculate the number of expected pods: jobs.batch does not implement the scale subresource']);
  });

  it('recently evicted pods are not healthy until the deletion timeout passes', () => {
    const recent = rfc3339(NOW - 60_000);
    const stale = rfc3339(NOW - 3 * 60_000);
    const { status, events } = sync(
      memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: 1 }, { disruptedPods: { 'web-abc-0': recent, 'web-abc-1': stale }, disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2, expectedPods: 3 })]),
    );
    assert.deepEqual(status.disruptedPods, { 'web-abc-0': recent });
    assert.deepEqual(counts(status), [3, 2, 2, 0]);
    assert.deepEqual(events, ["Warning NotDeleted Pod was expected by PDB default/default to be deleted but it wasn't"]);
  });

  it('no pods: nothing allowed, and an event says so', () => {
    const { status, events } = sync(memoryApi([pdb({ minAvailable: 1 })]));
    assert.deepEqual(counts(status), [0, 1, 0, 0]);
    assert.deepEqual(events, ['Normal NoPods No matching pods found']);
  });
});

function evictionError(fn: () => void): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  assert.fail('expected a StatusError');
}

describe('eviction', () => {
  const allowing = { observedGeneration: 1, disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 };

  it('spends an allowed disruption, records the pod, and deletes it gracefully', () => {
    const api = memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: 1 }, allowing)]);
    evictPod(api, 'default', 'web-abc-0');
    const status = api.get(kind('PodDisruptionBudget'), 'default', 'budget').status as Record<string, unknown>;
    assert.equal(status.disruptionsAllowed, 0);
    assert.deepEqual(status.disruptedPods, { 'web-abc-0': rfc3339(NOW) });
    assert.equal((status.conditions as { reason: string }[])[0].reason, 'InsufficientPods');
    const evicted = api.get(kind('Pod'), 'default', 'web-abc-0');
    assert.equal(evicted.metadata.deletionTimestamp, rfc3339(NOW + 30_000));
    const cond = (evicted.status as { conditions: { type: string; reason?: string; message?: string }[] }).conditions.find((c) => c.type === 'DisruptionTarget');
    assert.deepEqual([cond?.reason, cond?.message], ['EvictionByEvictionAPI', 'Eviction API: evicting']);
  });

  it('refuses with 429 when the budget allows nothing', () => {
    const api = memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: 1 }, { ...allowing, disruptionsAllowed: 0, currentHealthy: 2 })]);
    const err = evictionError(() => evictPod(api, 'default', 'web-abc-0'));
    assert.deepEqual(err.toStatus(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget budget needs 2 healthy pods and has 2 currently' }] },
      code: 429,
    });
    assert.equal(api.get(kind('Pod'), 'default', 'web-abc-0').metadata.deletionTimestamp, undefined);
  });

  it('refuses while the controller has not seen the budget yet', () => {
    const api = memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: 1 }, { ...allowing, observedGeneration: 0 })]);
    const err = evictionError(() => evictPod(api, 'default', 'web-abc-0'));
    assert.equal(err.code, 429);
    assert.deepEqual(err.details, { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget budget is still being processed by the server.' }], retryAfterSeconds: 10 });
  });

  it('lets an unready pod go without spending when the budget is met', () => {
    const api = memoryApi([...deployment(4, [true, true, true, false]), pdb({ maxUnavailable: 1 }, { ...allowing, disruptionsAllowed: 0, currentHealthy: 3, desiredHealthy: 3, expectedPods: 4 })]);
    evictPod(api, 'default', 'web-abc-3');
    assert.ok(api.get(kind('Pod'), 'default', 'web-abc-3').metadata.deletionTimestamp);
    assert.equal((api.get(kind('PodDisruptionBudget'), 'default', 'budget').status as { disruptionsAllowed: number }).disruptionsAllowed, 0);
  });

  it('Pending pods go at once; two budgets are a server error; a missing pod is NotFound', () => {
    const pending = pod('pending', false, owner('ReplicaSet', 'apps/v1', 'web-abc'));
    (pending.status as { phase: string }).phase = 'Pending';
    const api = memoryApi([...deployment(3, [true, true, true]), pending, pdb({ maxUnavailable: 1 }, { ...allowing, disruptionsAllowed: 0 })]);
    evictPod(api, 'default', 'pending');
    assert.ok(api.get(kind('Pod'), 'default', 'pending').metadata.deletionTimestamp);

    const second = { ...pdb({ minAvailable: 1 }, allowing), metadata: { name: 'other', namespace: 'default', uid: 'other-uid', generation: 1 } };
    const two = memoryApi([...deployment(3, [true, true, true]), pdb({ maxUnavailable: 1 }, allowing), second]);
    const err = evictionError(() => evictPod(two, 'default', 'web-abc-1'));
    assert.deepEqual([err.code, err.message], [500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.']);
    assert.equal(evictionError(() => evictPod(two, 'default', 'nope')).message, 'pods "nope" not found');
  });
});
