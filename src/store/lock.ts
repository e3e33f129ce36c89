import * as fs from 'node:fs';
import { hostNow } from '../sim/clock';

// One exclusive lock for writers. The lock file holds the holder's pid and its
// process start time; a holder that died (kill -9) is noticed at once through
// /proc, instead of after an mtime-based stale period as with proper-lockfile,
// which would make every command after a crash wait that long. Breaking a dead
// holder's lock happens under a second, short-lived lock so that two waiters
// cannot both break it and one of them remove the other's fresh lock.

const sleepBuffer = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleepBuffer, 0, 0, ms);
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) counted after the parenthesised command name.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function holderAlive(content: string): boolean {
  const m = /^(\d+) (\S*)/.exec(content);
  if (!m) return false;
  const pid = Number(m[1]);
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const start = processStartTime(pid);
  // A recycled pid has another start time.
  return start === undefined || m[2] === '' || start === m[2];
}

function readOrEmpty(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function ageMs(file: string): number {
  try {
    return hostNow() - fs.statSync(file).mtimeMs; // file ages are host time, not simulated time
  } catch {
    return 0;
  }
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

export class LockTimeoutError extends Error {}

export interface Lock {
  release(): void;
}

function holderTag(): string {
  return `${process.pid} ${processStartTime(process.pid) ?? ''}\n`;
}

// One try: the lock, or undefined while a live holder has it (a dead holder's
// lock is broken and taken).
function attempt(file: string, me: string): Lock | undefined {
  for (;;) {
    if (tryCreate(file, me)) {
      return {
        release() {
          if (readOrEmpty(file) === me) fs.rmSync(file, { force: true });
        },
      };
    }
    const holder = readOrEmpty(file);
    if (holder === undefined) continue; // released meanwhile
    // An empty file is a holder killed between create and write; give it a moment.
    const dead = holder === '' ? ageMs(file) > 1000 : !holderAlive(holder);
    if (!dead) return undefined;
    breakLock(file, holder);
  }
}

export function acquireLock(file: string, timeoutMs = 60_000): Lock {
  const me = holderTag();
  const deadline = hostNow() + timeoutMs;
  let wait = 1;
  for (;;) {
    const lock = attempt(file, me);
    if (lock) return lock;
    if (hostNow() > deadline) throw new LockTimeoutError(`timed out waiting for the state lock ${file}`);
    sleepMs(wait);
    wait = Math.min(wait * 2, 50);
  }
}

// For a lock held for a process's life (minikube tunnel): taken now or not at all.
export function tryAcquireLock(file: string): Lock | undefined {
  return attempt(file, holderTag());
}

function breakLock(file: string, deadHolder: string): void {
  const breaker = `${file}.break`;
  if (!tryCreate(breaker, `${process.pid}\n`)) {
    // Nobody holds the breaker for more than a few milliseconds unless it died.
    if (ageMs(breaker) > 2000) fs.rmSync(breaker, { force: true });
    else sleepMs(1);
    return;
  }
  try {
    if (readOrEmpty(file) === deadHolder) fs.rmSync(file, { force: true });
  } finally {
    fs.rmSync(breaker, { force: true });
  }
}
