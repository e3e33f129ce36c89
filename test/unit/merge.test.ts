import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMergePatch, applyStrategicPatch, threeWayPatch } from '../../src/api/merge/strategic';
import type { JsonObject } from '../../src/util/json';

// Strategic merge patch and kubectl apply's three-way patch, on the Kubernetes
// types' merge keys.

const deployment = (containers: JsonObject[], extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 1, template: { spec: { containers } }, ...extra },
});

test('containers merge by name, ports by containerPort, env by name', () => {
  const live = deployment([
    { name: 'a', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'X', value: '1' }] },
    { name: 'b', image: 'busybox' },
  ]);
  const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'nginx:2', env: [{ name: 'Y', value: '2' }] }] } } } };
  const out = applyStrategicPatch(live, patch, 'V1Deployment') as { spec: { template: { spec: { containers: JsonObject[] } } } };
  const [a, b] = out.spec.template.spec.containers;
  assert.equal(a.image, 'nginx:2');
  assert.deepEqual(a.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(a.env, [{ name: 'X', value: '1' }, { name: 'Y', value: '2' }]);
  assert.equal(b.name, 'b');
});

test('lists without a merge key are replaced; null deletes a field', () => {
  const live = deployment([{ name: 'a', image: 'x', args: ['1', '2'] }], { paused: true });
  const out = applyStrategicPatch(live, { spec: { paused: null, template: { spec: { containers: [{ name: 'a', args: ['3'] }] } } } }, 'V1Deployment') as JsonObject;
  const spec = out.spec as JsonObject;
  assert.equal('paused' in spec, false);
  assert.deepEqual(((spec.template as JsonObject).spec as { containers: JsonObject[] }).containers[0].args, ['3']);
});

test('$patch: delete removes a list item by its key', () => {
  const live = deployment([{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }]);
  const out = applyStrategicPatch(live, { spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'a' }] } } } }, 'V1Deployment') as {
    spec: { template: { spec: { containers: JsonObject[] } } };
  };
  assert.deepEqual(out.spec.template.spec.containers.map((c) => c.name), ['b']);
});

test('three-way: unchanged manifest is an empty patch; defaults on the live object are kept', () => {
  const manifest = deployment([{ name: 'a', image: 'nginx:1' }]);
  const live = deployment([{ name: 'a', image: 'nginx:1', imagePullPolicy: 'IfNotPresent', resources: {} }], { revisionHistoryLimit: 10 });
  assert.deepEqual(threeWayPatch(manifest, manifest, live, 'V1Deployment'), {});
});

test('three-way: a field removed from the manifest is deleted, others set it', () => {
  const original = deployment([{ name: 'a', image: 'nginx:1' }], { minReadySeconds: 5 });
  const modified = deployment([{ name: 'a', image: 'nginx:2' }]);
  const live = deployment([{ name: 'a', image: 'nginx:1' }], { minReadySeconds: 5, paused: false });
  const patch = threeWayPatch(original, modified, live, 'V1Deployment');
  assert.deepEqual(patch, {
    spec: {
      template: { spec: { containers: [{ image: 'nginx:2', name: 'a' }], '$setElementOrder/containers': [{ name: 'a' }] } },
      minReadySeconds: null,
    },
  });
  const out = applyStrategicPatch(live, patch, 'V1Deployment') as JsonObject;
  assert.equal((out.spec as JsonObject).paused, false, 'a field the manifest never had is left alone');
  assert.equal('minReadySeconds' in (out.spec as JsonObject), false);
});

test('three-way: a container removed from the manifest is deleted by name', () => {
  const original = deployment([{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }]);
  const modified = deployment([{ name: 'a', image: 'x' }]);
  const patch = threeWayPatch(original, modified, original, 'V1Deployment');
  const out = applyStrategicPatch(original, patch, 'V1Deployment') as { spec: { template: { spec: { containers: JsonObject[] } } } };
  assert.deepEqual(out.spec.template.spec.containers.map((c) => c.name), ['a']);
});

test('JSON merge patch (RFC 7386)', () => {
  assert.deepEqual(applyMergePatch({ a: 1, b: { c: 2, d: 3 }, e: [1] }, { b: { c: null, x: 1 }, e: [2] }), { a: 1, b: { d: 3, x: 1 }, e: [2] });
});
