import type { KubeObject } from './types';
import type { ClusterState } from '../store/store';
import type { Clock } from '../sim/clock';
import { rfc3339 } from '../sim/clock';
import type { Rng } from '../util/rand';
import { clone, deepEqual } from '../util/json';
import type { KindInfo } from './kinds';
import { apiVersionOf, kindByApiVersion, KINDS, storageKey } from './kinds';
import { alreadyExists, badRequest, conflict, forbidden, invalid, notFound, StatusError } from './errors';
import type { FieldError } from './errors';
import { applyDefaults } from './defaults';
import { checkStructure } from './validation/schema';
import { strategyFor } from './strategies';
import type { Requirement, FieldRequirement } from './selectors';
import { matchesRequirements } from './selectors';
import { fieldValue } from './fields';
import { admit, validate } from './admission';
import { toStoredVersion } from './conversion';
import { noteChange } from './watch-log';
import { validateEphemeralUpdate, withEphemeralContainers } from './ephemeral';

// The API server: the only door to the objects. CLI verbs and controllers both
// come through here, so defaulting, validation, admission, resourceVersion and
// generation bookkeeping happen in one place, as in kube-apiserver.

export interface World {
  state: ClusterState;
  clock: Clock;
  rng: Rng;
  // The process environment (KUBEMU_STRICT_IMAGES, ...) and $KUBEMU_HOME, for
  // the simulation's side files (container logs).
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export interface WriteOptions {
  dryRun?: boolean;
  // Who writes: `kubectl-client-side-apply`, `kube-controller-manager`, ...
  fieldManager?: string;
}

export interface UpdateOptions extends WriteOptions {
  // status: only .status is taken; binding: only .spec.nodeName (pods/binding);
  // ephemeralcontainers: only .spec.ephemeralContainers (api/ephemeral.ts).
  subresource?: 'status' | 'binding' | 'ephemeralcontainers';
}

export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
}

export interface ListOptions {
  namespace?: string; // undefined: all namespaces
  labelSelector?: Requirement[];
  fieldSelector?: FieldRequirement[];
}

// A change to an object, for watchers and the reconciler.
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export function objectKey(namespaced: boolean, namespace: string | undefined, name: string): string {
  return namespaced ? `${namespace ?? ''}/${name}` : name;
}

export class ApiServer {
  // Set whenever something was written, so the session knows to save.
  dirty = false;
  readonly events: WatchEvent[] = [];
  // While the reconciler replays time, the simulated instant it is at.
  at: number | undefined;
  // Where admission warnings for the client's own requests go (kubectl prints
  // them as `Warning: ...`); unset while the controllers work.
  onWarning: ((text: string) => void) | undefined;

  constructor(readonly world: World) {}

  now(): number {
    return this.at ?? this.world.clock.now();
  }

  warn(text: string): void {
    this.onWarning?.(text);
  }

  private bucket(info: KindInfo): Record<string, KubeObject> {
    const key = storageKey(info);
    return (this.world.state.objects[key] ??= {});
  }

  // Each bucket's keys in order, kept until an object is added or removed
  // (controllers list far more often than objects come and go).
  private readonly sortedKeys = new Map<string, string[]>();

  private keysOf(info: KindInfo): string[] {
    const key = storageKey(info);
    let keys = this.sortedKeys.get(key);
    if (!keys) {
      keys = Object.keys(this.bucket(info)).sort();
      this.sortedKeys.set(key, keys);
    }
    return keys;
  }

  private keysChanged(info: KindInfo): void {
    this.sortedKeys.delete(storageKey(info));
  }

  private nextResourceVersion(): string {
    this.world.state.resourceVersion += 1;
    return String(this.world.state.resourceVersion);
  }

  resourceVersion(): string {
    return String(this.world.state.resourceVersion);
  }

  kindOf(obj: { apiVersion?: string; kind?: string }): KindInfo | undefined {
    return kindByApiVersion(obj.apiVersion ?? '', obj.kind ?? '');
  }

  // Objects are returned as copies: callers may change them freely.
  get(info: KindInfo, namespace: string | undefined, name: string): KubeObject {
    const obj = this.peek(info, namespace, name);
    if (!obj) throw notFound(info, name);
    return this.present(info, obj);
  }

