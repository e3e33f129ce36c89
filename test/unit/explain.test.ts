import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { indent, openApiDocument, openApiPaths, renderExplain, wrap } from '../../src/cli/verbs/explain';
import type { Json, JsonObject } from '../../src/cli/verbs/explain';

// The pieces of `kubectl explain` (kubectl 1.32's plaintext template): word
// wrapping, the FIELD/DESCRIPTION/FIELDS layout, type names, enums, errors, and
// the OpenAPI documents kubemu builds. Expected texts were taken from the real
// kubectl 1.32 rendering the same documents (test/e2e/explain.test.ts compares
// the whole command against it).

const ref = (name: string): JsonObject => ({ allOf: [{ $ref: `#/components/schemas/${name}` }] });

function doc(schemas: Record<string, Json>, kind = 'Thing', group = ''): JsonObject {
  const prefix = group ? `/apis/${group}/v1` : '/api/v1';
  return {
    paths: { [`${prefix}/namespaces/{namespace}/things`]: { get: { 'x-kubernetes-group-version-kind': { group, kind, version: 'v1' } } } },
    components: { schemas: schemas as JsonObject },
  };
}

const GVK = [{ group: '', kind: 'Thing', version: 'v1' }];

const THING = doc({
  'io.k8s.api.core.v1.Thing': {
    description: 'Thing is a pod.\n\nSecond paragraph here with a long long text text text text text text text text text text text text text text text.',
    type: 'object',
    properties: {
      spec: { ...ref('io.k8s.api.core.v1.ThingSpec'), description: 'Spec desc.' },
      kind: { type: 'string', description: 'Kind\ttab  two  spaces.\n - item one\n - item two' },
      q: { ...ref('io.k8s.apimachinery.pkg.api.resource.Quantity'), description: 'a quantity' },
      t: { ...ref('io.k8s.apimachinery.pkg.apis.meta.v1.Time'), description: 'a time' },
      e: { type: 'string', enum: ['', 'A', 'B', 'C', 'D', 'E'], description: 'enum field' },
      m: { type: 'object', additionalProperties: { type: 'string' } },
      l: { type: 'array', items: ref('io.k8s.api.core.v1.ThingSpec') },
    },
    required: ['spec'],
    'x-kubernetes-group-version-kind': GVK,
  },
  'io.k8s.api.core.v1.ThingSpec': { description: 'ThingSpec is a spec.', type: 'object', properties: { a: { type: 'integer', format: 'int32' } } },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { description: 'Quantity desc', oneOf: [{ type: 'string' }, { type: 'number' }] },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { description: 'Time desc', type: 'string', format: 'date-time' },
});

const GVR = { group: '', version: 'v1', resource: 'things' };

describe('wrap (go-wordwrap 1.0.1)', () => {
  test('breaks at the last space that keeps a line within the limit', () => {
    assert.equal(wrap(10, 'aaa bbb ccc ddd'), 'aaa bbb\nccc ddd');
    assert.equal(wrap(7, 'aaa bbb ccc'), 'aaa bbb\nccc');
  });
  test('keeps line breaks, drops the spaces where it breaks, keeps runs of spaces inside lines', () => {
    assert.equal(wrap(20, 'one  two\n\nthree'), 'one  two\n\nthree');
    assert.equal(wrap(5, 'abc   def'), 'abc\ndef');
  });
  test('never breaks a word longer than the limit', () => {
    assert.equal(wrap(5, 'abcdefghij kl'), 'abcdefghij\nkl');
    assert.equal(wrap(5, 'ab https://example.com/long'), 'ab\nhttps://example.com/long');
  });
  test('counts runes, not bytes', () => {
    assert.equal(wrap(5, 'ééé ééé'), 'ééé\nééé');
  });
  test('trailing spaces stay while they fit', () => {
    assert.equal(wrap(10, 'ab  '), 'ab  ');
    assert.equal(wrap(3, 'abc    '), 'abc');
  });
});

describe('indent', () => {
  test('pads the first line and every line after a break, even empty ones', () => {
    assert.equal(indent(4, 'a\n\nb\n'), '    a\n    \n    b\n    ');
  });
});

