import type { Pod } from 'kubernetes-types/core/v1';
import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { ApiServer } from '../../api/server';
import type { Session } from '../session';
import type { DryRun } from '../output';
import { kind } from '../../api/registry';
import { StatusError } from '../../api/errors';
import { budgetSelects, budgetsFor, evictPod } from '../../api/eviction';
import { isPodReady } from '../../api/podutil';
import { parseLabelSelector } from '../../api/selectors';
import { parseTime } from '../../sim/clock';
import { nextWake } from '../../reconciler/reconciler';
import { goDuration } from '../../util/go-duration';
import { CliError, PlainError } from '../errors';
import { DRY_RUN_FLAG, dryRunSuffix, parseDryRun } from '../output';
import { nodesFor, setSchedulable } from './node-schedulability';
import { controllerOf } from '../../controllers/podtemplate';
import { sleepHost } from '../waiting';
import { klogWarning } from '../klog';

// kubectl drain NODE (pkg/cmd/drain, pkg/drain): cordon, then evict every pod
// on the node that may go (mirror pods are skipped, DaemonSet pods need
// --ignore-daemonsets, bare pods --force, pods with emptyDir
// --delete-emptydir-data), retrying every 5s while a PodDisruptionBudget
// refuses, then wait for them to be gone.

type P = Pod & KubeObject;

interface Verdict {
  delete: boolean;
  warning?: string;
  error?: string;
}

interface Options {
  force: boolean;
  ignoreDaemonsets: boolean;
  deleteEmptyDir: boolean;
  skipWaitSeconds: number;
  podSelector: string;
}

const RETRY_MS = 5000;
// time.Duration(math.MaxInt64), kubectl's "no timeout".
const FOREVER = '2562047h47m16.854775807s';
// With a manual clock and no --timeout, a budget that has not moved for this
// long (or a pod this long past its grace period) never will by itself: the
// drain stops as if its timeout had passed.
const MANUAL_PATIENCE_MS = 5 * 60 * 1000;

function finished(pod: P): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

