import type { KindInfo } from './kinds';
import { KINDS } from './kinds';

// Looks a kind up by its name, for code that knows which kind it wants
// (`kind('Pod')`, `kind('Deployment')`). Core and events.k8s.io share `Event`:
// the core one wins, as it is the one stored.
const byName = new Map<string, KindInfo>();
for (const k of KINDS) if (!byName.has(k.kind)) byName.set(k.kind, k);

export function kind(name: string): KindInfo {
  const k = byName.get(name);
  if (!k) throw new Error(`kind ${name} is not registered`);
  return k;
}
