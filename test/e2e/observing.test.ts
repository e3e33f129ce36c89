import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// Watching a living cluster: logs of running, restarted and multi-container
// pods; wait's conditions, timeouts and deletions; the scheduler's verdicts;
// graceful termination as each program handles SIGTERM.

const TWO = `apiVersion: v1
kind: Pod
metadata:
  name: two
  labels: {app: two}
spec:
  initContainers:
  - name: init
    image: busybox:1.28
    command: ['sh', '-c', 'echo init done']
  containers:
  - name: a
    image: busybox:1.28
    command: ['sh', '-c', 'i=0; while true; do echo "a $i"; i=$((i+1)); sleep 1; done']
  - name: b
    image: busybox:1.28
    command: ['sh', '-c', 'echo b started; sleep 5; exit 3']
`;

describe('logs', () => {
  const { k, kin } = cluster();

  it('says why a container has no log yet', () => {
    kin(TWO, 'apply', '-f', '-');
    const r = k('logs', 'two');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'Defaulted container "a" out of: a, b, init (init)\nError from server (BadRequest): container "a" in pod "two" is waiting to start: PodInitializing\n');
    assert.equal(row(k('get', 'pod', 'two').stdout)[2], 'Init:0/1');
  });

  it('prints each container, the previous run, tails, time windows and prefixes', () => {
    k('sim', 'advance', '20s');
    assert.deepEqual(row(k('get', 'pod', 'two').stdout).slice(1, 3), ['1/2', 'CrashLoopBackOff']);
    assert.equal(k('logs', 'two', '-c', 'init').stdout, 'init done\n');
    const a = k('logs', 'two', '-c', 'a').stdout.split('\n').filter(Boolean);
    assert.ok(a.length >= 15, a.join('|'));
    a.forEach((line, i) => assert.equal(line, `a ${i}`));
    assert.equal(k('logs', 'two', '-c', 'a', '--tail=2').stdout, `a ${a.length - 2}\na ${a.length - 1}\n`);
    assert.equal(k('logs', 'two', '-c', 'a', '--since=3s').stdout.split('\n').filter(Boolean).length, 3);
    assert.equal(k('logs', 'two', '-c', 'b', '-p').stdout, 'b started\n');
    const prefixed = k('logs', 'two', '--all-containers', '--prefix').stdout.split('\n');
    assert.equal(prefixed[0], '[pod/two/init] init done');
    assert.ok(prefixed.includes('[pod/two/b] b started'), prefixed.join('\n'));
    assert.equal(k('logs', '-l', 'app=two', '-c', 'b', '--tail=1').stdout, 'b started\n');
    const stamped = k('logs', 'two', '-c', 'init', '--timestamps').stdout;
    assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z init done\n$/);
  });

  it('fails as kubectl does for a bad container or a missing previous run', () => {
    assert.deepEqual(pick(k('logs', 'two', '-c', 'nope')), [1, 'error: container nope is not valid for pod two\n']);
    assert.deepEqual(pick(k('logs', 'two', '-c', 'a', '-p')), [1, 'Error from server (BadRequest): previous terminated container "a" in pod "two" not found\n']);
    assert.deepEqual(pick(k('logs', 'ghost')), [1, 'error: error from server (NotFound): pods "ghost" not found in namespace "default"\n']);
  });
});

