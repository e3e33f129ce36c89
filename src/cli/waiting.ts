import type { Session } from './session';
import type { ApiServer } from '../api/server';
import { hostNow } from '../sim/clock';
import { nextWake } from '../reconciler/reconciler';

// Commands that wait (delete --wait, wait, rollout status) poll the cluster as
// simulated time passes. With a manual clock nothing would ever pass, so there
// the waiting command itself moves the clock from one timer to the next (never
// beyond its own timeout): scripts stay fast and deterministic.

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
export function sleepHost(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

export interface WaitOptions {
  // Simulated milliseconds; 0 or negative waits without limit.
  timeoutMs: number;
  pollMs?: number;
}

// Calls `check` until it returns a value other than undefined; returns
// undefined on timeout. `check` may print progress.
export function waitFor<T>(session: Session, check: (api: ApiServer) => T | undefined, opts: WaitOptions): T | undefined {
  const start = session.read((api) => api.now());
  const deadline = opts.timeoutMs > 0 ? start + opts.timeoutMs : Infinity;
  for (;;) {
    const { result, now, manual, wake } = session.read((api) => ({
      result: check(api),
      now: api.now(),
      manual: api.world.state.clock.mode === 'manual',
      wake: nextWake(api),
    }));
    if (result !== undefined) return result;
    if (now >= deadline) return undefined;
    if (manual) {
      const target = Math.min(wake ?? deadline, deadline);
      if (target === Infinity) return undefined; // nothing will ever happen
      session.advanceTo(target);
    } else {
      const speed = session.read((api) => api.world.state.clock.speed);
      const simLeft = deadline - now;
      const hostLeft = simLeft === Infinity ? Infinity : simLeft / speed;
      sleepHost(Math.max(1, Math.min(opts.pollMs ?? 100, hostLeft)));
    }
  }
}

export { hostNow };
