// The simulated clock: real time times a speed factor plus an offset, or a manual
// clock that moves only when told. This file holds kubemu's only reading of the
// host's clock; everything else asks a Clock for `now`.

export type ClockMode = 'real' | 'manual';

export interface ClockState {
  mode: ClockMode;
  speed: number;
  // At host time anchorReal the simulated time was anchorSim (both epoch ms).
  anchorReal: number;
  anchorSim: number;
}

export function hostNow(): number {
  return Date.now();
}

// A fresh cluster's clock starts at the host's time, or at KUBEMU_START
// (RFC 3339) for output that is reproducible to the second.
export function newClockState(env: NodeJS.ProcessEnv, host = hostNow()): ClockState {
  const start = env.KUBEMU_START ? Date.parse(env.KUBEMU_START) : NaN;
  const st: ClockState = { mode: 'real', speed: 1, anchorReal: host, anchorSim: Number.isNaN(start) ? host : start };
  applyClockEnv(st, env, host);
  return st;
}

// KUBEMU_CLOCK and KUBEMU_SPEED, when set, switch the persisted clock (keeping `now`).
export function applyClockEnv(st: ClockState, env: NodeJS.ProcessEnv, host = hostNow()): boolean {
  let changed = false;
  const mode = env.KUBEMU_CLOCK;
  if ((mode === 'manual' || mode === 'real') && mode !== st.mode) {
    reanchor(st, host);
    st.mode = mode;
    changed = true;
  }
  const speed = env.KUBEMU_SPEED === undefined ? NaN : Number(env.KUBEMU_SPEED);
  if (Number.isFinite(speed) && speed > 0 && speed !== st.speed) {
    reanchor(st, host);
    st.speed = speed;
    changed = true;
  }
  return changed;
}

function reanchor(st: ClockState, host: number): void {
  st.anchorSim = simNow(st, host);
  st.anchorReal = host;
}

export function simNow(st: ClockState, host = hostNow()): number {
  if (st.mode === 'manual') return st.anchorSim;
  return Math.floor(st.anchorSim + (host - st.anchorReal) * st.speed);
}

export class Clock {
  constructor(
    readonly state: ClockState,
    private readonly host: () => number = hostNow,
  ) {}

  now(): number {
    return simNow(this.state, this.host());
  }

  advance(ms: number): void {
    const h = this.host();
    this.state.anchorSim = simNow(this.state, h) + ms;
    this.state.anchorReal = h;
  }

  setMode(mode: ClockMode): void {
    const h = this.host();
    reanchor(this.state, h);
    this.state.mode = mode;
  }

  setSpeed(speed: number): void {
    const h = this.host();
    reanchor(this.state, h);
    this.state.mode = 'real';
    this.state.speed = speed;
  }
}

// RFC 3339 with second precision, as metav1.Time serialises.
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

// RFC 3339 with microseconds, as metav1.MicroTime serialises (event eventTime).
export function rfc3339Micro(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2026-11-23T06:43:07.123Z
  return `${iso.slice(0, 23)}000Z`;
}

export function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}
