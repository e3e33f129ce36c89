import { commandWords, FlagError, parseFlags } from './flags';
import type { FlagDef } from './flags';
import { GLOBAL_FLAGS } from './global-flags';
import { CommandContext, processOutput } from './command';
import type { Command, Output } from './command';
import { ROOT, findChild } from './commands';
import type { CommandNode } from './commands';
import { exitCodeOf, formatError } from './errors';
import { helpText } from './help';
import { klogLine } from './klog';
import { suggestionsBlock } from './suggest';

// The entry point: finds the command the way cobra does, parses its flags the
// way pflag does, runs it, and turns errors into kubectl's messages and exit
// codes.

function resolve(argv: string[]): { node: CommandNode; path: string[]; rest: string[] } {
  let node = ROOT;
  const path: string[] = [];
  let rest = [...argv];
  for (;;) {
    const words = commandWords(rest, [...GLOBAL_FLAGS, ...(node.load ? (node.load().flags ?? []) : [])]);
    const next = words.length > 0 ? findChild(node, words[0]) : undefined;
    if (!next) return { node, path, rest };
    path.push(next.name);
    const i = rest.indexOf(words[0]);
    rest = [...rest.slice(0, i), ...rest.slice(i + 1)];
    node = next;
  }
}

function unknownCommand(word: string, io: Output): number {
  const tail = suggestionsBlock(word);
  io.err(`error: unknown command "${word}" for "kubectl"${tail === '' ? '\n' : tail}`);
  return 1;
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env, io: Output = processOutput): Promise<number> {
  // kubemu's own command group; everything else is kubectl.
  if (argv[0] === 'sim') {
    return (require('./sim') as typeof import('./sim')).runSim(argv.slice(1), env, io);
  }
  if (argv[0] === 'minikube') return (require('./minikube') as typeof import('./minikube')).runMinikube(argv.slice(1), env, io);
  if (argv[0] === 'kind') return (require('./kind') as typeof import('./kind')).runKind(argv.slice(1), env, io);
  const { node, path, rest } = resolve(argv);
  if (path.length === 0) {
    const words = commandWords(rest, GLOBAL_FLAGS);
    if (words.length > 0) return unknownCommand(words[0], io);
    io.out(helpText([]) ?? '');
    return 0;
  }
  const command: Command | undefined = node.load?.();
  // A command's own flag wins over a global one of the same name (create rolebinding --user).
  const flagDefs: FlagDef[] = [...GLOBAL_FLAGS, ...(command?.flags ?? [])];
  const commandPath = ['kubectl', ...path].join(' ');
  let parsed;
  try {
    parsed = parseFlags(rest, flagDefs);
  } catch (e) {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(helpText(path) ?? '');
      return 0;
    }
    if (command?.flagErrorExitCode !== undefined) {
      io.err(`error: ${e instanceof Error ? e.message : String(e)}\nSee '${commandPath} -h' for help and examples\n`);
      return command.flagErrorExitCode;
    }
    io.err(formatError(e instanceof FlagError ? e : new FlagError(String(e)), commandPath) + '\n');
    return 1;
  }
  if (parsed.flags.bool('help')) {
    const text = helpText(path);
    if (text === undefined) return unknownCommand(path.join(' '), io);
    io.out(text);
    return 0;
  }
  if (!command) {
    // A command group: an unknown sub-command, or its help and exit 1
    // (on stdout for rollout, on stderr for the others, as kubectl does).
    if (parsed.args.length > 0) {
      io.err(`error: unknown command "${parsed.args.join(' ')}"\nSee '${commandPath} -h' for help and examples\n`);
      return 1;
    }
    const text = helpText(path) ?? '';
    if (path.join(' ') === 'rollout') io.out(text);
    else io.err(text);
    return 1;
  }
  for (const d of parsed.deprecations) io.err(`${d}\n`);
  const ctx = new CommandContext(path, parsed.args, parsed.flags, parsed.argsLenAtDash, env, io, argv, parsed.occurrences);
  try {
    return await command.run(ctx);
  } catch (e) {
    // Template errors may come with what kubectl printed before failing, and a
    // sort failure with klog's fatal line and exit code.
    const partial = (e as { stdout?: unknown }).stdout;
    if (typeof partial === 'string') io.out(partial);
    const fatal = (e as { klog?: { line: number; exitCode: number } }).klog;
    if (fatal && e instanceof Error) {
      io.err(klogLine('F', `sorter.go:${fatal.line}`, e.message));
      return fatal.exitCode;
    }
    const text = formatError(e, commandPath);
    if (text) io.err(text.endsWith('\n') ? text : `${text}\n`);
    if (env.KUBEMU_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return exitCodeOf(e);
  }
}