// The filters in kubectl's order: the first that keeps a pod decides, else
// the last one's verdict stands (undefined: skipped without a word).
function filter(api: ApiServer, pod: P, o: Options, now: number): Verdict | undefined {
  const deleting = parseTime(pod.metadata.deletionTimestamp);
  if (o.skipWaitSeconds > 0 && deleting !== undefined && now - deleting > o.skipWaitSeconds * 1000) return undefined;
  const ref = controllerOf(pod);
  if (ref?.kind === 'DaemonSet' && !finished(pod)) {
    if (!api.peek(kind('DaemonSet'), pod.metadata.namespace, ref.name)) {
      const missing = `daemonsets.apps "${ref.name}" not found`;
      if (!o.force) return { delete: false, error: missing };
    } else if (!o.ignoreDaemonsets) return { delete: false, error: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' };
    else return { delete: false, warning: 'ignoring DaemonSet-managed Pods' };
  }
  if (pod.metadata.annotations?.['kubernetes.io/config.mirror'] !== undefined) return undefined;
  if ((pod.spec?.volumes ?? []).some((v) => v.emptyDir) && !finished(pod) && !o.deleteEmptyDir) {
    return { delete: false, error: 'Pods with local storage (use --delete-emptydir-data to override)' };
  }
  // The local-storage warning is overwritten by this last filter's verdict, as in kubectl.
  if (!ref && !finished(pod)) {
    if (!o.force) return { delete: false, error: 'Pods that declare no controller (use --force to override)' };
    return { delete: true, warning: 'deleting Pods that declare no controller' };
  }
  return { delete: true };
}

interface Plan {
  pods: P[];
  warnings: Map<string, string[]>;
  errors: Map<string, string[]>;
}

// GetPodsForDeletion: the node's pods, their warnings and blocking errors.
function podsForDeletion(api: ApiServer, node: string, o: Options): Plan {
  const labelSelector = o.podSelector ? parseLabelSelector(o.podSelector) : undefined;
  const plan: Plan = { pods: [], warnings: new Map(), errors: new Map() };
  const add = (m: Map<string, string[]>, key: string, who: string) => m.set(key, [...(m.get(key) ?? []), who]);
  for (const p of api.peekList(kind('Pod'), { labelSelector }) as P[]) {
    if (p.spec?.nodeName !== node) continue;
    const v = filter(api, p, o, api.now());
    if (!v) continue;
    const who = `${p.metadata.namespace}/${p.metadata.name}`;
    if (v.error) add(plan.errors, v.error, who);
    if (v.warning) add(plan.warnings, v.warning, who);
    if (v.delete) plan.pods.push(p);
  }
  return plan;
}

// A failure of one node: an aggregate of errors (as kubectl's utilerrors) or a single one.
interface Failure {
  errors: string[];
  aggregate: boolean;
}

function failureText(f: Failure): string {
  return f.aggregate && f.errors.length > 1 ? `[${f.errors.join(', ')}]` : f.errors[0];
}

interface Job {
  pod: P;
  phase: 'evict' | 'wait' | 'done';
  at: number;
}

// What could make a refusing budget change its mind: its status and its pods.
function budgetFingerprint(api: ApiServer, pods: P[]): string {
  const seen: unknown[] = [];
  for (const pod of pods) {
    for (const b of budgetsFor(api, pod, false)) {
      seen.push(b.metadata.uid, b.status?.disruptionsAllowed, b.status?.currentHealthy, b.status?.expectedPods);
      for (const p of api.peekList(kind('Pod'), { namespace: b.metadata.namespace }) as P[]) {
        if (!budgetSelects(b, p, true)) continue;
        seen.push(p.metadata.uid, p.spec?.nodeName, p.status?.phase, isPodReady(p), !!p.metadata.deletionTimestamp);
      }
    }
  }
  return JSON.stringify(seen);
}

class Drainer {
  private readonly timeoutMs: number;
  private readonly timeoutText: string;

  constructor(
    private readonly ctx: CommandContext,
    private readonly session: Session,
    private readonly dryRun: DryRun,
  ) {
    this.timeoutMs = ctx.flags.duration('timeout');
    this.timeoutText = this.timeoutMs > 0 ? goDuration(this.timeoutMs) : FOREVER;
  }

  private gone(api: ApiServer, pod: P): boolean {
    const cur = api.peek(kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '');
    return !cur || cur.metadata.uid !== pod.metadata.uid;
  }

  // skip-wait-for-delete-timeout: a pod deleted long ago is not waited for.
  private skipped(api: ApiServer, pod: P): boolean {
    const secs = this.ctx.flags.int('skip-wait-for-delete-timeout');
    const cur = api.peek(kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '');
    const deleting = parseTime(cur?.metadata.deletionTimestamp);
    return secs > 0 && deleting !== undefined && api.now() - deleting > secs * 1000;
  }

  // The end of a pod's grace period (-Infinity for one not terminating).
  private dueAt(api: ApiServer, pod: P): number {
    const cur = api.peek(kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '');
    return parseTime(cur?.metadata.deletionTimestamp) ?? -Infinity;
  }

  private grace(): number | undefined {
    const g = this.ctx.flags.int('grace-period');
    return g >= 0 ? g : undefined;
  }

  // Moves time on towards `target`: a manual clock is advanced by the drain
  // itself, as `wait` does; a real one is slept on, a second at most between looks.
  private sleepUntil(target: number, now: number): void {
    const manual = this.session.read((api) => api.world.state.clock.mode === 'manual');
    if (manual) return this.session.advanceTo(target);
    const speed = this.session.read((api) => api.world.state.clock.speed);
    sleepHost(Math.max(1, Math.min(1000, (target - now) / speed)));
  }

  // evictPods / deletePods: returns the failure, if any.
  run(pods: P[]): Failure | undefined {
    const io = this.ctx.io;
    const evicting = !this.ctx.flags.bool('disable-eviction');
    const start = this.session.read((api) => api.now());
    let deadline = this.timeoutMs > 0 ? start + this.timeoutMs : Infinity;
    const jobs: Job[] = pods.map((pod) => ({ pod, phase: evicting ? 'evict' : 'wait', at: start }));
    const errors: string[] = [];
    if (!evicting) {
      // Deleted all at once; NotFound is fine.
      this.session.write((api) => {
        for (const { pod } of jobs) {
          if (!api.peek(kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '')) continue;
          api.delete(kind('Pod'), pod.metadata.namespace, pod.metadata.name ?? '', { gracePeriodSeconds: this.grace(), dryRun: this.dryRun === 'server' });
        }
      });
      if (this.dryRun === 'server') return undefined;
    }
    let fingerprint = '';
    let lastChange = start;
    for (;;) {
      const now = this.session.read((api) => api.now());
      for (const job of jobs.filter((j) => j.phase === 'evict' && j.at <= now)) {
        const { namespace, name } = job.pod.metadata as { namespace: string; name: string };
        io.out(`evicting pod ${namespace}/${name}${dryRunSuffix(this.dryRun)}\n`);
        if (now >= deadline) {
          errors.push(`error when evicting pods/"${name}" -n "${namespace}": global timeout reached: ${this.timeoutText}`);
          job.phase = 'done';
          continue;
        }
        const refusal = this.session.write((api) => {
          try {
            evictPod(api, namespace, name, { gracePeriodSeconds: this.grace(), dryRun: this.dryRun === 'server' });
            return undefined;
          } catch (e) {
            if (e instanceof StatusError) return e;
            throw e;
          }
        });
        if (!refusal) job.phase = this.dryRun === 'server' ? 'done' : 'wait';
        else if (refusal.code === 404) job.phase = 'done';
        else if (refusal.code === 429) {
          io.err(`error when evicting pods/"${name}" -n "${namespace}" (will retry after 5s): ${refusal.message}\n`);
          job.at = now + RETRY_MS;
        } else {
          errors.push(`error when evicting pods/"${name}" -n "${namespace}": ${refusal.message}`);
          job.phase = 'done';
        }
      }
      this.session.read((api) => {
        for (const job of jobs.filter((j) => j.phase === 'wait')) {
          const { namespace, name } = job.pod.metadata as { namespace: string; name: string };
          if (this.gone(api, job.pod)) {
            io.out(`pod/${name} ${evicting ? 'evicted' : 'deleted'}\n`);
            job.phase = 'done';
          } else if (this.skipped(api, job.pod)) {
            io.out(`pod "${name}" has DeletionTimestamp older than ${this.ctx.flags.int('skip-wait-for-delete-timeout')} seconds, skipping\n`);
            job.phase = 'done';
          } else if (now >= deadline) {
            errors.push(evicting ? `error when waiting for pod "${name}" in namespace "${namespace}" to terminate: context deadline exceeded` : 'context deadline exceeded');
            job.phase = 'done';
          }
        }
      });
      // Deleting pods is one wait for all of them: its timeout ends it at once.
      if (!evicting && errors.length > 0) return { errors: errors.slice(0, 1), aggregate: false };
      if (jobs.every((j) => j.phase === 'done')) break;
      // Blocked evictions run again at their retry time (past the deadline too,
      // where they then fail); waits end when the world changes or at the deadline.
      const retry = Math.min(...jobs.filter((j) => j.phase === 'evict').map((j) => j.at));
      const waiting = jobs.some((j) => j.phase === 'wait');
      const { wake, manual, print, terminating } = this.session.read((api) => ({
        wake: nextWake(api),
        manual: api.world.state.clock.mode === 'manual',
        print: budgetFingerprint(api, jobs.filter((j) => j.phase === 'evict').map((j) => j.pod)) + jobs.map((j) => j.phase).join(),
        // When the pods being waited for are due to be gone.
        terminating: Math.max(...jobs.filter((j) => j.phase === 'wait').map((j) => this.dueAt(api, j.pod))),
      }));
      if (print !== fingerprint) [fingerprint, lastChange] = [print, now];
      if (manual && deadline === Infinity) {
        // Nothing scheduled, or no progress long after anything was due: nothing will happen.
        const idle = wake === undefined && retry === Infinity;
        if (idle || now - Math.max(lastChange, terminating) >= MANUAL_PATIENCE_MS) deadline = now;
      }
      const target = Math.min(retry, waiting ? Math.min(wake ?? Infinity, deadline) : Infinity);
      if (target <= now) continue;
      if (target === Infinity && !manual) this.sleepUntil(now + 1000, now);
      else this.sleepUntil(target, now);
    }
    return errors.length > 0 ? { errors, aggregate: true } : undefined;
  }
}

export const command: Command = {
  flags: [
    DRY_RUN_FLAG,
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'pod-selector', kind: 'string' },
    { name: 'force', kind: 'bool' },
    { name: 'ignore-daemonsets', kind: 'bool' },
    { name: 'delete-emptydir-data', kind: 'bool' },
    { name: 'delete-local-data', kind: 'bool' },
    { name: 'grace-period', kind: 'int', default: -1 },
    { name: 'timeout', kind: 'duration' },
    { name: 'disable-eviction', kind: 'bool' },
    { name: 'skip-wait-for-delete-timeout', kind: 'int' },
    { name: 'chunk-size', kind: 'int', default: 500 },
  ],
  run(ctx) {
    const flags = ctx.flags;
    const dryRun = parseDryRun(flags, (s) => ctx.io.err(klogWarning(s)));
    const opts: Options = {
      force: flags.bool('force'),
      ignoreDaemonsets: flags.bool('ignore-daemonsets'),
      deleteEmptyDir: flags.bool('delete-emptydir-data') || flags.bool('delete-local-data'),
      skipWaitSeconds: flags.int('skip-wait-for-delete-timeout'),
      podSelector: flags.str('pod-selector'),
    };
    if (opts.podSelector) {
      try {
        parseLabelSelector(opts.podSelector);
      } catch {
        throw new CliError('error: --pod-selector=<pod_selector> must be a valid label selector');
      }
    }
    const session = ctx.session();
    const warn = session.onWarning ?? ((t: string) => ctx.io.err(`Warning: ${t}\n`));
    // Every node is cordoned first, then drained in turn.
    const cordoned = session.write((api) => nodesFor(ctx, api).map((node) => ({ name: node.metadata.name ?? '', line: setSchedulable(api, node, true, dryRun) })));
    for (const c of cordoned) ctx.io.out(c.line);
    const drainer = new Drainer(ctx, session, dryRun);
    const failures: Failure[] = [];
    const pending: string[] = [];
    for (const { name: node } of cordoned) {
      const plan = session.read((api) => podsForDeletion(api, node, opts));
      let failure: Failure | undefined;
      if (plan.errors.size > 0) {
        failure = { errors: [...plan.errors].map(([cat, who]) => `cannot delete ${cat}: ${who.join(', ')}`), aggregate: true };
      } else {
        if (plan.warnings.size > 0) warn([...plan.warnings].map(([cat, who]) => `${cat}: ${who.join(', ')}`).join('; '));
        if (dryRun === 'client') {
          for (const p of plan.pods) ctx.io.out(`evicting pod ${p.metadata.namespace}/${p.metadata.name} (dry run)\n`);
        } else {
          failure = drainer.run(plan.pods);
          if (failure) {
            const left = session.read((api) => podsForDeletion(api, node, opts).pods);
            if (left.length > 0) ctx.io.err(`There are pending pods in node "${node}" when an error occurred: ${failureText(failure)}\n${left.map((p) => `pod/${p.metadata.name}\n`).join('')}`);
          }
        }
      }
      if (!failure) {
        ctx.io.out(`node/${node} drained${dryRunSuffix(dryRun)}\n`);
        continue;
      }
      ctx.io.err(`error: unable to drain node "${node}" due to error: ${failureText(failure)}, continuing command...\n`);
      failures.push(failure);
      pending.push(node);
    }
    if (failures.length === 0) return 0;
    ctx.io.err(`There are pending nodes to be drained:\n${pending.map((n) => ` ${n}\n`).join('')}`);
    // CheckErr: one failure is unwrapped (an aggregate prints a line per error); several print one line each.
    if (failures.length > 1) throw new PlainError(failures.map(failureText).join('\n'));
    const only = failures[0];
    throw new PlainError(only.aggregate ? only.errors.join('\n') : `error: ${only.errors[0]}`);
  },
};
