import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip, runOracle } from '../helpers/oracle';
import { compareLive, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl label (whose machinery annotate shares): messages, errors,
// --local, selectors, --list, --resource-version; compared with the real
// kubectl offline (--local) and against the same cluster (live).

const FILES = tempHome('kubemu-label-files-');
writeManifests(FILES);

function session(): { home: string; k: (...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (...args) => kubemu(args, { home, cwd: FILES }) };
}

test('label: set, refuse to overwrite, overwrite, remove, remove again', () => {
  const { k } = session();
  assert.equal(k('apply', '-f', 'web.yaml').status, 0);
  let r = k('label', 'deploy', 'web', 'tier=fe');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['deployment.apps/web labeled\n', '', 0]);
  // Labels on a Deployment leave its pod template alone.
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata.labels}').stdout, '{"app":"web"}');
  r = k('label', 'deploy', 'web', 'tier=be');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', "error: 'tier' already has a value (fe), and --overwrite is false\n", 1]);
  assert.equal(k('label', 'deploy', 'web', 'tier=be', '--overwrite').stdout, 'deployment.apps/web labeled\n');
  assert.equal(k('label', 'deploy/web', 'tier-').stdout, 'deployment.apps/web unlabeled\n');
  const rv = k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}').stdout;
  r = k('label', 'deploy/web', 'tier-');
  assert.deepEqual([r.stdout, r.status], ['label "tier" not found.\ndeployment.apps/web not labeled\n', 0]);
  // Nothing changed, so nothing was written.
  assert.equal(k('get', 'deploy', 'web', '-o', 'jsonpath={.metadata.resourceVersion}').stdout, rv);
  assert.equal(k('label', 'deploy', 'web', 'app-', '--overwrite').stdout, 'deployment.apps/web labeled\n');
});

test('label: argument and flag errors', () => {
  const { k } = session();
  const cases: [string[], string][] = [
    [['label', 'deploy', 'web'], 'error: at least one label update is required\n'],
    [['label', 'deploy', 'web', 'a=b', 'x'], 'error: all resources must be specified before label changes: x\n'],
    [['label', 'deploy', 'web', 'a=b=c'], 'error: invalid label spec: a=b=c\n'],
    [['label', 'deploy', 'web', 'a=1', 'a-'], 'error: can not both modify and remove a label in the same command\n'],
    [['label', 'a=b'], 'error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n'],
    [['label', 'deploy', '--all', '-l', 'a=b', 'x=y'], 'error: cannot set --all and --selector at the same time\n'],
    [['label', 'deploy', 'web', '--list', '-o', 'yaml'], 'error: --list and --output may not be specified together\n'],
    [['label', 'deploy', 'nope', 'a=b'], 'Error from server (NotFound): deployments.apps "nope" not found\n'],
    [['label', 'deploy', 'a=b'], 'error: resource(s) were provided, but no name was specified\n'],
    [['label', 'deploy', 'web', 'a=b', '--resource-version=1', '-l', 'x=y'], 'error: name cannot be provided when a selector is specified\n'],
  ];
  for (const [args, stderr] of cases) {
    const r = k(...args);
    assert.deepEqual([r.stderr, r.status], [stderr, 1], args.join(' '));
  }
});

// Offline cases: the real kubectl runs these too.
const LOCAL: string[][] = [
  ['tier=fe'],
  ['app-'],
  ['nope-'],
  ['app=x'],
  ['app=x', '--overwrite'],
  ['app-', '--overwrite'],
  ['a=b_'],
  ['bad key=v', '-o', 'name'],
  ['a=b', 'c=d', '-o', 'json'],
  ['a=b', '-o', 'yaml', '--resource-version=7'],
  [],
  ['--list'],
  ['x=1', 'x-'],
  ['foo'],
  ['tier=fe', '--dry-run=server'],
  ['tier=fe', '-o', 'bogus'],
];

test('label --local -f: the same bytes as kubectl', { skip: oracleSkip }, () => {
  const { k } = session();
  for (const extra of LOCAL) {
    const args = ['label', '--local', '-f', 'web.yaml', ...extra];
    const want = runOracle(args, { cwd: FILES });
    const got = k(...args);
    assert.deepEqual(got, want, args.join(' '));
  }
});

test('label against a cluster: as kubectl does it', { skip: oracleSkip }, async () => {
  const { home, k } = session();
  for (const a of [['apply', '-f', 'web.yaml'], ['apply', '-f', 'svc.yaml'], ['run', 'p1', '--image=nginx', '--labels=app=web']]) {
    assert.equal(k(...a).status, 0, a.join(' '));
  }
  const run = (args: string[]) => kubemu(args, { home, cwd: FILES });
  const cases: string[][] = [
    ['label', 'deploy', 'web', 'tier=fe'],
    ['label', 'deploy', 'web', 'tier=be'],
    ['label', 'deploy/web', 'nope-'],
    ['label', 'deploy', 'web', 'nope', 'a=b'],
    ['label', 'pods,deploy', 'web', 'q=1'],
    ['label', 'deploy/web', 'pod/p1', 't=1', '-o', 'name'],
    ['label', 'pods', '-A', '-l', 'app=web', 'z=1'],
    ['label', 'svc', '--all', 'x=1', '-o', 'yaml'],
    ['label', 'deploy', 'web', 'a=c', '--dry-run=client'],
    ['label', 'deploy', 'web', 'a=c', '--overwrite', '--dry-run=server'],
    ['label', 'deploy', 'web', 'a=b', '--resource-version=1'],
    ['label', '-f', 'web.yaml', '-f', 'svc.yaml', 'y=1'],
    ['label', '-f', 'web.yaml', 'y=2', '--overwrite', '--resource-version=1'],
    ['label', 'node', 'minikube', 'role=x'],
    ['label', 'deploy', 'web', 'bad key=v'],
    ['label', 'deploy', 'web', 'a=b', '--field-selector=metadata.name=web'],
    ['label', 'deploy', 'nope', 'nope2', 'a=b'],
  ];
  for (const args of cases) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    assert.deepEqual(got, oracle, args.join(' '));
  }
  // kubectl lists a map in Go's random order: the lines, sorted, agree.
  for (const args of [['label', 'deploy', 'web', '--list'], ['label', 'deploy', 'web', 'svc/s1', '--list']]) {
    const { oracle, kubemu: got } = await compareLive(home, args, (a) => run(a), { cwd: FILES });
    const sorted = (s: string) => s.split('\n').sort().join('\n');
    assert.equal(sorted(got.stdout), sorted(oracle.stdout), args.join(' '));
    assert.equal(got.status, oracle.status);
  }
});
