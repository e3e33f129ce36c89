import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// Runs bin/kubemu as a user would: its own process, a fresh KUBEMU_HOME, no daemon,
// a manual clock, UTC.

export const REPO_ROOT = path.join(__dirname, '..', '..', '..');

export interface CliResult {
  stdout: string;
  stderr: string;
  status: number;
}

export function tempHome(prefix = 'kubemu-e2e-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function kubemu(home: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'kubemu'), ...args], {
    encoding: 'utf8',
    input: opts.input ?? '',
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: home,
      KUBEMU_HOME: home,
      KUBEMU_DAEMON: '0',
      KUBEMU_CLOCK: 'manual',
      TZ: 'UTC',
      ...opts.env,
    },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}

// klog lines carry the time and the process id: the rest must match.
export function normalizeKlog(text: string): string {
  return text.replace(/^([IWEF])\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ /gm, '$1MMDD hh:mm:ss.uuuuuu PID ');
}

// Extra flags go before `--`, which ends the flags.
export function withFlags(args: string[], extra: string[]): string[] {
  const dash = args.indexOf('--');
  return dash < 0 ? [...args, ...extra] : [...args.slice(0, dash), ...extra, ...args.slice(dash)];
}
