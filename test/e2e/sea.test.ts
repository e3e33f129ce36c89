import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, ROOT, kubemuEnv, tempHome } from '../helpers/kubemu';
import { SEA_EXECUTABLE, seaUnsupported } from '../../scripts/build-sea';

// The single executable (`npm run sea`) against bin/kubemu: the same commands
// in two fresh homes with the same seed, start and manual clock print the same
// bytes. The build script rebuilds only what changed, so after the first run
// this costs the bundling (about a second), not the injection.

const ENV = { KUBEMU_SEED: '7', KUBEMU_START: '2024-05-01T10:00:00Z' };

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
}

function run(exe: string[], args: string[], home: string, env: NodeJS.ProcessEnv = kubemuEnv(home, ENV), cwd = ROOT): Run {
  const r = spawnSync(exe[0], [...exe.slice(1), ...args], { encoding: 'utf8', cwd, env, timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

const viaBin = [process.execPath, BIN];
const viaSea = [SEA_EXECUTABLE];
const skip = seaUnsupported() ?? false;

test('npm run sea: builds dist/sea/kubemu', { skip, timeout: 300_000 }, (t) => {
  const started = Date.now();
  const r = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'scripts', 'build-sea.js')], { encoding: 'utf8' });
  t.diagnostic(`build-sea: ${((Date.now() - started) / 1000).toFixed(1)} s: ${r.stdout.trim()}`);
  assert.equal(r.status, 0, r.stderr);
  fs.accessSync(SEA_EXECUTABLE, fs.constants.X_OK);
});

test('the executable prints what bin/kubemu prints', { skip }, () => {
  const homeBin = tempHome('kubemu-sea-');
  const homeSea = tempHome('kubemu-sea-');
  const scenario = [
    ['get', 'nodes'],
    ['apply', '-f', 'https://k8s.io/examples/controllers/nginx-deployment.yaml'],
    ['sim', 'advance', '30s'],
    ['get', 'pods'],
    ['rollout', 'status', 'deployment/nginx-deployment'],
    ['describe', 'deployment', 'nginx-deployment'],
    ['--help'],
    ['get', '--help'],
    ['explain', 'deployment.spec.replicas'],
    ['minikube', 'status'],
    ['minikube', 'ip'],
    ['kind', 'get', 'clusters'],
    ['apply', '-f', 'https://k8s.io/examples/no/such/file.yaml'],
  ];
  const outputs = new Map<string, Run>();
  for (const args of scenario) {
    const want = run(viaBin, args, homeBin);
    const got = run(viaSea, args, homeSea);
    assert.deepEqual(got, want, `kubemu ${args.join(' ')}`);
    outputs.set(args.join(' '), got);
  }
  // What they agree on is the real thing, not two empty answers.
  assert.match(outputs.get('get nodes')?.stdout ?? '', /^minikube +Ready +control-plane /m);
  assert.equal((outputs.get('get pods')?.stdout.match(/ 1\/1 +Running /g) ?? []).length, 3);
  assert.equal(outputs.get('rollout status deployment/nginx-deployment')?.stdout, 'deployment "nginx-deployment" successfully rolled out\n');
  assert.match(outputs.get('--help')?.stdout ?? '', /^kubectl controls the Kubernetes cluster manager\./);
  assert.match(outputs.get('explain deployment.spec.replicas')?.stdout ?? '', /FIELD: +replicas <integer>/);
  assert.equal(outputs.get('minikube ip')?.stdout, '192.168.49.2\n');
  assert.equal(outputs.get('apply -f https://k8s.io/examples/no/such/file.yaml')?.status, 1);
  // The same state, but for the host instant each home's clock was stopped at.
  const state = (home: string) => fs.readFileSync(path.join(home, 'state.json'), 'utf8').replace(/"anchorReal":\d+/, '');
  assert.ok(state(homeSea) === state(homeBin), 'state.json differs');
});

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) out[path.relative(dir, path.join(e.parentPath, e.name))] = fs.readFileSync(path.join(e.parentPath, e.name), 'utf8');
  }
  return out;
}

test('the executable serves the bundled files: sim git clone, sim curl -O, sim shellenv', { skip }, () => {
  const home = tempHome('kubemu-sea-');
  const [dirBin, dirSea] = ['bin', 'sea'].map((d) => path.join(home, d));
  for (const d of [dirBin, dirSea]) fs.mkdirSync(d);
  for (const args of [
    ['sim', 'git', 'clone', 'https://github.com/kubernetes/kube-state-metrics.git'],
    ['sim', 'curl', '-sLO', 'https://k8s.io/examples/pods/simple-pod.yaml'],
  ]) {
    assert.deepEqual(run(viaSea, args, home, kubemuEnv(home, ENV), dirSea), run(viaBin, args, home, kubemuEnv(home, ENV), dirBin), args.join(' '));
  }
  const files = tree(dirSea);
  assert.deepEqual(files, tree(dirBin));
  assert.ok(Object.keys(files).includes(path.join('kube-state-metrics', 'examples', 'standard', 'deployment.yaml')), Object.keys(files).join(' '));
  assert.match(files['simple-pod.yaml'] ?? '', /image: "nginx:1\.14\.2"/);
  const shellenv = run(viaSea, ['sim', 'shellenv'], home).stdout;
  assert.ok(shellenv.startsWith(`kubectl() { '${SEA_EXECUTABLE}' "$@"; }\n`), shellenv);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.ok(check(), what);
}

test('the executable starts its daemon as itself', { skip }, async () => {
  const home = tempHome('kubemu-sea-');
  // A real-time clock and a daemon, as a user has them.
  const env: NodeJS.ProcessEnv = { ...kubemuEnv(home, ENV), KUBEMU_DAEMON: undefined, KUBEMU_CLOCK: undefined };
  const pidFile = path.join(home, 'daemon.pid');
  let pid = 0;
  try {
    assert.equal(run(viaSea, ['apply', '-f', 'https://k8s.io/examples/controllers/nginx-deployment.yaml'], home, env).status, 0);
    await until('daemon.pid written', () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '');
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    if (process.platform === 'linux') {
      assert.deepEqual(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, 3), [SEA_EXECUTABLE, '--kubemu-daemon', home]);
    }
    assert.equal(run(viaSea, ['sim', 'daemon', 'status'], home, env).stdout, `running (pid ${pid})\n`);
    assert.equal(run(viaSea, ['sim', 'daemon', 'stop'], home, env).status, 0);
    await until('daemon gone', () => !alive(pid));
    assert.match(fs.readFileSync(path.join(home, 'daemon.log'), 'utf8'), new RegExp(`daemon ${pid} started\\n.*daemon ${pid} stopped\\n$`));
  } finally {
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
  }
});
