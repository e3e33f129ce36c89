import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareYamlKeys, toYaml, toYamlDocuments, YamlError } from '../../src/printers/yaml';
import type { Json, JsonObject } from '../../src/util/json';
import { oracleSkip, runOracle } from '../helpers/oracle';

// Tricky string values. Each one goes through the real kubectl (as a configmap value) and
// through toYaml, and the documents must be identical.
const LONG = 'the quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit';
const TRICKY_STRINGS: string[] = [
  // read back as other types: quoted
  '0123', '0128', '123', '-1', '+1', '1_000', '0x1F', '0X1f', '0o17', '0b101', '-0b101', '08', '09.5',
  '1.0', '1.5e+3', '1e3', '1E3', '.5', '-.5', '+.5', '1.', '6.02e23', '1e400', '1e',
  'true', 'True', 'TRUE', 'tRUE', 'false', 'False', 'yes', 'Yes', 'YES', 'yES', 'no', 'No', 'NO',
  'on', 'On', 'ON', 'oN', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'null', 'Null', 'NULL', 'nULL', '~', '',
  '.inf', '.Inf', '-.inf', '+.INF', '.iNf', '.nan', '.NaN', 'inf', 'NaN', 'Infinity', '<<',
  '2026-11-23T04:34:28Z', '2026-11-23t04:34:28.123+02:00', '2026-11-23 04:34:28', '2026-11-23 04:34:28.5',
  '2026-1-2', '2026-02-30', '2024-02-29', '2023-02-29', '2026-01-02T25:00:00Z', '2026-01-02T03:04:05+25:00',
  '2026-01-02T03:04:05', '12345-01-01', '1:20', '-1:20:30.5', '12:60', '190:20:30', '0b-101', '0b+1', '0b2', '0B11',
  // indicators and quoting
  'a: b', 'a:b', 'a:', ':a', ': a', ':', '::', 'a #b', 'a#b', '#a', ' lead', 'trail ', '  ', ' ',
  '-', '--', '---', '---x', '- x', '-x', '?', '? x', '?x', '...', '...x', '..', '.',
  '[x', 'x]', '{x', 'x}', 'x,y', ',x', '*x', '&x', '!x', '%x', '@x', '`x', '|x', '>x', '"x', "'x",
  "it's", 'say "hi"', 'back\\slash', 'x=y', 'a/b', 'user@example.com', 'http://example.com:8080/path?q=1#frag',
  // whitespace and control characters
  'a\tb', '\ttab', 'a\rb', 'bell\u0007', 'esc\u001b[0m', 'nul\u0001', 'x\u00a0y', '\u00a0lead',
  // newlines everywhere
  'a\nb', 'a\n', 'a\n\n', 'a\n\n\n', '\n', '\n\n', '\na', '\n\na', ' a\nb', 'a \nb', 'a\n b', 'a\nb ',
  'a\tb\nc', 'line1\nline2\n', '  indented\nblock\n', 'a\n\nb', '#comment\nline', '- item\n- item\n',
  'key: value\nother: x\n',
  // unicode
  'é ñ 中文', 'naïve café', 'Ω≈ç√∫', '😀', 'emoji 😀 inside', '😀\nline', '\ufeffbom', 'x\ufeff',
  'a\u2028b', 'a\u2029', '\u2028', 'zero\u200bwidth', '\ue000private', 'half\uff61',
  // long lines: folded at 80 columns
  LONG,
  `# ${LONG}`,
  `${LONG}\t`,
  `${LONG}  double  spaces  everywhere  in  this  long  value  that  will  fold  somewhere`,
  `${LONG}: with colon`,
  `'${LONG}'`,
  `"${LONG}"`,
  'x'.repeat(200),
  `${'x'.repeat(100)} ${'y'.repeat(100)}`,
  `${LONG}\n${LONG}\n`,
  `${LONG} é 中文 😀 ${LONG}`,
  ` ${LONG}`,
];

function configMap(data: Record<string, string>): JsonObject {
  return { apiVersion: 'v1', data, kind: 'ConfigMap', metadata: { creationTimestamp: null, name: 'x' } };
}

function key(i: number): string {
  return `k${String(i).padStart(3, '0')}`;
}