describe('the plaintext template', () => {
  test('a resource: header, wrapped description, fields in key order with types', () => {
    const r = renderExplain(THING, GVR, [], false);
    assert.equal(r.error, undefined);
    assert.equal(
      r.out,
      'KIND:       Thing\nVERSION:    v1\n\nDESCRIPTION:\n' +
        '    Thing is a pod.\n    \n    Second paragraph here with a long long text text text text text text text\n' +
        '    text text text text text text text text.\n    \n' +
        'FIELDS:\n' +
        '  e\t<string>\n  enum: "", A, B, C, ....\n    enum field\n\n' +
        '  kind\t<string>\n    Kind\ttab  two  spaces.\n     - item one\n     - item two\n\n' +
        '  l\t<[]ThingSpec>\n    <no description>\n\n' +
        '  m\t<map[string]string>\n    <no description>\n\n' +
        '  q\t<Quantity>\n    a quantity\n\n' +
        '  spec\t<ThingSpec> -required-\n    Spec desc.\n\n' +
        '  t\t<string>\n    a time\n\n\n',
    );
  });

  test('a field: FIELD line, then its own description and its type description', () => {
    const r = renderExplain(THING, GVR, ['spec'], false);
    assert.equal(
      r.out,
      'KIND:       Thing\nVERSION:    v1\n\nFIELD: spec <ThingSpec>\n\n\nDESCRIPTION:\n    Spec desc.\n    ThingSpec is a spec.\n    \n' +
        'FIELDS:\n  a\t<integer>\n    <no description>\n\n\n',
    );
  });

  test('a field with an enum lists every value in the long view', () => {
    const r = renderExplain(THING, GVR, ['e'], false);
    assert.equal(
      r.out,
      'KIND:       Thing\nVERSION:    v1\n\nFIELD: e <string>\nENUM:\n    ""\n    A\n    B\n    C\n    D\n    E\n\nDESCRIPTION:\n    enum field\n    \n\n',
    );
  });

  test('paths go through list items; a field without description is <empty>', () => {
    const r = renderExplain(THING, GVR, ['l', 'a'], false);
    assert.equal(r.out, 'KIND:       Thing\nVERSION:    v1\n\nFIELD: a <integer>\n\n\nDESCRIPTION:\n    <empty>\n\n');
  });

  test('--recursive: names and types only, nested two spaces deeper', () => {
    const r = renderExplain(THING, GVR, [], true);
    assert.ok(
      r.out.endsWith(
        'FIELDS:\n  e\t<string>\n  enum: "", A, B, C, ....\n  kind\t<string>\n  l\t<[]ThingSpec>\n    a\t<integer>\n' +
          '  m\t<map[string]string>\n  q\t<Quantity>\n  spec\t<ThingSpec> -required-\n    a\t<integer>\n  t\t<string>\n\n',
      ),
    );
  });

  test('an unknown field names the last element of the path, after the header', () => {
    assert.deepEqual(renderExplain(THING, GVR, ['spec', 'a', 'b'], false), {
      out: 'KIND:       Thing\nVERSION:    v1\n\n',
      error: 'error: field "b" does not exist',
    });
    assert.equal(renderExplain(THING, GVR, ['m', 'x'], false).error, 'error: field "x" does not exist');
  });

  test('a resource the document does not serve', () => {
    assert.deepEqual(renderExplain(THING, { ...GVR, resource: 'pods' }, [], false), {
      out: '',
      error: 'error: GVR (/v1, Resource=pods) not found in OpenAPI schema',
    });
  });

  test('GROUP line for named groups; cycles end the recursion', () => {
    const cyclic = doc(
      {
        'io.k8s.api.x.v1.Node': {
          type: 'object',
          properties: { child: ref('io.k8s.api.x.v1.Node'), name: { type: 'string' } },
          'x-kubernetes-group-version-kind': [{ group: 'x.io', kind: 'Node', version: 'v1' }],
        },
      },
      'Node',
      'x.io',
    );
    const r = renderExplain(cyclic, { group: 'x.io', version: 'v1', resource: 'things' }, [], true);
    assert.equal(
      r.out,
      'GROUP:      x.io\nKIND:       Node\nVERSION:    v1\n\nDESCRIPTION:\n    <empty>\nFIELDS:\n' +
        '  child\t<Node>\n    child\t<Node>\n    name\t<string>\n  name\t<string>\n\n',
    );
  });
});

describe('the OpenAPI documents kubemu serves', () => {
  test('one per served group/version', () => {
    const paths = openApiPaths();
    for (const p of ['api/v1', 'apis/apps/v1', 'apis/autoscaling/v2', 'apis/autoscaling/v1', 'apis/events.k8s.io/v1']) assert.ok(paths.includes(p), p);
  });

  test("named as kube-apiserver names them, fields of other types as allOf beside their description", () => {
    const d = openApiDocument('apis/apps/v1')!;
    const schemas = (d.components as JsonObject).schemas as JsonObject;
    const deployment = schemas['io.k8s.api.apps.v1.Deployment'] as JsonObject;
    assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const props = deployment.properties as JsonObject;
    assert.deepEqual((props.metadata as JsonObject).allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.match(String((props.metadata as JsonObject).description), /^Standard object's metadata/);
    assert.ok(schemas['io.k8s.api.core.v1.PodSpec']);
    assert.ok(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']);
    assert.deepEqual((d.paths as JsonObject)['/apis/apps/v1/namespaces/{namespace}/deployments'], {
      get: { 'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' } },
    });
  });

  test('Quantity, IntOrString and Time print as kube-apiserver types', () => {
    const d = openApiDocument('api/v1')!;
    const gvr = { group: '', version: 'v1', resource: 'pods' };
    const resources = renderExplain(d, gvr, ['spec', 'containers', 'resources'], false).out;
    assert.match(resources, /\n {2}limits\t<map\[string\]Quantity>\n/);
    assert.match(renderExplain(d, gvr, ['spec', 'containers', 'livenessProbe', 'httpGet'], false).out, /\n {2}port\t<IntOrString> -required-\n/);
    assert.match(renderExplain(d, gvr, ['metadata'], false).out, /\n {2}creationTimestamp\t<string>\n/);
    assert.match(renderExplain(d, gvr, ['spec'], false).out, /\n {2}containers\t<\[\]Container> -required-\n/);
  });

  test('the older autoscaling/v1 HorizontalPodAutoscaler has its own schema', () => {
    const d = openApiDocument('apis/autoscaling/v1')!;
    const out = renderExplain(d, { group: 'autoscaling', version: 'v1', resource: 'horizontalpodautoscalers' }, ['spec'], false).out;
    assert.match(out, /targetCPUUtilizationPercentage\t<integer>/);
  });
});
