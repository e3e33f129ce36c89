import type { KubeObject } from './types';
import type { KindInfo } from './kinds';
import { storageKey } from './kinds';
import { clone } from '../util/json';
import { hostNow } from '../sim/clock';

// The watch cache's history, kept in the state while someone watches: each
// process writes its own changes (a `sim advance` replays minutes of pods
// being scheduled, pulled, started and made ready), and `kubectl get -w` in
// another process reads every change since its list, with the instant it
// happened, as a watch from that resourceVersion would deliver them.

export interface WatchLogEntry {
  // The state's resourceVersion after the change.
  rv: number;
  at: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  kind: string;
  object: KubeObject;
}

export interface WatchLog {
  // By watcher id: its process, and the kinds (storage keys) it watches.
  watchers: Record<string, { pid: number; kinds: string[] }>;
  entries: WatchLogEntry[];
}

// Enough for a StatefulSet's pods coming up many times over; older changes
// are dropped first.
const MAX_ENTRIES = 2000;

// Watchers whose process is gone (ended with Ctrl+C) are forgotten, looked
// for at most every few seconds (the daemon lives long).
const PRUNE_EVERY_MS = 5000;
let prunedAt: number | undefined;

export function noteChange(state: { watchLog?: WatchLog }, info: KindInfo, type: WatchLogEntry['type'], obj: KubeObject, rv: number, at: number): void {
  if (prunedAt === undefined || hostNow() - prunedAt >= PRUNE_EVERY_MS) {
    prunedAt = hostNow();
    pruneDead(state);
  }
  const log = state.watchLog;
  if (!log) return;
  const key = storageKey(info);
  if (!Object.values(log.watchers).some((w) => w.kinds.includes(key))) return;
  const object = clone(obj);
  // A watch prints them only when asked; they are most of an object's size.
  delete object.metadata.managedFields;
  log.entries.push({ rv, at, type, kind: key, object });
  if (log.entries.length > MAX_ENTRIES) log.entries.splice(0, log.entries.length - MAX_ENTRIES);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function pruneDead(state: { watchLog?: WatchLog }): void {
  const log = state.watchLog;
  if (!log) return;
  for (const [w, v] of Object.entries(log.watchers)) if (!alive(v.pid)) delete log.watchers[w];
  if (Object.keys(log.watchers).length === 0) delete state.watchLog;
}

export function addWatcher(state: { watchLog?: WatchLog }, id: string, pid: number, info: KindInfo): void {
  pruneDead(state);
  const log = (state.watchLog ??= { watchers: {}, entries: [] });
  log.watchers[id] = { pid, kinds: [storageKey(info)] };
  const kinds = new Set(Object.values(log.watchers).flatMap((w) => w.kinds));
  log.entries = log.entries.filter((e) => kinds.has(e.kind));
}

export function removeWatcher(state: { watchLog?: WatchLog }, id: string): void {
  const log = state.watchLog;
  if (!log) return;
  delete log.watchers[id];
  if (Object.keys(log.watchers).length === 0) delete state.watchLog;
}

// The changes to `info` after resourceVersion `since`, in order.
export function changesSince(state: { watchLog?: WatchLog }, info: KindInfo, since: number): WatchLogEntry[] {
  const key = storageKey(info);
  return (state.watchLog?.entries ?? []).filter((e) => e.rv > since && e.kind === key);
}
