import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { clusterInDir, ROOT, tutorialShell } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';

// "Restrict a Container's Syscalls with seccomp", command by command, in a
// working directory of its own (the profiles are downloaded there and kind
// mounts ./profiles into its node). The tutorial's docker commands on the kind
// node are `kubemu sim docker`, its `tail -f /var/log/syslog` is `kubemu sim
// syslog`; `crictl inspect` on the node (T64) has no stand-in.

const EXAMPLES = 'https://k8s.io/examples/pods/security/seccomp';
const BUNDLE = path.join(ROOT, 'manifests', 'examples', 'pods', 'security', 'seccomp');

// The page's kind config for SeccompDefault: both nodes get the kubelet flag
// through a JoinConfiguration patch (which kind applies to joining nodes only).
const seccompDefaultNode = (role: string) => `  - role: ${role}
    image: kindest/node:v1.28.0@sha256:9f3ff58f19dcf1a0611d11e8ac989fdb30a28f40f236f59f0bea31fb956ccf5c
    kubeadmConfigPatches:
      - |
        kind: JoinConfiguration
        nodeRegistration:
          kubeletExtraArgs:
            seccomp-default: "true"
`;
const SECCOMP_DEFAULT_KIND = `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n${seccompDefaultNode('control-plane')}${seccompDefaultNode('worker')}`;

function ok(r: Result): Result {
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  return r;
}

