// An error of the kustomize build, in kustomize's words; kubectl prints it
// after `error: `.
export class KustomizeError extends Error {}

// errors.WrapPrefixf: `prefix: cause`.
export function wrap(e: unknown, prefix: string): KustomizeError {
  const msg = e instanceof Error ? e.message : String(e);
  return new KustomizeError(`${prefix}: ${msg}`);
}
