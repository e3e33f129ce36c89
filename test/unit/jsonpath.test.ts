import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  executeJsonPath,
  formatGoFloat,
  goJson,
  goQuote,
  goSprint,
  goSyntax,
  jsonPathAsJson,
  JsonPathPanic,
  KubectlTemplateError,
  toGo,
} from '../../src/printers/jsonpath';
import { oracleSkip, runOracle } from '../helpers/oracle';

// An unstructured object with the shapes the engine cares about. Its labels
// already hold x=y so `kubectl label --local ... x=y --overwrite` (the oracle
// route to client-side printing) leaves it unchanged.
const WIDGET = {
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', labels: { x: 'y', 'app.kubernetes.io/name': 'nm' } },
  spec: {
    n: 1000000,
    f: 1.5,
    t: true,
    z: null,
    s: '<a&b>é',
    empty: [],
    list: [1, 'two', { x: 3 }, 1e-7, 123456789.5, 1e21],
    items: [
      { name: 'a', v: 3, st: 'Running', tags: ['p', 'q'] },
      { name: 'b', v: 1, st: 'Pending', tags: [] },
      { name: 'c', st: 'Running' },
    ],
  },
};

// kubectl's stdout and stderr for `-o jsonpath=TEMPLATE` on an object.
function asKubectl(run: () => string): { stdout: string; stderr: string } {
  try {
    return { stdout: run(), stderr: '' };
  } catch (e) {
    if (!(e instanceof KubectlTemplateError)) throw e;
    return { stdout: '', stderr: `error: ${e.message}${e.message.endsWith('\n') ? '' : '\n'}` };
  }
}

describe('jsonpath output (expected strings taken from kubectl 1.32)', () => {
  const cases: [string, string][] = [
    ['{.metadata.name}', 'w'],
    ['{.spec.items[*].name}', 'a b c'],
    ['{range .spec.items[*]}{.name}{"\\t"}{.v}{"\\n"}{end}', 'a\t3\nb\t1\nc\t\n'],
    ['{.spec.items[?(@.st=="Running")].name}', 'a c'],
    ['{.spec.items[?(@.v)].name}', 'a b'],
    ['{.spec.items[?(@.v>=3)].name}', 'a'],
    ['{.spec.items[-1].name} {.spec.items[1:].name} {.spec.items[::2].name} {.spec.items[0,2].name}', 'c b c a c a c'],
    ['{.spec.list} {.spec.list[*]}', '[1,"two",{"x":3},1e-7,123456789.5,1e+21] 1 two {"x":3} 1e-07 1.234567895e+08 1e+21'],
    ['{.spec.n} {.spec.f} {.spec.t} {.spec.z} {.spec.s}', '1000000 1.5 true null <a&b>é'],
    ['{.metadata.labels}', '{"app.kubernetes.io/name":"nm","x":"y"}'],
    // A bracketed key is re-parsed as dotted fields; escaped dots work.
    ["{.metadata.labels['app.kubernetes.io/name']}|{.metadata.labels.app\\.kubernetes\\.io/name}", '|nm'],
    ['{.nope}{.spec.nope[0]}x', 'x'],
    // A nil element re-enters the range body as an invalid value.
    ['{range .spec.list[*]}[{@}]{end}', '[1][two][{"x":3}][1e-07][1.234567895e+08][1e+21]'],
    ['{range .spec.items[*]}{range .tags[*]}<{@}>{end};{end}', '<p><q>;;;'],
    // A string's wildcard yields its UTF-8 bytes.
    ['{.spec.s.*}', '60 97 38 98 62 195 169'],
    ["{'a\\'b'} {\"\\u0041\\x41\\101\"}", "a'b AAA"],
  ];
  for (const [template, expected] of cases) {
    test(template, () => assert.equal(executeJsonPath(template, WIDGET), expected));
  }

  test('recursive descent visits maps in insertion order', () => {
    // kubectl visits map entries in a random rotation; this is one of its outputs.
    assert.equal(executeJsonPath('{..name}', WIDGET), 'w a b c');
  });

  test('null element inside range prints <no value>', () => {
    assert.equal(executeJsonPath('{range .a[*]}({@}){end}', { a: [null, 1] }), '(<no value>)(1)');
  });

  test('missing keys are an error without allowMissingKeys', () => {
    assert.throws(() => executeJsonPath('{.nope}', WIDGET, { allowMissingKeys: false }), /Error executing template: nope is not found\./);
  });

  test('numbers of a typed object are float64', () => {
    assert.equal(executeJsonPath('{.spec.replicas}', { spec: { replicas: 1000000 } }, { floatNumbers: true }), '1e+06');
    assert.equal(executeJsonPath('{.spec.replicas}', { spec: { replicas: 1000000 } }), '1000000');
  });
});

