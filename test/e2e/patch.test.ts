import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip, runOracle } from '../helpers/oracle';
import { compareLive, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl patch: strategic, merge and JSON patches, on the server or --local,
// `patched` / `patched (no change)`, the subresources, and the errors of the
// patch libraries and of the server.

const FILES = tempHome('kubemu-patch-files-');
writeManifests(FILES);
fs.writeFileSync(path.join(FILES, 'replicas.yaml'), 'spec:\n  replicas: 5\n');

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

const jsonOp = (op: Record<string, unknown>) => JSON.stringify([op]);

test('patch: changes, and a patch that changes nothing changes nothing', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  const meta = () => k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion} {.metadata.generation}').stdout;
  const before = meta();
  let r = k('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['deployment.apps/web patched (no change)\n', '', 0]);
  assert.equal(meta(), before);
  r = k('patch', 'deploy', 'web', '-p', '{"spec":{"replicas":3}}');
  assert.equal(r.stdout, 'deployment.apps/web patched\n');
  assert.notEqual(meta(), before);
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout, '3');
  // Strategic merge keeps the other containers' fields; a JSON patch addresses positions.
  r = k('patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].ports[0].containerPort}').stdout, '80');
  r = k('patch', 'deploy', 'web', '--type=json', '-p', jsonOp({ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.26' }));
  assert.equal(r.stdout, 'deployment.apps/web patched\n');
  assert.equal(k('patch', 'deploy', 'web', '--type', 'merge', '--patch-file', 'replicas.yaml').stdout, 'deployment.apps/web patched\n');
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout, '5');
  r = k('patch', 'deploy', 'web', '--type=json', '-p', jsonOp({ op: 'replace', path: '/spec/template/spec/containers/9/image', value: 'x' }));
  assert.deepEqual([r.stderr, r.status], ['The request is invalid: the server rejected our request due to an error in our request\n', 1]);
});

const LOCAL: string[][] = [
  ['-p', '{"spec":{"replicas":2}}'],
  ['-p', '{"spec":{"replicas":3}}'],
  ['-p', '{"spec":'],
  ['-p', 'spec: [a'],
  ['-p', 'spec: {replicas: 5}', '-o', 'jsonpath={.spec.replicas}'],
  ['-p', '[1]'],
  ['-p', '"x"'],
  ['-p', '{}', '-o', 'name'],
  ['-p', '{}', '--dry-run=client'],
  ['-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:2"}]}}}}', '-o', 'yaml'],
  ['--type=merge', '-p', '{"metadata":{"labels":null}}', '-o', 'yaml'],
  ['--type=merge', '-p', '"x"'],
  ['--type=json', '-p', jsonOp({ op: 'replace', path: '/spec/foo/bar', value: 1 })],
  ['--type=json', '-p', jsonOp({ op: 'replace', path: '/spec/template/spec/containers/3', value: 1 })],
  ['--type=json', '-p', jsonOp({ op: 'remove', path: '/metadata/labels/zz' })],
  ['--type=json', '-p', '{"a":1}'],
  ['--type=json', '-p', '[1]'],
  ['--type=json', '-p', '{bad'],
  ['--type=json', '-p', jsonOp({ op: 'bogus', path: '/a' })],
  ['--type=json', '-p', jsonOp({ op: 'add' })],
  ['--type=json', '-p', jsonOp({ op: 'test', path: '/spec/replicas', value: 5 })],
  ['--type=json', '-p', jsonOp({ op: 'move', from: '/spec/x', path: '/spec/y' })],
  ['--type=json', '-p', jsonOp({ op: 'add', path: '/spec/template/spec/containers/-', value: { name: 'b', image: 'busybox' } }), '-o', 'json'],
  ['--type=json', '-p', jsonOp({ op: 'copy', from: '/metadata/labels', path: '/metadata/annotations' }), '-o', 'yaml'],
  ['--type=json', '-p', jsonOp({ op: 'add', path: '/spec/template/spec/containers/5', value: 1 })],
  ['--type=json', '-p', jsonOp({ op: 'remove', path: '/spec/template/spec/containers/-1' }), '-o', 'name'],
  ['--type=json', '-p', jsonOp({ op: 'add', path: '/spec/template/spec/containers/x', value: 1 })],
  ['--type=xml', '-p', '{}'],
  [],
  ['-p', '{}', '--patch-file', 'x'],
  ['--patch-file', 'nope.json'],
  ['--type=merge', '--patch-file', 'replicas.yaml', '-o', 'yaml'],
  ['-p', '{}', '--dry-run=server'],
];

test('patch --local -f: the same bytes as kubectl', { skip: oracleSkip }, () => {
  const { k } = session();
  for (const extra of LOCAL) {
    const args = ['patch', '--local', '-f', 'web.yaml', ...extra];
    assert.deepEqual(k(...args), runOracle(args, { cwd: FILES }), args.join(' '));
  }
  const args = ['patch', '--local', 'deploy', 'web', '-p', '{}'];
  assert.deepEqual(k(...args), runOracle(args, { cwd: FILES }), args.join(' '));
});

test('patch against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['apply', '-f', 'rc.yaml']]) assert.equal(k(...a).status, 0, a.join(' '));
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  const cases: string[][] = [
    ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":2}}'],
    ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":3}}'],
    ['patch', 'deploy', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"x":"y"}}}', '-o', 'yaml'],
    ['patch', 'deploy', 'web', '--type=json', '-p', jsonOp({ op: 'replace', path: '/spec/foo/bar', value: 1 })],
    ['patch', 'deploy', 'web', '--type=json', '-p', '{"a":1}'],
    ['patch', 'deploy', 'web', '-p', '{"spec":'],
    ['patch', 'deploy', 'web', '-p', '[1]'],
    ['patch', 'deploy', 'web', '--type=merge', '-p', '"x"'],
    ['patch', 'deploy', 'nope', '-p', '{}'],
    ['patch', 'deploy', 'web', 'nope', '-p', '{}'],
    ['patch', '-f', 'web.yaml', '-p', '{}'],
    ['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":5}}'],
    ['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":4}}', '-o', 'yaml'],
    ['patch', 'rc', 'rc1', '--subresource=scale', '--type=json', '-p', jsonOp({ op: 'replace', path: '/spec/replicas', value: 3 }), '-o', 'json'],
    ['patch', 'deploy', 'web', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":7}}'],
    ['patch', 'deploy', 'web', '--subresource=foo', '-p', '{}'],
    ['patch', 'pod', '--all', '-p', '{}'],
    ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":-1}}'],
    ['patch', 'deploy', 'web', '-p', '{"metadata":{"resourceVersion":"1"}}'],
    ['patch', 'deploy', 'web', '-p', '{"metadata":{"name":"zz"}}'],
    ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":9}}', '--dry-run=server'],
    ['patch', 'deploy', 'web', '-p', '{"spec":{"replicas":9}}', '--dry-run=client'],
  ];
  for (const args of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
});
