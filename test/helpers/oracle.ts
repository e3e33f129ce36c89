import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The real kubectl, versioned (never the gcloud dispatcher on the PATH), used as an
// oracle for client-side output. Tests that need it skip, saying so, without it.

export const ORACLE_VERSION = '1.32';

function findOracle(): string | undefined {
  const fromEnv = process.env.KUBEMU_ORACLE;
  if (fromEnv) return fs.existsSync(fromEnv) ? fromEnv : undefined;
  const candidates: string[] = [];
  try {
    const onPath = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    if (onPath) candidates.push(path.join(path.dirname(fs.realpathSync(onPath)), `kubectl.${ORACLE_VERSION}`));
  } catch {
    // no kubectl on the PATH
  }
  candidates.push(`/usr/lib/google-cloud-sdk/bin/kubectl.${ORACLE_VERSION}`, `/usr/local/bin/kubectl.${ORACLE_VERSION}`);
  return candidates.find((c) => fs.existsSync(c));
}

export const oraclePath: string | undefined = findOracle();

export const oracleSkip: string | false = oraclePath
  ? false
  : `the real kubectl ${ORACLE_VERSION} is not installed on this machine (set KUBEMU_ORACLE to its path)`;

export interface OracleResult {
  stdout: string;
  stderr: string;
  status: number;
}

// Runs the real kubectl with an empty kubeconfig, so it can never reach a cluster.
export function runOracle(args: string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): OracleResult {
  if (!oraclePath) throw new Error('no oracle');
  const r = spawnSync(oraclePath, args, {
    encoding: 'utf8',
    input: opts.input,
    cwd: opts.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KUBECONFIG: '/dev/null', TZ: 'UTC', ...opts.env },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1 };
}