test('seccomp tutorial: profiles from the host, RuntimeDefault, audit, violation, fine-grained', () => {
  const { k, dir, home } = clusterInDir();

  // T32–T37, typed as on the page (curl of the example site is kubemu's).
  const typed = tutorialShell(
    [
      'mkdir ./profiles',
      ...['audit', 'violation', 'fine-grained'].map((n) => `curl -L -o profiles/${n}.json ${EXAMPLES}/profiles/${n}.json`),
      'ls profiles',
      `curl -L -O ${EXAMPLES}/kind.yaml`,
    ].join('\n'),
    { home, cwd: dir },
  );
  assert.equal(typed.status, 0, typed.stderr);
  assert.equal(typed.stdout, 'audit.json\nfine-grained.json\nviolation.json\n');
  for (const name of ['audit.json', 'violation.json', 'fine-grained.json']) {
    assert.equal(fs.readFileSync(path.join(dir, 'profiles', name), 'utf8'), fs.readFileSync(path.join(BUNDLE, 'profiles', name), 'utf8'));
  }
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'profiles', 'audit.json'), 'utf8')).defaultAction, 'SCMP_ACT_LOG');
  assert.match(fs.readFileSync(path.join(dir, 'kind.yaml'), 'utf8'), /containerPath: "\/var\/lib\/kubelet\/seccomp\/profiles"/);

  // T38: a cluster whose node mounts ./profiles.
  ok(k('kind', 'create', 'cluster', '--config=kind.yaml'));
  const nodeIP = ok(k('get', 'node', 'kind-control-plane', '-o', 'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}')).stdout;
  assert.equal(nodeIP, '172.18.0.2');

  // T39–T40: the node container, and the profiles it sees through its mount.
  const ps = ok(k('sim', 'docker', 'ps')).stdout;
  const row = /^CONTAINER ID {3}IMAGE {18}COMMAND {18}CREATED {14}STATUS {10}PORTS {23}NAMES\n([0-9a-f]{12}) {3}kindest\/node:v1\.32\.0 {3}"\/usr\/local\/bin\/entr…" {3}About a minute ago {3}Up 57 seconds {3}127\.0\.0\.1:\d+->6443\/tcp {3}kind-control-plane\n$/.exec(ps);
  assert.ok(row, ps);
  const id = row[1];
  // With -it from a pipe docker refuses; the page's user is at a terminal.
  assert.equal(k('sim', 'docker', 'exec', '-it', id, 'ls', '/var/lib/kubelet/seccomp/profiles').stderr, 'the input device is not a TTY\n');
  assert.equal(ok(k('sim', 'docker', 'exec', id, 'ls', '/var/lib/kubelet/seccomp/profiles')).stdout, 'audit.json\nfine-grained.json\nviolation.json\n');
  assert.equal(ok(k('sim', 'docker', 'exec', '-t', id, 'ls', '/var/lib/kubelet/seccomp/profiles')).stdout, 'audit.json  fine-grained.json  violation.json\n');

  // T41–T43: the runtime's default profile.
  assert.equal(ok(k('apply', '-f', `${EXAMPLES}/ga/default-pod.yaml`)).stdout, 'pod/default-pod created\n');
  ok(k('sim', 'advance', '20s'));
  assert.equal(ok(k('get', 'pod', 'default-pod')).stdout, 'NAME          READY   STATUS    RESTARTS   AGE\ndefault-pod   1/1     Running   0          20s\n');
  assert.equal(ok(k('delete', 'pod', 'default-pod', '--wait', '--now')).stdout, 'pod "default-pod" deleted\n');

  // T44–T51: SCMP_ACT_LOG lets everything through and logs it.
  assert.equal(ok(k('apply', '-f', `${EXAMPLES}/ga/audit-pod.yaml`)).stdout, 'pod/audit-pod created\n');
  ok(k('sim', 'advance', '30s'));
  assert.equal(ok(k('get', 'pod', 'audit-pod')).stdout, 'NAME        READY   STATUS    RESTARTS   AGE\naudit-pod   1/1     Running   0          30s\n');
  assert.equal(ok(k('expose', 'pod', 'audit-pod', '--type', 'NodePort', '--port', '5678')).stdout, 'service/audit-pod exposed\n');
  const svc = ok(k('get', 'service', 'audit-pod')).stdout;
  const m = /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\naudit-pod\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+5678:(3\d{4})\/TCP\s+0s\n$/.exec(svc);
  assert.ok(m, svc);
  assert.equal(k('sim', 'syslog').stdout, '');
  // T48: curl on the node (kube-proxy answers there); from the host, its address.
  assert.equal(ok(k('sim', 'docker', 'exec', id, 'curl', `localhost:${m[1]}`)).stdout, 'just made some syscalls!\n');
  assert.equal(ok(k('sim', 'curl', '-s', `${nodeIP}:${m[1]}`)).stdout, 'just made some syscalls!\n');
  const syslog = ok(k('sim', 'syslog')).stdout.split('\n').filter(Boolean);
  assert.ok(syslog.length > 0);
  for (const line of syslog) {
    assert.match(line, /^\w{3} [ \d]\d \d\d:\d\d:\d\d kind-control-plane kernel: \[ *\d+\.\d{6}\] audit: type=1326 audit\(\d+\.\d{3}:\d+\): auid=4294967295 uid=0 gid=0 ses=4294967295 pid=\d+ comm="http-echo" exe="\/http-echo" sig=0 arch=c000003e syscall=\d+ compat=0 ip=0x[0-9a-f]+ code=0x7ffc0000$/);
  }
  assert.equal(ok(k('delete', 'service', 'audit-pod', '--wait')).stdout, 'service "audit-pod" deleted\n');
  assert.equal(ok(k('delete', 'pod', 'audit-pod', '--wait', '--now')).stdout, 'pod "audit-pod" deleted\n');

  // T52–T54: SCMP_ACT_ERRNO for everything: the container cannot start.
  assert.equal(ok(k('apply', '-f', `${EXAMPLES}/ga/violation-pod.yaml`)).stdout, 'pod/violation-pod created\n');
  ok(k('sim', 'advance', '6s'));
  assert.match(ok(k('get', 'pod', 'violation-pod')).stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nviolation-pod\s+0\/1\s+CrashLoopBackOff\s+1 \(\ds ago\)\s+6s\n$/);
  const describe = ok(k('describe', 'pod', 'violation-pod')).stdout;
  assert.match(describe, /^ {6}Reason:\s+StartError\n {6}Message:\s+failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: .*operation not permitted: unknown\n {6}Exit Code:\s+128\n {6}Started:\s+Thu, 01 Jan 1970 00:00:00 \+0000$/m);
  assert.match(describe, /^ {2}Warning {2}BackOff .*Back-off restarting failed container test-container in pod violation-pod_default/m);
  assert.equal(ok(k('delete', 'pod', 'violation-pod', '--wait', '--now')).stdout, 'pod "violation-pod" deleted\n');

  // T55–T62: an allow-list that covers http-echo's syscalls: runs, logs nothing.
  assert.equal(ok(k('apply', '-f', `${EXAMPLES}/ga/fine-pod.yaml`)).stdout, 'pod/fine-pod created\n');
  ok(k('sim', 'advance', '30s'));
  assert.equal(ok(k('get', 'pod', 'fine-pod')).stdout, 'NAME       READY   STATUS    RESTARTS   AGE\nfine-pod   1/1     Running   0          30s\n');
  ok(k('expose', 'pod', 'fine-pod', '--type', 'NodePort', '--port', '5678'));
  const port = ok(k('get', 'service', 'fine-pod', '-o', 'jsonpath={.spec.ports[0].nodePort}')).stdout;
  assert.match(ok(k('get', 'service', 'fine-pod')).stdout, new RegExp(`^fine-pod\\s+NodePort\\s+\\S+\\s+<none>\\s+5678:${port}/TCP\\s+0s$`, 'm'));
  assert.equal(ok(k('sim', 'docker', 'exec', id, 'curl', `localhost:${port}`)).stdout, 'just made some syscalls!\n');
  assert.equal(k('sim', 'syslog').stdout.split('\n').filter(Boolean).length, syslog.length);
  assert.match(ok(k('get', 'pod', 'fine-pod', '-o', 'yaml')).stdout, /^ {2}securityContext:\n {4}seccompProfile:\n {6}localhostProfile: profiles\/fine-grained\.json\n {6}type: Localhost$/m);
  assert.equal(ok(k('delete', 'service', 'fine-pod', '--wait')).stdout, 'service "fine-pod" deleted\n');
  assert.equal(ok(k('delete', 'pod', 'fine-pod', '--wait', '--now')).stdout, 'pod "fine-pod" deleted\n');

  // localhostProfile is a path below the kubelet's seccomp root, nowhere else.
  const escape = k('run', 'escape', '--image=hashicorp/http-echo:1.0', '--overrides={"spec":{"securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"../../../../etc/passwd"}}}}');
  assert.equal(escape.status, 1);
  assert.equal(escape.stderr, 'The Pod "escape" is invalid: spec.securityContext.seccompProfile.localhostProfile: Invalid value: "../../../../etc/passwd": must not contain \'..\'\n');
  const absolute = k('run', 'absolute', '--image=hashicorp/http-echo:1.0', '--overrides={"spec":{"securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"/etc/passwd"}}}}');
  assert.equal(absolute.stderr, 'The Pod "absolute" is invalid: spec.securityContext.seccompProfile.localhostProfile: Invalid value: "/etc/passwd": must be a relative path\n');

  // A profile the node does not have: the runtime refuses to create the container.
  ok(k('run', 'missing', '--image=hashicorp/http-echo:1.0', '--overrides={"spec":{"securityContext":{"seccompProfile":{"type":"Localhost","localhostProfile":"profiles/missing.json"}}}}'));
  ok(k('sim', 'advance', '20s'));
  assert.match(ok(k('get', 'pod', 'missing')).stdout, /^missing\s+0\/1\s+CreateContainerError\s+0\s+20s$/m);
  assert.match(
    ok(k('describe', 'pod', 'missing')).stdout,
    /Warning {2}Failed .* Error: failed to create containerd container: cannot load seccomp profile "\/var\/lib\/kubelet\/seccomp\/profiles\/missing\.json": open \/var\/lib\/kubelet\/seccomp\/profiles\/missing\.json: no such file or directory$/m,
  );
});

