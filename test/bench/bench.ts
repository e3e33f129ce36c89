// npm run bench: how long kubemu commands take, next to a bare `node -e 0`,
// measured in one run on this machine. Not a test: it asserts nothing, it prints.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', '..', 'bin', 'kubemu');
const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Usage {
  wallMs: number;
  cpuMs?: number;
  maxRssKb?: number;
}

function baseEnv(home: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    KUBEMU_HOME: home,
    KUBEMU_DAEMON: '0',
    KUBEMU_CLOCK: 'manual',
    KUBEMU_SEED: '1',
    TZ: 'UTC',
    ...extra,
  };
}

// Runs a command once; with GNU time, also its CPU time and peak memory.
function measure(argv: string[], env: NodeJS.ProcessEnv, input?: string): Usage {
  const cmd = TIME ? TIME : argv[0];
  const args = TIME ? ['-f', '%U %S %M', ...argv] : argv.slice(1);
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', input, maxBuffer: 256 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
  if (!TIME) return { wallMs };
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [user, sys, rss] = last.split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, maxRssKb: rss };
}

function kubemu(home: string, args: string[], extra: NodeJS.ProcessEnv = {}, input?: string): Usage {
  return measure([process.execPath, BIN, ...args], baseEnv(home, extra), input);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function home(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kubemu-bench-'));
}

function deployment(name: string, replicas: number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
`;
}

// A home whose default namespace holds `pods` running pods.
function homeWithPods(pods: number, nodes: number): { dir: string; usage?: Usage; advance?: Usage } {
  const dir = home();
  const extra = { KUBEMU_NODES: String(nodes) };
  kubemu(dir, ['get', 'nodes'], extra);
  if (pods === 0) return { dir };
  const usage = kubemu(dir, ['apply', '-f', '-'], extra, deployment('bench', pods));
  const advance = kubemu(dir, ['sim', 'advance', '60s'], extra);
  return { dir, usage, advance };
}

function row(name: string, ms: number, base: number): string {
  return `${name.padEnd(44)}${ms.toFixed(1).padStart(10)}${(ms / base).toFixed(2).padStart(10)}`;
}

function main(): void {
  const nodeRuns: number[] = [];
  for (let i = 0; i < RUNS; i++) nodeRuns.push(measure([process.execPath, '-e', '0'], { PATH: process.env.PATH }).wallMs);
  const base = median(nodeRuns);
  const lines: string[] = [];
  lines.push(`${'command'.padEnd(44)}${'median ms'.padStart(10)}${'x node'.padStart(10)}`);
  lines.push(row('node -e 0', base, base));
  for (const [pods, nodes] of [
    [0, 1],
    [100, 1],
    [1000, 10],
  ]) {
    const h = homeWithPods(pods, nodes);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(kubemu(h.dir, ['get', 'pods']).wallMs);
    lines.push(row(`kubemu get pods (${pods} pods)`, median(runs), base));
  }
  const applyHome = home();
  kubemu(applyHome, ['get', 'nodes']);
  const applies: number[] = [];
  for (let i = 0; i < RUNS; i++) applies.push(kubemu(applyHome, ['apply', '-f', '-'], {}, deployment(`web-${i}`, 1)).wallMs);
  lines.push(row('kubemu apply (one new Deployment)', median(applies), base));
  console.log(`kubemu benchmark: median of ${RUNS} runs, ${os.cpus().length} cpus, node ${process.version}`);
  console.log(lines.join('\n'));

  const big = homeWithPods(1000, 10);
  console.log('\n1,000 pods over 10 nodes (manual clock): apply, then `sim advance 60s` until Running');
  for (const [label, u] of [
    ['apply (create 1,000 pods, schedule)', big.usage!],
    ['sim advance 60s (pull, start, Ready)', big.advance!],
  ] as const) {
    const cpu = u.cpuMs !== undefined ? `${(u.cpuMs / 1000).toFixed(2)} s CPU` : 'CPU n/a';
    const mem = u.maxRssKb !== undefined ? `${(u.maxRssKb / 1024).toFixed(0)} MiB peak` : 'memory n/a';
    console.log(`  ${label.padEnd(40)} ${(u.wallMs / 1000).toFixed(2)} s wall, ${cpu}, ${mem}`);
  }
  const running = spawnSync(process.execPath, [BIN, 'get', 'pods', '--no-headers'], { env: baseEnv(big.dir), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const count = running.stdout.split('\n').filter((l) => /\s1\/1\s+Running\s/.test(l)).length;
  console.log(`  pods Running afterwards: ${count}`);
  realClockRollout();
}

// CPU seconds a process has used, from /proc (Linux), or undefined.
function processCpuSeconds(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

// A real-time cluster with its background reconciler: a 100-replica
// Deployment over 10 nodes at KUBEMU_SPEED=100, watched by `rollout status`
// as it comes up and again through a rolling update to another image (new
// pulls on every node, 25% surge / 25% unavailable).
function realClockRollout(): void {
  const dir = home();
  const env = { ...baseEnv(dir, { KUBEMU_NODES: '10', KUBEMU_CLOCK: 'real', KUBEMU_SPEED: '100' }), KUBEMU_DAEMON: '1' };
  const rolloutStatus = () => measure([process.execPath, BIN, 'rollout', 'status', 'deployment/rollout', '--timeout=10m'], env);
  measure([process.execPath, BIN, 'get', 'nodes'], env);
  const apply = measure([process.execPath, BIN, 'apply', '-f', '-'], env, deployment('rollout', 100));
  const created = rolloutStatus();
  measure([process.execPath, BIN, 'set', 'image', 'deployment/rollout', 'nginx=nginx:1.16.1'], env);
  const updated = rolloutStatus();
  let daemonCpu: number | undefined;
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'daemon.pid'), 'utf8').trim());
    daemonCpu = processCpuSeconds(pid);
  } catch {
    daemonCpu = undefined;
  }
  spawnSync(process.execPath, [BIN, 'sim', 'daemon', 'stop'], { env, encoding: 'utf8' });
  const cpu = (u: Usage) => (u.cpuMs !== undefined ? `${(u.cpuMs / 1000).toFixed(2)} s CPU` : 'CPU n/a');
  console.log('\n100 replicas over 10 nodes, real clock at KUBEMU_SPEED=100, background reconciler');
  console.log(`  apply                                    ${(apply.wallMs / 1000).toFixed(2)} s wall`);
  console.log(`  rollout status, first rollout            ${(created.wallMs / 1000).toFixed(2)} s wall, ${cpu(created)}`);
  console.log(`  rollout status, update to nginx:1.16.1   ${(updated.wallMs / 1000).toFixed(2)} s wall, ${cpu(updated)}`);
  console.log(`  reconciler daemon                        ${daemonCpu !== undefined ? `${daemonCpu.toFixed(2)} s CPU` : 'CPU n/a'}`);
}

main();
