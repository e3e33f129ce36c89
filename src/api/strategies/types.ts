import type { KubeObject } from '../types';
import type { ApiServer, PropagationPolicy } from '../server';
import type { FieldError } from '../errors';

// A kind's behaviour inside the API server (pkg/registry/<group>/<resource>/strategy.go).
export interface Strategy {
  validateMeta(obj: KubeObject): FieldError[];
  prepareForCreate?(obj: KubeObject, api: ApiServer): void;
  // Runs after validation passed: allocations (cluster IPs, node ports) that must
  // not be spent on objects that are then rejected.
  allocate?(obj: KubeObject, api: ApiServer): void;
  prepareForUpdate?(next: KubeObject, old: KubeObject, api: ApiServer): void;
  validate?(obj: KubeObject, api: ApiServer): FieldError[];
  validateUpdate?(next: KubeObject, old: KubeObject, api: ApiServer): FieldError[];
  // Seconds the object lingers with a deletionTimestamp before it goes.
  gracePeriod?(obj: KubeObject, requested: number | undefined, api: ApiServer): number;
  prepareForDelete?(obj: KubeObject, api: ApiServer): void;
  // True when a deleted object must stay (Terminating) until a controller finishes it.
  deferDeletion?(obj: KubeObject): boolean;
  defaultPropagation?: PropagationPolicy;
}
