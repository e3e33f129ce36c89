import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareGoStrings, JsonError, jsonString, toJson } from '../../src/printers/json';
import type { JsonObject } from '../../src/util/json';
import { oracleSkip, runOracle } from '../helpers/oracle';

const LONG = 'the quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit';

// Strings whose Go JSON encoding is interesting (escapes, HTML-safety, unicode).
const STRINGS: string[] = [
  '', 'plain', ' lead', 'trail ', 'a: b', '0123', 'true', 'null', '1e3', '-', '~',
  '<', '>', '&', '<script>alert("x")</script>', 'a && b', 'x<y>z', '&amp;',
  '"', 'say "hi"', '\\', 'back\\slash', '\\"', '/', 'a/b', "it's", '`', '\'"\\',
  '\n', 'a\nb', 'a\n', '\r\n', '\t', 'a\tb', '\b', '\f', '\u000b', '\u0007', '\u001b[0m', '\u001f', '\u0001',
  '\u007f', '\u0080', '\u0085', '\u009f', '\u00a0', 'é ñ 中文', 'naïve café', '\u2028', '\u2029', 'a\u2028b\u2029c',
  '\u200b', '\ufeff', '\ufffd', '\ufffe', '\uffff', '\ue000', '😀', 'emoji 😀 inside', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  LONG, `${LONG}\n${LONG}`, 'x'.repeat(300), '{"nested": "json"}', '[1, 2, 3]', 'key=value', '%s %d', '#comment',
  '\u00e9\u0301', 'Ω≈ç√∫', 'ＡＢＣ', 'מילה', 'كلمة', '🇩🇪', '👨‍👩‍👧', 'a\u0002b',
];

function key(i: number): string {
  return `k${String(i).padStart(3, '0')}`;
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  const i = al.findIndex((line, n) => line !== bl[n]);
  return `line ${i + 1}: kubectl ${JSON.stringify(al[i])} vs ours ${JSON.stringify(bl[i])}`;
}

// kubectl reads the object as unstructured JSON and prints it back (keys sorted).
function oracleRoundTrip(obj: JsonObject): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-printer-'));
  try {
    const file = path.join(dir, 'obj.json');
    const text = JSON.stringify(obj).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    fs.writeFileSync(file, text);
    const r = runOracle(['annotate', '--local', '-f', file, 'kubemu=test', '-o', 'json']);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function annotated(obj: JsonObject): JsonObject {
  const copy = JSON.parse(JSON.stringify(obj)) as JsonObject;
  (copy.metadata as JsonObject).annotations = { kubemu: 'test' };
  return copy;
}

describe('toJson against kubectl', { skip: oracleSkip }, () => {
  it(`prints ${STRINGS.length} strings in struct order as create configmap -o json does`, () => {
    const args = ['create', 'configmap', 'x', '--dry-run=client', '-o', 'json'];
    const data: Record<string, string> = {};
    STRINGS.forEach((s, i) => {
      data[key(i)] = s;
      args.push(`--from-literal=${key(i)}=${s}`);
    });
    const r = runOracle(args);
    assert.equal(r.status, 0, r.stderr);
    // Struct field order: kind, apiVersion, metadata (name, creationTimestamp), data.
    const ours = toJson({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null }, data }, { sortKeys: false });
    assert.equal(ours, r.stdout, firstDifference(r.stdout, ours));
  });

  it('sorts the keys of map fields inside a struct-ordered object', () => {
    // JS puts integer-like keys first ("9" before "10"); Go sorts the map bytewise.
    const keys = ['10', '9', '-', 'a', '_x', 'B', '0', '01', '.e', 'z.z', '4294967296', '4294967295'];
    const r = runOracle(['create', 'configmap', 'x', ...keys.map((k) => `--from-literal=${k}=v`), '--dry-run=client', '-o', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const data = Object.fromEntries(keys.map((k) => [k, 'v']));
    assert.equal(toJson({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null }, data }, { sortKeys: false }), r.stdout);
  });

  it('prints create deployment -o json in struct order', () => {
    const r = runOracle(['create', 'deployment', 'd', '--image=nginx', '--port=80', '--dry-run=client', '-o', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const deployment: JsonObject = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'd', creationTimestamp: null, labels: { app: 'd' } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'd' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    };
    assert.equal(toJson(deployment, { sortKeys: false }), r.stdout);
  });

  it('prints the same strings, as values and as keys, with sorted keys like an unstructured object', () => {
    const obj: JsonObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: Object.fromEntries(STRINGS.map((s, i) => [key(i), s])),
      // Go orders keys by UTF-8 bytes: U+FFFF sorts before an emoji, unlike JS's default sort.
      keys: Object.fromEntries(STRINGS.map((s) => [s, 'v'])),
      list: STRINGS,
    };
    const expected = oracleRoundTrip(obj);
    const ours = toJson(annotated(obj), { sortKeys: true });
    assert.equal(ours, expected, firstDifference(expected, ours));
  });

  it('prints numbers, booleans, nulls, empty and nested collections like kubectl', () => {
    const obj: JsonObject = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: { name: 'n' },
      numbers: [
        0, 1, -1, 42, 2147483648, 9007199254740991, -9007199254740991, 1e20, 1e21, -1e21, 1.5e300, 0.5, -0.5, 0.1,
        1.5, 123456.7, 1234567.5, 0.000001, 0.0000001, 1.5e-7, 5e-324, 1.7976931348623157e308,
      ],
      flags: [true, false],
      nothing: null,
      emptyMap: {},
      emptyList: [],
      deep: { list: [{}, [], [[]], [{}], { a: [] }, { a: {} }, null, [1, [2, [3]]]] },
    };
    assert.equal(toJson(annotated(obj), { sortKeys: true }), oracleRoundTrip(obj));
  });

  it('keeps a lone surrogate as U+FFFD, as Go decodes "\\ud800"', () => {
    const obj: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '\ud800', b: 'x\udc00y', c: '\udbff\udfff' } };
    assert.equal(toJson(annotated(obj), { sortKeys: true }), oracleRoundTrip(obj));
  });
});