test('seccomp: RuntimeDefault as the default on nodes with --seccomp-default', () => {
  const { k, kin, dir } = clusterInDir();
  fs.writeFileSync(path.join(dir, 'kind-seccomp-default.yaml'), SECCOMP_DEFAULT_KIND);
  ok(k('kind', 'create', 'cluster', '--config=kind-seccomp-default.yaml'));
  assert.match(ok(k('get', 'nodes')).stdout, /^kind-control-plane\s+Ready\s+control-plane\s.*\nkind-worker\s+Ready\s+<none>\s/m);

  // T63: the interactive shell, fed from a pipe.
  const run = kin('grep Seccomp /proc/1/status\nexit\n', 'run', '--rm', '-it', '--restart=Never', '--image=alpine', 'alpine', '--', 'sh');
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'Seccomp:\t2\nSeccomp_filters:\t1\npod "alpine" deleted\n');
  assert.match(run.stderr, /^Unable to use a TTY - input is not a terminal or the right kind of file\n/);

  // The pod's spec keeps no profile; only the node makes the difference.
  ok(k('run', 'plain', '--image=alpine', '--restart=Never', '--', 'sleep', '3600'));
  ok(k('sim', 'advance', '20s'));
  assert.equal(ok(k('get', 'pod', 'plain', '-o', 'jsonpath={.spec.securityContext}')).stdout, '{}');
  assert.equal(ok(k('get', 'pod', 'plain', '-o', 'jsonpath={.spec.nodeName}')).stdout, 'kind-worker');
  assert.equal(ok(k('exec', 'plain', '--', 'grep', 'Seccomp:', '/proc/1/status')).stdout, 'Seccomp:\t2\n');
  // Explicitly Unconfined opts out.
  ok(k('run', 'free', '--image=alpine', '--restart=Never', '--overrides={"spec":{"securityContext":{"seccompProfile":{"type":"Unconfined"}}}}', '--', 'sleep', '3600'));
  ok(k('sim', 'advance', '20s'));
  assert.equal(ok(k('exec', 'free', '--', 'grep', 'Seccomp:', '/proc/1/status')).stdout, 'Seccomp:\t0\n');
});
