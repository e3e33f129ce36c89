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
export function kubemu(args: string[], opts: RunOptions): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input: opts.input,
    cwd: opts.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: opts.home,
      TZ: 'UTC',
      KUBEMU_HOME: opts.home,
      KUBEMU_DAEMON: '0',
      KUBEMU_CLOCK: 'manual',
      KUBEMU_SEED: '42',
      ...opts.env,
    },
  });
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

export function stateBytes(home: string): string {
  return fs.readFileSync(path.join(home, 'state.json'), 'utf8');
}
