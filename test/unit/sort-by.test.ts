import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { goSort, SortError, sortObjects } from '../../src/printers/sort-by';
import { formatQuantity, parseQuantity, parseQuantityStrict, QuantityParseError, tryParseQuantity } from '../../src/util/quantity';
import { oraclePath, oracleSkip, runOracle } from '../helpers/oracle';

interface Item {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; creationTimestamp?: string };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

function item(name: string, data: Record<string, string> = {}, spec?: Record<string, unknown>): Item {
  const o: Item = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data };
  if (spec) o.spec = spec;
  return o;
}

const names = (items: Item[]): string[] => items.map((o) => o.metadata.name);

describe('quantities', () => {
  test('canonical forms (as kubectl writes them back)', () => {
    // Taken from kubectl 1.32 (`set resources --local` round-trips quantities).
    const cases: [string, string][] = [
      ['0', '0'],
      ['0.5', '500m'],
      ['1024Mi', '1Gi'],
      ['1.5Gi', '1536Mi'],
      ['0.5Ki', '512'],
      ['2048Ki', '2Mi'],
      ['1000', '1k'],
      ['1500', '1500'],
      ['1000k', '1M'],
      ['0.0001', '100u'],
      ['1.5n', '2n'],
      ['1e3', '1e3'],
      ['1.5e3', '1500'],
      ['1e-10', '1e-9'],
      ['-0.5', '-500m'],
      ['+3', '+3'],
      ['9Ei', '9223372036854775807'],
      ['1e21', '1e21'],
      ['1000000000000000000000000', '1'],
      ['.5', '500m'],
      ['.', '0'],
      ['007', '007'],
      ['12.5m', '12500u'],
      ['1E3', '1E3'],
    ];
    for (const [input, canonical] of cases) assert.equal(formatQuantity(input), canonical, input);
  });

  test('errors', () => {
    const wrong = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    assert.throws(() => parseQuantityStrict('abc'), new QuantityParseError(wrong));
    assert.throws(() => parseQuantityStrict('1.5.5'), new QuantityParseError(wrong));
    assert.throws(() => parseQuantityStrict(''), new QuantityParseError(wrong));
    assert.throws(() => parseQuantityStrict('1ki'), new QuantityParseError("unable to parse quantity's suffix"));
    assert.throws(() => parseQuantityStrict('1m5'), new QuantityParseError("unable to parse quantity's suffix"));
    assert.equal(tryParseQuantity('x'), undefined);
    assert.equal(parseQuantity('1Gi'), 2 ** 30);
    assert.equal(parseQuantity('250m'), 0.25);
  });

  test('comparison is exact', () => {
    const cmp = (a: string, b: string): number => parseQuantityStrict(a).cmp(parseQuantityStrict(b));
    assert.equal(cmp('100Mi', '1Gi'), -1);
    assert.equal(cmp('9', '10'), -1);
    assert.equal(cmp('1024Mi', '1Gi'), 0);
    assert.equal(cmp('0.1', '100m'), 0);
    assert.equal(cmp('-1', '1n'), -1);
    assert.equal(cmp('1e2000000000', '1E'), 1);
    assert.equal(cmp('999999999999999999999999', '999999999999999999999998'), 1);
  });
});

describe('sort.Sort', () => {
  test('orders a strict order like any sort', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (const n of [0, 1, 2, 12, 13, 49, 50, 51, 200, 1000]) {
      const values = Array.from({ length: n }, (_, i) => rnd() * 1000 + i);
      const data = [...values];
      goSort({ less: (i, j) => data[i] < data[j], swap: (i, j) => ([data[i], data[j]] = [data[j], data[i]]) }, n);
      assert.deepEqual(data, [...values].sort((a, b) => a - b), `n=${n}`);
    }
  });
});

