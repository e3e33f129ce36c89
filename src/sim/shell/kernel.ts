// The simulated "kernel" of one container process tree: a cooperative scheduler over
// generator tasks in simulated time, the journal of the world's answers, output
// collection and the step/output budgets.
//
// Every piece of the interpreter that takes time or may block is a generator
// (Gen<T>) yielding an Effect; the scheduler resumes the task whose wake-up time is
// the smallest. Nothing here reads the host's clock or touches the host.

import type {
  FileStat,
  FsError,
  HttpRequest,
  HttpResult,
  JournalEntry,
  Limits,
  OutputChunk,
  ProcInfo,
  ServedProcess,
  ShellWorld,
  SignalName,
  TcpResult,
  ToolResult,
  ToolRun,
} from './types';

export type Effect =
  // Let `ms` of simulated time pass for this task.
  | { k: 'time'; ms: number }
  // Block until woken (pipe data, a child's exit), until `wake` (absolute ms) if
  // given; `intr`: a trapped signal also wakes it (the `wait` builtin).
  | { k: 'block'; wake?: number; intr?: boolean };

export type WakeReason = 'time' | 'wake' | 'signal';

export type Gen<T> = Generator<Effect, T, WakeReason | undefined>;

// The budget of one advance ran out; unwinds everything up to the scheduler.
export class BudgetExhausted extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

// Writing to a pipe nobody reads.
export class SigPipe extends Error {
  constructor() {
    super('SIGPIPE');
  }
}

// Thrown inside a task that was killed while it was the running one.
export class TaskKilled extends Error {
  constructor(readonly code: number) {
    super('killed');
  }
}

export const SIGNUM: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  PIPE: 13,
  ALRM: 14,
  TERM: 15,
  CHLD: 17,
  CONT: 18,
  STOP: 19,
  TSTP: 20,
  WINCH: 28,
};

export function signalName(s: string): string | undefined {
  const u = s.toUpperCase().replace(/^SIG/, '');
  if (/^\d+$/.test(u)) {
    const n = Number(u);
    if (n === 0) return 'EXIT';
    return Object.keys(SIGNUM).find((k) => SIGNUM[k] === n);
  }
  if (u === 'EXIT' || u === 'ERR' || u === 'DEBUG' || u === 'RETURN') return u;
  return u in SIGNUM ? u : undefined;
}

export class Task {
  wakeAt: number | undefined = undefined;
  seq = 0;
  resume: WakeReason | undefined = undefined;
  intr = false;
  done = false;
  exit = 0;
  readonly onExit: (() => void)[] = [];
  // Tasks blocked waiting for this one to end.
  readonly waiters: Task[] = [];
  // Handles a signal sent to this task's process; returns what happened.
  signalHandler?: (sig: string) => 'trap' | 'ignore' | 'default' | 'die';
  constructor(
    readonly pid: number,
    readonly gen: Gen<number>,
  ) {}
}

// A pipe between two tasks. Writers block when it holds more than CAP characters.
export class Pipe {
  private buf = '';
  writers = 0;
  readers = 0;
  private reader: Task | undefined;
  private writer: Task | undefined;
  static readonly CAP = 64 * 1024;
  static readonly BYTES_PER_STEP = 32;

  constructor(private readonly k: Kernel) {}

  *write(s: string): Gen<void> {
    if (this.readers === 0) throw new SigPipe();
    // Data through a pipe costs steps, as the commands that produce and consume it
    // would: an endless producer (`yes | wc -c`) runs out of budget, not host time.
    this.k.charge(Math.ceil(s.length / Pipe.BYTES_PER_STEP));
    this.buf += s;
    if (this.reader) {
      this.k.wake(this.reader);
      this.reader = undefined;
    }
    while (this.buf.length > Pipe.CAP && this.readers > 0) {
      this.writer = this.k.current;
      yield { k: 'block' };
    }
    if (this.readers === 0 && this.buf.length > Pipe.CAP) throw new SigPipe();
  }

