import type { ApiServer } from '../api/server';
import type { KubeObject } from '../api/types';
import { kind } from '../api/registry';
import { StatusError } from '../api/errors';
import { rfc3339, rfc3339Micro } from '../sim/clock';

// Records Events the way client-go's recorder does: one object per distinct
// (object, reason, message, source) whose count and lastTimestamp grow when it
// repeats within ten minutes, named `<object>.<hex nanoseconds>`.

export interface EventSource {
  component: string;
  host?: string;
}

const AGGREGATION_WINDOW_MS = 10 * 60 * 1000;

export class EventRecorder {
  private seq = 0;
  // Aggregation index per namespace: identity of an event -> its key.
  private readonly index = new Map<string, Map<string, string>>();

  constructor(private readonly api: ApiServer) {}

  private namespaceIndex(namespace: string): Map<string, string> {
    let idx = this.index.get(namespace);
    if (!idx) {
      idx = new Map();
      for (const e of this.api.peekList(kind('Event'), { namespace })) {
        const io = e.involvedObject as { uid?: string; fieldPath?: string };
        const src = e.source as EventSource | undefined;
        if (!src?.component) continue;
        idx.set([io.uid, io.fieldPath ?? '', e.reason, e.message, e.type, src.component].join('\0'), e.metadata.name ?? '');
      }
      this.index.set(namespace, idx);
    }
    return idx;
  }

  // `<object>.<hex UnixNano>`, unique even when the simulated clock stands still.
  private eventName(obj: KubeObject, namespace: string, now: number): string {
    let nanos = BigInt(now) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    for (;;) {
      const name = `${obj.metadata.name}.${nanos.toString(16)}`;
      if (!this.api.peek(kind('Event'), namespace, name)) return name;
      nanos += 1n;
    }
  }

  event(
    obj: KubeObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const api = this.api;
    const info = kind('Event');
    const now = api.now();
    const namespace = obj.metadata.namespace || 'default';
    const involved = {
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
      uid: obj.metadata.uid,
      apiVersion: obj.apiVersion,
      resourceVersion: obj.metadata.resourceVersion,
      ...(fieldPath ? { fieldPath } : {}),
    };
    const identity = [obj.metadata.uid, fieldPath ?? '', reason, message, type, source.component].join('\0');
    const known = this.namespaceIndex(namespace).get(identity);
    const candidate = known ? api.peek(info, namespace, known) : undefined;
    const existing =
      candidate && now - Date.parse(String(candidate.lastTimestamp)) < AGGREGATION_WINDOW_MS ? candidate : undefined;
    if (existing) {
      const next = { ...existing, count: Number(existing.count ?? 1) + 1, lastTimestamp: rfc3339(now) };
      this.post(() => api.update(next));
      return;
    }
    const name = this.eventName(obj, namespace, now);
    this.namespaceIndex(namespace).set(identity, name);
    this.post(() => api.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: involved,
      reason,
      message,
      source,
      firstTimestamp: rfc3339(now),
      lastTimestamp: rfc3339(now),
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    }));
  }

  // An event the API server refuses (its namespace is being deleted) is
  // dropped, as client-go's recorder logs and drops it.
  private post(write: () => unknown): void {
    try {
      write();
    } catch (e) {
      if (!(e instanceof StatusError)) throw e;
    }
  }

  // The events.k8s.io shape the scheduler uses: eventTime, an action, no count.
  schedulerEvent(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, action: string, message: string): void {
    const api = this.api;
    const now = api.now();
    const namespace = obj.metadata.namespace || 'default';
    this.post(() => api.create({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: this.eventName(obj, namespace, now), namespace },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      type,
      eventTime: rfc3339Micro(now),
      action,
      reportingComponent: 'default-scheduler',
      reportingInstance: 'default-scheduler-minikube',
    }));
  }
}