describe('--sort-by', () => {
  test('quantities by amount, other strings bytewise', () => {
    const items = [item('b', { size: '100Mi' }), item('a', { size: '1Gi' }), item('c', { size: 'abc' }), item('d', { size: '9' }), item('e', { size: '10' })];
    assert.deepEqual(names(sortObjects(items, '.data.size')), ['d', 'e', 'b', 'a', 'c']);
  });

  test('objects without the field come first; ties are not kept in order', () => {
    // Insertion sort with a Less that says "missing < anything" swaps the two
    // objects lacking the field (checked against kubectl below).
    const items = [item('m1'), item('x', { k: 'b' }), item('m2'), item('y', { k: 'a' })];
    assert.deepEqual(names(sortObjects(items, '{.data.k}')), ['m2', 'm1', 'y', 'x']);
  });

  test('numbers and timestamps', () => {
    const items = [item('a', {}, { n: 10 }), item('b', {}, { n: 9 }), item('c', {}, { n: -1 })];
    assert.deepEqual(names(sortObjects(items, 'spec.n')), ['c', 'b', 'a']);
    const ts = [item('new'), item('old')];
    ts[0].metadata.creationTimestamp = '2024-05-01T00:00:00Z';
    ts[1].metadata.creationTimestamp = '2023-05-01T00:00:00Z';
    assert.deepEqual(names(sortObjects(ts, '.metadata.creationTimestamp')), ['old', 'new']);
  });

  test('errors', () => {
    const items = [item('a', { k: '1' }), item('b', { k: '2' })];
    assert.throws(() => sortObjects(items, '.nope'), new SortError('couldn\'t find any field with path "{.nope}" in the list of objects'));
    assert.throws(() => sortObjects(items, '{.a}}'), /unexpected path string/);
    assert.throws(() => sortObjects(items, '.a['), new SortError('unterminated array'));
    assert.throws(() => sortObjects(items, '.a[', { table: true }), new SortError('sorting error: unterminated array'));
    assert.deepEqual(sortObjects([], '.nope'), []);
    // A single object is checked as a list, not as a table.
    assert.throws(() => sortObjects(items.slice(0, 1), '.nope'), SortError);
    assert.deepEqual(names(sortObjects(items.slice(0, 1), '.nope', { table: true })), ['a']);
  });

  test('unsortable values stop kubectl through klog', () => {
    const items = [item('a', {}, { n: 1, l: [1] }), item('b', {}, { n: 'x', l: [2] })];
    try {
      sortObjects(items, '.spec.n');
      assert.fail('expected an error');
    } catch (e) {
      assert.ok(e instanceof SortError);
      assert.equal(e.message, 'Field {.spec.n} in *unstructured.Unstructured is an unsortable type: interface, err: unsortable interface: interface');
      assert.deepEqual(e.klog, { line: 329, exitCode: 1 });
    }
    assert.throws(
      () => sortObjects(items, '.spec.l', { table: true }),
      new SortError('Field {.spec.l} in [][][]reflect.Value is an unsortable type: interface, err: unsortable type: []interface {}', {
        line: 375,
        exitCode: 1,
      }),
    );
  });
});

describe('quantities against kubectl', { skip: oracleSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-qty-'));
  const pod = path.join(dir, 'pod.json');
  fs.writeFileSync(pod, JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } }));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const values = ['0.5', '1024Mi', '1.5Gi', '512Ki', '1000k', '100m', '0.1', '1.5n', '1E3', '1.5e3', '1e-3', '1e21', '1e-10', '-0.5', '10Ei', '123456789012345678901', '1.', '.5', '.', '007', '1536Mi', '1.25', '1000n', '1P', '999999999999999999', '3e2', '1.Gi', '1234567Ki', '0Mi', '1e4294967299', 'abc', '1ki', '1m5'];
  for (const v of values) {
    test(v, () => {
      const r = runOracle(['set', 'resources', '--local', '-f', pod, `--limits=memory=${v}`, '-o', 'jsonpath={.spec.containers[0].resources.limits.memory}']);
      let mine: string;
      try {
        mine = formatQuantity(v);
      } catch (e) {
        mine = `error: ${(e as Error).message}\n`;
      }
      assert.equal(mine, r.status === 0 ? r.stdout : r.stderr);
    });
  }
});

