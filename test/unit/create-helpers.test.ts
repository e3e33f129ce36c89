import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { goDecodeError, goJsonCompact, goJsonSorted, goNormalize, goTypeOf } from '../../src/cli/verbs/create/go-structs';
import { contentHash, parseFileSource, parseLiteralSource } from '../../src/cli/verbs/create/sources';
import { parseServicePort, portNameErrors } from '../../src/cli/verbs/create/service';
import { containerNameOfImage } from '../../src/cli/verbs/create/deployment';

// Pure helpers of the generators: Go struct encoding and kubectl's small parsers.

describe('go-structs', () => {
  it('knows the Go type of built-in kinds', () => {
    assert.equal(goTypeOf({ apiVersion: 'apps/v1', kind: 'Deployment' }), 'apps.Deployment');
    assert.equal(goTypeOf({ apiVersion: 'v1', kind: 'Pod' }), 'core.Pod');
    assert.equal(goTypeOf({ apiVersion: 'example.com/v1', kind: 'Widget' }), undefined);
  });

  it('encodes in field order, maps sorted, zero values of non-omitempty fields, unknown fields dropped', () => {
    const pod = { spec: { containers: [{ image: 'x', name: 'c', bogus: 1 }] }, apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', labels: { b: '1', a: '2' } } };
    assert.equal(
      goJsonCompact(pod, 'core.Pod'),
      '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":null,"labels":{"a":"2","b":"1"}},"spec":{"containers":[{"name":"c","image":"x","resources":{}}]},"status":{}}',
    );
  });

  it('keeps non-omitempty pointers as null and omitempty empties out', () => {
    const n = goNormalize({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'c', annotations: {} } }, 'rbac.ClusterRole');
    assert.deepEqual(n, { kind: 'ClusterRole', apiVersion: 'rbac.authorization.k8s.io/v1', metadata: { name: 'c', creationTimestamp: null }, rules: null });
  });

  it('sorts untyped maps as Go does (by bytes, "10" before "9")', () => {
    assert.equal(goJsonSorted({ data: { '9': 'b', '10': 'a' }, kind: 'ConfigMap' }), '{"data":{"10":"a","9":"b"},"kind":"ConfigMap"}');
  });

  it("reports json.Unmarshal's type errors", () => {
    assert.equal(goDecodeError({ spec: 'x' }, 'core.Pod', 'Pod'), 'json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec');
    assert.equal(
      goDecodeError({ spec: { containers: [{ name: 1 }] } }, 'core.Pod', 'Pod'),
      'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string',
    );
    assert.equal(goDecodeError({ spec: { containers: [{ name: 'a' }] } }, 'core.Pod', 'Pod'), undefined);
  });
});

describe('generator parsers', () => {
  it('parses --from-file and --from-literal sources', () => {
    assert.deepEqual(parseFileSource('/a/b.txt'), { key: 'b.txt', file: '/a/b.txt' });
    assert.deepEqual(parseFileSource('k=/a/b.txt'), { key: 'k', file: '/a/b.txt' });
    assert.deepEqual(parseFileSource('dir/'), { key: 'dir', file: 'dir/' });
    assert.throws(() => parseFileSource('=x'), /key name for file path x missing/);
    assert.throws(() => parseFileSource('a=b=c'), /cannot contain '='/);
    assert.deepEqual(parseLiteralSource('a=b=c'), { key: 'a', value: 'b=c' });
    assert.throws(() => parseLiteralSource('=b'), /invalid literal source =b, expected key=value/);
  });

  it('hashes like kubectl --append-hash (no vowel-like digits)', () => {
    assert.match(contentHash({ kind: 'ConfigMap', name: 'c', data: {} }), /^[0-9a-z]{10}$/);
    assert.doesNotMatch(contentHash({ kind: 'ConfigMap', name: 'c', data: {} }), /[013ae]/);
  });

  it('parses --tcp port specs', () => {
    assert.deepEqual(parseServicePort('80'), { port: 80, targetPort: 80 });
    assert.deepEqual(parseServicePort('80:http'), { port: 80, targetPort: 'http' });
    assert.deepEqual(parseServicePort('80:8080:x'), { port: 80, targetPort: 8080 });
    assert.throws(() => parseServicePort('+1'), /strconv.ParseUint: parsing "\+1": invalid syntax/);
    assert.deepEqual(portNameErrors('a--b-'), ['must not contain consecutive hyphens', 'must not begin or end with a hyphen']);
  });

  it('names containers after their image', () => {
    assert.equal(containerNameOfImage('registry.k8s.io/pause:3.9'), 'pause');
    assert.equal(containerNameOfImage('nginx@sha256:abc'), 'nginx');
    assert.match(containerNameOfImage('my_app.v2:1'), /^my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
