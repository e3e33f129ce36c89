// Public data types of the container command interpreter. Everything a caller keeps
// between calls (ProcessState) is plain JSON.

// --- what the container sees -------------------------------------------------------

export type FsError = 'ENOENT' | 'EEXIST' | 'EISDIR' | 'ENOTDIR' | 'EROFS' | 'EACCES' | 'ENOTEMPTY' | 'EINVAL';

export interface FileStat {
  type: 'file' | 'dir';
  size: number;
  // Permission bits (e.g. 0o644); files without the x bits cannot be run as commands.
  mode?: number;
  mtimeMs?: number;
  // The group owning it when it is not the process's own (a volume given the
  // pod's fsGroup); mode then carries the set-group-ID bit on directories.
  gid?: number;
}

// The container's filesystem view. Paths are absolute and normalised ("/a/b", no "."
// or ".." or trailing slash). `at` is the simulated time of the call (for mtimes).
// /dev, /proc and /dev/fd are handled by the interpreter and never reach it.
export interface FileSystem {
  stat(path: string, at: number): FileStat | undefined;
  // undefined when missing or a directory.
  read(path: string, at: number): string | undefined;
  // Names (not paths) in a directory; undefined when not a directory.
  list(path: string, at: number): string[] | undefined;
  // Creates the file if needed (its directory must exist). undefined = success.
  write(path: string, data: string, append: boolean, at: number): FsError | undefined;
  // Creates one directory (its parent must exist).
  mkdir(path: string, at: number): FsError | undefined;
  // Removes a file or an empty directory.
  remove(path: string, at: number): FsError | undefined;
}

export interface HttpRequest {
  method: string;
  url: string;
  scheme: 'http' | 'https';
  // The host as written in the URL, and the address it resolved to.
  host: string;
  ip: string;
  port: number;
  // Path with query, starting with "/".
  path: string;
  headers: Record<string, string>;
  body?: string;
}

// cert: the PEM certificate (chain) an https server presented for the client
// to verify; absent on https = a publicly trusted certificate.
export type HttpResult =
  | { status: number; headers?: Record<string, string>; body: string; latencyMs?: number; cert?: string }
  // refused: nothing listens (RST). timeout: packets are dropped, the client waits for
  // its own timeout. reset: the connection breaks before a response. tls: a TLS
  // client met a plain-HTTP server.
  | { error: 'refused' | 'timeout' | 'unreachable' | 'reset' | 'tls'; latencyMs?: number };

export type TcpResult = 'open' | 'refused' | 'timeout';

// What the kubelet provides. Every answer is recorded in the process journal, so a
// replay sees exactly the answers of the first run; `at` is the simulated instant of
// the question.
export interface ShellWorld {
  fs: FileSystem;
  // A records of an absolute name (no trailing dot). [] = the name exists without A
  // records (NODATA); undefined = NXDOMAIN. Search domains and /etc/hosts are
  // applied by the interpreter, which reads /etc/resolv.conf and /etc/hosts from fs.
  resolve(name: string, at: number): string[] | undefined;
  // PTR lookup; undefined = none.
  reverse?(ip: string, at: number): string | undefined;
  // Absent = every connection is refused.
  http?(req: HttpRequest, at: number): HttpResult;
  tcp?(ip: string, port: number, at: number): TcpResult;
  // Round-trip time in ms of one ICMP echo, undefined = no reply.
  ping?(ip: string, at: number): number | undefined;
  // Programs of the image the interpreter does not simulate itself (redis-cli,
  // nodetool, zkCli.sh...): whether the image has one, and what a run answers.
  hasTool?(name: string, at: number): boolean;
  tool?(run: ToolRun, at: number): ToolResult;
  // The container's main process tree as `ps` lists it (an exec'd process sees
  // it), and a signal sent to one of its processes by pid (pkill, kill).
  processes?(at: number): ProcInfo[];
  signal?(pid: number, sig: SignalName, at: number): boolean;
  // The processes' AppArmor confinement, as /proc/<pid>/attr/current reads it
  // (`name (enforce)`, `unconfined`); absent = no LSM (the file does not exist).
  apparmorLabel?: string;
  // What /proc/<pid>/status says of the processes' privileges: a seccomp
  // filter (Seccomp: 2) and no_new_privs; absent = neither.
  seccomp?: { filtered: boolean; noNewPrivs: boolean };
}

export interface ToolRun {
  argv: string[];
  stdin: string;
  env: Record<string, string>;
  cwd: string;
}

// A run's output and exit code, or `serve`: the program is the image's server and
// runs until it is stopped, after printing what it prints as it starts (in order).
export type ToolResult =
  | { stdout: string; stderr?: string; exitCode: number }
  | { serve: true; output?: { stream: 'stdout' | 'stderr'; text: string }[]; exec?: string[] };

