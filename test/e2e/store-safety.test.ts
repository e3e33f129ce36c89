import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, kubemu, tempHome } from '../helpers/kubemu';

// The state file is never torn or lost: parallel writers all land, and a
// writer killed at any moment leaves a state that parses and holds every
// acknowledged write.

function env(home: string): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: home, KUBEMU_HOME: home, KUBEMU_DAEMON: '0', KUBEMU_CLOCK: 'manual', KUBEMU_SEED: '7', TZ: 'UTC' };
}

// A ConfigMap manifest in its own file.
function manifest(home: string, name: string): string {
  const file = path.join(home, `${name}.yaml`);
  fs.writeFileSync(file, `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`);
  return file;
}

function run(home: string, args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: env(home) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('20 processes creating different objects at once all land', async () => {
  const home = tempHome();
  assert.equal(kubemu(['get', 'ns'], { home }).status, 0);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => run(home, ['create', '-f', manifest(home, `cm-${i}`)])));
  for (const [i, r] of results.entries()) {
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `configmap/cm-${i} created\n`);
  }
  const names = kubemu(['get', 'configmaps', '-o', 'name'], { home }).stdout.split('\n').filter((l) => l.startsWith('configmap/cm-'));
  assert.equal(names.length, 20);
  const rvs = new Set(
    JSON.parse(kubemu(['get', 'configmaps', '-o', 'json'], { home }).stdout).items.map((o: { metadata: { resourceVersion: string } }) => o.metadata.resourceVersion),
  );
  assert.equal(rvs.size, JSON.parse(kubemu(['get', 'configmaps', '-o', 'json'], { home }).stdout).items.length, 'every write got its own resourceVersion');
});

test('kill -9 of writers at random moments never tears the state or loses an acknowledged write', async () => {
  const home = tempHome();
  assert.equal(kubemu(['get', 'ns'], { home }).status, 0);
  // Kill moments span about twice what one write takes on this machine (under
  // load too), so some writers finish and others die at every stage.
  const t0 = Date.now();
  assert.equal(kubemu(['create', '-f', manifest(home, 'calibrate')], { home }).status, 0);
  const span = Math.max(400, 2 * (Date.now() - t0));
  const acknowledged: string[] = [];
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let round = 0; round < 12; round++) {
    const children = Array.from({ length: 4 }, (_, i) => {
      const name = `r${round}-${i}`;
      const child = spawn(process.execPath, [BIN, 'create', '-f', manifest(home, name)], { env: env(home) });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const done = new Promise<void>((resolve) =>
        child.on('close', (code) => {
          if (code === 0 && out === `configmap/${name} created\n`) acknowledged.push(name);
          resolve();
        }),
      );
      setTimeout(() => child.kill('SIGKILL'), Math.floor(random() * span));
      return done;
    });
    await Promise.all(children);
    const text = fs.readFileSync(path.join(home, 'state.json'), 'utf8');
    assert.doesNotThrow(() => JSON.parse(text), `state parses after round ${round}`);
  }
  const present = new Set(
    kubemu(['get', 'configmaps', '-o', 'name'], { home })
      .stdout.split('\n')
      .map((l) => l.replace('configmap/', '')),
  );
  for (const name of acknowledged) assert.ok(present.has(name), `acknowledged ${name} is present`);
  assert.ok(acknowledged.length > 0, 'some writes completed before being killed');
  // A killed writer's temporary file is cleaned up by the next writer.
  assert.equal(kubemu(['create', '-f', manifest(home, 'after')], { home }).status, 0);
  assert.deepEqual(fs.readdirSync(home).filter((f) => f.endsWith('.tmp')), []);
});

test('the state file is 0600 in a 0700 home', () => {
  const home = path.join(tempHome(), 'nested-home');
  assert.equal(kubemu(['get', 'pods'], { home }).status, 0);
  assert.equal(fs.statSync(home).mode & 0o777, 0o700);
  assert.equal(fs.statSync(path.join(home, 'state.json')).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(home, 'kubeconfig')).mode & 0o777, 0o600);
});

test('a home that already exists with 0755 is closed to 0700 by the first command', () => {
  const home = tempHome();
  fs.chmodSync(home, 0o755);
  assert.equal(kubemu(['get', 'pods'], { home }).status, 0);
  assert.equal(fs.statSync(home).mode & 0o777, 0o700);
  assert.equal(fs.statSync(path.join(home, 'state.json')).mode & 0o777, 0o600);
});

test('a corrupt state file: an error line and exit 1, no stack trace, the file untouched', () => {
  const home = tempHome();
  assert.equal(kubemu(['get', 'pods'], { home }).status, 0);
  const corrupt = '{"schemaVersion": 1, "objects": ';
  fs.writeFileSync(path.join(home, 'state.json'), corrupt);
  for (const [args, prefix] of [
    [['kind', 'get', 'clusters'], 'ERROR: '],
    [['get', 'pods'], 'error: '],
  ] as const) {
    const r = kubemu([...args], { home });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stderr.startsWith(`${prefix}the state file `), r.stderr);
    assert.match(r.stderr, /is not valid JSON/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(fs.readFileSync(path.join(home, 'state.json'), 'utf8'), corrupt);
  }
});

test('kind create cluster replaces a cluster in one step: state and kubeconfig are the new cluster\'s', () => {
  const home = tempHome();
  assert.equal(kubemu(['create', 'configmap', 'old'], { home }).status, 0);
  const r = kubemu(['kind', 'create', 'cluster', '--name', 'one'], { home });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(kubemu(['kind', 'get', 'clusters'], { home }).stdout, 'one\n');
  assert.equal(kubemu(['get', 'configmap', 'old'], { home }).status, 1);
  assert.match(fs.readFileSync(path.join(home, 'kubeconfig'), 'utf8'), /current-context: kind-one/);
  assert.equal(kubemu(['kind', 'delete', 'cluster', '--name', 'one'], { home }).status, 0);
  assert.ok(!fs.existsSync(path.join(home, 'kubeconfig')));
});

test('a stale daemon.pid naming an unrelated live process is not signalled', async () => {
  const home = tempHome();
  assert.equal(kubemu(['get', 'pods'], { home }).status, 0);
  const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    fs.writeFileSync(path.join(home, 'daemon.pid'), `${stranger.pid}\n`);
    assert.equal(kubemu(['sim', 'daemon', 'status'], { home }).stdout, 'not running\n');
    assert.equal(kubemu(['sim', 'daemon', 'stop'], { home }).stdout, 'not running\n');
    assert.equal(kubemu(['sim', 'reset'], { home }).status, 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stranger.exitCode, null);
    assert.equal(stranger.signalCode, null);
  } finally {
    stranger.kill('SIGKILL');
  }
});
