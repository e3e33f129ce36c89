import type { ApiServer, WatchEvent } from '../api/server';
import type { KindInfo } from '../api/kinds';
import type { KubeObject } from '../api/types';
import type { EventRecorder } from './events';

// Controllers are kube-controller-manager's loops as small reconcile functions:
// given the key of one object, the world (through the API server) and `now`,
// make the next writes.

export interface ControllerContext {
  api: ApiServer;
  recorder: EventRecorder;
  readonly now: number;
  // Look at `key` again after `ms` of simulated time.
  requeueAfter(controller: string, key: string, ms: number): void;
  requeueAt(controller: string, key: string, at: number): void;
}

export interface Watch {
  kind: KindInfo;
  // Keys of primary objects to look at when an object of `kind` changes.
  map(obj: KubeObject, api: ApiServer, type: WatchEvent['type']): string[];
}

export interface Controller {
  name: string;
  // The kind it reconciles; 'all' for the garbage collector, whose keys are
  // `<storage key>|<object key>` (see objectRefKey).
  primary: KindInfo | 'all';
  watches?: Watch[];
  // For 'all' controllers: further keys to look at when an object is removed.
  onDeleted?(obj: KubeObject, api: ApiServer): string[];
  reconcile(key: string, ctx: ControllerContext): void;
}
