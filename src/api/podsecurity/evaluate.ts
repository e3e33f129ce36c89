import type { PodSpec } from 'kubernetes-types/core/v1';
import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import { CHECKS } from './checks';
import type { Check, CheckFn, Violation } from './checks';
import type { LevelVersion } from './policy';

// The check registry: which check functions a level:version runs, in the
// admission plugin's order (baseline checks, then restricted ones, each by
// check id), with the baseline checks a restricted check supersedes left out.

// The newest Pod Security version the simulated API server knows (v1.32);
// `latest` and any newer version mean it.
export const MAX_VERSION = 32;

function versionAt(check: Check, minor: number): { fn: CheckFn; overrides: string[] } | undefined {
  let found: { fn: CheckFn; overrides: string[] } | undefined;
  for (const v of check.versions) if (v.since <= minor) found = { fn: v.fn, overrides: v.overrides ?? [] };
  return found;
}

const ORDERED = [
  ...CHECKS.filter((c) => c.level === 'baseline').sort((a, b) => (a.id < b.id ? -1 : 1)),
  ...CHECKS.filter((c) => c.level === 'restricted').sort((a, b) => (a.id < b.id ? -1 : 1)),
];

const cache = new Map<string, CheckFn[]>();

export function checksFor(lv: LevelVersion, maxVersion = MAX_VERSION): CheckFn[] {
  if (lv.level === 'privileged') return [];
  const minor = lv.version === 'latest' || lv.version > maxVersion ? maxVersion : lv.version;
  const key = `${lv.level}:${minor}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const active = ORDERED.map((c) => ({ check: c, at: versionAt(c, minor) })).filter((x) => x.at !== undefined);
  const overridden = new Set(
    lv.level === 'restricted' ? active.filter((x) => x.check.level === 'restricted').flatMap((x) => x.at!.overrides) : [],
  );
  const fns = active
    .filter((x) => (lv.level === 'restricted' || x.check.level === 'baseline') && !overridden.has(x.check.id))
    .map((x) => x.at!.fn);
  cache.set(key, fns);
  return fns;
}

export interface Evaluation {
  allowed: boolean;
  violations: Violation[];
}

export function evaluatePod(lv: LevelVersion, meta: ObjectMeta, spec: PodSpec): Evaluation {
  const violations = checksFor(lv)
    .map((fn) => fn(meta, spec))
    .filter((v): v is Violation => v !== undefined)
    .map((v) => ({ reason: v.reason || 'unknown forbidden reason', detail: v.detail }));
  return { allowed: violations.length === 0, violations };
}

// `host namespaces, hostPath volumes`: the reasons only.
export function forbiddenReasons(e: Evaluation): string {
  return e.violations.map((v) => v.reason).join(', ');
}

// `privileged (container "x" must not set ...), ...`: reasons with details.
export function forbiddenDetail(e: Evaluation): string {
  return e.violations.map((v) => (v.detail ? `${v.reason} (${v.detail})` : v.reason)).join(', ');
}
