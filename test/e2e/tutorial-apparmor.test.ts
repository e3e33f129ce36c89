import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BIN, clusterInDir, tutorialShell } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';

// "Restrict a Container's Access to Resources with AppArmor", command by
// command. The tutorial's nodes run containerd (GKE); a kind cluster does too,
// so the runtime's messages are the tutorial's. What it does over ssh on the
// nodes (reading and loading the kernel's profiles) is `kubemu sim apparmor`.

const PROFILE = `#include <tunables/global>

profile k8s-apparmor-example-deny-write flags=(attach_disconnected) {
  #include <abstractions/base>

  file,

  # Deny all file writes.
  deny /** w,
}
`;

const HELLO_APPARMOR = `apiVersion: v1
kind: Pod
metadata:
  name: hello-apparmor
spec:
  securityContext:
    appArmorProfile:
      type: Localhost
      localhostProfile: k8s-apparmor-example-deny-write
  containers:
  - name: hello
    image: busybox:1.28
    command: [ "sh", "-c", "echo 'Hello AppArmor!' && sleep 1h" ]
`;

const HELLO_APPARMOR_2 = HELLO_APPARMOR.replace('name: hello-apparmor', 'name: hello-apparmor-2').replace('deny-write', 'allow-write');

function ok(r: Result): Result {
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  return r;
}