  // A chunk of data, or null at end of file.
  *read(max = Infinity): Gen<string | null> {
    while (this.buf === '') {
      if (this.writers === 0) return null;
      this.reader = this.k.current;
      yield { k: 'block' };
    }
    const out = max >= this.buf.length ? this.buf : this.buf.slice(0, max);
    this.buf = this.buf.slice(out.length);
    if (this.writer) {
      this.k.wake(this.writer);
      this.writer = undefined;
    }
    return out;
  }

  closeWrite(): void {
    if (--this.writers === 0 && this.reader) {
      this.k.wake(this.reader);
      this.reader = undefined;
    }
  }

  closeRead(): void {
    if (--this.readers === 0) {
      this.buf = '';
      if (this.writer) {
        this.k.wake(this.writer);
        this.writer = undefined;
      }
    }
  }
}

type Json = unknown;

// The run-length encoded answers of the world. A replay consumes them in order; when
// they run out, the live world is asked and the answer appended.
export class Journal {
  private pos = 0;
  private sub = 0;
  private lastJson: string | undefined;

  constructor(readonly entries: JournalEntry[]) {
    // Equal answers keep merging into the last entry across advances.
    const last = entries[entries.length - 1];
    if (last) this.lastJson = JSON.stringify(last[1]);
  }

  get replaying(): boolean {
    return this.pos < this.entries.length;
  }

  next(op: string): { hit: true; v: Json } | { hit: false } {
    if (this.pos >= this.entries.length) return { hit: false };
    const e = this.entries[this.pos];
    if (e[0] !== op) {
      // The program diverged from its recorded history (it should not: replay is
      // deterministic). Forget the rest and continue live.
      this.entries.length = this.pos;
      this.sub = 0;
      this.lastJson = undefined;
      return { hit: false };
    }
    this.consume(1);
    return { hit: true, v: e[1] };
  }

  // How many equal answers to `op` remain in a row, and the answer.
  run(op: string): { v: Json; n: number } | undefined {
    if (this.pos >= this.entries.length) return undefined;
    const e = this.entries[this.pos];
    if (e[0] !== op) return undefined;
    return { v: e[1], n: (e[2] ?? 1) - this.sub };
  }

  consume(n: number): void {
    const e = this.entries[this.pos];
    this.sub += n;
    if (this.sub >= (e[2] ?? 1)) {
      this.pos++;
      this.sub = 0;
    }
  }

  append(op: string, v: Json): void {
    const json = JSON.stringify(v ?? null);
    const last = this.entries[this.entries.length - 1];
    if (last && last[0] === op && this.lastJson === json) {
      last[2] = (last[2] ?? 1) + 1;
    } else {
      this.entries.push([op, v ?? null]);
      this.lastJson = json;
    }
    this.pos = this.entries.length;
    this.sub = 0;
  }

  mark(): { pos: number; sub: number } {
    // Later answers must not merge into an entry before the mark.
    this.lastJson = undefined;
    return { pos: this.pos, sub: this.sub };
  }

  // The entries not yet consumed at `m`.
  rest(m: { pos: number; sub: number }): JournalEntry[] {
    const out = this.entries.slice(m.pos).map((e) => e.slice() as JournalEntry);
    if (out.length && m.sub) {
      const n = (out[0][2] ?? 1) - m.sub;
      out[0] = n > 1 ? [out[0][0], out[0][1], n] : [out[0][0], out[0][1]];
    }
    return out;
  }
}

export interface KernelInit {
  world: ShellWorld;
  limits: Limits;
  start: number;
  until: number;
  // Output stamped at or before this instant was handed out by an earlier advance.
  emitFrom: number;
  journal: JournalEntry[];
  signals: { sig: SignalName; at: number; pid?: number }[];
  seed: number;
  nextPid: number;
  pid1: boolean;
  cache?: Record<string, unknown>;
}

export interface CheckpointCandidate {
  at: number;
  journal: { pos: number; sub: number };
  sigIdx: number;
  data: { path: unknown[]; shell: unknown };
  nextPid: number;
  rng: number;
  cache: Record<string, unknown>;
}

export type StopReason =
  | { k: 'finished'; exitCode: number; signal?: SignalName }
  | { k: 'horizon'; nextWake: number }
  | { k: 'blocked'; nextWake?: number };

export type Serving = ServedProcess & { task: Task; killedBy?: string };

