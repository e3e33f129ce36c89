import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { executeGoTemplate, GoTemplateError, goSprintf } from '../../src/printers/gotemplate';
import { GoFloat, GoInt, KubectlTemplateError } from '../../src/printers/jsonpath';
import { oracleSkip, runOracle } from '../helpers/oracle';

// Labels already hold x=y so `kubectl label --local ... x=y --overwrite`
// (the oracle route to client-side printing) leaves the object unchanged.
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

// kubectl's stdout and stderr for `-o go-template=TEMPLATE`.
function asKubectl(run: () => string): { stdout: string; stderr: string } {
  try {
    return { stdout: run(), stderr: '' };
  } catch (e) {
    if (!(e instanceof KubectlTemplateError)) throw e;
    const stdout = e instanceof GoTemplateError ? e.stdout : '';
    return { stdout, stderr: `error: ${e.message}${e.message.endsWith('\n') ? '' : '\n'}` };
  }
}

describe('go-template output (expected strings taken from kubectl 1.32)', () => {
  const cases: [string, string][] = [
    [
      '{{.metadata.name}} {{.spec.n}} {{.spec.f}} {{.spec.z}} {{.missing}} {{.spec.list}} {{.metadata.labels}}',
      'w 1000000 1.5 <no value> <no value> [1 two map[x:3] 1e-07 1.234567895e+08 1e+21] map[app.kubernetes.io/name:nm x:y]',
    ],
    ['{{range .spec.items}}{{.name}}={{.v}};{{end}}', 'a=3;b=1;c=<no value>;'],
    ['{{range $i, $e := .spec.items}}{{$i}}:{{$e.name}} {{end}}', '0:a 1:b 2:c '],
    ['{{range $k, $v := .metadata.labels}}{{$k}}={{$v}},{{end}}', 'app.kubernetes.io/name=nm,x=y,'],
    ['{{range .spec.items}}{{if eq .st "Running"}}R{{else if eq .st "Pending"}}P{{else}}?{{end}}{{end}}', 'RPR'],
    ['{{- range .spec.items -}}\n  {{ .name }}\n{{- end }}\nx  {{- "y" -}}  z', 'abc\nxyz'],
    ['{{with .missing}}a{{else with .spec.n}}b{{.}}{{end}}', 'b1000000'],
    [
      '{{printf "%5d|%-5s|%05.2f|%x|%X|%t|%T|%T|%q" 42 "ab" 3.14159 255 "hi" true .spec.n .spec.list .metadata.name}}',
      '   42|ab   |03.14|ff|6869|true|int64|[]interface {}|"w"',
    ],
    [
      '{{printf "%v %s %d" .spec.z .missing .spec.n}}|{{printf "%s %d"}}|{{printf "%s" 1 2}}',
      '<nil> %!s(<nil>) 1000000|%!s(MISSING) %!d(MISSING)|%!s(int=1)%!(EXTRA int=2)',
    ],
    ['{{len .spec.items}} {{len .metadata}} {{len "héllo"}} {{index .spec.items 0 "name"}} {{index .metadata "nope"}}', '3 2 6 a <no value>'],
    ['{{not .spec.t}} {{and .spec.t .spec.n}} {{or .missing .spec.n}} {{and .missing .spec.n}} {{or 0 ""}}', 'false 1000000 1000000 <no value> '],
    [
      '{{range .spec.items}}{{if not .v}}{{break}}{{end}}{{.name}}{{end}}|{{range .spec.items}}{{if eq .name "a"}}{{continue}}{{end}}{{.name}}{{end}}',
      'ab|bc',
    ],
    ['{{range .spec.empty}}x{{else}}empty{{end}}', 'empty'],
    [
      '{{html "<a&b>\\"\'"}}|{{js "<a&b>=\\"\'\\\\ é\\u0001"}}|{{urlquery "a b&c=d/é"}}|{{html .missing}}',
      '&lt;a&amp;b&gt;&#34;&#39;|\\u003Ca\\u0026b\\u003E\\u003D\\"\\\'\\\\ é\\u0001|a+b%26c%3Dd%2F%C3%A9|&lt;no value&gt;',
    ],
    ['{{base64decode "aGVsbG8="}} {{exists .metadata "name"}} {{exists .metadata "nope"}} {{exists .missing}}', 'hello true false true'],
    ['{{template "x" .metadata}}{{define "x"}}[{{.name}}]{{end}}', '[w]'],
    ['{{.spec.items | len | printf "%d!"}} {{"x" | printf "%s-%s" "y"}} {{(index .spec.items 0).name}}', '3! y-x a'],
  ];
  for (const [template, expected] of cases) {
    test(template, () => assert.equal(executeGoTemplate(template, WIDGET), expected));
  }
});

