import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  customColumns,
  customColumnsFromFile,
  CustomColumnsPrintError,
  CustomColumnsTable,
  parseCustomColumnsTemplate,
  relaxedJsonPathExpression,
} from '../../src/printers/custom-columns';
import { KubectlTemplateError } from '../../src/printers/jsonpath';
import { tabwrite, TABLE_OPTIONS } from '../../src/printers/tabwriter';
import { oraclePath, oracleSkip } from '../helpers/oracle';

const ITEMS = [
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'b', namespace: 'default', labels: { app: 'x', tier: 'web' }, creationTimestamp: '2024-01-02T00:00:00Z' },
    data: { size: '100Mi', n: '10' },
  },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', creationTimestamp: '2024-01-01T00:00:00Z' }, data: { size: '1Gi', n: '9' } },
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default', labels: { app: 'y' }, creationTimestamp: '2024-01-03T00:00:00Z' }, data: { n: 'x\x1b\r' } },
];

// What kubectl writes: the table through its tabwriter, and the error.
function asKubectl(run: () => CustomColumnsTable): { stdout: string; stderr: string } {
  const render = (t: CustomColumnsTable): string => tabwrite([t.headers, ...t.rows].map((r) => r.join('\t')).join('\n') + '\n', TABLE_OPTIONS);
  try {
    return { stdout: render(run()), stderr: '' };
  } catch (e) {
    if (!(e instanceof KubectlTemplateError)) throw e;
    const stdout = e instanceof CustomColumnsPrintError ? render(e.partial) : '';
    return { stdout, stderr: `error: ${e.message}${e.message.endsWith('\n') ? '' : '\n'}` };
  }
}

describe('custom columns (expected output taken from kubectl 1.32)', () => {
  test('values, maps, missing values and several values', () => {
    const t = customColumns('NAME:.metadata.name,LABELS:.metadata.labels,SIZE:.data.size,Z:{.metadata.labels.app},N:data.n,ALL:{.metadata.labels.*}', ITEMS);
    assert.deepEqual(t, {
      headers: ['NAME', 'LABELS', 'SIZE', 'Z', 'N', 'ALL'],
      rows: [
        ['b', 'map[app:x tier:web]', '100Mi', 'x', '10', 'x,web'],
        ['a', '<none>', '1Gi', '<none>', '9', '<none>'],
        ['c', 'map[app:y]', '<none>', 'y', 'x^[\\r', 'y'],
      ],
    });
  });

  test('empty header and empty path', () => {
    assert.deepEqual(customColumns(':.metadata.name,:', ITEMS.slice(0, 1)), { headers: ['', ''], rows: [['b', '<none>']] });
  });

  test('no objects: the header only', () => {
    assert.deepEqual(customColumns('A:.metadata.name', []), { headers: ['A'], rows: [] });
  });

  test('relaxed JSONPath forms', () => {
    assert.equal(relaxedJsonPathExpression('metadata.name'), '{.metadata.name}');
    assert.equal(relaxedJsonPathExpression('.metadata.name'), '{.metadata.name}');
    assert.equal(relaxedJsonPathExpression('{metadata.name}'), '{.metadata.name}');
    assert.equal(relaxedJsonPathExpression('{.metadata.name}'), '{.metadata.name}');
    assert.equal(relaxedJsonPathExpression(''), '');
  });

  test('spec errors', () => {
    assert.deepEqual(asKubectl(() => customColumns('', ITEMS)), { stdout: '', stderr: 'error: custom-columns format specified but no custom columns given\n' });
    assert.deepEqual(asKubectl(() => customColumns('A:.a,B', ITEMS)), {
      stdout: '',
      stderr: 'error: unexpected custom-columns spec: B, expected <header>:<json-path-expr>\n',
    });
    assert.deepEqual(asKubectl(() => customColumns('A:{.a}}', ITEMS)), {
      stdout: '',
      stderr: "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n",
    });
  });

  test('a path error comes after the header is printed', () => {
    assert.deepEqual(asKubectl(() => customColumns('A:.a[', ITEMS)), { stdout: 'A\n', stderr: 'error: unterminated array\n' });
    assert.deepEqual(asKubectl(() => customColumns('A:.x[0],B:.metadata.labels.app[9]', ITEMS)), {
      stdout: 'A     B\n',
      stderr: 'error: string is not array or slice\n',
    });
  });

  test('template file format', () => {
    assert.deepEqual(parseCustomColumnsTemplate('NAME   SIZE\r\n.metadata.name   {.data.size}\r\n'), [
      { header: 'NAME', fieldSpec: '{.metadata.name}' },
      { header: 'SIZE', fieldSpec: '{.data.size}' },
    ]);
    assert.throws(
      () => parseCustomColumnsTemplate(''),
      new KubectlTemplateError(
        'invalid template, missing header line. Expected format is one line of space separated headers, one line of space separated column specs.',
      ),
    );
    assert.throws(
      () => parseCustomColumnsTemplate('A B\n'),
      new KubectlTemplateError('invalid template, missing spec line. Expected format is one line of space separated headers, one line of space separated column specs.'),
    );
    assert.throws(() => parseCustomColumnsTemplate('A B\n.a\n'), new KubectlTemplateError("number of headers (2) and field specifications (1) don't match"));
  });

  test('missing template file', () => {
    assert.deepEqual(asKubectl(() => customColumnsFromFile('/nonexistent/cc.txt', ITEMS)), {
      stdout: '',
      stderr: 'error: error reading template /nonexistent/cc.txt, open /nonexistent/cc.txt: no such file or directory\n',
    });
  });
});

