import type { Output } from '../command';
import { commandWords, FlagError, parseFlags } from '../flags';
import type { FlagDef } from '../flags';
import { Session } from '../session';
import { exitCodeOf, formatError } from '../errors';
import { MinikubeExit, Out } from './out';
import type { Mk, MkCommand } from './context';

// `kubemu minikube ...`: the minikube commands the tutorials use, against the
// simulated cluster, in minikube v1.35's words. Each sub-command is a module
// loaded on demand, as kubectl's verbs are.

// minikube's persistent flags; those about logging are accepted and ignored.
const GLOBAL_FLAGS: FlagDef[] = [
  { name: 'profile', short: 'p', kind: 'string', default: 'minikube' },
  { name: 'bootstrapper', short: 'b', kind: 'string', default: 'kubeadm' },
  { name: 'user', kind: 'string' },
  { name: 'skip-audit', kind: 'bool' },
  { name: 'rootless', kind: 'bool' },
  { name: 'alsologtostderr', kind: 'bool' },
  { name: 'logtostderr', kind: 'bool' },
  { name: 'add_dir_header', kind: 'bool' },
  { name: 'skip_headers', kind: 'bool' },
  { name: 'skip_log_headers', kind: 'bool' },
  { name: 'one_output', kind: 'bool' },
  { name: 'log_dir', kind: 'string' },
  { name: 'log_file', kind: 'string' },
  { name: 'log_file_max_size', kind: 'string' },
  { name: 'stderrthreshold', kind: 'string' },
  { name: 'vmodule', kind: 'string' },
  { name: 'v', short: 'v', kind: 'string' },
  { name: 'help', short: 'h', kind: 'bool' },
];

// Literal paths, so that a bundler (scripts/build-sea.ts) sees every command.
const COMMANDS: Record<string, () => unknown> = {
  addons: () => require('./addons'),
  dashboard: () => require('./dashboard'),
  delete: () => require('./delete'),
  ip: () => require('./ip'),
  kubectl: () => require('./kubectl'),
  node: () => require('./node'),
  service: () => require('./service'),
  start: () => require('./start'),
  status: () => require('./status'),
  stop: () => require('./stop'),
  tunnel: () => require('./tunnel'),
  'update-context': () => require('./update-context'),
  version: () => require('./version'),
};

const USAGE = `minikube provisions and manages local Kubernetes clusters optimized for development workflows.

Commands simulated by kubemu:
  start            Starts a local Kubernetes cluster
  status           Gets the status of a local Kubernetes cluster
  stop             Stops a running local Kubernetes cluster
  delete           Deletes a local Kubernetes cluster
  dashboard        Access the Kubernetes dashboard running within the minikube cluster
  ip               Retrieves the IP address of the specified node
  service          Returns a URL to connect to a service
  tunnel           Connect to LoadBalancer services
  addons           Enable or disable a minikube addon
  node             Add, remove, or list additional nodes
  kubectl          Run a kubectl binary matching the cluster version
  update-context   Update kubeconfig in case of an IP or port change
  version          Print the version of minikube

Use "minikube <command> --help" for more information about a given command.
`;

function load(module: () => unknown): MkCommand {
  return (module() as { command: MkCommand }).command;
}

export async function runMinikube(argv: string[], env: NodeJS.ProcessEnv, io: Output): Promise<number> {
  const word = commandWords(argv, GLOBAL_FLAGS)[0];
  if (word === undefined || word === 'help') {
    io.out(USAGE);
    return 0;
  }
  const file = Object.hasOwn(COMMANDS, word) ? COMMANDS[word] : undefined;
  if (!file) {
    io.err(`Error: unknown command "${word}" for "minikube"\nRun 'minikube --help' for usage.\n`);
    return 14;
  }
  const command = load(file);
  const at = argv.indexOf(word);
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  let parsed;
  try {
    parsed = parseFlags(rest, [...(command.flags ?? []), ...GLOBAL_FLAGS]);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    io.err(`Error: ${e.message}\nSee 'minikube ${word} --help' for usage.\n`);
    return 14;
  }
  if (parsed.flags.bool('help')) {
    io.out(`Usage of "minikube ${word}": see https://minikube.sigs.k8s.io/docs/commands/${word}/\n`);
    return 0;
  }
  const session = new Session(env);
  const mk: Mk = {
    args: parsed.args,
    argsLenAtDash: parsed.argsLenAtDash,
    flags: parsed.flags,
    env,
    io,
    out: new Out(io, env, [word, ...parsed.args], session.home),
    session,
    profile: parsed.flags.str('profile') || 'minikube',
  };
  try {
    return await command.run(mk);
  } catch (e) {
    if (e instanceof MinikubeExit) return e.code;
    // Failures of the layers below (the store, the API server) in kubectl's words.
    io.err(`${formatError(e, `minikube ${word}`)}\n`);
    if (env.KUBEMU_DEBUG && e instanceof Error && e.stack) io.err(`${e.stack}\n`);
    return exitCodeOf(e);
  }
}