export class Kernel {
  clock: number;
  readonly until: number;
  readonly emitFrom: number;
  readonly limits: Limits;
  readonly world: ShellWorld;
  readonly journal: Journal;
  readonly output: OutputChunk[] = [];
  readonly pid1: boolean;
  steps = 0;
  private outBytes = 0;
  private worldCalls = 0;
  private tasks: Task[] = [];
  private seqCounter = 0;
  current!: Task;
  main: Task | undefined;
  nextPid: number;
  rng: number;
  private readonly signals: { sig: SignalName; at: number; pid?: number }[];
  sigIdx = 0;
  // The image's server running in this tree (see serve()), and the signal that ended it.
  serving: Serving | undefined;
  finished: { exitCode: number; at: number; signal?: SignalName } | undefined;
  checkpoint: CheckpointCandidate | undefined;
  // Per-process memo of files read once (resolv.conf, hosts), kept in checkpoints so
  // replays ask the journal exactly as the first run did.
  cache: Record<string, unknown>;

  constructor(init: KernelInit) {
    this.clock = init.start;
    this.until = init.until;
    this.emitFrom = init.emitFrom;
    this.limits = init.limits;
    this.world = init.world;
    this.journal = new Journal(init.journal.map((e) => e.slice() as JournalEntry));
    this.signals = init.signals;
    this.rng = init.seed >>> 0 || 1;
    this.nextPid = init.nextPid;
    this.pid1 = init.pid1;
    this.cache = { ...(init.cache ?? {}) };
  }

  // --- budget and output ------------------------------------------------------------

  charge(n = 1): void {
    this.steps += n;
    if (this.steps > this.limits.maxSteps) throw new BudgetExhausted('steps');
  }

