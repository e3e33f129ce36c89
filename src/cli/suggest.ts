// cobra's "Did you mean this?" for an unknown kubectl command: every command
// whose name is within two edits of the word (case ignored) or starts with it,
// in the order kubectl adds its commands (cobra does not sort them here). The
// help command and the empty alpha group are not offered.

const KUBECTL_COMMANDS = [
  'create', 'expose', 'run', 'set', 'explain', 'get', 'edit', 'delete', 'rollout', 'scale', 'autoscale',
  'certificate', 'cluster-info', 'top', 'cordon', 'uncordon', 'drain', 'taint', 'describe', 'logs', 'attach',
  'exec', 'port-forward', 'proxy', 'cp', 'auth', 'debug', 'events', 'diff', 'apply', 'patch', 'replace', 'wait',
  'kustomize', 'label', 'annotate', 'completion', 'config', 'plugin', 'version', 'api-versions', 'api-resources', 'options',
];

const MAX_DISTANCE = 2;

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

export function suggestionsFor(word: string): string[] {
  const typed = word.toLowerCase();
  return KUBECTL_COMMANDS.filter((name) => levenshtein(typed, name) <= MAX_DISTANCE || name.startsWith(typed));
}

// The message's tail: nothing, or the suggestions block.
export function suggestionsBlock(word: string): string {
  const found = suggestionsFor(word);
  return found.length === 0 ? '' : `\n\nDid you mean this?\n${found.map((s) => `\t${s}\n`).join('')}`;
}
