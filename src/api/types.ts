import type { ObjectMeta as ReadonlyObjectMeta } from 'kubernetes-types/meta/v1';
import type { Writable } from '../util/json';

// kubernetes-types marks server-set metadata read-only; inside the API server
// and controllers those fields are ours to write.
export type ObjectMeta = Writable<ReadonlyObjectMeta>;

// An API object as stored and served: plain JSON with apiVersion, kind and metadata.
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}
