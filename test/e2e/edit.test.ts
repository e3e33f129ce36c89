import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { kubemu, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';
import { oracleSkip } from '../helpers/oracle';
import { compareLive, normalizeRun, variant, writeManifests } from '../helpers/kubemu-apiserver';

// kubectl edit with scripted editors (never an interactive one): what the
// editor is given, each round when an edit is refused, the messages, the
// file kept when giving up; compared round by round with the real kubectl.

const FILES = tempHome('kubemu-edit-files-');
writeManifests(FILES, { 'other.yaml': variant('web.yaml', [['name: web', 'name: other']]) });

// The editor logs every round it is given, then runs an edit script on it.
const EDITOR = path.join(FILES, 'editor.sh');
fs.writeFileSync(EDITOR, '#!/bin/sh\nn=$(ls "$EDLOG" | wc -l)\ncp "$1" "$EDLOG/$n"\nsh "$EDSCRIPTS/$EDSCRIPT" "$1"\n', { mode: 0o755 });
const SCRIPTS: Record<string, string> = {
  // replicas 2 -> 3
  replicas: 'sed -i "s/replicas: 2/replicas: 3/" "$1"\n',
  none: 'true\n',
  image: 'sed -i "s/image: nginx$/image: nginx:1.25/" "$1"\n',
  // a YAML syntax error every round
  syntax: 'if ! grep -q "not valid" "$1"; then sed -i "s/^kind: Deployment/kind: Deployment\\n  bad: [/" "$1"; fi\n',
  // a syntax error, fixed in the second round
  syntaxFixed: 'if grep -q "not valid" "$1"; then sed -i "/  bad: \\[/d; s/replicas: 2/replicas: 4/" "$1"; else sed -i "s/^kind: Deployment/kind: Deployment\\n  bad: [/" "$1"; fi\n',
  // an invalid object (negative replicas), fixed in the second round
  invalid: 'if grep -q "not valid" "$1"; then sed -i "s/replicas: -3/replicas: 1/" "$1"; else sed -i "0,/replicas: 2/s//replicas: -3/" "$1"; fi\n',
  invalidAlways: 'sed -i "0,/replicas: 2/s//replicas: -3/" "$1"\n',
  noKind: 'sed -i "/^kind:/d" "$1"\n',
  rename: 'sed -i "s/^  name: web$/  name: web2/" "$1"\n',
  namespace: 'sed -i "s/^  namespace: default$/  namespace: kube-system/" "$1"\n',
  empty: 'printf "# nothing\\n" > "$1"\n',
  json: 'sed -i "s/\\"replicas\\": 2,/\\"replicas\\": 6,/" "$1"\n',
  jsonSpace: 'sed -i "s/^{/{ /" "$1"\n',
  fail: 'exit 3\n',
  stale: 'sed -i "s/resourceVersion: \\"[0-9]*\\"/resourceVersion: \\"1\\"/; s/replicas: 2/replicas: 5/" "$1"\n',
};
const TMP = path.join(FILES, 'tmp');
fs.mkdirSync(TMP);
const SCRIPT_DIR = path.join(FILES, 'scripts');
fs.mkdirSync(SCRIPT_DIR);
for (const [name, body] of Object.entries(SCRIPTS)) fs.writeFileSync(path.join(SCRIPT_DIR, name), body);

function editorEnv(script: string, log: string): NodeJS.ProcessEnv {
  fs.rmSync(log, { recursive: true, force: true });
  fs.mkdirSync(log, { recursive: true });
  // Files kept for the user (as kubectl keeps them) go to a scratch TMPDIR.
  return { KUBE_EDITOR: EDITOR, EDLOG: log, EDSCRIPTS: SCRIPT_DIR, EDSCRIPT: script, TMPDIR: TMP };
}

function rounds(log: string): string[] {
  return fs
    .readdirSync(log)
    .sort((a, b) => Number(a) - Number(b))
    .map((f) => fs.readFileSync(path.join(log, f), 'utf8'));
}

function session(): { home: string; k: (env: NodeJS.ProcessEnv, ...args: string[]) => Result } {
  const home = tempHome();
  return { home, k: (env, ...args) => kubemu(args, { home, cwd: FILES, env }) };
}

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

test('edit: the file the editor gets, edited, cancelled, given up', () => {
  const { k, home } = session();
  assert.equal(k({}, 'apply', '-f', 'web.yaml').status, 0);
  const log = path.join(home, 'rounds');
  let r = k(editorEnv('invalidAlways', log), 'edit', 'deploy/web');
  const kept = /A copy of your changes has been stored to "(\/[^"]+\/kubectl-edit-\d+\.yaml)"/.exec(r.stderr);
  assert.ok(kept, r.stderr);
  assert.equal(r.status, 1);
  assert.ok(r.stderr.endsWith('error: Edit cancelled, no valid changes were saved.\n'));
  // The second round shows why, above the edited object.
  const second = rounds(log)[1];
  assert.match(second, /^# reopened with the relevant failures\.\n#\n# deployments\.apps "web" was not valid:\n# \* spec\.replicas: Invalid value: -3: must be greater than or equal to 0\n#\napiVersion: apps\/v1\n/m);
  assert.match(fs.readFileSync(kept[1], 'utf8'), /replicas: -3/);
  fs.rmSync(kept[1]);
  const live = k({}, 'get', 'deploy', 'web', '-o', 'yaml').stdout;
  r = k(editorEnv('replicas', log), 'edit', 'deploy', 'web');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['deployment.apps/web edited\n', '', 0]);
  // The header, then the object as `get -o yaml` shows it.
  assert.deepEqual(rounds(log), [HEADER + live]);
  assert.equal(k({}, 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}').stdout, '3');
  r = k(editorEnv('none', log), 'edit', 'deploy', 'web');
  assert.deepEqual([r.stdout, r.stderr, r.status], ['', 'Edit cancelled, no changes made.\n', 0]);
  r = k({ KUBE_EDITOR: path.join(FILES, 'no-such-editor') }, 'edit', 'deploy', 'web');
  assert.deepEqual([r.stderr, r.status], [`error: unable to launch the editor "${path.join(FILES, 'no-such-editor')}"\n`, 1]);
});