// Runs `kubectl annotate --local -f <obj> kubemu=test -o <format>`: kubectl reads the object as
// unstructured JSON and prints it back, so any JSON value can be checked.
function oracleRoundTrip(obj: JsonObject, format: 'yaml' | 'json'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-printer-'));
  try {
    const file = path.join(dir, 'obj.json');
    // kubectl's reader rejects some raw characters in files; \u escapes are always fine.
    const text = JSON.stringify(obj).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    fs.writeFileSync(file, text);
    const r = runOracle(['annotate', '--local', '-f', file, 'kubemu=test', '-o', format]);
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// What kubectl prints after adding the annotation.
function annotated(obj: JsonObject): JsonObject {
  const copy = JSON.parse(JSON.stringify(obj)) as JsonObject;
  const meta = copy.metadata as JsonObject;
  meta.annotations = { ...((meta.annotations as JsonObject | undefined) ?? {}), kubemu: 'test' };
  return copy;
}

function firstDifference(a: string, b: string): string {
  const al = a.split('\n');
  const bl = b.split('\n');
  const i = al.findIndex((line, n) => line !== bl[n]);
  return `line ${i + 1}: kubectl ${JSON.stringify(al[i])} vs ours ${JSON.stringify(bl[i])}`;
}

describe('toYaml against kubectl', { skip: oracleSkip }, () => {
  it(`prints ${TRICKY_STRINGS.length} tricky strings exactly as kubectl does (create configmap --from-literal)`, () => {
    assert.ok(TRICKY_STRINGS.length >= 80);
    const data: Record<string, string> = {};
    const args = ['create', 'configmap', 'x', '--dry-run=client', '-o', 'yaml'];
    TRICKY_STRINGS.forEach((s, i) => {
      data[key(i)] = s;
      args.push(`--from-literal=${key(i)}=${s}`);
    });
    const r = runOracle(args);
    assert.equal(r.status, 0, r.stderr);
    const ours = toYaml(configMap(data));
    assert.equal(ours, r.stdout, firstDifference(r.stdout, ours));
  });

  it('prints the same strings at other depths: in lists, nested maps, and as keys', () => {
    const obj: JsonObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      list: TRICKY_STRINGS,
      nested: { a: { b: { c: Object.fromEntries(TRICKY_STRINGS.map((s, i) => [key(i), s])) } } },
      listOfMaps: TRICKY_STRINGS.map((s) => ({ value: s })),
      listOfLists: TRICKY_STRINGS.map((s) => [[s]]),
      // The same strings as keys (keys longer than 128 bytes use the "? key" form). Keys
      // with digits are left out: go-yaml's digit-aware order is not transitive for some
      // sets of them, and kubectl then prints them in a different order on every run.
      keys: Object.fromEntries(TRICKY_STRINGS.filter((s) => !/\p{Nd}/u.test(s)).map((s) => [s, 'v'])),
    };
    const expected = oracleRoundTrip(obj, 'yaml');
    const ours = toYaml(annotated(obj));
    assert.equal(ours, expected, firstDifference(expected, ours));
  });

  it('prints numbers, booleans, nulls and empty collections as kubectl does', () => {
    const obj: JsonObject = {
      apiVersion: 'v1',
      kind: 'Thing',
      metadata: { name: 'n' },
      numbers: [
        0, 1, -1, 42, 100, 65536, 2147483648, 9007199254740991, -9007199254740991, 9223372036854775807,
        18446744073709551615, 1e20, 1e21, 1.5e300, -1e21, 0.5, -0.5, 0.1, 1.5, 3.14159, 123456.7, 1234567.5,
        999999.9, 0.0001, 0.00001, 1e-7, 1.5e-7, 5e-324, 1.7976931348623157e308, 2.5e-5,
      ],
      flags: [true, false],
      nothing: null,
      emptyMap: {},
      emptyList: [],
      deep: { list: [{}, [], [[]], [{}], { a: [] }, { a: {} }, null] },
    };
    assert.equal(toYaml(annotated(obj)), oracleRoundTrip(obj, 'yaml'));
  });

  it('orders keys as go-yaml does (letters after other characters, digit runs by value)', () => {
    const keys = [
      'a', 'b', 'A', 'Z', 'z', 'a1', 'a2', 'a9', 'a10', 'a01', 'a001', 'a0', 'a00', '1', '01', '10', '2', '9', '99',
      '0', '00', '_x', '-x', '.x', '/x', '~x', 'x_y', 'xy', 'x-y', 'x.y', 'X', 'é', 'e', 'É', 'ñ', 'n1', '中文', 'Ω',
      'app', 'app.kubernetes.io/name', 'app.kubernetes.io/instance', 'pod-template-hash', 'kubernetes.io/os',
      'file1.txt', 'file10.txt', 'file2.txt', 'file02.txt', 'v1.2.3', 'v1.10.0', 'v1.9.9', 'x1y2', 'x10y1',
      '٣', 'a٣', '１', 'A1', 'a B', 'a b',
    ];
    const obj: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: Object.fromEntries(keys.map((k) => [k, 'v'])) };
    assert.equal(toYaml(annotated(obj)), oracleRoundTrip(obj, 'yaml'));
  });

  it('prints what kubectl prints for create deployment', () => {
    const r = runOracle(['create', 'deployment', 'd', '--image=nginx', '--port=80', '--replicas=3', '--dry-run=client', '-o', 'yaml']);
    assert.equal(r.status, 0, r.stderr);
    const deployment: JsonObject = {
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'd', creationTimestamp: null, labels: { app: 'd' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'd' } },
        template: {
          metadata: { creationTimestamp: null, labels: { app: 'd' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }] },
        },
        strategy: {},
      },
      status: {},
    };
    assert.equal(toYaml(deployment), r.stdout);
  });

  it('separates several objects with "---" as the YAML printer does', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-printer-'));
    try {
      const file = path.join(dir, 'multi.yaml');
      fs.writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n');
      const r = runOracle(['annotate', '--local', '-f', file, 'kubemu=test', '-o', 'yaml']);
      assert.equal(r.status, 0, r.stderr);
      const objs = ['a', 'b'].map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { annotations: { kubemu: 'test' }, name } }));
      assert.equal(toYamlDocuments(objs), r.stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails like kubectl on characters go-yaml refuses', () => {
    for (const bad of ['del\u007f', '\u0080', 'c1\u009f', '\ufffe', '\uffff']) {
      const r = runOracle(['create', 'configmap', 'x', `--from-literal=k=${bad}`, '--dry-run=client', '-o', 'yaml']);
      assert.equal(r.stderr, 'error: yaml: control characters are not allowed\n');
      assert.throws(() => toYaml(configMap({ k: bad })), (e: unknown) => e instanceof YamlError && `error: ${e.message}\n` === r.stderr);
    }
  });

  it('folds NEL (U+0085) the way the JSON round trip does', () => {
    const values = ['\u0085x', 'a \u0085 \u0085b', 'a\u0085', 'a  \u0085  b', 'x\u0085\u0085\u0085y'];
    const obj: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: Object.fromEntries(values.map((v, i) => [key(i), v])) };
    assert.equal(toYaml(annotated(obj)), oracleRoundTrip(obj, 'yaml'));
  });

  it('matches kubectl on pseudo-random strings and structures', () => {
    // Deterministic generator: mixes indicator characters, spaces, breaks and long words.
    let seed = 7;
    const rnd = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const atoms = ['a', 'word', ' ', ' ', '  ', ':', ': ', '#', ' #', '-', '- ', "'", '"', '\n', '\n\n', '\t', 'é', '😀', '\\', '?', '[', '{', ',', '&', '*', '!', '|', '>', '%', '@', '`', '0', '1', '.', 'e', '_', '\u00a0', '\u2028', 'true', 'null', '~', '/', 'supercalifragilistic'];
    const str = (max: number): string => Array.from({ length: Math.floor(rnd() * max) }, () => atoms[Math.floor(rnd() * atoms.length)]).join('');
    const value = (depth: number): Json => {
      const r = rnd();
      if (depth > 3 || r < 0.5) return str(r < 0.25 ? 60 : 12);
      if (r < 0.7) return Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => value(depth + 1));
      // Keys start with distinct letters so that their order is well defined (see above).
      return Object.fromEntries(Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, i) => ['abc'[i] + str(3), value(depth + 1)]));
    };
    const obj: JsonObject = { apiVersion: 'v1', kind: 'Thing', metadata: { name: 'x' }, values: Array.from({ length: 300 }, () => value(0)) };
    const expected = oracleRoundTrip(obj, 'yaml');
    const ours = toYaml(annotated(obj));
    assert.equal(ours, expected, firstDifference(expected, ours));
  });
});

