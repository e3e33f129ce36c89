import * as fs from 'node:fs';
import * as path from 'node:path';
import type { KubeObject } from '../api/types';
import type { ClockState } from '../sim/clock';
import type { RngState } from '../util/rand';
import { acquireLock } from './lock';
import type { PodRuntime } from '../sim/kubelet/types';
import type { MemFsData } from '../sim/shell';
import type { PodSecurityConfig } from '../api/podsecurity/policy';
import type { WatchLog } from '../api/watch-log';
import type { NodeHost } from '../sim/kubelet/security';

// The store owns the state file: load, lock, atomic write. A crash at any moment
// leaves either the old file or the new one in place, never a torn one.

export const SCHEMA_VERSION = 1;

export interface ClusterState {
  schemaVersion: number;
  // The last resourceVersion handed out; one counter for every object.
  resourceVersion: number;
  clock: ClockState;
  rng: RngState;
  preset: string;
  reconciler: ReconcilerState;
  // Static pod manifests each node's kubelet runs (node-local files, not API objects).
  staticPods: Record<string, KubeObject[]>;
  // The kubelets' memory of the pods they run, by pod uid (sim/kubelet/types.ts).
  runtime: Record<string, PodRuntime>;
  // Next pod IP to try, per node.
  ipCounters?: Record<string, number>;
  // What containers wrote to persistent volumes (`pv:<name>`) and node host paths
  // (`host:<node>:<path>`): it outlives the pods, as disks do.
  volumeData?: Record<string, MemFsData>;
  // The autoscaler's recent recommendations per HPA uid (scale-down stabilization).
  hpaRecommendations?: Record<string, { at: number; replicas: number }[]>;
  // The scheduler's last failed attempt per pending pod uid (when, and why).
  schedulingAttempts?: Record<string, { at: number; message: string }>;
  // Input `kubectl run -i` sends to a pod's container, by `namespace/pod/container`,
  // until the container starts and reads it.
  attachStdin?: Record<string, string>;
  // What applications keep beyond one container (a ZooKeeper ensemble's znodes...).
  appData?: Record<string, unknown>;
  // Recent changes, kept while a `get -w` runs (api/watch-log.ts).
  watchLog?: WatchLog;
  // storage key (`pods`, `deployments.apps`) -> `namespace/name` (or `name`) -> object
  objects: Record<string, Record<string, KubeObject>>;
  // Set by `minikube stop`: the API server cannot be reached until `minikube start`.
  stopped?: boolean;
  // The API server's PodSecurity admission configuration (defaults and
  // exemptions), when it was started with one (`kind create cluster --config`).
  podSecurity?: PodSecurityConfig;
  // A cluster made by `kind create cluster`: its name, node image and the
  // localhost port its API server is published on.
  kind?: { name: string; nodeImage: string; apiServerPort: number };
  // What each node's host holds beyond API objects (loaded AppArmor profiles,
  // bind mounts, kubelet flags, syslog), by node name (sim/kubelet/security.ts).
  nodeHosts?: Record<string, NodeHost>;
}

// A controller asked to look at an object again at a given simulated time.
export interface Timer {
  at: number;
  controller: string;
  key: string;
}

export interface ReconcilerState {
  // Simulated time up to which the cluster has been reconciled.
  reconciledTo: number;
  timers: Timer[];
}

export class StateError extends Error {}

export class StateStore {
  readonly stateFile: string;
  readonly lockFile: string;

  constructor(readonly home: string) {
    this.stateFile = path.join(home, 'state.json');
    this.lockFile = path.join(home, 'state.lock');
  }

  // The state holds secrets: a home that already existed with looser
  // permissions (a 0755 ~/.kubemu) is closed up, if it is ours to change.
  ensureHome(): void {
    fs.mkdirSync(this.home, { recursive: true, mode: 0o700 });
    const st = fs.statSync(this.home);
    if ((st.mode & 0o777) !== 0o700 && st.uid === process.getuid?.()) fs.chmodSync(this.home, 0o700);
  }

  exists(): boolean {
    return fs.existsSync(this.stateFile);
  }

  read(): ClusterState {
    let text: string;
    try {
      text = fs.readFileSync(this.stateFile, 'utf8');
    } catch (e) {
      throw new StateError(`cannot read ${this.stateFile}: ${(e as Error).message}`);
    }
    let state: ClusterState;
    try {
      state = JSON.parse(text) as ClusterState;
    } catch (e) {
      throw new StateError(`the state file ${this.stateFile} is not valid JSON: ${(e as Error).message}`);
    }
    return migrate(state, this.stateFile);
  }

  // Called under the lock, so any other temporary file is a killed writer's.
  write(state: ClusterState): void {
    const tmp = `${this.stateFile}.${process.pid}.tmp`;
    for (const f of fs.readdirSync(this.home)) {
      if (f.startsWith('state.json.') && f.endsWith('.tmp')) fs.rmSync(path.join(this.home, f), { force: true });
    }
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      // writeFileSync on a descriptor loops until every byte is written.
      fs.writeFileSync(fd, JSON.stringify(state));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.stateFile);
    const dir = fs.openSync(this.home, 'r');
    try {
      fs.fsyncSync(dir);
    } finally {
      fs.closeSync(dir);
    }
  }

  withLock<T>(fn: () => T): T {
    this.ensureHome();
    const lock = acquireLock(this.lockFile);
    try {
      return fn();
    } finally {
      lock.release();
    }
  }
}

function migrate(state: ClusterState, file: string): ClusterState {
  if (typeof state !== 'object' || state === null || typeof state.schemaVersion !== 'number') {
    throw new StateError(`the state file ${file} has no schema version`);
  }
  if (state.schemaVersion > SCHEMA_VERSION) {
    throw new StateError(
      `the state file ${file} has schema version ${state.schemaVersion}, newer than this kubemu understands (${SCHEMA_VERSION})`,
    );
  }
  // Version 1 is the first; migrations from older versions go here.
  return state;
}
