// Maintainer script (not run at build time): regenerates src/cli/help/*.txt and
// src/cli/help/index.json from the real kubectl 1.32, the oracle.
//
//   cd /work/main && npx tsc -p tsconfig.json && node dist/scripts/capture-help.js [--oracle PATH]
//
// The oracle defaults to $KUBEMU_ORACLE, else /usr/lib/google-cloud-sdk/bin/kubectl.1.32
// (never the `kubectl` on the PATH: that is gcloud's dispatcher). It walks the command
// tree from the root listing (every "... Commands:" section) and each command's
// "Available Commands:" section, and writes `kubectl <path...> --help` (stdout, exactly)
// to src/cli/help/<path joined with '-'>.txt (root.txt for the root). Two hidden
// commands are added by hand: `options` (stored: what `kubectl options` prints, because
// `kubectl options --help` prints nothing) and `help` (`kubectl help --help`).
//
// The oracle runs with a fixed, minimal environment: KUBECONFIG=/dev/null, TZ=UTC, an
// empty PATH (so no kubectl-* plugins are listed under "Subcommands provided by
// plugins:" in the root help), no COLUMNS, no KUBECACHEDIR, and HOME set to a fake
// directory. The one machine-dependent value found in 1.32's help texts, the
// default of --cache-dir (in `kubectl options`), is stored as @@KUBE_CACHE_DIR@@; any
// other appearance of HOME would be stored as @@HOME@@ (none in 1.32). src/cli/help.ts
// substitutes them at runtime. The script checks that a second run with another HOME
// differs only in those places.
//
// index.json records every captured command path (space-joined, '' for the root) and
// the aliases each help text lists ("Aliases:" section), e.g. `create deploy` ->
// `create deployment`; help.ts uses it to tell ['create', 'deployment'] from
// ['create-deployment'] (same file name) and to resolve aliases.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const outDir = path.join(root, 'src', 'cli', 'help');
const HOME_A = '/kubemu-capture-home-a';
const HOME_B = '/kubemu-capture-home-b';

function oracle(): string {
  const i = process.argv.indexOf('--oracle');
  const p = (i >= 0 ? process.argv[i + 1] : undefined) ?? process.env.KUBEMU_ORACLE ?? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32';
  if (!fs.existsSync(p)) throw new Error(`oracle not found: ${p}`);
  return p;
}

const kubectl = oracle();

function run(args: string[], home: string): string {
  const r = spawnSync(kubectl, args, {
    encoding: 'utf8',
    env: { PATH: '', HOME: home, KUBECONFIG: '/dev/null', TZ: 'UTC', LANG: 'C' },
  });
  if (r.status !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (r.stderr !== '') throw new Error(`kubectl ${args.join(' ')} wrote to stderr: ${r.stderr}`);
  return r.stdout;
}

function normalise(text: string, home: string): string {
  return text.split(path.join(home, '.kube', 'cache')).join('@@KUBE_CACHE_DIR@@').split(home).join('@@HOME@@');
}

// Names listed in "Available Commands:" (sub-commands) or in the root's grouped
// "... Commands:" / "... Commands (...):" sections; plugins are skipped.
function subCommands(help: string): string[] {
  const names: string[] = [];
  let inSection = false;
  for (const line of help.split('\n')) {
    if (/^\S.*Commands( \(.*\))?:$/.test(line)) {
      inSection = true;
      continue;
    }
    if (line === '' || /^\S/.test(line)) {
      inSection = false;
      continue;
    }
    const m = inSection ? /^ {2}([a-z0-9][a-z0-9-]*)\s/.exec(line) : null;
    if (m?.[1]) names.push(m[1]);
  }
  return names;
}

function aliasesOf(help: string): string[] {
  const m = /^Aliases:\n(.*)\n/m.exec(help);
  return m?.[1] ? m[1].split(',').map((s) => s.trim()).filter((s) => s !== '') : [];
}

function fileName(cmdPath: string[]): string {
  return cmdPath.length === 0 ? 'root' : cmdPath.join('-');
}

interface Captured {
  path: string[];
  args: string[];
}

const captured: Captured[] = [];
const texts = new Map<string, string>();
const aliases: Record<string, string> = {};

function capture(cmdPath: string[], args: string[], walk: boolean): void {
  const name = fileName(cmdPath);
  if (texts.has(name)) throw new Error(`duplicate file name ${name}`);
  const a = run(args, HOME_A);
  const b = run(args, HOME_B);
  const text = normalise(a, HOME_A);
  if (text !== normalise(b, HOME_B)) throw new Error(`${name}: output depends on HOME beyond the known placeholders`);
  if (/kubemu-capture-home/.test(text)) throw new Error(`${name}: unexpected HOME`);
  texts.set(name, text);
  captured.push({ path: cmdPath, args });
  const last = cmdPath[cmdPath.length - 1];
  if (last !== undefined) {
    for (const alias of aliasesOf(text)) {
      if (alias !== last) aliases[[...cmdPath.slice(0, -1), alias].join(' ')] = cmdPath.join(' ');
    }
  }
  if (walk) for (const sub of subCommands(text)) capture([...cmdPath, sub], [...cmdPath, sub, '--help'], true);
}

capture([], ['--help'], true);
// Hidden commands not listed by the root help.
capture(['options'], ['options'], false);
capture(['help'], ['help', '--help'], false);

// The root listing printed with no arguments is the same as `kubectl --help`.
if (normalise(run([], HOME_A), HOME_A) !== texts.get('root')) throw new Error('`kubectl` differs from `kubectl --help`');

fs.mkdirSync(outDir, { recursive: true });
for (const f of fs.readdirSync(outDir)) {
  if (f.endsWith('.txt') && !texts.has(f.slice(0, -4))) fs.unlinkSync(path.join(outDir, f));
}
for (const [name, text] of texts) fs.writeFileSync(path.join(outDir, `${name}.txt`), text);
const index = {
  oracle: 'kubectl 1.32',
  commands: captured.map((c) => c.path.join(' ')),
  aliases,
};
fs.writeFileSync(path.join(outDir, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
console.log(`wrote ${texts.size} help texts and index.json (${Object.keys(aliases).length} aliases) to ${path.relative(root, outDir)}`);