test('AppArmor tutorial: a Localhost profile confines the pod; an unloaded one blocks it', () => {
  const { k, kin, dir, home } = clusterInDir();
  ok(k('kind', 'create', 'cluster'));

  // T24: the profiles the node's kernel has loaded, sorted.
  assert.equal(
    ok(k('sim', 'apparmor', 'profiles', 'kind-control-plane')).stdout,
    'apparmor-test-audit-write (enforce)\napparmor-test-deny-write (enforce)\ncri-containerd.apparmor.d (enforce)\ndocker-default (enforce)\nk8s-nginx (enforce)\n',
  );

  // T26: the nodes' Hostname addresses (a filter without @), then the
  // profile loaded on each of them: the page's loop, with `kubemu sim apparmor
  // load` where it runs `ssh $NODE 'sudo apparmor_parser -q <<EOF ...'`.
  assert.equal(ok(k('get', 'node', '-o', 'jsonpath={.items[*].status.addresses[?(.type == "Hostname")].address}')).stdout, 'kind-control-plane');
  const loop = tutorialShell(
    `NODES=($(kubectl get node -o jsonpath='{.items[*].status.addresses[?(.type == "Hostname")].address}'))\nfor NODE in \${NODES[*]}; do '${process.execPath}' '${BIN}' sim apparmor load $NODE <<EOF\n${PROFILE}EOF\ndone`,
    { home, cwd: dir },
  );
  assert.equal(loop.status, 0, loop.stderr);
  assert.equal(loop.stdout + loop.stderr, '');
  assert.match(k('sim', 'apparmor', 'profiles').stdout, /^k8s-apparmor-example-deny-write \(enforce\)$/m);
  const bad = kin('profile broken {\n  deny /** w,\n', 'sim', 'apparmor', 'load', 'kind-control-plane');
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "error: AppArmor parser error at line 3: syntax error, unexpected $end, expecting '}'\n");
  assert.doesNotMatch(k('sim', 'apparmor', 'profiles').stdout, /broken/);

  // T27–T29: the pod runs under the profile; writes are denied.
  fs.writeFileSync(path.join(dir, 'hello-apparmor.yaml'), HELLO_APPARMOR);
  const created = ok(k('create', '-f', 'hello-apparmor.yaml'));
  assert.equal(created.stdout, 'pod/hello-apparmor created\n');
  assert.equal(created.stderr, '');
  ok(k('sim', 'advance', '30s'));
  assert.match(k('get', 'pod', 'hello-apparmor').stdout, /^hello-apparmor\s+1\/1\s+Running\s+0\s+30s$/m);
  const current = ok(k('exec', 'hello-apparmor', '--', 'cat', '/proc/1/attr/current'));
  assert.equal(current.stdout, 'k8s-apparmor-example-deny-write (enforce)\n');
  const touch = k('exec', 'hello-apparmor', '--', 'touch', '/tmp/test');
  assert.equal(touch.status, 1);
  assert.equal(touch.stdout, '');
  assert.equal(touch.stderr, 'touch: /tmp/test: Permission denied\ncommand terminated with exit code 1\n');
  // Redirections are writes too; reading is allowed.
  assert.equal(k('exec', 'hello-apparmor', '--', 'sh', '-c', 'echo x > /tmp/y').stderr, "sh: can't create /tmp/y: Permission denied\ncommand terminated with exit code 1\n");
  assert.equal(ok(k('logs', 'hello-apparmor')).stdout, 'Hello AppArmor!\n');

  // The API server keeps the deprecated annotation in step with the field.
  assert.equal(
    ok(k('get', 'pod', 'hello-apparmor', '-o', 'jsonpath={.metadata.annotations}')).stdout,
    '{"container.apparmor.security.beta.kubernetes.io/hello":"localhost/k8s-apparmor-example-deny-write"}',
  );

  // T30–T31: a profile the node has not loaded: created, then never started.
  // T30 as typed: a heredoc on /dev/stdin (and the same through a pipe).
  const second = tutorialShell(`kubectl create -f /dev/stdin <<EOF\n${HELLO_APPARMOR_2}EOF`, { home, cwd: dir });
  assert.equal(second.status, 0, second.stderr);
  assert.equal(second.stdout, 'pod/hello-apparmor-2 created\n');
  assert.equal(kin(HELLO_APPARMOR_2, 'create', '-f', '/dev/stdin').stderr, 'Error from server (AlreadyExists): error when creating "/dev/stdin": pods "hello-apparmor-2" already exists\n');
  ok(k('sim', 'advance', '30s'));
  const describe = ok(k('describe', 'pod', 'hello-apparmor-2')).stdout;
  assert.match(describe, /^Node:\s+kind-control-plane\/172\.18\.0\.2$/m);
  assert.match(describe, /^Annotations:\s+container\.apparmor\.security\.beta\.kubernetes\.io\/hello: localhost\/k8s-apparmor-example-allow-write$/m);
  assert.match(describe, /^Status:\s+Pending$/m);
  assert.match(describe, /^ {4}State:\s+Waiting\n {6}Reason:\s+CreateContainerError$/m);
  assert.match(describe, /^ {2}Normal {3}Scheduled {2}30s\s+default-scheduler {2}Successfully assigned default\/hello-apparmor-2 to kind-control-plane$/m);
  assert.match(describe, /^ {2}Normal {3}Pulled {5}\S+ \(x\d over \d+s\)\s+kubelet\s+Container image "busybox:1\.28" already present on machine$/m);
  assert.match(
    describe,
    /^ {2}Warning {2}Failed {5}\S+ \(x\d over \d+s\)\s+kubelet\s+Error: failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found k8s-apparmor-example-allow-write$/m,
  );
  assert.match(k('get', 'pod', 'hello-apparmor-2').stdout, /^hello-apparmor-2\s+0\/1\s+CreateContainerError\s+0\s+30s$/m);
  assert.equal(
    ok(k('get', 'pod', 'hello-apparmor-2', '-o', 'jsonpath={.status.containerStatuses[0].state.waiting.message}')).stdout,
    'failed to get container spec opts: failed to generate apparmor spec opts: apparmor profile not found k8s-apparmor-example-allow-write',
  );

  // Loading the missing profile lets the next retry start the container.
  ok(kin(PROFILE.replace(/deny-write/, 'allow-write').replace('  deny /** w,\n', ''), 'sim', 'apparmor', 'load', 'kind-control-plane'));
  ok(k('sim', 'advance', '15s'));
  assert.match(k('get', 'pod', 'hello-apparmor-2').stdout, /^hello-apparmor-2\s+1\/1\s+Running\s+0\s+45s$/m);
  assert.equal(ok(k('exec', 'hello-apparmor-2', '--', 'touch', '/tmp/test')).stderr, '');
});

