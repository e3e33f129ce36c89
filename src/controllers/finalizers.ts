import type { KubeObject } from '../api/types';
import { clone } from '../util/json';

// A copy of an object with one finalizer lifted (the field dropped when it
// was the last, as the API server stores it).
export function withoutFinalizer<T extends KubeObject>(obj: T, finalizer: string): T {
  const next = clone(obj);
  const rest = (next.metadata.finalizers ?? []).filter((f) => f !== finalizer);
  if (rest.length) next.metadata.finalizers = rest;
  else delete next.metadata.finalizers;
  return next;
}