// Expected texts below were produced by kubectl 1.32 (annotate --local / create --dry-run=client).
describe('toYaml: layout', () => {
  it('prints nested lists and maps, empty collections, nulls, numbers and booleans', () => {
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
      toYaml(obj),
      `apiVersion: v1
kind: List
metadata:
  annotations:
    a: b
  name: "n"
spec:
  bigFloat: 1.2345675e+06
  emptyInList:
  - {}
  - []
  emptyList: []
  emptyMap: {}
  float: 0.5
  huge: 1e+21
  int: 42
  int64: 9007199254740991
  listOfLists:
  - - 1
    - 2
  - []
  - - - 3
  listOfMaps:
  - name: a
    ports:
    - containerPort: 80
    - containerPort: 443
  - env: []
    name: b
  listOfScalars:
  - a
  - 1
  - null
  - true
  - "true"
  - ""
  mapInList:
  - k:
      deep:
        deeper: x
  multi: |
    line1
    line2
  negative: -7
  "no": false
  nothing: null
  tiny: 1e-05
  "yes": true
`,
    );
  });

  it('folds long values at 80 columns and picks block styles', () => {
    const long = 'the quick brown fox jumps over the lazy dog and keeps running far beyond the eighty column limit of go-yaml';
    const cm = {
      apiVersion: 'v1',
      data: {
        plain: long,
        single: `# ${long}`,
        double: `${long}\t`,
        literal: 'first line\n  indented second\n',
        keep: 'kept\n\n',
        strip: 'a\nb',
      },
      kind: 'ConfigMap',
      metadata: { creationTimestamp: null, name: 'fold' },
    };
    assert.equal(
      toYaml(cm),
      `apiVersion: v1
data:
  double: "the quick brown fox jumps over the lazy dog and keeps running far beyond
    the eighty column limit of go-yaml\\t"
  keep: |+
    kept

  literal: |
    first line
      indented second
  plain: the quick brown fox jumps over the lazy dog and keeps running far beyond
    the eighty column limit of go-yaml
  single: '# the quick brown fox jumps over the lazy dog and keeps running far beyond
    the eighty column limit of go-yaml'
  strip: |-
    a
    b
kind: ConfigMap
metadata:
  creationTimestamp: null
  name: fold
`,
    );
    assert.equal(
      toYaml({ containers: [{ image: long, name: 'x' }] }),
      `containers:
- image: the quick brown fox jumps over the lazy dog and keeps running far beyond
    the eighty column limit of go-yaml
  name: x
`,
    );
  });

  it('escapes in double quotes the way go-yaml does', () => {
    const data = (v: string): JsonObject => ({ data: { k000: v } });
    assert.equal(toYaml(data('a\tb')), 'data:\n  k000: "a\\tb"\n');
    assert.equal(toYaml(data('😀x')), 'data:\n  k000: "\\U0001F600x"\n');
    assert.equal(toYaml(data('\ufeffab c')), 'data:\n  k000: "\\uFEFF\\x61\\x62\\x20\\x63"\n');
    assert.equal(toYaml(data('\b\f\u0001<>&\u2028\u2029')), 'data:\n  k000: "\\b\\f\\x01<>&\\L\\P"\n');
    // LS is a line break that is printable: single quotes, continued on an indented line.
    assert.equal(toYaml(data('a\u2028b')), "data:\n  k000: 'a\u2028    b'\n");
    assert.equal(toYaml(data('é ñ 中文')), 'data:\n  k000: é ñ 中文\n');
    assert.equal(toYaml(data('x\u00a0y')), 'data:\n  k000: x\u00a0y\n');
    // A lone surrogate is invalid UTF-8 to Go and becomes U+FFFD.
    assert.equal(toYaml(data('\ud800')), 'data:\n  k000: \ufffd\n');
  });

  it('separates documents with --- and skips undefined members', () => {
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } };
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } };
    assert.equal(toYamlDocuments([a, b]), `${toYaml(a)}---\n${toYaml(b)}`);
    assert.equal(toYamlDocuments([a]), toYaml(a));
    assert.equal(toYaml({ ...a, extra: undefined }), toYaml(a));
  });

  it('sorts keys with compareYamlKeys in go-yaml order', () => {
    // Order printed by kubectl for these configmap keys.
    const keys = ['10', 'a', '9', '-', '_x', 'a10', 'a9', 'a_b', 'ab', 'A', '.x', '01', '1', '2', 'é', 'e'];
    assert.deepEqual([...keys].sort(compareYamlKeys), ['-', '.x', '_x', '1', '01', '2', '9', '10', 'A', 'a', 'a_b', 'a9', 'a10', 'ab', 'e', 'é']);
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
    toYaml(list); // warm up
    const start = process.hrtime.bigint();
    const out = toYaml(list);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    assert.ok(out.startsWith('apiVersion: v1\nitems:\n- apiVersion: v1\n'));
    // Generous bound (shared CI machines); typical runs take a fraction of it.
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms`);
  });
});
