import type { ApiServer, WatchEvent } from '../api/server';
import type { KindInfo } from '../api/kinds';
import { storageKey } from '../api/kinds';
import type { KubeObject } from '../api/types';
import type { Timer } from '../store/store';
import type { Controller, ControllerContext } from '../controllers/types';
import { EventRecorder } from '../controllers/events';

// The reconciler runs every controller and the simulation until the world is
// at rest at `now`. Like kube-controller-manager, each controller has a work
// queue of object keys fed by watch events (every write through the API server)
// and by timers it set itself; time moves from timer to timer, so a catch-up
// over an hour replays that hour in order rather than jumping to its end.

export function keyOf(obj: { metadata: { namespace?: string; name?: string } }): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name ?? ''}` : (obj.metadata.name ?? '');
}

// Bound on work per catch-up, so a controller bug shows as an error, not a hang.
const MAX_RECONCILES = 2_000_000;

// The controllers are loaded only when there is work: a read that finds the
// cluster at rest never pays for them.
let controllers: readonly Controller[] | undefined;
function allControllers(): readonly Controller[] {
  controllers ??= (require('../controllers') as typeof import('../controllers')).CONTROLLERS;
  return controllers;
}

// Work is done in rounds: every key queued when a round starts is reconciled
// once, controllers in registry order; keys queued meanwhile wait for the next
// round. A ReplicaSet whose hundred pods all changed is then looked at once,
// not a hundred times.
class Queues {
  private readonly queues = new Map<Controller, Set<string>>();
  private round: [Controller, string][] = [];

  add(c: Controller, key: string): void {
    let q = this.queues.get(c);
    if (!q) this.queues.set(c, (q = new Set()));
    q.add(key);
  }

  pop(): [Controller, string] | undefined {
    if (this.round.length === 0) {
      for (const c of allControllers()) {
        const q = this.queues.get(c);
        if (!q || q.size === 0) continue;
        for (const key of q) this.round.push([c, key]);
        q.clear();
      }
      this.round.reverse();
    }
    return this.round.pop();
  }
}

function sameKind(a: KindInfo, obj: KubeObject, api: ApiServer): boolean {
  const k = api.kindOf(obj);
  return k !== undefined && k.kind === a.kind && k.group === a.group;
}

// Key of any object for controllers that watch every kind.
export function objectRefKey(info: KindInfo, obj: KubeObject): string {
  return `${storageKey(info)}|${keyOf(obj)}`;
}

function enqueueEvent(queues: Queues, api: ApiServer, ev: WatchEvent): void {
  for (const c of allControllers()) {
    if (c.primary === 'all') {
      const info = api.kindOf(ev.object);
      if (info) queues.add(c, objectRefKey(info, ev.object));
      if (ev.type === 'DELETED') for (const key of c.onDeleted?.(ev.object, api) ?? []) queues.add(c, key);
    } else if (sameKind(c.primary, ev.object, api)) queues.add(c, keyOf(ev.object));
    for (const w of c.watches ?? []) {
      if (!sameKind(w.kind, ev.object, api)) continue;
      for (const key of w.map(ev.object, api, ev.type)) queues.add(c, key);
    }
  }
}

export interface CatchUpOptions {
  // Only say whether anything is due, change nothing.
  dryRun?: boolean;
  // Enqueue every object of every controller (after bootstrap, on daemon start).
  resync?: boolean;
  // Reconcile up to this instant instead of the clock's now.
  until?: number;
}

// Timers sorted by time, at most one per (controller, key): the earliest wins.
class TimerSet {
  private readonly index = new Map<string, Timer>();

  constructor(private readonly timers: Timer[]) {
    for (const t of timers) this.index.set(`${t.controller}\0${t.key}`, t);
  }

  private position(at: number): number {
    let lo = 0;
    let hi = this.timers.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.timers[mid].at <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(t: Timer): void {
    const id = `${t.controller}\0${t.key}`;
    const dup = this.index.get(id);
    if (dup) {
      if (dup.at <= t.at) return;
      let i = this.position(dup.at) - 1;
      while (i >= 0 && this.timers[i] !== dup) i--;
      this.timers.splice(i, 1);
    }
    this.timers.splice(this.position(t.at), 0, t);
    this.index.set(id, t);
  }

  first(): Timer | undefined {
    return this.timers[0];
  }

  shift(): Timer | undefined {
    const t = this.timers.shift();
    if (t) this.index.delete(`${t.controller}\0${t.key}`);
    return t;
  }
}

// Brings the cluster to rest at the clock's `now`. Returns whether anything
// was (or, with dryRun, would be) done.
export function catchUp(api: ApiServer, opts: CatchUpOptions = {}): boolean {
  // The controllers' requests are not the client's: their admission warnings
  // are nobody's to print.
  const sink = api.onWarning;
  api.onWarning = undefined;
  try {
    return replay(api, opts);
  } finally {
    api.onWarning = sink;
  }
}

function replay(api: ApiServer, opts: CatchUpOptions): boolean {
  const rs = api.world.state.reconciler;
  const now = opts.until ?? api.world.clock.now();
  const pendingEvents = api.events.length > 0;
  const dueTimer = rs.timers.length > 0 && rs.timers[0].at <= now;
  if (opts.dryRun) return pendingEvents || dueTimer || !!opts.resync;
  if (!pendingEvents && !dueTimer && !opts.resync) {
    // Nothing happened in between: the cluster is at rest up to now.
    rs.reconciledTo = Math.max(rs.reconciledTo, now);
    return false;
  }

  const queues = new Queues();
  const timers = new TimerSet(rs.timers);
  // Pending writes happened at reconciledTo (the previous catch-up brought the
  // cluster there before they were made); timers then move time forward.
  let t = Math.min(rs.reconciledTo || now, now);
  const recorder = new EventRecorder(api);
  const ctx: ControllerContext = {
    api,
    recorder,
    get now() {
      return api.at ?? now;
    },
    requeueAfter(controller: string, key: string, ms: number) {
      timers.add({ at: (api.at ?? now) + ms, controller, key });
    },
    requeueAt(controller: string, key: string, at: number) {
      timers.add({ at, controller, key });
    },
  };
  if (opts.resync) {
    for (const c of allControllers()) {
      if (c.primary === 'all') continue;
      for (const o of api.peekList(c.primary)) queues.add(c, keyOf(o));
    }
  }
  let consumed = 0;
  let work = 0;
  for (;;) {
    api.at = t;
    // Feed watch events, then drain the queues at time t.
    for (;;) {
      while (consumed < api.events.length) enqueueEvent(queues, api, api.events[consumed++]);
      const next = queues.pop();
      if (!next) break;
      const [c, key] = next;
      if (++work > MAX_RECONCILES) throw new Error(`reconciler: no rest after ${MAX_RECONCILES} reconciles (${c.name} ${key})`);
      c.reconcile(key, ctx);
    }
    // Then every timer due at the next instant: a burst of objects changing at
    // once (a thousand pods started together) costs their owners one pass.
    const first = timers.first();
    if (!first || first.at > now) break;
    t = Math.max(t, first.at);
    for (let timer = timers.first(); timer && timer.at <= t; timer = timers.first()) {
      timers.shift();
      const c = allControllers().find((x) => x.name === timer.controller);
      if (c) queues.add(c, timer.key);
    }
  }
  api.at = undefined;
  rs.reconciledTo = Math.max(rs.reconciledTo, now);
  api.events.length = 0;
  api.dirty = true;
  return true;
}

// Asks a controller to look at an object at `at`, for changes made outside the
// API (a kubelet's runtime touched by an attached session).
export function wakeAt(api: ApiServer, controller: string, key: string, at: number): void {
  new TimerSet(api.world.state.reconciler.timers).add({ at, controller, key });
  api.dirty = true;
}

export function nextWake(api: ApiServer): number | undefined {
  return api.world.state.reconciler.timers[0]?.at;
}
