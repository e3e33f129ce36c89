import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip, runOracle } from '../helpers/oracle';
import { compareLive, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl annotate: always `annotated`, its own overwrite rule and errors,
// checked directly and against the real kubectl.

const FILES = tempHome('kubemu-annotate-files-');
writeManifests(FILES);

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('annotate: annotated every time; overwrites need --overwrite unless the value is the same', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  assert.equal(k('annotate', 'deploy', 'web', 'note=hi', 'owner=me').stdout, 'deployment.apps/web annotated\n');
  assert.equal(k('annotate', 'deploy', 'web', 'note=hi').stdout, 'deployment.apps/web annotated\n');
  let r = k('annotate', 'deploy', 'web', 'note=ho');
  assert.deepEqual(
    [r.stdout, r.stderr, r.status],
    ['', "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (hi)\n", 1],
  );
  assert.equal(k('annotate', 'deploy', 'web', 'note=ho', '--overwrite').stdout, 'deployment.apps/web annotated\n');
  // The change-cause annotation may always be replaced.
  assert.equal(k('annotate', 'deploy', 'web', 'kubernetes.io/change-cause=one').status, 0);
  assert.equal(k('annotate', 'deploy', 'web', 'kubernetes.io/change-cause=two').status, 0);
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.annotations.kubernetes\\.io/change-cause}').stdout, 'two');
  // Removing a key that is not there still says annotated.
  assert.equal(k('annotate', 'deploy', 'web', 'absent-').stdout, 'deployment.apps/web annotated\n');
  r = k('annotate', 'deploy', 'web', 'a=1', 'a-');
  assert.equal(r.stderr, 'error: can not both modify and remove the following annotation(s) in the same command: a\n');
  r = k('annotate', 'deploy', 'web');
  assert.equal(r.stderr, 'error: at least one annotation update is required\n');
});

test('annotate --local -f: the same bytes as kubectl, and no cluster made', { skip: oracleSkip }, () => {
  const { home, k } = session();
  for (const extra of [['note=hi'], ['note-'], [], ['a=1', 'a-'], ['foo'], ['=x'], ['a=b', 'c=d', '-o', 'yaml'], ['a=b', '--dry-run=server']]) {
    const args = ['annotate', '--local', '-f', 'web.yaml', ...extra];
    assert.deepEqual(k(...args), runOracle(args, { cwd: FILES }), args.join(' '));
  }
  assert.equal(fs.existsSync(path.join(home, 'state.json')), false);
});

test('annotate against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['run', 'p1', '--image=nginx']]) assert.equal(k(...a).status, 0, a.join(' '));
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  const cases: string[][] = [
    ['annotate', 'deploy', 'web', 'note=hi'],
    ['annotate', 'deploy', 'web', 'note=ho'],
    ['annotate', 'deploy', 'web', 'note=hi'],
    ['annotate', 'deploy', 'web', 'note=ho', '--overwrite', '-o', 'json'],
    ['annotate', 'deploy', 'web', 'a=1', 'b=2', '--resource-version=1'],
    ['annotate', 'pods', '--all', '-A', 'k=v', '--dry-run=client', '-o', 'name'],
    ['annotate', 'deploy', 'web', 'note-', '-o', 'yaml'],
    ['annotate', 'deploy/web', 'pod/p1', 'x=y', '--dry-run=server'],
    ['annotate', 'deploy', 'nope', 'x=y'],
    ['annotate', '-f', 'web.yaml', 'from=file'],
  ];
  for (const args of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
});
