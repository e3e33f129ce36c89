import type { MemFsData, ProcessState } from '../shell';

// The kubelet's private, node-local memory of each pod: what the runtime is
// doing with its containers. Kept in the state beside the API objects (as a
// real kubelet keeps it on the node), keyed by pod uid.

export type ContainerPhase =
  | 'waiting' // not its turn yet (init order) or sandbox not ready
  | 'pulling'
  | 'pull-backoff'
  | 'starting' // image present, container being created
  | 'running'
  | 'exited' // finished, not restarted (restartPolicy or pod done)
  | 'dead' // finished; restarted at `until` once the kubelet notices (first restart)
  | 'crash-backoff';

export interface Termination {
  exitCode: number;
  reason: string;
  message?: string;
  signal?: number;
  startedAt: number;
  finishedAt: number;
  containerID: string;
}

export interface ContainerRuntime {
  name: string;
  init: boolean;
  // Added through pods/ephemeralcontainers: started at once, never restarted.
  ephemeral?: boolean;
  phase: ContainerPhase;
  // When the current phase ends (pull done, back-off over, start done), if it does by itself.
  until?: number;
  pullFailures: number;
  pullStartedAt?: number;
  pullReason?: 'ErrImagePull' | 'ImagePullBackOff' | 'ErrImageNeverPull';
  pullMessage?: string;
  // Why the runtime refused to create the container (CreateContainerError); retried.
  createError?: string;
  // The container's seccomp profile logs its syscalls (SCMP_ACT_LOG).
  seccompLog?: boolean;
  // When ErrImagePull turns into ImagePullBackOff.
  noticeAt?: number;
  restarts: number;
  crashBackoffSeconds?: number;
  containerID?: string;
  startedAt?: number;
  readySince?: number;
  started?: boolean;
  current?: Termination; // set while exited
  last?: Termination; // the previous run, for lastState
  // The argv the container runs, and the files it named as they were at its start
  // (a server reads its configuration once).
  argv?: string[];
  startFiles?: Record<string, string>;
  // The environment the container started with (service variables are those
  // of the Services that existed then); exec'd processes inherit it.
  env?: Record<string, string>;
  // A shell program's process (see sim/shell), or undefined for image servers.
  process?: ProcessState;
  // When the program next does something visible.
  wakeAt?: number;
  exitAt?: number;
  exitCode?: number;
  // Set when the exit is not the program's own (OOMKilled).
  exitReason?: string;
  // killAt: when a container killed for failing its liveness probe gets SIGKILL
  // (its grace period), if SIGTERM has not ended it by then.
  liveness: { failures: number; nextAt?: number; killAt?: number };
  readiness: { failures: number; successes: number; nextAt?: number; ready: boolean };
  startup: { failures: number; nextAt?: number; done: boolean };
  // Output produced but not yet due for the log (a line's time is in the future).
  pending?: { at: number; stream: 'stdout' | 'stderr'; text: string }[];
}

export interface PodRuntime {
  uid: string;
  node: string;
  admittedAt: number;
  sandboxAt: number; // when the sandbox (and the pod IP) is ready
  ip?: string;
  containers: ContainerRuntime[];
  // preStop: when each container's preStop hook ends (its SIGTERM comes then).
  terminating?: { since: number; deadline: number; killed: Record<string, boolean>; preStop?: Record<string, number> };
  // Each container's own writable filesystem layer, by container name.
  layers?: Record<string, MemFsData>;
  // Volumes whose content lives in the kubelet's memory: emptyDirs by volume name,
  // claims and host paths by `pvc:<claim>` / `host:<path>`.
  emptyDirs?: Record<string, MemFsData>;
}