  tryGet(info: KindInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    const obj = this.peek(info, namespace, name);
    return obj ? this.present(info, obj) : undefined;
  }

  // Read-only access without a copy, for controllers and printers that only read.
  peek(info: KindInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.bucket(info)[objectKey(info.namespaced, namespace, name)];
  }

  list(info: KindInfo, opts: ListOptions = {}): KubeObject[] {
    return this.peekList(info, opts).map((o) => this.present(info, o));
  }

  // Objects in etcd key order: namespace, then name.
  peekList(info: KindInfo, opts: ListOptions = {}): KubeObject[] {
    const bucket = this.bucket(info);
    const keys = this.keysOf(info);
    const out: KubeObject[] = [];
    const prefix = info.namespaced && opts.namespace !== undefined ? `${opts.namespace}/` : '';
    // Keys are sorted: a namespace's objects are one contiguous run.
    let lo = 0;
    if (prefix) {
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid] < prefix) lo = mid + 1;
        else hi = mid;
      }
    }
    for (let i = lo; i < keys.length; i++) {
      const key = keys[i];
      if (prefix && !key.startsWith(prefix)) break;
      const obj = bucket[key];
      if (opts.labelSelector && !matchesRequirements(opts.labelSelector, obj.metadata.labels)) continue;
      if (opts.fieldSelector && !this.matchesFields(info, obj, opts.fieldSelector)) continue;
      out.push(obj);
    }
    return out;
  }

  private matchesFields(info: KindInfo, obj: KubeObject, reqs: FieldRequirement[]): boolean {
    return reqs.every((r) => {
      const v = fieldValue(info, obj, r.field);
      return r.op === '=' ? v === r.value : v !== r.value;
    });
  }

  // Objects are stored in their preferred version; a kind served in another
  // version (events.k8s.io Event over core Event) is presented as itself.
  private present(info: KindInfo, obj: KubeObject): KubeObject {
    const copy = clone(obj);
    if (obj.apiVersion !== apiVersionOf(info)) copy.apiVersion = apiVersionOf(info);
    return copy;
  }

  create(input: KubeObject, opts: WriteOptions = {}): KubeObject {
    const info = this.kindOf(input);
    if (!info) throw badRequest(`no kind "${input.kind}" is registered for version "${input.apiVersion}"`);
    const obj = toStoredVersion(info, clone(input));
    obj.apiVersion = apiVersionOf(info);
    obj.metadata ??= {};
    checkStructure(info, obj);
    const meta = obj.metadata;
    if (info.namespaced) {
      meta.namespace ||= 'default';
      this.checkNamespaceWritable(info, meta.namespace, meta.name ?? meta.generateName ?? '');
    } else {
      delete meta.namespace;
    }
    if (!meta.name && meta.generateName) meta.name = this.generateName(info, meta.namespace, meta.generateName);
    const name = meta.name ?? '';
    applyDefaults(info.group, obj);
    const strategy = strategyFor(info);
    meta.uid = this.world.rng.uuid();
    meta.creationTimestamp = rfc3339(this.now());
    if (info.generation) meta.generation = 1;
    else delete meta.generation;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    delete meta.resourceVersion;
    delete meta.managedFields;
    admit(this, info, obj, 'CREATE');
    strategy.prepareForCreate?.(obj, this);
    const errors: FieldError[] = [...this.validateMeta(info, obj), ...(strategy.validate?.(obj, this) ?? [])];
    if (errors.length) throw invalid(info, name, errors);
    validate(this, info, obj, undefined, 'CREATE');
    if (this.peek(info, meta.namespace, name)) throw alreadyExists(info, name);
    strategy.allocate?.(obj, this);
    if (opts.dryRun) return clone(obj);
    meta.resourceVersion = this.nextResourceVersion();
    this.bucket(info)[objectKey(info.namespaced, meta.namespace, name)] = obj;
    this.keysChanged(info);
    this.record('ADDED', obj);
    return this.present(info, obj);
  }

  private checkNamespaceWritable(info: KindInfo, namespace: string, name: string): void {
    const nsInfo = KINDS.find((k) => k.kind === 'Namespace')!;
    const ns = this.peek(nsInfo, undefined, namespace);
    if (!ns) throw notFound(nsInfo, namespace);
    if (ns.metadata.deletionTimestamp) {
      throw forbidden(
        info,
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private generateName(info: KindInfo, namespace: string | undefined, prefix: string): string {
    const base = prefix.length > 58 ? prefix.slice(0, 58) : prefix;
    for (let attempt = 0; attempt < 8; attempt++) {
      const candidate = base + this.world.rng.suffix();
      if (!this.peek(info, namespace, candidate)) return candidate;
    }
    throw alreadyExists(info, base, true);
  }

  private validateMeta(info: KindInfo, obj: KubeObject): FieldError[] {
    return strategyFor(info).validateMeta(obj);
  }

  // PUT: replaces the object (or its status). Keeps what the server owns.
  update(input: KubeObject, opts: UpdateOptions = {}): KubeObject {
    const info = this.kindOf(input);
    if (!info) throw badRequest(`no kind "${input.kind}" is registered for version "${input.apiVersion}"`);
    const name = input.metadata?.name ?? '';
    const namespace = info.namespaced ? input.metadata?.namespace || 'default' : undefined;
    const old = this.peek(info, namespace, name);
    if (!old) throw notFound(info, name);
    const obj = toStoredVersion(info, clone(input));
    obj.apiVersion = apiVersionOf(info);
    if (opts.subresource === undefined) checkStructure(info, obj);
    const rv = obj.metadata.resourceVersion;
    if (rv && rv !== old.metadata.resourceVersion) {
      throw conflict(info, name, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const strategy = strategyFor(info);
    let next: KubeObject;
    if (opts.subresource === 'status') {
      next = clone(old);
      next.status = obj.status;
      // The body is decoded with defaults, as any request's (a load
      // balancer's ingress gets ipMode VIP).
      applyDefaults(info.group, next);
    } else if (opts.subresource === 'binding') {
      next = clone(old);
      const nodeName = (obj.spec as { nodeName?: string } | undefined)?.nodeName;
      if ((old.spec as { nodeName?: string }).nodeName) throw conflict(info, name, `pod ${name} is already assigned to node "${(old.spec as { nodeName?: string }).nodeName}"`);
      next.spec = { ...(old.spec as object), nodeName };
      // The binding also marks the pod scheduled, in the same write (setPodHostAndAnnotations).
      const status = (next.status ?? {}) as { conditions?: { type: string; status: string; lastTransitionTime?: string }[] };
      const prev = status.conditions?.find((c) => c.type === 'PodScheduled');
      const cond = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : rfc3339(this.now()) };
      next.status = { ...status, conditions: [...(status.conditions ?? []).filter((c) => c.type !== 'PodScheduled'), cond] };
    } else if (opts.subresource === 'ephemeralcontainers') {
      next = withEphemeralContainers(old, (obj.spec as { ephemeralContainers?: [] } | undefined)?.ephemeralContainers);
      const errors = validateEphemeralUpdate(next, old);
      if (errors.length) throw invalid(info, name, errors);
    } else {
      next = obj;
      applyDefaults(info.group, next);
      // Server-owned metadata survives a PUT.
      const m = next.metadata;
      m.namespace = old.metadata.namespace;
      m.uid = old.metadata.uid;
      m.creationTimestamp = old.metadata.creationTimestamp;
      m.generation = old.metadata.generation;
      m.deletionTimestamp = old.metadata.deletionTimestamp;
      m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      if (m.deletionTimestamp === undefined) delete m.deletionTimestamp;
      if (m.deletionGracePeriodSeconds === undefined) delete m.deletionGracePeriodSeconds;
      if (m.generation === undefined) delete m.generation;
      if (info.statusSubresource && 'status' in old) next.status = clone(old.status);
      else if (info.statusSubresource) delete next.status;
      admit(this, info, next, 'UPDATE');
      strategy.prepareForUpdate?.(next, old, this);
      const errors = [
        ...this.validateMeta(info, next),
        ...(strategy.validate?.(next, this) ?? []),
        ...(strategy.validateUpdate?.(next, old, this) ?? []),
      ];
      if (errors.length) throw invalid(info, name, errors);
      validate(this, info, next, old, 'UPDATE');
      if (info.generation && !deepEqual(specOf(next), specOf(old))) {
        next.metadata.generation = (old.metadata.generation ?? 0) + 1;
      }
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    if (deepEqual(next, old)) return this.present(info, old);
    if (opts.dryRun) return clone(next);
    next.metadata.resourceVersion = this.nextResourceVersion();
    this.bucket(info)[objectKey(info.namespaced, namespace, name)] = next;
    this.record('MODIFIED', next);
    this.finalizeIfDone(info, next);
    return this.present(info, next);
  }

  delete(info: KindInfo, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const ns = info.namespaced ? namespace || 'default' : undefined;
    const old = this.peek(info, ns, name);
    if (!old) throw notFound(info, name);
    const obj = clone(old);
    const strategy = strategyFor(info);
    const policy = opts.propagationPolicy ?? strategy.defaultPropagation ?? 'Background';
    const finalizers = new Set(obj.metadata.finalizers ?? []);
    if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    if (policy === 'Orphan') finalizers.add('orphan');
    const grace = strategy.gracePeriod?.(obj, opts.gracePeriodSeconds, this) ?? 0;
    if (opts.dryRun) return obj;
    if (obj.metadata.deletionTimestamp) {
      // Already terminating: a shorter grace period may still cut it short.
      const current = obj.metadata.deletionGracePeriodSeconds ?? 0;
      if (grace >= current) return this.present(info, obj);
    }
    const now = this.now();
    if (finalizers.size > 0 || grace > 0 || strategy.deferDeletion?.(obj)) {
      obj.metadata.finalizers = [...finalizers];
      if (obj.metadata.finalizers.length === 0) delete obj.metadata.finalizers;
      if (!old.metadata.deletionTimestamp || grace < (old.metadata.deletionGracePeriodSeconds ?? 0)) {
        obj.metadata.deletionTimestamp = rfc3339(now + grace * 1000);
        obj.metadata.deletionGracePeriodSeconds = grace;
      }
      if (info.generation) obj.metadata.generation = (obj.metadata.generation ?? 0) + 1;
      strategy.prepareForDelete?.(obj, this);
      obj.metadata.resourceVersion = this.nextResourceVersion();
      this.bucket(info)[objectKey(info.namespaced, ns, name)] = obj;
      this.record('MODIFIED', obj);
      return this.present(info, obj);
    }
    this.remove(info, obj);
    return this.present(info, obj);
  }

  // Removes an object for good (grace period over, finalizers gone).
  remove(info: KindInfo, obj: KubeObject): void {
    const key = objectKey(info.namespaced, obj.metadata.namespace, obj.metadata.name ?? '');
    const bucket = this.bucket(info);
    if (!bucket[key]) return;
    delete bucket[key];
    this.keysChanged(info);
    this.world.state.resourceVersion += 1;
    this.record('DELETED', obj);
  }

  // A terminating object whose finalizers are all gone and whose grace period
  // is zero disappears on its next write, as the registry's deletion does.
  private finalizeIfDone(info: KindInfo, obj: KubeObject): void {
    if (!obj.metadata.deletionTimestamp) return;
    if ((obj.metadata.finalizers ?? []).length > 0) return;
    if ((obj.metadata.deletionGracePeriodSeconds ?? 0) > 0) return;
    this.remove(info, obj);
  }

  private record(type: WatchEvent['type'], obj: KubeObject): void {
    this.dirty = true;
    this.events.push({ type, object: obj });
    const info = this.world.state.watchLog && this.kindOf(obj);
    if (info) noteChange(this.world.state, info, type, obj.apiVersion === apiVersionOf(info) ? obj : this.present(info, obj), this.world.state.resourceVersion, this.now());
  }

  // Whether an object is one a list with these options returns (a watch's filter).
  matches(info: KindInfo, obj: KubeObject, opts: ListOptions): boolean {
    if (info.namespaced && opts.namespace !== undefined && obj.metadata.namespace !== opts.namespace) return false;
    if (opts.labelSelector && !matchesRequirements(opts.labelSelector, obj.metadata.labels)) return false;
    return !opts.fieldSelector || this.matchesFields(info, obj, opts.fieldSelector);
  }
}

function specOf(obj: KubeObject): unknown {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  void _m;
  void _s;
  void _a;
  void _k;
  return rest;
}

export { StatusError };