// Expected texts below were produced by kubectl 1.32.
describe('toJson: layout', () => {
  it('indents with four spaces and prints empty collections inline', () => {
    const obj: JsonObject = {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { name: 'n', annotations: { a: 'b' } },
      spec: {
        emptyMap: {},
        emptyList: [],
        nothing: null,
        yes: true,
        no: false,
        int: 42,
        negative: -7,
        float: 0.5,
        bigFloat: 1234567.5,
        tiny: 0.00001,
        huge: 1e21,
        int64: 9007199254740991,
        listOfMaps: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443 }] }, { name: 'b', env: [] }],
        listOfLists: [[1, 2], [], [[3]]],
        mapInList: [{ k: { deep: { deeper: 'x' } } }],
        listOfScalars: ['a', 1, null, true, 'true', ''],
        multi: 'line1\nline2\n',
        emptyInList: [{}, []],
      },
    };
    assert.equal(
      toJson(obj, { sortKeys: true }),
      `{
    "apiVersion": "v1",
    "kind": "List",
    "metadata": {
        "annotations": {
            "a": "b"
        },
        "name": "n"
    },
    "spec": {
        "bigFloat": 1234567.5,
        "emptyInList": [
            {},
            []
        ],
        "emptyList": [],
        "emptyMap": {},
        "float": 0.5,
        "huge": 1e+21,
        "int": 42,
        "int64": 9007199254740991,
        "listOfLists": [
            [
                1,
                2
            ],
            [],
            [
                [
                    3
                ]
            ]
        ],
        "listOfMaps": [
            {
                "name": "a",
                "ports": [
                    {
                        "containerPort": 80
                    },
                    {
                        "containerPort": 443
                    }
                ]
            },
            {
                "env": [],
                "name": "b"
            }
        ],
        "listOfScalars": [
            "a",
            1,
            null,
            true,
            "true",
            ""
        ],
        "mapInList": [
            {
                "k": {
                    "deep": {
                        "deeper": "x"
                    }
                }
            }
        ],
        "multi": "line1\\nline2\\n",
        "negative": -7,
        "no": false,
        "nothing": null,
        "tiny": 0.00001,
        "yes": true
    }
}
`,
    );
  });

  it('keeps insertion order when asked, except inside map fields', () => {
    const obj: JsonObject = { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'x', creationTimestamp: null }, data: { b: '1', a: '2' } };
    assert.equal(
      toJson(obj, { sortKeys: false }),
      '{\n    "kind": "ConfigMap",\n    "apiVersion": "v1",\n    "metadata": {\n        "name": "x",\n        "creationTimestamp": null\n    },\n    "data": {\n        "a": "2",\n        "b": "1"\n    }\n}\n',
    );
    // With an explicit (empty) set of map fields nothing is sorted.
    assert.ok(toJson(obj, { sortKeys: false, mapFields: new Set() }).includes('"b": "1",\n        "a": "2"'));
  });

  it('escapes like Go: HTML characters, U+2028/U+2029, control characters', () => {
    // From kubectl: "\b\f\u0001<>&\u2028\u2029" prints as below.
    assert.equal(jsonString('\b\f\u0001<>&\u2028\u2029'), '"\\b\\f\\u0001\\u003c\\u003e\\u0026\\u2028\\u2029"');
    assert.equal(jsonString('a\tb'), '"a\\tb"');
    assert.equal(jsonString('😀x'), '"😀x"');
    assert.equal(jsonString('\ufeffab c'), '"\ufeffab c"');
  });

  it('orders keys by UTF-8 bytes', () => {
    assert.deepEqual(['😀', '\uffff', 'b', 'B', 'a', '10', '9', ''].sort(compareGoStrings), ['', '10', '9', 'B', 'a', 'b', '\uffff', '😀']);
  });

  it('refuses NaN and infinities as Go does', () => {
    assert.throws(() => toJson({ x: NaN }, { sortKeys: true }), JsonError);
    assert.throws(() => toJson({ x: Infinity }, { sortKeys: true }), JsonError);
  });

  it('serialises a 1,000-pod list quickly', () => {
    const pod = (i: number): JsonObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, namespace: 'default', labels: { app: 'web', 'pod-template-hash': '7d9f8b6c5d' }, creationTimestamp: '2026-11-23T04:34:28Z' },
      spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }], command: ['sh', '-c', 'echo hello world && sleep 3600'] }] },
      status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null }], podIP: `10.244.0.${i % 250}` },
    });
    const list: JsonObject = { apiVersion: 'v1', kind: 'List', items: Array.from({ length: 1000 }, (_, i) => pod(i)) };
    toJson(list, { sortKeys: true }); // warm up
    const start = process.hrtime.bigint();
    const out = toJson(list, { sortKeys: true });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(out.startsWith('{\n    "apiVersion": "v1",\n    "items": [\n        {\n'));
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });
});
