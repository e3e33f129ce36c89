import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeHash, resourceHash } from '../../src/cli/kustomize/hash';
import { Resource, ResId } from '../../src/cli/kustomize/resource';
import { readYamlResources, resolvePlainV3 } from '../../src/cli/kustomize/yaml';
import { parseKustomization } from '../../src/cli/kustomize/kustomization';
import { parseRepoSpec } from '../../src/cli/kustomize/loader';
import { encodeBase64 } from '../../src/cli/kustomize/generators';
import { buildKustomization, kustomizeYaml, KustomizeError } from '../../src/cli/kustomize';
import { oracleSkip, runOracle } from '../helpers/oracle';

// The pieces of kubemu's kustomize that must be exact: the name hash, go-yaml
// v3's scalars, Go's JSON decoding errors for the kustomization file, git URL
// recognition; and small builds checked against the real kubectl.

describe('kustomize name hash', () => {
  test('the Redis tutorial ConfigMap gets the suffix kubectl 1.32 gives it', () => {
    const cm = new Resource({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'example-redis-config' },
      data: { 'redis-config': 'maxmemory 2mb\nmaxmemory-policy allkeys-lru\n' },
    });
    assert.equal(resourceHash(cm), 'hfbhg9b679');
  });

  test('the name does not take part; a Secret hashes its type too', () => {
    const a = new Resource({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'a' }, type: 'Opaque', data: { password: 'WU9VUl9QQVNTV09SRA==' } });
    const b = new Resource({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' }, type: 'Opaque', data: { password: 'WU9VUl9QQVNTV09SRA==' } });
    assert.equal(resourceHash(a), resourceHash(b));
    // The WordPress tutorial's secret (password=YOUR_PASSWORD), as kubectl 1.32 names it.
    assert.equal(resourceHash(a), '5m26tmdb5k');
    b.obj.type = 'kubernetes.io/tls';
    assert.notEqual(resourceHash(a), resourceHash(b));
  });

  test('hex digits 0, 1, 3, a, e become letters', () => {
    assert.equal(encodeHash('013ae45678ffff'), 'ghkmt45678');
  });
});

describe('go-yaml v3 scalars', () => {
  test('YAML 1.1 booleans stay strings, numbers resolve as Go parses them', () => {
    assert.equal(resolvePlainV3('yes'), 'yes');
    assert.equal(resolvePlainV3('on'), 'on');
    assert.equal(resolvePlainV3('True'), true);
    assert.equal(resolvePlainV3('~'), null);
    assert.equal(resolvePlainV3('0777'), 511);
    assert.equal(resolvePlainV3('0o17'), 15);
    assert.equal(resolvePlainV3('0x1F'), 31);
    assert.equal(resolvePlainV3('1_000'), 1000);
    assert.equal(resolvePlainV3('08'), 8);
    assert.equal(resolvePlainV3('1e3'), 1000);
    assert.equal(resolvePlainV3('.5'), 0.5);
    assert.equal(resolvePlainV3('1.2.3'), '1.2.3');
  });

  test('plain timestamps come out as Go JSON times', () => {
    assert.equal(resolvePlainV3('2024-01-02'), '2024-01-02T00:00:00Z');
    assert.equal(resolvePlainV3('2001-12-14t21:59:43.10-05:00'), '2001-12-14T21:59:43.1-05:00');
    assert.equal(resolvePlainV3('2024-02-30'), '2024-02-30');
    assert.equal(resolvePlainV3('2024-01-02T10:00:00'), '2024-01-02T10:00:00');
  });

  test('documents split at --- lines; a lone List is unwrapped; empty documents dropped', () => {
    const docs = readYamlResources('a: 1\n---\n# nothing\n---\nkind: List\nitems:\n- b: 2\n');
    assert.deepEqual(docs, [{ a: 1 }, { kind: 'List', items: [{ b: 2 }] }]);
    assert.deepEqual(readYamlResources('kind: List\nitems:\n- b: 2\n- c: 3\n'), [{ b: 2 }, { c: 3 }]);
    assert.throws(() => readYamlResources('a: 1\n--- x\nb: 2\n'), /invalid document separator: --- x/);
    assert.throws(() => readYamlResources('a: b: c\n'), /^Error: MalformedYAMLError: yaml: mapping values are not allowed in this context$/);
  });
});

