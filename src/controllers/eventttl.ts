import type { Controller } from './types';
import { kind } from '../api/registry';

// The API server forgets events an hour after their last occurrence (--event-ttl).
const EVENT_TTL_MS = 60 * 60 * 1000;

export const eventTTLController: Controller = {
  name: 'event-ttl',
  primary: kind('Event'),
  reconcile(key, ctx) {
    const [namespace, name] = key.split('/');
    const ev = ctx.api.peek(kind('Event'), namespace, name);
    if (!ev) return;
    const last = Date.parse(String(ev.lastTimestamp ?? ev.eventTime ?? ev.metadata.creationTimestamp));
    const expiry = last + EVENT_TTL_MS;
    if (ctx.now >= expiry) ctx.api.remove(kind('Event'), ev);
    else ctx.requeueAt(this.name, key, expiry);
  },
};