// A minimal API server serving ConfigMaps (the current `items()`) as a list
// or, when kubectl asks for it (its default output), as a server-side Table.
function startServer(items: () => Item[]): Promise<http.Server> {
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
      if ((req.headers.accept ?? '').includes('as=Table')) {
        return send({
          kind: 'Table',
          apiVersion: 'meta.k8s.io/v1',
          metadata: { resourceVersion: '1' },
          columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', description: '', priority: 0 }],
          rows: items().map((o) => ({ cells: [o.metadata.name], object: o })),
        });
      }
      return send({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: items() });
    }
    res.statusCode = 404;
    send({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('--sort-by against kubectl get', { skip: oracleSkip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-sort-'));
  let server: http.Server;
  let served: Item[] = [];
  const kubeconfig = path.join(dir, 'kubeconfig');

  before(async () => {
    server = await startServer(() => served);
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

  // Tests in a describe run one after another, so one item set is served at a time.
  const get = (items: Item[], args: string[]): Promise<{ stdout: string; stderr: string }> => {
    served = items;
    return new Promise((resolve) => {
      execFile(oraclePath ?? 'kubectl', ['get', 'configmaps', ...args], { env: { PATH: process.env.PATH, HOME: dir, KUBECONFIG: kubeconfig } }, (_err, stdout, stderr) =>
        resolve({ stdout, stderr }),
      );
    });
  };

  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const makeItems = (n: number, kind: string): Item[] =>
    Array.from({ length: n }, (_, i) => {
      const name = `cm-${String(i).padStart(3, '0')}`;
      const r = rnd();
      const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
      if (kind === 'qty') return item(name, r > 0.2 ? { size: pick(['100Mi', '1Gi', '9', '10', '1.5Gi', '512Ki', 'abc', '2', '0.5', '100m']) } : {});
      if (kind === 'dup') return item(name, r > 0.3 ? { size: pick(['a', 'b', 'c']) } : {});
      return item(name, {}, r > 0.25 ? { n: Math.floor(rnd() * 5) } : undefined);
    });

  const cases: [string, string][] = [
    ['qty', '.data.size'],
    ['dup', 'data.size'],
    ['int', '{.spec.n}'],
  ];
  for (const [kind, field] of cases) {
    for (const n of [2, 5, 13, 40, 130]) {
      const items = makeItems(n, kind);
      test(`${kind} n=${n} as a list`, async () => {
        const r = await get(items, [`--sort-by=${field}`, '-o', 'name']);
        assert.equal(sortObjects(items, field).map((o) => `configmap/${o.metadata.name}\n`).join(''), r.stdout);
      });
      test(`${kind} n=${n} as a table`, async () => {
        const r = await get(items, [`--sort-by=${field}`, '--no-headers']);
        let mine: string;
        try {
          mine = sortObjects(items, field, { table: true }).map((o) => `${o.metadata.name}\n`).join('');
        } catch (e) {
          // kubectl ignores a table sort error and prints nothing.
          assert.ok(e instanceof SortError && !e.klog);
          mine = '';
        }
        assert.equal(mine, r.stdout);
      });
    }
  }

  test('errors as a list', async () => {
    const items = [item('a', { k: '1' }), item('b', { k: 'x' }, { l: [1] }), item('c', {}, { l: [2] })];
    for (const field of ['.nope', '.a[', '{.a}}', '.spec.l[5]']) {
      const r = await get(items, [`--sort-by=${field}`, '-o', 'name']);
      assert.throws(() => sortObjects(items, field), (e: unknown) => e instanceof SortError && `error: ${e.message}\n` === r.stderr);
    }
    const r = await get(items, ['--sort-by=.spec.l', '-o', 'name']);
    assert.throws(
      () => sortObjects(items, '.spec.l'),
      (e: unknown) => e instanceof SortError && e.klog?.line === 329 && r.stderr.endsWith(` sorter.go:329] ${e.message}\n`),
    );
  });
});