describe('jsonpath errors (texts taken from kubectl 1.32)', () => {
  test('execution error report', () => {
    const list = { apiVersion: 'v1', items: [], kind: 'List', metadata: { resourceVersion: '' } };
    const r = asKubectl(() => executeJsonPath('{.items[0].metadata.name}', list));
    assert.equal(
      r.stderr,
      'error: error executing jsonpath "{.items[0].metadata.name}": Error executing template: array index out of bounds: index 0, length 0. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\t{.items[0].metadata.name}\n' +
        '\tobject given to jsonpath engine was:\n' +
        '\t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{}, "kind":"List", "metadata":map[string]interface {}{"resourceVersion":""}}\n\n\n',
    );
  });

  const execErrors: [string, string][] = [
    ['{.spec.items[5]}', 'array index out of bounds: index 5, length 3'],
    ['{.spec.items[?(@.v>1.5)].name}', 'incompatible types for comparison'],
    ['{.spec.n[0]}', 'int64 is not array or slice'],
    ['x{end}', 'not in range, nothing to end'],
    ['{foo}', 'unrecognized identifier foo'],
    ['{.spec.items[0:3:0]}', 'step must be > 0'],
    ['{.spec.items[2:1]}', 'starting index 2 is greater than ending index 1'],
  ];
  for (const [template, message] of execErrors) {
    test(template, () => {
      const r = asKubectl(() => executeJsonPath(template, WIDGET));
      assert.ok(
        r.stderr.startsWith(`error: error executing jsonpath ${goQuote(template)}: Error executing template: ${message}. Printing`),
        r.stderr,
      );
    });
  }

  const parseErrors: [string, string][] = [
    ['{.a', 'unclosed action'],
    ['{.a[}', 'unterminated array'],
    ['{.a[?(@.x}', 'unterminated filter'],
    ['{..*}', "unrecognized character in action: U+002A '*'"],
    ['{"abc', 'unterminated quoted string'],
    ['{.a[x]}', 'invalid array index x'],
  ];
  for (const [template, message] of parseErrors) {
    test(template, () => assert.equal(asKubectl(() => executeJsonPath(template, WIDGET)).stderr, `error: error parsing jsonpath ${template}, ${message}\n`));
  }

  test('an invalid value where an array is expected is a Go panic in kubectl', () => {
    assert.throws(() => executeJsonPath('{range .spec.empty[*]}{[0]}{end}', WIDGET), JsonPathPanic);
  });
});

describe('jsonpath-as-json', () => {
  test('each result group is an indented JSON array', () => {
    assert.equal(jsonPathAsJson('{.metadata.name}{.spec.nothing}{.spec.items[0].tags}', WIDGET), '[\n    "w"\n]\n[]\n[\n    [\n        "p",\n        "q"\n    ]\n]\n');
  });
});

describe('Go printing helpers', () => {
  test('float64 as %v prints it', () => {
    const cases: [number, string][] = [
      [1, '1'],
      [1.5, '1.5'],
      [100000, '100000'],
      [1e6, '1e+06'],
      [123456789.5, '1.234567895e+08'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e-7, '1e-07'],
      [1e21, '1e+21'],
      [-2.5e-10, '-2.5e-10'],
    ];
    for (const [f, s] of cases) assert.equal(formatGoFloat(f), s, String(f));
  });

  test('%#v, %v and encoding/json of decoded JSON', () => {
    const v = toGo({ b: [1, 'x', null, { c: true }], a: 1.5, s: '<"é\u0007>' });
    assert.equal(
      goSyntax(v),
      'map[string]interface {}{"a":1.5, "b":[]interface {}{1, "x", interface {}(nil), map[string]interface {}{"c":true}}, "s":"<\\"é\\a>"}',
    );
    assert.equal(goSprint(v), 'map[a:1.5 b:[1 x <nil> map[c:true]] s:<"é\u0007>]');
    assert.equal(goJson(v), '{"a":1.5,"b":[1,"x",null,{"c":true}],"s":"\\u003c\\"é\\u0007\\u003e"}');
  });
});

