// kubectl 1.32's --help texts, captured byte for byte by scripts/capture-help.ts into
// help/<command path joined with '-'>.txt (root.txt for the root), plus help/index.json
// (the command paths and their aliases). The build copies them next to this module.
//
// Facts about the real kubectl 1.32 (KUBECONFIG=/dev/null, no plugins on PATH):
// - Help goes to stdout, stderr empty, exit 0. Every help text ends with exactly one "\n"
//   (after "...(applies to all commands)."); options.txt ends with "\n\n". 70 of the texts
//   have lines with trailing spaces (e.g. "        " in long descriptions): keep them.
//   `kubectl <path> -h` == `--help` == `kubectl help <path>`; positional args and
//   other flags are ignored (`kubectl get pods --help`, `kubectl -n x get --help`,
//   `kubectl help get pods`, `kubectl rollout foo --help`, `kubectl create foo --help`
//   all print the command's help), aliases work (`create deploy -h`, `help top pods`),
//   but an unknown flag wins: `kubectl get --help --foo` is the unknown-flag error.
// - `kubectl` with no arguments == `kubectl --help` == `kubectl help` (root.txt), stdout, exit 0.
// - Root help always has a "Subcommands provided by plugins:" heading, followed by a blank
//   line when no kubectl-* executable is on PATH; with one it lists
//   "  foo           The command foo is a plugin installed by the user". root.txt is the empty case.
// - Group commands run with no args print their help and exit 1: to stdout for `rollout`;
//   to stderr for `set`, `config`, `top`, `auth`, `plugin`, `create secret`, `create service`.
//   `certificate` (and `certificate foo`) prints its help to stdout with exit 0.
//   `create` and `apply` with no args: "error: must specify one of -f and -k\n", exit 1.
// - Unknown sub-command of a group (stderr, exit 1):
//   `kubectl rollout foo` -> "error: unknown command \"foo\"\nSee 'kubectl rollout -h' for help and examples\n"
//   (same shape for set, config, top, auth, plugin, `create secret`, `create service`;
//   `rollout foo bar` -> "error: unknown command \"foo bar\"\n...").
//   `kubectl create foo` -> "error: Unexpected args: [foo]\nSee 'kubectl create -h' for help and examples\n"
//   (same for apply).
// - Unknown top-level command (stderr, exit 1; `kubectl foo --help` / `-h` too):
//   `kubectl foo` -> "error: unknown command \"foo\" for \"kubectl\"\n\nDid you mean this?\n\ttop\n"
//   `kubectl xyzzyabc` -> "error: unknown command \"xyzzyabc\" for \"kubectl\"\n" (no suggestion).
//   Suggestions (cobra): every visible command within Levenshtein distance 2, or with the typed
//   word as a prefix (case-insensitive), one "\t<name>\n" each, in registration order: the root
//   help's order, except the last group is config, plugin, version, api-versions, api-resources.
//   E.g. `kubectl ap` -> top, cp, apply, api-versions, api-resources; `certi` -> certificate.
// - `kubectl help foo` -> stderr, exit 0: "Unknown help topic [`foo`]\n\n" followed by root.txt
//   from its 4th line on (i.e. "\nBasic Commands (Beginner):\n..." to the end); `help foo bar`
//   -> "Unknown help topic [`foo` `bar`]\n..."; `help get foo` prints get's help.
// - Unknown flag (stderr, exit 1): "error: unknown flag: --foo\nSee 'kubectl get --help' for usage.\n"
//   (`kubectl --foo` -> "See 'kubectl --help' for usage."; `kubectl rollout status --foo` ->
//   "See 'kubectl rollout status --help' for usage."). `kubectl options --foo` ->
//   "error: unknown flag: --foo\nRun 'kubectl options' without flags.\n".
// - `kubectl options` prints the global options list (options.txt), stdout, exit 0, ignoring
//   arguments; but `kubectl options --help`, `options -h` and `help options` print NOTHING, exit 0.
//   helpText(['options']) returns what `kubectl options` prints.
// - `kubectl help --help` / `help help` prints help.txt. `kubectl alpha` (and `alpha -h`,
//   `help alpha`, `alpha foo`) prints "No alpha commands are available in this version of kubectl\n"
//   to stderr, exit 0 (not captured here).
// - Machine-dependent: only options.txt, whose `--cache-dir` default is $KUBECACHEDIR if set,
//   else $HOME/.kube/cache (".kube/cache" if HOME is unset). It is stored as @@KUBE_CACHE_DIR@@
//   and substituted here from the current environment (@@HOME@@ likewise; unused in 1.32).
//   Terminal width (COLUMNS, tty) does not change any help text. KUBECTL_APPLYSET=true changes
//   apply.txt (adds --applyset, rewords --prune); the texts are captured with it unset.
import * as path from 'node:path';
import { readAssetText } from '../util/assets';

const HELP_DIR = 'dist/src/cli/help';

interface HelpIndex {
  commands: string[];
  aliases: Record<string, string>;
}

let index: { commands: Set<string>; aliases: Map<string, string>; list: string[] } | undefined;

function loadIndex(): NonNullable<typeof index> {
  if (!index) {
    const raw = JSON.parse(readAssetText(`${HELP_DIR}/index.json`)) as HelpIndex;
    index = { commands: new Set(raw.commands), aliases: new Map(Object.entries(raw.aliases)), list: raw.commands };
  }
  return index;
}

// The canonical command path for `cmdPath` (aliases resolved level by level), or undefined
// if kubectl 1.32 has no such command. Pass the command path only, no positional args.
export function resolveHelpPath(cmdPath: readonly string[]): string[] | undefined {
  const { commands, aliases } = loadIndex();
  const resolved: string[] = [];
  for (const word of cmdPath) {
    const key = [...resolved, word].join(' ');
    const canonical = commands.has(key) ? key : aliases.get(key);
    if (canonical === undefined) return undefined;
    resolved.splice(0, resolved.length, ...canonical.split(' '));
  }
  return resolved;
}

function kubeCacheDir(env: NodeJS.ProcessEnv): string {
  return env.KUBECACHEDIR || path.join(env.HOME ?? '', '.kube', 'cache');
}

// What `kubectl <cmdPath...> --help` prints to stdout (for ['options']: what
// `kubectl options` prints), or undefined for an unknown command path.
export function helpText(cmdPath: readonly string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
  const resolved = resolveHelpPath(cmdPath);
  if (!resolved) return undefined;
  const text = readAssetText(`${HELP_DIR}/${resolved.length === 0 ? 'root' : resolved.join('-')}.txt`);
  if (!text.includes('@@')) return text;
  return text.split('@@KUBE_CACHE_DIR@@').join(kubeCacheDir(env)).split('@@HOME@@').join(env.HOME ?? '');
}

// Every captured command path ([] is the root), in the order the tree was walked.
export function listHelpCommands(): string[][] {
  return loadIndex().list.map((c) => (c === '' ? [] : c.split(' ')));
}