// A process of a container as ps shows it. `exec`: what a served program became
// (start-zookeeper execs zkServer.sh, which execs java).
export interface ProcInfo {
  pid: number;
  ppid: number;
  uid: number;
  argv: string[];
  startedAt: number;
}

// The image's server a process runs (see ToolResult.serve): its own pid, under the shell that started it.
export interface ServedProcess {
  pid: number;
  ppid: number;
  argv: string[];
  at: number;
}

// --- processes --------------------------------------------------------------------

export interface OutputChunk {
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export type SignalName = 'TERM' | 'KILL' | 'INT' | 'HUP' | 'QUIT' | 'USR1' | 'USR2';

export interface Limits {
  // Simulated cost of one command or builtin, in ms.
  stepMs: number;
  // Interpreter steps per advance, the replay from the last checkpoint included.
  maxSteps: number;
  // Bytes of new output per advance.
  maxOutputBytes: number;
  // Longest string a variable, a pipe buffer or a command substitution may hold.
  maxStringBytes: number;
  // Journal entries kept between checkpoints (consecutive equal answers count once).
  maxJournal: number;
  // Questions asked of the live world per advance.
  maxWorldCalls: number;
  // Nesting of functions, eval, sourced files and command substitutions.
  maxDepth: number;
  // Bytes kept of an HTTP body or a file read (the rest is cut, consistently on replay).
  maxReadBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  stepMs: 1,
  maxSteps: 200_000,
  maxOutputBytes: 1 << 20,
  maxStringBytes: 4 << 20,
  maxJournal: 20_000,
  maxWorldCalls: 100_000,
  maxDepth: 200,
  maxReadBytes: 1 << 20,
};

export interface ProcessSpec {
  argv: string[];
  // The environment, fixed at start as in a real container.
  env?: Record<string, string>;
  hostname?: string;
  workingDir?: string;
  // The image decides which commands exist and how sh behaves (see profileForImage).
  image?: string;
  // A container's main process is PID 1: the kernel then drops signals it has no
  // handler for (SIGTERM included). false for `kubectl exec` processes and when the
  // pod shares its process namespace.
  pid1?: boolean;
  // Standard input: 'null' (/dev/null, the default for containers), 'open' (stdin:
  // true without data: reads block forever), or the data itself.
  stdin?: 'null' | 'open' | { data: string };
  // The process's standard output is a terminal (kubectl exec -t, a user's
  // shell): programs leave out what they write only to pipes and files
  // (curl's progress meter).
  tty?: boolean;
  // securityContext.runAsUser/runAsGroup (root when absent).
  // groups: supplementary groups (the pod's fsGroup and supplementalGroups).
  user?: { uid: number; gid: number; name?: string; groups?: number[] };
}

// A checkpoint: the shell's state at the head of a loop iteration, from which the
// next advance resumes instead of replaying from the start.
export interface Checkpoint {
  at: number;
  path: unknown[];
  shell: unknown;
  kernel: { nextPid: number; rng: number; cache: Record<string, unknown> };
}

export type JournalEntry = [string, unknown] | [string, unknown, number];

export interface ProcessState {
  v: 1;
  spec: ProcessSpec;
  startedAt: number;
  // Simulated up to here: the output at or before it has been handed out.
  horizon: number;
  // Answers of the world since the checkpoint (or the start), run-length encoded.
  journal: JournalEntry[];
  // Signals sent after the checkpoint, in order; `pid`: to that process rather than the main one.
  signals: { sig: SignalName; at: number; pid?: number }[];
  // The image's server the process runs, as of the horizon.
  served?: ServedProcess;
  checkpoint?: Checkpoint;
  finished?: { exitCode: number; at: number; signal?: SignalName };
  // Set when the program could not even start (missing executable...).
  startError?: string;
  // Set when the simulation budget ran out: the process is considered still running
  // but silent until killed (see index.ts).
  capped?: { at: number; reason: string; trapsTerm: boolean };
  // When the process next does something (end of a sleep); undefined = blocked.
  nextWakeAt?: number;
  seed: number;
  // Steps executed by the last advance (for diagnostics).
  lastSteps?: number;
}

export interface AdvanceResult {
  output: OutputChunk[];
  // state.horizon after the call: `until`, or less when the step or output budget of
  // one call ran out (the process lags and catches up on later calls).
  reached: number;
  finished?: { exitCode: number; at: number; signal?: SignalName };
  startError?: string;
  nextWakeAt?: number;
  capped?: boolean;
}
