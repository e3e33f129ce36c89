import { field } from '../errors';
import type { FieldError } from '../errors';

// Pod Security levels, versions and the policy a namespace's
// pod-security.kubernetes.io/* labels (over the cluster defaults) ask for,
// as k8s.io/pod-security-admission/api parses them.

export type Level = 'privileged' | 'baseline' | 'restricted';
export const LEVELS: readonly Level[] = ['privileged', 'baseline', 'restricted'];

// A minor version of Kubernetes 1.x; `latest` is newer than any number.
export type Version = number | 'latest';

export interface LevelVersion {
  level: Level;
  version: Version;
}

export type Mode = 'enforce' | 'audit' | 'warn';
export const MODES: readonly Mode[] = ['enforce', 'audit', 'warn'];

export type Policy = Record<Mode, LevelVersion>;

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';

export function levelLabel(mode: Mode): string {
  return `${LABEL_PREFIX}${mode}`;
}

export function versionLabel(mode: Mode): string {
  return `${LABEL_PREFIX}${mode}-version`;
}

export function versionString(v: Version): string {
  return v === 'latest' ? 'latest' : `v1.${v}`;
}

export function lvString(lv: LevelVersion): string {
  return `${lv.level}:${versionString(lv.version)}`;
}

export function sameLevelVersion(a: LevelVersion, b: LevelVersion): boolean {
  return a.level === b.level && a.version === b.version;
}

export function parseLevel(text: string): Level | undefined {
  return (LEVELS as readonly string[]).includes(text) ? (text as Level) : undefined;
}

export function parseVersion(text: string): Version | undefined {
  if (text === 'latest') return 'latest';
  const m = /^v1\.([0-9]|[1-9][0-9]*)$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export function compareLevels(a: Level, b: Level): number {
  return LEVELS.indexOf(a) - LEVELS.indexOf(b);
}

export const PRIVILEGED_POLICY: Policy = {
  enforce: { level: 'privileged', version: 'latest' },
  audit: { level: 'privileged', version: 'latest' },
  warn: { level: 'privileged', version: 'latest' },
};

export function fullyPrivileged(p: Policy): boolean {
  return MODES.every((m) => p[m].level === 'privileged');
}

const LEVEL_ERROR = `must be one of ${LEVELS.join(', ')}`;
const VERSION_ERROR = 'must be "latest" or "v1.x"';

// PolicyToEvaluate: labels override the defaults mode by mode. A bad enforce
// level fails closed (restricted), bad audit/warn levels fail open; a bad
// version means latest. An enforce label without a warn label raises warn to it.
export function policyToEvaluate(labels: Record<string, string> | undefined, defaults: Policy): { policy: Policy; errors: FieldError[] } {
  const p: Policy = { enforce: { ...defaults.enforce }, audit: { ...defaults.audit }, warn: { ...defaults.warn } };
  const errors: FieldError[] = [];
  if (!labels || Object.keys(labels).length === 0) return { policy: p, errors };
  const bad = (key: string, value: string, detail: string) => errors.push(field.invalid(`metadata.labels[${key}]`, value, detail));
  let hasEnforceLevel = false;
  for (const mode of MODES) {
    const levelText = labels[levelLabel(mode)];
    if (levelText !== undefined) {
      const level = parseLevel(levelText);
      if (level === undefined) bad(levelLabel(mode), levelText, LEVEL_ERROR);
      p[mode].level = level ?? (mode === 'enforce' ? 'restricted' : 'privileged');
      if (mode === 'enforce') hasEnforceLevel = level !== undefined;
    }
    const versionText = labels[versionLabel(mode)];
    if (versionText !== undefined) {
      const version = parseVersion(versionText);
      if (version === undefined) bad(versionLabel(mode), versionText, VERSION_ERROR);
      p[mode].version = version ?? 'latest';
    }
  }
  const hasWarnLevel = labels[levelLabel('warn')] !== undefined;
  if (!hasWarnLevel && hasEnforceLevel && compareLevels(p.enforce.level, p.warn.level) > 0) {
    p.warn.level = p.enforce.level;
    if (labels[versionLabel('warn')] === undefined) p.warn.version = p.enforce.version;
  }
  return { policy: p, errors };
}

// The PodSecurityConfiguration the API server was started with (kind's
// --admission-control-config-file); absent means everything privileged.
export interface PodSecurityConfig {
  defaults: Policy;
  exemptions: { usernames: string[]; runtimeClasses: string[]; namespaces: string[] };
}

export function defaultConfig(): PodSecurityConfig {
  return { defaults: PRIVILEGED_POLICY, exemptions: { usernames: [], runtimeClasses: [], namespaces: [] } };
}