describe('go-template errors (texts taken from kubectl 1.32)', () => {
  test('execution error: partial output and report on stdout, error on stderr', () => {
    const r = asKubectl(() => executeGoTemplate('x{{.spec.list.x}}', WIDGET));
    assert.equal(
      r.stdout,
      'xError executing template: template: output:1:8: executing "output" at <.spec.list.x>: can\'t evaluate field x in type interface {}. Printing more information for debugging the template:\n' +
        '\ttemplate was:\n\t\tx{{.spec.list.x}}\n' +
        '\traw data was:\n' +
        '\t\t{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"labels":{"app.kubernetes.io/name":"nm","x":"y"},"name":"w"},"spec":{"empty":[],"f":1.5,"items":[{"name":"a","st":"Running","tags":["p","q"],"v":3},{"name":"b","st":"Pending","tags":[],"v":1},{"name":"c","st":"Running"}],"list":[1,"two",{"x":3},1e-7,123456789.5,1e+21],"n":1000000,"s":"\\u003ca\\u0026b\\u003eé","t":true,"z":null}}\n' +
        '\tobject given to template engine was:\n' +
        '\t\tmap[apiVersion:example.com/v1 kind:Widget metadata:map[labels:map[app.kubernetes.io/name:nm x:y] name:w] spec:map[empty:[] f:1.5 items:[map[name:a st:Running tags:[p q] v:3] map[name:b st:Pending tags:[] v:1] map[name:c st:Running]] list:[1 two map[x:3] 1e-07 1.234567895e+08 1e+21] n:1000000 s:<a&b>é t:true z:<nil>]]\n\n',
    );
    assert.equal(
      r.stderr,
      'error: error executing template "x{{.spec.list.x}}": template: output:1:8: executing "output" at <.spec.list.x>: can\'t evaluate field x in type interface {}\n',
    );
  });

  const execErrors: [string, string][] = [
    ['{{.spec.z.x}}', 'template: output:1:7: executing "output" at <.spec.z.x>: nil pointer evaluating interface {}.x'],
    ['{{len .missing}}', 'template: output:1:2: executing "output" at <len .missing>: error calling len: reflect: call of reflect.Value.Type on zero Value'],
    ['{{index .spec.list 9}}', 'template: output:1:2: executing "output" at <index .spec.list 9>: error calling index: index out of range: 9'],
    ['{{eq .spec.n 1.5}}', 'template: output:1:2: executing "output" at <eq .spec.n 1.5>: error calling eq: incompatible types for comparison'],
    [
      '{{base64decode "aGVsbG8"}}',
      'template: output:1:2: executing "output" at <base64decode "aGVsbG8">: error calling base64decode: base64 decode failed: illegal base64 data at input byte 4',
    ],
    ['line1\n{{.nope.deeper}}\n  {{.metadata.name.x}}', 'template: output:3:13: executing "output" at <.metadata.name.x>: can\'t evaluate field x in type interface {}'],
  ];
  for (const [template, message] of execErrors) {
    test(template, () => {
      const r = asKubectl(() => executeGoTemplate(template, WIDGET));
      assert.equal(r.stderr, `error: error executing template ${JSON.stringify(template)}: ${message}\n`);
    });
  }

  test('output before the failing action is kept', () => {
    const r = asKubectl(() => executeGoTemplate('line1\n{{.nope.deeper}}\n  {{.metadata.name.x}}', WIDGET));
    assert.ok(r.stdout.startsWith('line1\n<no value>\n  Error executing template: '), r.stdout);
  });

  const parseErrors: [string, string][] = [
    ['{{upper .x}}', 'function "upper" not defined'],
    ['{{3)}}', 'unexpected right paren'],
    ['{{(3}}', 'unclosed left paren'],
    ['{{.x', 'unclosed action'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{if .x}}a', 'unexpected EOF'],
    ['{{$y}}', 'undefined variable "$y"'],
    ['{{break}}', '{{break}} outside {{range}}'],
    ['{{"a".b}}', 'unexpected . after term "\\"a\\""'],
    ['{{9999999999999999999999}}', 'integer overflow: "9999999999999999999999"'],
  ];
  for (const [template, message] of parseErrors) {
    test(template, () => {
      assert.deepEqual(asKubectl(() => executeGoTemplate(template, WIDGET)), {
        stdout: '',
        stderr: `error: error parsing template ${template}, template: output:1: ${message}\n`,
      });
    });
  }

  test('missingkey=error', () => {
    assert.match(
      asKubectl(() => executeGoTemplate('{{.missing}}', WIDGET, { allowMissingKeys: false })).stderr,
      /at <\.missing>: map has no entry for key "missing"\n$/,
    );
    assert.match(
      asKubectl(() => executeGoTemplate('{{.spec.missing.x}}', WIDGET, { allowMissingKeys: false })).stderr,
      /at <\.spec\.missing\.x>: map has no entry for key "missing"\n$/,
    );
  });
});

describe('Sprintf', () => {
  test('verbs over Go values', () => {
    assert.equal(goSprintf('%d|%v|%s|%6.2f|%e', [new GoInt(7), new GoFloat(2.5), 'x', new GoFloat(3.14159), new GoFloat(1234.5)]), '7|2.5|x|  3.14|1.234500e+03');
    assert.equal(goSprintf('%d %s', [new GoFloat(1.5), new GoInt(3, 'int64')]), '%!d(float64=1.5) %!s(int64=3)');
  });
});

