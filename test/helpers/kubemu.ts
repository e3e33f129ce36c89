import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Runs the real entry point, bin/kubemu, as a user would, in a throw-away home.

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const BIN = path.join(ROOT, 'bin', 'kubemu');

export interface Result {
  stdout: string;
  stderr: string;
  status: number;
}

export function tempHome(prefix = 'kubemu-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export interface RunOptions {
  home: string;
  input?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

// Deterministic by default: manual clock, fixed seed, no daemon, UTC.
export function kubemuEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, TZ: 'UTC', KUBEMU_HOME: home, KUBEMU_DAEMON: '0', KUBEMU_CLOCK: 'manual', KUBEMU_SEED: '42', ...extra };
}

export function kubemu(args: string[], opts: RunOptions): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', input: opts.input, cwd: opts.cwd ?? ROOT, env: kubemuEnv(opts.home, opts.env) });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

// A bash script typed as a tutorial reader types it, after
// `eval "$(kubemu sim shellenv)"` (kubectl, minikube and the example sites'
// curl are kubemu).
export function tutorialShell(script: string, opts: RunOptions): Result {
  const r = spawnSync('bash', ['-c', `eval "$('${process.execPath}' '${BIN}' sim shellenv)"\n${script}`], { encoding: 'utf8', input: opts.input, cwd: opts.cwd ?? ROOT, env: kubemuEnv(opts.home, opts.env) });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

// A session bound to one home: `k('get', 'pods')`.
export function cluster(env: NodeJS.ProcessEnv = {}): { home: string; k: (...args: string[]) => Result; kin: (input: string, ...args: string[]) => Result } {
  const home = tempHome();
  return {
    home,
    k: (...args: string[]) => kubemu(args, { home, env }),
    kin: (input: string, ...args: string[]) => kubemu(args, { home, env, input }),
  };
}

// The same, run from a working directory of its own inside the home (for
// tutorials that download and create files beside the commands).
export function clusterInDir(env: NodeJS.ProcessEnv = {}): { home: string; dir: string; k: (...args: string[]) => Result; kin: (input: string, ...args: string[]) => Result } {
  const home = tempHome();
  const dir = fs.mkdtempSync(path.join(home, 'work-'));
  return {
    home,
    dir,
    k: (...args: string[]) => kubemu(args, { home, env, cwd: dir }),
    kin: (input: string, ...args: string[]) => kubemu(args, { home, env, cwd: dir, input }),
  };
}

export function stateBytes(home: string): string {
  return fs.readFileSync(path.join(home, 'state.json'), 'utf8');
}

// script(1) gives the command a pseudo-terminal, as a user's shell would.
export const SCRIPT = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

export function onTerminal(home: string, args: string[], input: string): string {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const r = spawnSync('script', ['-qec', [process.execPath, BIN, ...args].map(quote).join(' '), '/dev/null'], {
    encoding: 'utf8',
    input,
    env: kubemuEnv(home),
  });
  // The terminal echoes the input first; what follows is the session.
  return r.stdout.replace(/\r\n/g, '\n');
}
