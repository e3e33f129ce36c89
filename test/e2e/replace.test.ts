import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive, variant, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl replace -f: a PUT of the file's object; --force deletes, waits and
// creates; --save-config; the errors; compared with the real kubectl.

const FILES = tempHome('kubemu-replace-files-');
writeManifests(FILES, {
  'web4.yaml': variant('web.yaml', [['replicas: 2', 'replicas: 4']]),
  'other.yaml': variant('web.yaml', [['name: web', 'name: other']]),
  'stale.yaml': variant('web.yaml', [['name: web', 'name: web\n  resourceVersion: "1"']]),
  'bad.yaml': variant('web.yaml', [['replicas: 2', 'replicas: -2']]),
});

fs.mkdirSync(path.join(FILES, 'dir'));
for (const f of ['web.yaml', 'rc.yaml', 'svc.yaml']) fs.copyFileSync(path.join(FILES, f), path.join(FILES, 'dir', f));

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('replace: replaced, not found, conflicts, --force', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  let r = k('replace', '-f', 'web4.yaml');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['deployment.apps/web replaced\n', '', 0]);
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout, '4');
  r = k('replace', '-f', 'other.yaml');
  assert.deepEqual([r.stderr, r.status], ['Error from server (NotFound): error when replacing "other.yaml": deployments.apps "other" not found\n', 1]);
  r = k('replace', '-f', 'stale.yaml');
  assert.equal(
    r.stderr,
    'Error from server (Conflict): error when replacing "stale.yaml": Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again\n',
  );
  const uid = k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}').stdout;
  r = k('replace', '--force', '-f', 'web.yaml');
  assert.deepEqual([r.stdout, r.status], ['deployment.apps "web" deleted\ndeployment.apps/web replaced\n', 0]);
  assert.notEqual(k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.uid}').stdout, uid);
  r = k('replace', '--force', '-f', 'other.yaml');
  assert.deepEqual([r.stdout, r.status], ['deployment.apps/other replaced\n', 0]);
  r = k('replace', '-f', 'web.yaml', '--grace-period=3');
  assert.equal(r.stderr, 'error: --grace-period must have --force specified\n');
  r = k('replace');
  assert.equal(r.stderr, 'error: must specify one of -f and -k\n');
});

test('replace against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['create', '-f', 'svc.yaml']]) assert.equal(k(...a).status, 0, a.join(' '));
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  // The fake server serves no OpenAPI schema, so client-side validation is off on both sides.
  const cases: string[][] = [
    ['replace', '-f', 'web4.yaml'],
    ['replace', '-f', 'web4.yaml', '-o', 'yaml'],
    ['replace', '-f', 'other.yaml'],
    ['replace', '-f', 'stale.yaml'],
    ['replace', '-f', 'bad.yaml'],
    ['replace', '-f', 'web.yaml', '--dry-run=client'],
    ['replace', '-f', 'web.yaml', '--dry-run=server', '-o', 'name'],
    ['replace', '-f', 'web.yaml', '--save-config', '-o', 'json'],
    ['replace', '-f', 'web.yaml', '--grace-period=3'],
    ['replace', '-f', 'web.yaml', '--timeout=3s'],
    ['replace', '-f', 'web.yaml', '--force', '--dry-run=client'],
    ['replace', '-f', 'web4.yaml', '--force'],
    ['replace', '-f', 'other.yaml', '--force'],
    ['replace', '-f', 'svc.yaml'],
    ['replace', '-f', 'svc.yaml', '--force', '-o', 'name'],
    ['replace', '-f', 'web.yaml', '--cascade=bogus'],
    ['replace', '-f', 'web.yaml', '--validate=x'],
    ['replace', '-f', 'nope.yaml'],
    ['replace', '-f', 'dir', '--dry-run=server'],
  ];
  for (const c of cases) {
    const args = [...c, '--validate=false'];
    if (c.some((a) => a.startsWith('--validate='))) args.pop();
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
});