// A minimal API server serving ConfigMaps, so the real `kubectl get` can run.
function startServer(items: unknown[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (o: unknown): void => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(o));
    };
    if (url.pathname === '/api') return send({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
    if (url.pathname === '/apis') return send({ kind: 'APIGroupList', apiVersion: 'v1', groups: [] });
    if (url.pathname === '/api/v1') {
      return send({
        kind: 'APIResourceList',
        groupVersion: 'v1',
        resources: [{ name: 'configmaps', singularName: 'configmap', namespaced: true, kind: 'ConfigMap', verbs: ['get', 'list'] }],
      });
    }
    if (url.pathname === '/api/v1/namespaces/default/configmaps') {
      return send({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
    }
    res.statusCode = 404;
    send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('custom columns against kubectl get', { skip: oracleSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-cc-'));
  let server: http.Server;
  const kubeconfig = path.join(dir, 'kubeconfig');

  before(async () => {
    server = await startServer(ITEMS);
    const port = (server.address() as AddressInfo).port;
    fs.writeFileSync(
      kubeconfig,
      `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: http://127.0.0.1:${port}\ncontexts:\n- name: c\n  context:\n    cluster: c\n    namespace: default\ncurrent-context: c\nusers: []\n`,
    );
  });
  after(() => {
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const get = (args: string[]): Promise<{ stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      execFile(oraclePath ?? 'kubectl', ['get', 'configmaps', ...args], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig } }, (_err, stdout, stderr) =>
        resolve({ stdout, stderr }),
      );
    });

  const specs = [
    'NAME:.metadata.name,LABELS:.metadata.labels,SIZE:.data.size,Z:{.metadata.labels.app},N:data.n',
    'NAME',
    'A:.a,B',
    'A:.a[',
    'A:.a{',
    'A:.x[0],B:.metadata.labels.app[9]',
    ':.metadata.name,:',
    'A:.metadata.name,A B:.metadata.name',
    'A:..name',
    'A:.a b',
    'A:.data[?(@.x)]',
    'A:$.metadata.name',
    'A:"lit"',
    'A:.metadata.name,',
    'A:.metadata.creationTimestamp,B:.metadata.namespace',
  ];
  for (const spec of specs) {
    test(spec, async () => {
      const r = await get(['-o', `custom-columns=${spec}`]);
      assert.deepEqual(asKubectl(() => customColumns(spec, ITEMS)), r);
    });
  }

  const files: [string, string][] = [
    ['good', 'NAME   SIZE\n.metadata.name   {.data.size}\n'],
    ['crlf', 'A\r\n.metadata.name\r\n'],
    ['one line', 'NAME SIZE\n'],
    ['empty', ''],
    ['mismatch', 'A B\n.a\n'],
    ['bad path', 'A B\n.metadata.name .a[\n'],
  ];
  for (const [name, content] of files) {
    test(`file: ${name}`, async () => {
      const file = path.join(dir, `${name.replace(/ /g, '-')}.txt`);
      fs.writeFileSync(file, content);
      const r = await get(['-o', `custom-columns-file=${file}`]);
      assert.deepEqual(asKubectl(() => customColumnsFromFile(file, ITEMS)), r);
    });
  }

  test('file: missing', async () => {
    const file = path.join(dir, 'nope.txt');
    const r = await get(['-o', `custom-columns-file=${file}`]);
    assert.deepEqual(asKubectl(() => customColumnsFromFile(file, ITEMS)), r);
  });
});
