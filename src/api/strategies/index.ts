import type { KindInfo } from '../kinds';
import type { Strategy } from './types';
import type { NameRule } from '../validation/names';
import { isDNS1123Subdomain } from '../validation/names';
import { validateObjectMeta } from '../validation/meta';
import { CORE_STRATEGIES } from './core';
import { APPS_STRATEGIES } from './apps';
import { BATCH_STRATEGIES } from './batch';
import { OTHER_STRATEGIES } from './other';

export type { Strategy };

export type StrategyParts = Partial<Strategy> & { nameRule?: NameRule };

// `group/Kind` -> the parts of its strategy that differ from the default.
const PARTS: Record<string, StrategyParts> = {
  ...CORE_STRATEGIES,
  ...APPS_STRATEGIES,
  ...BATCH_STRATEGIES,
  ...OTHER_STRATEGIES,
};

const cache = new Map<KindInfo, Strategy>();

export function strategyFor(info: KindInfo): Strategy {
  let s = cache.get(info);
  if (!s) {
    const parts = PARTS[`${info.group}/${info.kind}`] ?? {};
    const nameRule = parts.nameRule ?? isDNS1123Subdomain;
    s = {
      validateMeta: (obj) => validateObjectMeta(obj.metadata, nameRule, info.namespaced),
      ...parts,
    };
    cache.set(info, s);
  }
  return s;
}