// Client-side printing in the real kubectl, via `label --local` (which keeps
// the object unstructured, as `get` does).
describe('jsonpath against kubectl', { skip: oracleSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-jsonpath-'));
  const file = path.join(dir, 'widget.json');
  fs.writeFileSync(file, JSON.stringify(WIDGET));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const templates = [
    '{.metadata.name}{"\\n"}',
    '{.spec.items[*].name}',
    '{.spec.items[?(@.st=="Running")].name}',
    "{.spec.items[?(@.name=='a')].v}",
    '{.spec.items[?(@.v!=3)].name} {.spec.items[?(@.v<=3)].name} {.spec.items[?(@.v<3)].name}',
    '{.spec.items[?(@.v=3)].name}',
    '{.spec.items[?(@.missing=="x")].name}',
    '{.spec.items[?(@.tags[5])].name}',
    '{.spec.items[0]}',
    '{.spec.items[-4]}',
    '{.spec.items[-3:-1].name}',
    '{.spec.items[0:0]}{.spec.items[]}',
    '{.spec.items[*][\'name\',\'v\']}',
    '{.spec.list}|{.spec.list[*]}|{.spec.empty}',
    '{range .spec.items[*]}[{.name}]{end}tail',
    '{range .spec.empty[*]}x{end}after',
    '{range .spec.items[*]}{.name}{end}{range .spec.list[1:3]}<{@}>{end}',
    '{range .spec.items[*]}{range .tags[*]}<{@}>{end};{end}',
    '{$.metadata.name} {@.metadata.name} { .metadata.name }',
    '{true}{1}{2.5}{-3}',
    '{.spec.s.x}{.spec.t[?(@.x)]}',
    '{.spec..name}',
    '{.spec.items..v}',
    '{"\\u00e9\\t"}',
    '\t{.metadata.name}',
    '{.metadata.name\t}',
    '{+}',
    '{1.2.3}',
    '{.spec.items[?( @.v > 1 )].name}',
    '{.spec.items[?(@.st == "Run)ning")].name}',
    '{.a[1:2:3:4]}',
    '{.spec.items[9999999999999999999999]}',
    "{'unterminated}",
    '{.spec.z[0]}{.spec.z[?(@.x)]}',
  ];
  for (const template of templates) {
    test(template, () => {
      const r = runOracle(['label', '--local', '-f', file, 'x=y', '--overwrite', '-o', `jsonpath=${template}`]);
      const mine = asKubectl(() => executeJsonPath(template, WIDGET));
      assert.deepEqual(mine, { stdout: r.stdout, stderr: r.stderr });
    });
  }

  for (const template of ['{.metadata.name}{"\\n"}{.spec.list}{.spec.nothing}', '{range .spec.items[*]}{.name}{end}', '{.spec.z}{.spec.n}{.spec.f}']) {
    test(`as json: ${template}`, () => {
      const r = runOracle(['label', '--local', '-f', file, 'x=y', '--overwrite', '-o', `jsonpath-as-json=${template}`]);
      assert.deepEqual(asKubectl(() => jsonPathAsJson(template, WIDGET)), { stdout: r.stdout, stderr: r.stderr });
    });
  }

  // A typed object (client-side create) reaches jsonpath with float64 numbers.
  for (const template of ['{.spec.replicas} {.status}', '{.spec.replicas[0]}', '{.spec.template.spec.containers[?(@.name=="nginx")].image}']) {
    test(`typed object: ${template}`, () => {
      const args = ['create', 'deployment', 'd', '--image=nginx', '--replicas=1000000', '--dry-run=client'];
      const obj: unknown = JSON.parse(runOracle([...args, '-o', 'json']).stdout);
      const r = runOracle([...args, '-o', `jsonpath=${template}`]);
      assert.deepEqual(asKubectl(() => executeJsonPath(template, obj, { floatNumbers: true })), { stdout: r.stdout, stderr: r.stderr });
    });
  }
});
