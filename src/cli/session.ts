import * as os from 'node:os';
import * as path from 'node:path';
import { StateStore } from '../store/store';
import type { ClusterState } from '../store/store';
import { ApiServer } from '../api/server';
import { Clock, applyClockEnv, simNow } from '../sim/clock';
import { Rng } from '../util/rand';
import { catchUp } from '../reconciler/reconciler';
import { readKubeconfig } from '../cluster/kubeconfig';
import type { Kubeconfig } from '../cluster/kubeconfig';
import { ensureDaemon } from '../reconciler/daemon';
import { PlainError } from './errors';
import type { KlogStamp } from './klog';

// A command's connection to the cluster: where the state lives, which
// namespace the context points at, and read/write transactions on the state.

export function kubemuHome(env: NodeJS.ProcessEnv): string {
  return env.KUBEMU_HOME || path.join(os.homedir(), '.kubemu');
}

export class Session {
  readonly store: StateStore;
  // Where the API server's warnings for this client's requests go.
  onWarning: ((text: string) => void) | undefined;

  constructor(readonly env: NodeJS.ProcessEnv) {
    this.store = new StateStore(kubemuHome(env));
  }

  // klog lines carry the simulated now and a pid drawn from the cluster's
  // random state (read, not advanced), so a seeded run on a manual clock
  // prints them identically; an unreadable cluster leaves them to the host.
  klogStamp(): KlogStamp | undefined {
    try {
      this.ensureCluster();
      const state = this.store.read();
      return { now: simNow(state.clock), pid: 1000 + (state.rng.s[0] % 99000) };
    } catch {
      return undefined;
    }
  }

  get home(): string {
    return this.store.home;
  }

  kubeconfig(): Kubeconfig {
    this.ensureCluster();
    return readKubeconfig(this.home);
  }

  // The namespace of the current context (kubectl's default for -n).
  contextNamespace(): string {
    return this.kubeconfig().namespace || 'default';
  }

  ensureCluster(): void {
    if (this.store.exists()) return;
    this.store.withLock(() => {
      if (this.store.exists()) return;
      const { bootstrapState } = require('../cluster/bootstrap') as typeof import('../cluster/bootstrap');
      this.store.write(bootstrapState(this.env, this.home));
    });
  }

  // A stopped cluster (`minikube stop`) answers nothing: kubectl cannot reach
  // the server its kubeconfig names (localhost:8080 without a current context).
  private checkRunning(state: ClusterState): void {
    if (!state.stopped) return;
    const kc = readKubeconfig(this.home);
    const clusterName = kc.raw.contexts?.find((c) => c.name === kc.currentContext)?.context.cluster;
    const server = kc.raw.clusters?.find((c) => c.name === clusterName)?.cluster.server;
    const host = typeof server === 'string' ? server.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '') : 'localhost:8080';
    throw new PlainError(`The connection to the server ${host} was refused - did you specify the right host or port?`);
  }

  private open(state: ClusterState): ApiServer {
    const api = new ApiServer({ state, clock: new Clock(state.clock), rng: new Rng(state.rng), env: this.env, home: this.home });
    api.onWarning = this.onWarning;
    return api;
  }

  // Reads see the cluster as of now. When time has moved the cluster since the
  // last write, the catch-up is done and saved under the lock first.
  read<T>(fn: (api: ApiServer) => T): T {
    this.ensureCluster();
    const state = this.store.read();
    this.checkRunning(state);
    const api = this.open(state);
    const envChanged = applyClockEnv(state.clock, this.env);
    if (envChanged || catchUp(api, { dryRun: true })) {
      return this.write(fn);
    }
    return fn(api);
  }

  // Moves a clock forward to `target` (simulated ms), replaying every timer on the way.
  advanceTo(target: number): void {
    this.write((api) => {
      const now = api.now();
      if (target > now) api.world.clock.advance(target - now);
      api.dirty = true;
    });
  }

  // A request a workload answers (HTTP through port-forward, a tunnel, the
  // proxy) can change what applications keep without touching an object (a
  // redis key in appData, an audit line in a node's syslog). It runs under the
  // lock, and the state is saved only when the request changed it, so a GET
  // that changes nothing rewrites nothing.
  serve<T>(fn: (api: ApiServer) => T): T {
    return this.write((api) => {
      const before = JSON.stringify(api.world.state);
      const result = fn(api);
      if (!api.dirty && JSON.stringify(api.world.state) !== before) api.dirty = true;
      return result;
    });
  }

  // Writes run under the lock: load, catch up, change, let the controllers
  // react, save once.
  write<T>(fn: (api: ApiServer) => T): T {
    this.ensureCluster();
    return this.store.withLock(() => {
      const state = this.store.read();
      this.checkRunning(state);
      const envChanged = applyClockEnv(state.clock, this.env);
      const api = this.open(state);
      catchUp(api);
      const result = fn(api);
      catchUp(api);
      if (api.dirty || envChanged) this.store.write(state);
      // Mutations start the background reconciler, which keeps a real-time
      // cluster moving between commands.
      if (api.dirty && state.clock.mode !== 'manual') ensureDaemon(this.home, this.env);
      return result;
    });
  }
}
