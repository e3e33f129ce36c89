import type { FlagDef } from './flags';

// kubectl's persistent flags, accepted by every command. Those that only make
// sense against a real API server are accepted and ignored.
export const GLOBAL_FLAGS: FlagDef[] = [
  { name: 'namespace', short: 'n', kind: 'string' },
  { name: 'context', kind: 'string' },
  { name: 'cluster', kind: 'string' },
  { name: 'user', kind: 'string' },
  { name: 'kubeconfig', kind: 'string' },
  { name: 'server', short: 's', kind: 'string' },
  { name: 'token', kind: 'string' },
  { name: 'as', kind: 'string' },
  { name: 'as-group', kind: 'stringArray' },
  { name: 'as-uid', kind: 'string' },
  { name: 'certificate-authority', kind: 'string' },
  { name: 'client-certificate', kind: 'string' },
  { name: 'client-key', kind: 'string' },
  { name: 'insecure-skip-tls-verify', kind: 'bool' },
  { name: 'tls-server-name', kind: 'string' },
  { name: 'request-timeout', kind: 'string', default: '0' },
  { name: 'cache-dir', kind: 'string' },
  { name: 'match-server-version', kind: 'bool' },
  { name: 'username', kind: 'string' },
  { name: 'password', kind: 'string' },
  { name: 'profile', kind: 'string', default: 'none' },
  { name: 'profile-output', kind: 'string', default: 'profile.pprof' },
  { name: 'disable-compression', kind: 'bool' },
  { name: 'warnings-as-errors', kind: 'bool' },
  { name: 'v', short: 'v', kind: 'string', default: '0' },
  { name: 'vmodule', kind: 'string' },
  { name: 'log-flush-frequency', kind: 'duration', default: 5000 },
  { name: 'help', short: 'h', kind: 'bool' },
];