describe('the kustomization file', () => {
  const err = (text: string) => {
    try {
      parseKustomization(text);
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };

  test('Go decoding errors, the first in sorted key order', () => {
    assert.equal(err('foo: bar\n'), 'invalid Kustomization: json: unknown field "foo"');
    assert.equal(err('resources: x\nnamePrefix: 1\n'), 'invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.namePrefix of type string');
    assert.equal(
      err('configMapGenerator:\n- name: x\n  literals: a=b\n'),
      'invalid Kustomization: json: cannot unmarshal string into Go struct field ConfigMapArgs.configMapGenerator.literals of type []string',
    );
    assert.equal(err('replicas:\n- name: x\n  count: 1.5\n'), 'invalid Kustomization: json: cannot unmarshal number 1.5 into Go struct field Replica.replicas.count of type int64');
    assert.equal(err('a'), 'invalid Kustomization: json: cannot unmarshal string into Go value of type types.Kustomization');
    assert.equal(err('namePrefix: [a\n'), "invalid Kustomization: yaml: line 1: did not find expected ',' or ']'");
  });

  test('field names match case-insensitively, as Go does', () => {
    assert.deepEqual(parseKustomization('NAMEPREFIX: a\n'), { namePrefix: 'a' });
  });
});

describe('remote resources', () => {
  test('git URLs as kustomize recognizes them', () => {
    assert.deepEqual(parseRepoSpec('github.com/kubernetes-sigs/kustomize/examples/helloWorld?ref=v1.0.6'), {
      cloneSpec: 'https://github.com/kubernetes-sigs/kustomize',
      host: 'github.com',
      ref: 'v1.0.6',
    });
    assert.equal(parseRepoSpec('https://github.com/org/repo//path?ref=main')?.cloneSpec, 'https://github.com/org/repo');
    assert.equal(parseRepoSpec('git@github.com:org/repo.git')?.cloneSpec, 'git@github.com:org/repo.git');
    assert.equal(parseRepoSpec('../base'), undefined);
    assert.equal(parseRepoSpec('https://example.com/x.yaml'), undefined);
  });
});

test('base64 for Secrets wraps at 70 columns once it is that long', () => {
  assert.equal(encodeBase64(Buffer.from('short')), 'c2hvcnQ=');
  const enc = Buffer.alloc(60, 'a').toString('base64');
  assert.equal(enc.length, 80);
  assert.equal(encodeBase64(Buffer.alloc(60, 'a')), `${enc.slice(0, 70)}\n${enc.slice(70)}\n`);
});

test('ResId strings as kustomize prints them', () => {
  const id = new ResId({ group: 'apps', version: 'v1', kind: 'Deployment' }, 'web', '');
  assert.equal(id.toString(), 'Deployment.v1.apps/web.[noNs]');
  assert.equal(ResId.fromString(id.toString()).toString(), id.toString());
});

// Small kustomizations written here and built by both.
describe('builds against kubectl kustomize', { skip: oracleSkip }, () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-kustomize-unit-'));
  const cases: Record<string, Record<string, string>> = {
    'generator-behaviors': {
      'base/kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals:\n  - a=1\n  - b=2\n  options:\n    labels:\n      from: base\n',
      'kustomization.yaml':
        'resources:\n- base\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals:\n  - b=3\n  options:\n    annotations:\n      merged: "true"\n- name: other\n  behavior: create\n  literals:\n  - x=y\n',
    },
    'secret-types': {
      'kustomization.yaml': 'secretGenerator:\n- name: reg\n  type: kubernetes.io/dockerconfigjson\n  literals:\n  - .dockerconfigjson={"auths":{}}\n- name: empty\n',
    },
    'patch-delete': {
      'r.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n',
      'kustomization.yaml': 'resources:\n- r.yaml\npatches:\n- patch: |-\n    $patch: delete\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: gone\n',
    },
    'rename-patch': {
      'r.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: busybox\n    envFrom:\n    - configMapRef:\n        name: old\n',
      'kustomization.yaml':
        'resources:\n- r.yaml\npatches:\n- patch: |-\n    - op: replace\n      path: /metadata/name\n      value: renamed\n  target:\n    kind: ConfigMap\n    name: old\n',
    },
  };
  for (const [name, files] of Object.entries(cases)) {
    test(name, () => {
      const dir = path.join(root, name);
      for (const [f, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.writeFileSync(path.join(dir, f), text);
      }
      const warnings: string[] = [];
      let stdout = '';
      let stderr = '';
      try {
        stdout = kustomizeYaml(buildKustomization(dir, (l) => warnings.push(l)));
      } catch (e) {
        if (!(e instanceof KustomizeError)) throw e;
        stderr = `error: ${e.message}\n`;
      }
      stderr = warnings.map((w) => `${w}\n`).join('') + stderr;
      const o = runOracle(['kustomize', dir]);
      assert.equal(stdout, o.stdout);
      assert.equal(stderr, o.stderr);
    });
  }
});