describe('go-template against kubectl', { skip: oracleSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-gotemplate-'));
  const file = path.join(dir, 'widget.json');
  fs.writeFileSync(file, JSON.stringify(WIDGET));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const templates = [
    '{{.metadata.name | printf "%q"}}|{{printf "%v" .spec.list}}|{{printf "%#v" .metadata}}',
    '{{printf "%d" "x"}}|{{printf "%s" .spec.n}} {{printf "%d" .spec.f}} {{printf "%v|%6.2f|%e|%g" .spec.f .spec.f .spec.f .spec.f}}',
    '{{.spec.f}} {{1e6}} {{1.0}} {{0x10}} {{\'a\'}} {{-5}} {{2.5e-7}} {{1_000}} {{0b101}} {{0o17}} {{017}}',
    '{{range .spec.empty}}x{{else}}empty{{end}}|{{range .missing}}x{{else}}none{{end}}',
    '{{range 3}}{{.}}{{end}}',
    '{{range .spec.s}}{{.}}{{end}}',
    '{{.spec.items.name}}',
    '{{template "nope"}}',
    '{{foo}}',
    '{{.a | 3}}',
    '{{if}}{{end}}',
    '{{range .x}}',
    '{{else}}',
    '{{.metadata.name "arg"}}',
    '{{"abc" .x}}',
    '{{base64decode "a$b"}}',
    '{{exists .spec.list 1}} {{exists .spec.list 9}}',
    '{{slice .spec.list 1 3}} {{slice "abcdef" 1 3}} {{index "abc" 1}}',
    '{{println "a" 1 2}}{{print "a" 1 2 "b" "c" 3}}',
    '{{ .metadata.name }} {{- .metadata.name -}} {{.metadata.name}}',
    '{{"a\\tb\\n"}}{{`raw\\n`}}',
    '{{with $x := .metadata}}{{$x.name}}{{end}}',
    '{{ne .spec.n 3}} {{ge .spec.n 3}} {{gt 1 2}} {{le 2 2}} {{lt "a" "b"}} {{eq .metadata.name "w" "x"}}',
    '{{eq .spec.list .spec.list}}',
    '{{lt .spec.n "a"}}',
    '{{.spec.t.x}}',
    '{{call .spec.n}}',
    '{{nil}}',
    '{{len}}',
    '{{len 1 2}}',
    '{{printf 3}}',
    '{{printf .spec.n}}',
    '{{printf .missing}}',
    '{{and}}',
    '{{eq 1}}',
    '{{$x := 1}}{{$x := 2}}{{$x}}{{$x = 3}}{{$x}}',
    '{{range $i, $e, $f := .x}}{{end}}',
    '{{/* x */ }}',
    'a{{/* x',
    '{{`abc}}',
    "{{'ab'}}",
    '{{3k}}',
    '{{1.2.3}}',
    '{{#}}',
    '{{define "a"}}x{{end}}{{define "a"}}y{{end}}',
    '{{block "b" .}}blk{{.metadata.name}}{{end}}',
    '{{-3}} {{- 3}} {{3 -}} {{ -3 }}',
    '  é{{.metadata.name.x}}',
    '{{.metadata.name\n}}',
    '{{if\n.x}}ok{{end}}',
    '{{"a\nb"}}',
    '{{range .spec.list}}{{.x}}{{end}}',
    '{{$n := .spec.n}}{{$n.x}}',
    '{{(1).x}}',
    '{{nil.x}}',
  ];
  for (const template of templates) {
    test(template, () => {
      const r = runOracle(['label', '--local', '-f', file, 'x=y', '--overwrite', '-o', `go-template=${template}`]);
      assert.deepEqual(asKubectl(() => executeGoTemplate(template, WIDGET)), { stdout: r.stdout, stderr: r.stderr });
    });
  }

  for (const template of ['{{.missing}}', '{{.spec.missing.x}}', '{{.metadata.name}}{{.spec.z}}', '{{index .metadata "nope"}}']) {
    test(`missingkey=error: ${template}`, () => {
      const r = runOracle(['label', '--local', '-f', file, 'x=y', '--overwrite', '--allow-missing-template-keys=false', '-o', `go-template=${template}`]);
      assert.deepEqual(asKubectl(() => executeGoTemplate(template, WIDGET, { allowMissingKeys: false })), { stdout: r.stdout, stderr: r.stderr });
    });
  }

  // A typed object (client-side create): its raw JSON keeps struct field order.
  for (const template of ['{{.spec.replicas}} {{.metadata.creationTimestamp}} {{printf "%T" .spec.replicas}}', 'x{{.spec.replicas.x}}']) {
    test(`typed object: ${template}`, () => {
      const args = ['create', 'deployment', 'd', '--image=nginx', '--replicas=3', '--dry-run=client'];
      const obj: unknown = JSON.parse(runOracle([...args, '-o', 'json']).stdout);
      const r = runOracle([...args, '-o', `go-template=${template}`]);
      assert.deepEqual(asKubectl(() => executeGoTemplate(template, obj, { rawDataKeyOrder: 'insertion' })), { stdout: r.stdout, stderr: r.stderr });
    });
  }
});
