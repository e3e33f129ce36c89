import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { StateStore } from '../store/store';
import { ApiServer } from '../api/server';
import { Clock, hostNow, simNow } from '../sim/clock';
import { Rng } from '../util/rand';
import { catchUp, nextWake } from './reconciler';
import { DAEMON_ARG } from '../cli/entry';
import { inSingleExecutable, selfPath } from '../util/assets';

// The background reconciler: keeps the cluster moving between commands (logs
// written as they happen, rollouts progressing while nobody looks). Commands
// start it on demand; it leaves when there has been nothing to do for a while,
// when its home disappears, or when told to. Commands never depend on it:
// each one catches up under the lock before it reads or writes.

const IDLE_EXIT_MS = 5 * 60 * 1000;
const MAX_SLEEP_MS = 30_000;

export function pidFile(home: string): string {
  return path.join(home, 'daemon.pid');
}

export function daemonPid(home: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(home), 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return isDaemonOf(pid, home) ? pid : undefined;
  } catch {
    return undefined;
  }
}

// A daemon killed with kill -9 leaves its pid file behind, and the pid may
// since have gone to an unrelated process: it is ours only if its command line
// is `... --kubemu-daemon <home>`. Without /proc (not Linux) a live pid is
// taken on trust, as before.
function isDaemonOf(pid: number, home: string): boolean {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return !fs.existsSync('/proc/self/cmdline');
  }
  const args = cmdline.split('\0');
  const at = args.indexOf(DAEMON_ARG);
  return at >= 0 && (args[at + 1] === home || path.resolve(args[at + 1] ?? '') === path.resolve(home));
}

// Starts the daemon unless it runs, or KUBEMU_DAEMON=0 says not to.
export function ensureDaemon(home: string, env: NodeJS.ProcessEnv): void {
  if (env.KUBEMU_DAEMON === '0' || daemonPid(home) !== undefined) return;
  const log = fs.openSync(path.join(home, 'daemon.log'), 'a', 0o600);
  // kubemu itself, told by a hidden argument to be the daemon: the single
  // executable has no other script to run.
  const self = inSingleExecutable() ? [] : [selfPath()];
  const child = spawn(process.execPath, [...self, DAEMON_ARG, home], {
    detached: true,
    stdio: ['ignore', log, log],
    env: { ...env, KUBEMU_HOME: home },
  });
  child.unref();
  fs.closeSync(log);
}

// The daemon process's body: `kubemu --kubemu-daemon <home>`.
export function daemonMain(home: string): void {
  runDaemon(home, process.env).catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exitCode = 1;
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function runDaemon(home: string, env: NodeJS.ProcessEnv): Promise<void> {
  const store = new StateStore(home);
  const mine = String(process.pid);
  fs.writeFileSync(pidFile(home), `${mine}\n`, { mode: 0o600 });
  let stop = false;
  process.on('SIGTERM', () => {
    stop = true;
  });
  let lastWork = hostNow();
  const log = (msg: string) => process.stdout.write(`${new Date(hostNow()).toISOString()} ${msg}\n`);
  log(`daemon ${mine} started`);
  while (!stop) {
    if (!fs.existsSync(home) || fs.readFileSync(pidFile(home), 'utf8').trim() !== mine) break;
    let wait = MAX_SLEEP_MS;
    try {
      const result = store.withLock(() => {
        const state = store.read();
        const api = new ApiServer({ state, clock: new Clock(state.clock), rng: new Rng(state.rng), env, home });
        const worked = catchUp(api);
        if (worked) store.write(state);
        return { worked, wake: nextWake(api), clock: state.clock };
      });
      if (result.worked) lastWork = hostNow();
      if (result.clock.mode === 'manual') wait = MAX_SLEEP_MS;
      else if (result.wake !== undefined) {
        const simLeft = result.wake - simNow(result.clock);
        wait = Math.max(10, Math.min(MAX_SLEEP_MS, simLeft / result.clock.speed));
      }
      if (result.wake === undefined && hostNow() - lastWork > IDLE_EXIT_MS) break;
    } catch (e) {
      log(`error: ${(e as Error).message}`);
      wait = 1000;
    }
    await sleep(wait);
  }
  try {
    if (fs.readFileSync(pidFile(home), 'utf8').trim() === mine) fs.rmSync(pidFile(home));
  } catch {
    // home gone
  }
  log(`daemon ${mine} stopped`);
}