interface EditCase {
  args: string[];
  script: string;
  setup?: string[][];
}

const CASES: EditCase[] = [
  { args: ['edit', 'deploy', 'web'], script: 'replicas' },
  { args: ['edit', 'deploy', 'web', '--output-patch'], script: 'image' },
  { args: ['edit', 'deploy', 'web'], script: 'none' },
  { args: ['edit', 'deploy', 'web'], script: 'syntax' },
  { args: ['edit', 'deploy', 'web'], script: 'syntaxFixed' },
  { args: ['edit', 'deploy', 'web'], script: 'invalid' },
  { args: ['edit', 'deploy', 'web'], script: 'invalidAlways' },
  { args: ['edit', 'deploy', 'web'], script: 'noKind' },
  { args: ['edit', 'deploy', 'web'], script: 'rename' },
  { args: ['edit', 'deploy', 'web'], script: 'namespace' },
  { args: ['edit', 'deploy', 'web'], script: 'empty' },
  { args: ['edit', 'deploy', 'web'], script: 'fail' },
  { args: ['edit', 'deploy', 'web'], script: 'stale' },
  { args: ['edit', 'deploy', 'web', '-o', 'json'], script: 'json' },
  { args: ['edit', 'deploy', 'web', '-o', 'json'], script: 'jsonSpace' },
  { args: ['edit', 'deploy/web', '--windows-line-endings'], script: 'image' },
  { args: ['edit', 'deploy/web', '--save-config', '-o', 'yaml'], script: 'image' },
  { args: ['edit', '-f', 'web.yaml'], script: 'image' },
  { args: ['edit', 'deploy', 'nope'], script: 'none' },
  { args: ['edit', 'deploy', 'web', '-o', 'name'], script: 'none' },
  // Lists: the fake server has no OpenAPI v2 to validate a List against.
  { args: ['edit', 'deploy', '--validate=false'], script: 'image', setup: [['apply', '-f', 'other.yaml']] },
  { args: ['edit', 'deploy', 'web', 'other', '--output-patch', '--validate=false'], script: 'invalid', setup: [['apply', '-f', 'other.yaml']] },
];

test('edit: as kubectl does it, round by round', { skip: oracleSkip }, async () => {
  for (const c of CASES) {
    const { home, k } = session();
    for (const a of [['apply', '-f', 'web.yaml'], ...(c.setup ?? [])]) assert.equal(k({}, ...a).status, 0, a.join(' '));
    const log = path.join(home, 'rounds');
    const env = editorEnv(c.script, log);
    let oracleRounds: string[] = [];
    const { oracle, kubemu: got } = await compareLive(
      home,
      c.args,
      (a) => {
        oracleRounds = rounds(log);
        editorEnv(c.script, log);
        return kubemu(a, { home, cwd: FILES, env });
      },
      { cwd: FILES, env },
    );
    const what = `${c.args.join(' ')} (${c.script})`;
    assert.deepEqual(got, oracle, what);
    const norm = (t: string) => normalizeRun({ stdout: t, stderr: '', status: 0 }).stdout;
    assert.deepEqual(rounds(log).map(norm), oracleRounds.map(norm), what);
  }
});