  emit(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '' || this.finished) return;
    if (this.clock <= this.emitFrom) return;
    this.outBytes += text.length;
    if (this.outBytes > this.limits.maxOutputBytes) throw new BudgetExhausted('output');
    const last = this.output[this.output.length - 1];
    if (last && last.at === this.clock && last.stream === stream) last.text += text;
    else this.output.push({ at: this.clock, stream, text });
  }

  random(): number {
    // xorshift32: deterministic, seeded per process.
    let x = this.rng;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.rng = x || 1;
    return this.rng;
  }

  allocPid(): number {
    return this.nextPid++;
  }

  // --- world access through the journal --------------------------------------------

  private ask<T>(op: string, live: () => T): T {
    const r = this.journal.next(op);
    if (r.hit) return r.v as T;
    if (++this.worldCalls > this.limits.maxWorldCalls) throw new BudgetExhausted('world calls');
    const v = live();
    this.journal.append(op, v === undefined ? null : v);
    if (this.journal.entries.length > this.limits.maxJournal) throw new BudgetExhausted('journal');
    return (v === undefined ? null : v) as T;
  }

  // Asks `op` repeatedly (a poll loop): when the journal holds a run of equal answers
  // returns how many, so a poller can skip them in one step.
  askRun(op: string): { v: unknown; n: number } | undefined {
    return this.journal.run(op);
  }
  skipRun(n: number): void {
    this.journal.consume(n);
  }

  stat(path: string): FileStat | null {
    return this.ask('s', () => this.world.fs.stat(path, this.clock) ?? null);
  }
  read(path: string): string | null {
    return this.ask('r', () => {
      const d = this.world.fs.read(path, this.clock);
      return d === undefined ? null : d.slice(0, this.limits.maxReadBytes);
    });
  }
  list(path: string): string[] | null {
    return this.ask('l', () => this.world.fs.list(path, this.clock)?.slice().sort() ?? null);
  }
  write(path: string, data: string, append: boolean): FsError | null {
    return this.ask('w', () => this.world.fs.write(path, data, append, this.clock) ?? null);
  }
  mkdir(path: string): FsError | null {
    return this.ask('m', () => this.world.fs.mkdir(path, this.clock) ?? null);
  }
  remove(path: string): FsError | null {
    return this.ask('x', () => this.world.fs.remove(path, this.clock) ?? null);
  }
  resolve(name: string): string[] | null {
    return this.ask('d', () => this.world.resolve(name, this.clock) ?? null);
  }
  reverse(ip: string): string | null {
    return this.ask('p', () => this.world.reverse?.(ip, this.clock) ?? null);
  }
  http(req: HttpRequest): HttpResult {
    return this.ask('h', (): HttpResult => {
      const r = this.world.http ? this.world.http(req, this.clock) : { error: 'refused' as const };
      if ('status' in r && r.body.length > this.limits.maxReadBytes) return { ...r, body: r.body.slice(0, this.limits.maxReadBytes) };
      return r;
    });
  }
  tcp(ip: string, port: number): TcpResult {
    return this.ask('t', () => this.world.tcp?.(ip, port, this.clock) ?? 'refused');
  }
  ping(ip: string): number | null {
    return this.ask('i', () => this.world.ping?.(ip, this.clock) ?? null);
  }
  hasTool(name: string): boolean {
    return this.ask('T', () => this.world.hasTool?.(name, this.clock) ?? false);
  }
  tool(run: ToolRun): ToolResult {
    return this.ask('e', () => this.world.tool?.(run, this.clock) ?? { stdout: '', exitCode: 127 });
  }
  processes(): ProcInfo[] {
    return this.ask('P', () => this.world.processes?.(this.clock) ?? []);
  }
  signalProcess(pid: number, sig: SignalName): boolean {
    return this.ask('K', () => this.world.signal?.(pid, sig, this.clock) ?? false);
  }

  // The current task became the image's server `argv` (a child of the shell that
  // ran it, with a pid of its own): signals sent to that pid end it.
  serve(argv: string[]): Serving {
    const ppid = this.current.pid;
    this.serving = { pid: this.allocPid(), ppid, argv, at: this.clock, task: this.current };
    return this.serving;
  }

  // --- tasks -------------------------------------------------------------------------

  spawn(gen: Gen<number>, pid = this.allocPid()): Task {
    const t = new Task(pid, gen);
    this.tasks.push(t);
    this.ready(t, this.clock, undefined);
    return t;
  }

  private ready(t: Task, at: number, reason: WakeReason | undefined): void {
    t.wakeAt = at;
    t.seq = ++this.seqCounter;
    t.resume = reason;
  }

  wake(t: Task, reason: WakeReason = 'wake'): void {
    if (t.done) return;
    if (t.wakeAt === undefined || t.wakeAt > this.clock) this.ready(t, this.clock, reason);
  }

  // Blocks the current task until `t` ends; returns its exit status.
  *waitTask(t: Task, intr = false): Gen<number | 'signal'> {
    while (!t.done) {
      t.waiters.push(this.current);
      const r = yield { k: 'block', intr };
      if (r === 'signal') return 'signal';
    }
    return t.exit;
  }

  // Like waitTask, but gives up at `deadline`.
  *waitTaskUntil(t: Task, deadline: number): Gen<number | 'timeout'> {
    while (!t.done) {
      if (this.clock >= deadline) return 'timeout';
      t.waiters.push(this.current);
      yield { k: 'block', wake: deadline };
    }
    return t.exit;
  }

  alive(): Task[] {
    return this.tasks.filter((t) => !t.done);
  }

  private endTask(t: Task, code: number): void {
    if (t.done) return;
    t.done = true;
    t.exit = code;
    t.wakeAt = undefined;
    this.tasks = this.tasks.filter((x) => x !== t);
    for (const f of t.onExit) f();
    for (const w of t.waiters) this.wake(w);
    t.waiters.length = 0;
    if (t === this.main) this.finish(code);
  }

  // Ends another task now (a signal with the default action).
  kill(t: Task, code: number): void {
    if (t.done) return;
    if (t === this.current) throw new TaskKilled(code);
    try {
      t.gen.return(code);
    } catch {
      // A generator that throws while unwinding is dead all the same.
    }
    this.endTask(t, code);
  }

  finish(exitCode: number, signal?: SignalName): void {
    if (this.finished) return;
    this.finished = { exitCode, at: this.clock, signal };
    for (const t of this.tasks) t.done = true;
    this.tasks = [];
  }

  // Sends `sig` to the main process (from outside, or `kill` against PID 1), or
  // to the served program with that pid, which ends it unless it is only a
  // notification (the JVM exits on TERM, INT and HUP alike).
  deliver(sig: string, pid?: number): void {
    const served = this.serving;
    if (pid !== undefined && pid !== this.main?.pid) {
      if (!served || served.pid !== pid || served.killedBy || served.task.done) return;
      if (sig === 'CHLD' || sig === 'WINCH' || sig === 'CONT' || sig === '0') return;
      served.killedBy = sig;
      this.wake(served.task, 'signal');
      return;
    }
    const main = this.main;
    if (!main || main.done) return;
    if (sig === 'KILL') {
      this.finish(128 + SIGNUM.KILL, 'KILL');
      return;
    }
    const how = main.signalHandler ? main.signalHandler(sig) : 'default';
    if (how === 'trap') {
      if (main.intr) this.wake(main, 'signal');
      return;
    }
    if (how === 'ignore') return;
    if (sig === 'CHLD' || sig === 'WINCH' || sig === 'CONT') return;
    // PID 1 of a PID namespace does not get signals it has no handler for.
    if (how === 'default' && this.pid1) return;
    this.finish(128 + (SIGNUM[sig] ?? 15), sig as SignalName);
  }

  // --- checkpoints ----------------------------------------------------------------

  // Called by the main shell at a loop head where its whole state can be written
  // down. Kept only if nothing else runs and the instant is inside this advance.
  offerCheckpoint(make: () => { path: unknown[]; shell: unknown } | undefined): void {
    if (this.current !== this.main || this.tasks.length !== 1) return;
    if (this.clock <= this.emitFrom) return;
    // Writing the state down costs; a recent one is good enough.
    if (this.checkpoint && this.clock - this.checkpoint.at < 50) return;
    const data = make();
    if (!data) return;
    this.checkpoint = {
      at: this.clock,
      journal: this.journal.mark(),
      sigIdx: this.sigIdx,
      data,
      nextPid: this.nextPid,
      rng: this.rng,
      cache: { ...this.cache },
    };
  }

  // --- the scheduler ----------------------------------------------------------------

  private pick(): Task | undefined {
    let best: Task | undefined;
    for (const t of this.tasks) {
      if (t.wakeAt === undefined) continue;
      if (!best || t.wakeAt < best.wakeAt! || (t.wakeAt === best.wakeAt && t.seq < best.seq)) best = t;
    }
    return best;
  }

  run(): StopReason {
    for (;;) {
      if (this.finished) return { k: 'finished', exitCode: this.finished.exitCode, signal: this.finished.signal };
      const t = this.pick();
      const sig = this.signals[this.sigIdx];
      const tWake = t ? t.wakeAt! : Infinity;
      if (sig && sig.at <= tWake && sig.at <= this.until) {
        this.sigIdx++;
        this.clock = Math.max(this.clock, sig.at);
        this.deliver(sig.sig, sig.pid);
        continue;
      }
      if (!t) return { k: 'blocked', nextWake: sig?.at };
      if (tWake > this.until) return { k: 'horizon', nextWake: sig ? Math.min(sig.at, tWake) : tWake };
      this.clock = Math.max(this.clock, tWake);
      this.step(t);
    }
  }

  private step(t: Task): void {
    this.charge(1);
    const reason = t.resume;
    t.resume = undefined;
    t.wakeAt = undefined;
    t.intr = false;
    this.current = t;
    let res: IteratorResult<Effect, number>;
    try {
      res = t.gen.next(reason);
    } catch (e) {
      if (e instanceof BudgetExhausted) throw e;
      if (e instanceof SigPipe) return this.endTask(t, 128 + SIGNUM.PIPE);
      if (e instanceof TaskKilled) return this.endTask(t, e.code);
      const msg = e instanceof Error ? e.message : String(e);
      this.emit('stderr', `kubemu: internal error in the simulated shell: ${msg}\n`);
      return this.endTask(t, 2);
    }
    if (res.done) return this.endTask(t, res.value);
    const eff = res.value;
    if (eff.k === 'time') {
      this.ready(t, this.clock + Math.max(0, eff.ms), 'time');
    } else {
      t.intr = !!eff.intr;
      if (eff.wake !== undefined) this.ready(t, Math.max(this.clock, eff.wake), 'time');
    }
  }
}