test('AppArmor: runtime default, Unconfined, container over pod, and the deprecated annotation', () => {
  const { k, kin } = clusterInDir();
  ok(k('kind', 'create', 'cluster'));
  // T25: no profile asked for: containerd's default profile.
  ok(k('run', 'plain', '--image=busybox:1.28', '--', 'sleep', '3600'));
  const pod = (name: string, annotations: string, podProfile: string, containerProfile: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${annotations}spec:\n${podProfile}  containers:\n  - name: hello\n    image: busybox:1.28\n    command: ["sleep", "3600"]\n${containerProfile}`;
  ok(kin(pod('mixed', '', '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n', '    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n'), 'create', '-f', '-'));
  ok(kin(pod('unconfined', '', '  securityContext:\n    appArmorProfile:\n      type: Unconfined\n', ''), 'create', '-f', '-'));
  const legacy = ok(kin(pod('legacy', '  annotations:\n    container.apparmor.security.beta.kubernetes.io/hello: localhost/apparmor-test-deny-write\n', '', ''), 'create', '-f', '-'));
  assert.equal(legacy.stderr, 'Warning: metadata.annotations[container.apparmor.security.beta.kubernetes.io/hello]: deprecated since v1.30; use the "appArmorProfile" field instead\n');
  assert.equal(legacy.stdout, 'pod/legacy created\n');
  ok(k('sim', 'advance', '30s'));
  const attr = (name: string) => ok(k('exec', name, '--', 'cat', '/proc/1/attr/current')).stdout;
  assert.equal(attr('plain'), 'cri-containerd.apparmor.d (enforce)\n');
  assert.equal(attr('mixed'), 'cri-containerd.apparmor.d (enforce)\n');
  assert.equal(attr('unconfined'), 'unconfined\n');
  assert.equal(attr('legacy'), 'apparmor-test-deny-write (enforce)\n');
  // The annotation became the container's field.
  assert.equal(
    ok(k('get', 'pod', 'legacy', '-o', 'jsonpath={.spec.containers[0].securityContext.appArmorProfile}')).stdout,
    '{"localhostProfile":"apparmor-test-deny-write","type":"Localhost"}',
  );
  assert.equal(k('exec', 'legacy', '--', 'mkdir', '/tmp/d').stderr, "mkdir: can't create directory '/tmp/d': Permission denied\ncommand terminated with exit code 1\n");
  assert.equal(ok(k('get', 'pod', 'unconfined', '-o', 'jsonpath={.metadata.annotations}')).stdout, '{"container.apparmor.security.beta.kubernetes.io/hello":"unconfined"}');

  // The page writes `unconfined`; the API's value is `Unconfined`. A
  // localhostProfile goes only with Localhost.
  const lower = kin(pod('lower', '', '  securityContext:\n    appArmorProfile:\n      type: unconfined\n', ''), 'create', '-f', '-');
  assert.equal(lower.status, 1);
  assert.equal(lower.stderr, 'The Pod "lower" is invalid: spec.securityContext.appArmorProfile.type: Unsupported value: "unconfined": supported values: "Localhost", "RuntimeDefault", "Unconfined"\n');
  const stray = kin(pod('stray', '', '', '    securityContext:\n      appArmorProfile:\n        type: RuntimeDefault\n        localhostProfile: k8s-nginx\n'), 'create', '-f', '-');
  assert.equal(stray.stderr, 'The Pod "stray" is invalid: spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: "k8s-nginx": can only be set when AppArmor type is Localhost\n');
  const missing = kin(pod('noname', '', '  securityContext:\n    appArmorProfile:\n      type: Localhost\n', ''), 'create', '-f', '-');
  assert.equal(missing.stderr, 'The Pod "noname" is invalid: spec.securityContext.appArmorProfile.localhostProfile: Required value: must be set when AppArmor type is Localhost\n');
});

test('AppArmor on a Docker node (minikube): the runtime fails the start instead', () => {
  const { k, kin } = clusterInDir();
  ok(kin(HELLO_APPARMOR, 'create', '-f', '-'));
  ok(k('sim', 'advance', '30s'));
  const describe = ok(k('describe', 'pod', 'hello-apparmor')).stdout;
  assert.match(describe, /^ {2}Warning {2}Failed .*Error: failed to start container "hello": Error response from daemon: .*unable to apply apparmor profile: apparmor failed to apply profile: write \/proc\/self\/attr\/apparmor\/exec: no such file or directory: unknown$/m);
  assert.match(k('get', 'pod', 'hello-apparmor').stdout, /^hello-apparmor\s+0\/1\s+CrashLoopBackOff\s+\d+ \(\d+s ago\)\s+30s$/m);
  ok(kin(PROFILE, 'sim', 'apparmor', 'load', 'minikube'));
  ok(k('delete', 'pod', 'hello-apparmor', '--now'));
  ok(kin(HELLO_APPARMOR, 'create', '-f', '-'));
  ok(k('sim', 'advance', '30s'));
  assert.equal(ok(k('exec', 'hello-apparmor', '--', 'cat', '/proc/1/attr/current')).stdout, 'k8s-apparmor-example-deny-write (enforce)\n');
  ok(k('run', 'plain', '--image=busybox:1.28', '--', 'sleep', '3600'));
  ok(k('sim', 'advance', '30s'));
  assert.equal(ok(k('exec', 'plain', '--', 'cat', '/proc/1/attr/current')).stdout, 'docker-default (enforce)\n');
});
