import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive, variant, writeManifests } from '../helpers/kubemu-apiserver';
import { unifiedHunks } from '../../src/util/unidiff';

// kubectl diff: live against merged (a dry run of apply), as `diff -u -N`
// shows two directories; exit 0, 1, or 2 on errors; KUBECTL_EXTERNAL_DIFF.
// kubemu computes the diff itself; here it is checked against GNU diff and
// against the real kubectl.

const FILES = tempHome('kubemu-diff-files-');
writeManifests(FILES, {
  'web4.yaml': variant('web.yaml', [['replicas: 2', 'replicas: 4']]),
  'image.yaml': variant('web.yaml', [['image: nginx', 'image: nginx:1.25']]),
  'other.yaml': variant('web.yaml', [['name: web', 'name: other']]),
  'negative.yaml': variant('web.yaml', [['replicas: 2', 'replicas: -1']]),
  'nons.yaml': variant('web.yaml', [['name: web', 'name: web\n  namespace: nope']]),
  'secret2.yaml': variant('secret.yaml', [['YQ==', 'eHg=']]),
});
fs.mkdirSync(path.join(FILES, 'dir'));
for (const f of ['image.yaml', 'svc.yaml', 'other.yaml']) fs.copyFileSync(path.join(FILES, f), path.join(FILES, 'dir', f));
const EXTERNAL = path.join(FILES, 'ext.sh');
fs.writeFileSync(EXTERNAL, '#!/bin/sh\necho "ext $# $3 $4"; ls "$1" "$2" | sed "s/[0-9]*:$/:/"; exit ${EXT_RC:-1}\n', { mode: 0o755 });

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('diff: nothing, a change, a new object; exit 0, 1, 2', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  let r = k('diff', '-f', 'web.yaml');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', '', 0]);
  r = k('diff', '-f', 'web4.yaml');
  assert.equal(r.status, 1);
  const head =
    /^diff -u -N \/\S*\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web \/\S*\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web\n--- \/\S*\/LIVE-\d+\/apps\.v1\.Deployment\.default\.web\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n\+\+\+ \/\S*\/MERGED-\d+\/apps\.v1\.Deployment\.default\.web\t\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{9} \+0000\n/;
  assert.match(r.stdout, head);
  assert.match(r.stdout, /\n@@ -6,7 \+6,7 @@\n.*\n.*\n.*\n-  generation: 1\n\+  generation: 2\n/);
  assert.match(r.stdout, /\n-  replicas: 2\n\+  replicas: 4\n/);
  // A new object: an empty live file.
  r = k('diff', '-f', 'other.yaml');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /\n@@ -0,0 \+1,\d+ @@\n\+apiVersion: apps\/v1\n\+kind: Deployment\n/);
  // Errors exit 2.
  r = k('diff', '-f', 'nope.yaml');
  assert.deepEqual([r.stderr, r.status], ['error: the path "nope.yaml" does not exist\n', 2]);
  r = k('diff', '-f', 'negative.yaml');
  assert.deepEqual([r.stderr, r.status], ['The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n', 2]);
  r = k('diff');
  assert.deepEqual([r.stderr, r.status], ['error: must specify one of -f and -k\n', 2]);
  // Nothing was changed by all this.
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}').stdout, '2 1');
});

test('diff: Secret values are masked', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'secret.yaml').status, 0);
  const r = k('diff', '-f', 'secret2.yaml');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /\n data:\n-  a: '\*\*\* \(before\)'\n\+  a: '\*\*\* \(after\)'\n   b: '\*\*\*'\n/);
});

test('the in-process diff writes what GNU diff writes', { skip: spawnSync('diff', ['--version']).status === 0 ? false : 'no diff on this machine' }, () => {
  // Random edits of YAML-like lines, with repeats, as the tie-breaks matter.
  const vocab = ['a', 'b', 'c', '  x: 1', '  y: 2', '- name: z', '  - a', '}', '', 'metadata:', 'spec:', '  replicas: 2'];
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const dir = tempHome('kubemu-unidiff-');
  for (let t = 0; t < 400; t++) {
    const a = Array.from({ length: rnd(40) }, () => vocab[rnd(vocab.length)]);
    const b = [...a];
    for (let e = 1 + rnd(6); e > 0; e--) {
      const op = rnd(3);
      const pos = rnd(b.length + 1);
      if (op === 0) b.splice(pos, 0, vocab[rnd(vocab.length)]);
      else if (op === 1 && b.length > 0) b.splice(pos % b.length, 1);
      else if (b.length > 0) b[pos % b.length] = vocab[rnd(vocab.length)];
    }
    const text = (lines: string[]) => lines.map((l) => `${l}\n`).join('');
    fs.writeFileSync(path.join(dir, 'a'), text(a));
    fs.writeFileSync(path.join(dir, 'b'), text(b));
    const gnu = spawnSync('diff', ['-u', 'a', 'b'], { cwd: dir, encoding: 'utf8' }).stdout;
    assert.equal(unifiedHunks(text(a), text(b)), gnu.split('\n').slice(2).join('\n'), JSON.stringify([a, b]));
  }
  assert.equal(unifiedHunks('a\nb', 'a\nc\n'), '@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n');
});

test('diff against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['apply', '-f', 'secret.yaml']]) assert.equal(k(...a).status, 0, a.join(' '));
  const run = (args: string[], env: NodeJS.ProcessEnv) => kubemu(args, { home, cwd: FILES, env });
  const cases: [string[], NodeJS.ProcessEnv?][] = [
    [['diff', '-f', 'web.yaml']],
    [['diff', '-f', 'web4.yaml']],
    [['diff', '-f', 'image.yaml']],
    [['diff', '-f', 'other.yaml']],
    [['diff', '-f', 'secret2.yaml']],
    [['diff', '-f', 'dir', '-l', 'app=web']],
    [['diff', '-f', 'negative.yaml']],
    [['diff', '-f', 'nons.yaml']],
    [['diff', '-f', 'web4.yaml', '-n', 'kube-system']],
    [['diff', '-f', 'nope.yaml']],
    [['diff']],
    [['diff', 'x']],
    [['diff', '-f', 'web.yaml', '--force-conflicts']],
    [['diff', '-f', 'web4.yaml'], { KUBECTL_EXTERNAL_DIFF: `${EXTERNAL} -N -u x;y`, EXT_RC: '1' }],
    [['diff', '-f', 'web4.yaml'], { KUBECTL_EXTERNAL_DIFF: EXTERNAL, EXT_RC: '0' }],
    [['diff', '-f', 'web4.yaml'], { KUBECTL_EXTERNAL_DIFF: EXTERNAL, EXT_RC: '3' }],
    [['diff', '-f', 'web4.yaml'], { KUBECTL_EXTERNAL_DIFF: 'no-such-diff-program' }],
  ];
  for (const [args, env] of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, run, { cwd: FILES, env });
    // Objects created by a dry run get a new uid each time.
    const uid = (t: string) => t.replace(/uid: [0-9a-f-]{36}/g, 'uid: UID');
    assert.deepEqual({ ...got, stdout: uid(got.stdout) }, { ...oracle, stdout: uid(oracle.stdout) }, `${args.join(' ')} ${JSON.stringify(env ?? {})}`);
  }
});