describe('wait', () => {
  const { k } = cluster();

  it('waits for conditions and jsonpath values, moving a manual clock timer to timer', () => {
    k('create', 'deployment', 'web', '--image=nginx', '--replicas=2');
    assert.deepEqual(pick(k('wait', '--for=condition=Available', 'deploy/web', '--timeout=60s'), 'stdout'), [0, 'deployment.apps/web condition met\n']);
    assert.deepEqual(pick(k('wait', '--for=jsonpath={.status.readyReplicas}=2', 'deploy/web'), 'stdout'), [0, 'deployment.apps/web condition met\n']);
    const pods = k('wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=5s');
    assert.equal(pods.status, 0);
    assert.match(pods.stdout, /^pod\/web-[a-z0-9]{9,10}-[a-z0-9]{5} condition met\npod\/web-[a-z0-9]{9,10}-[a-z0-9]{5} condition met\n$/);
  });

  it('times out and reports missing objects with kubectl\'s messages', () => {
    k('run', 'bad', '--image=nginx:1.161');
    assert.deepEqual(pick(k('wait', '--for=condition=Ready', 'pod/bad', '--timeout=10s')), [1, 'error: timed out waiting for the condition on pods/bad\n']);
    assert.deepEqual(pick(k('wait', '--for=condition=Ready', 'pod/nope', '--timeout=2s')), [1, 'error: Error from server (NotFound): pods "nope" not found\n']);
  });

  it('waits for a deletion through the grace period each program needs', () => {
    k('run', 'sleeper', '--image=busybox:1.28', '--', 'sleep', '3600');
    k('run', 'trapper', '--image=busybox:1.28', '--', 'sh', '-c', 'trap "echo got TERM; exit 0" TERM; while true; do sleep 1; done');
    k('sim', 'advance', '10s');
    assert.equal(k('delete', 'pod', 'sleeper', 'trapper', '--wait=false').stdout, 'pod "sleeper" deleted\npod "trapper" deleted\n');
    assert.match(k('get', 'pod', 'sleeper').stdout, /sleeper\s+1\/1\s+Terminating/);
    // The trap runs once the foreground sleep returns: about a second.
    assert.deepEqual(pick(k('wait', '--for=delete', 'pod/trapper', '--timeout=5s'), 'stdout'), [0, 'pod/trapper condition met\n']);
    // sleep as PID 1 ignores SIGTERM: the kubelet kills it after the 30s grace period.
    assert.deepEqual(pick(k('wait', '--for=delete', 'pod/sleeper', '--timeout=5s')), [1, 'error: timed out waiting for the condition on pods/sleeper\n']);
    assert.deepEqual(pick(k('wait', '--for=delete', 'pod/sleeper', '--timeout=60s'), 'stdout'), [0, 'pod/sleeper condition met\n']);
    assert.match(k('get', 'events', '--field-selector', 'involvedObject.name=sleeper').stdout, /Normal\s+Killing\s+pod\/sleeper\s+Stopping container sleeper\n/);
  });
});

describe('the scheduler', () => {
  it('leaves a pod that fits nowhere Pending with one FailedScheduling per attempt, and places it when room appears', () => {
    const { k } = cluster();
    const big = '{"spec":{"containers":[{"name":"big","image":"nginx","resources":{"requests":{"cpu":"1"}}}]}}';
    k('run', 'first', '--image=nginx', `--overrides=${big.replace('"big"', '"first"')}`);
    k('run', 'second', '--image=nginx', `--overrides=${big.replace('"big"', '"second"')}`);
    k('sim', 'advance', '5s');
    assert.equal(row(k('get', 'pod', 'second').stdout)[2], 'Pending');
    const message = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';
    assert.equal(k('get', 'pod', 'second', '-o', 'jsonpath={.status.conditions[0].reason}: {.status.conditions[0].message}').stdout, `Unschedulable: ${message}`);
    const events = k('events', '--for', 'pod/second').stdout;
    assert.equal(events, `LAST SEEN   TYPE      REASON             OBJECT       MESSAGE\n5s          Warning   FailedScheduling   Pod/second   ${message}\n`);
    k('delete', 'pod', 'first', '--wait=false');
    k('sim', 'advance', '5s');
    assert.match(k('events', '--for', 'pod/second').stdout, /Normal\s+Scheduled\s+Pod\/second\s+Successfully assigned default\/second to minikube\n/);
  });
});

function row(table: string): string[] {
  return table.split('\n')[1].trim().split(/\s{2,}/);
}

function pick(r: { status: number; stdout: string; stderr: string }, stream: 'stdout' | 'stderr' = 'stderr'): [number, string] {
  return [r.status, r[stream]];
}
