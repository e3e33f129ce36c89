import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SCRIPT, cluster, onTerminal } from '../helpers/kubemu';

// "Ephemeral Containers" (seeds 000 and 002): the pods/ephemeralcontainers
// subresource through `kubectl replace --raw` with the page's ec.json, the
// Ephemeral Containers section of describe, `kubectl attach` to the
// debugger's shell, and `kubectl debug`, the way it is done today.

// M6, the page's body: the EphemeralContainers kind of clusters before 1.22.
const EC_JSON = `{
    "apiVersion": "v1",
    "kind": "EphemeralContainers",
    "metadata": {
        "name": "example-pod"
    },
    "ephemeralContainers": [{
        "command": [
            "sh"
        ],
        "image": "busybox",
        "imagePullPolicy": "IfNotPresent",
        "name": "debugger",
        "stdin": true,
        "tty": true,
        "terminationMessagePolicy": "File"
    }]
}
`;

const PATH = '/api/v1/namespaces/default/pods/example-pod/ephemeralcontainers';
const RFC1123 = /\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000/.source;

test('Ephemeral containers API: replace --raw, describe, attach (T14-T16)', () => {
  const { k, kin, home } = cluster();
  // The page does not show example-pod; any running pod will do.
  k('run', 'example-pod', '--image=nginx');
  k('sim', 'advance', '20s');
  const ec = path.join(home, 'ec.json');
  fs.writeFileSync(ec, EC_JSON);

  // T14: the reply is the subresource's object, defaulted, as compact JSON.
  const r = k('replace', '--raw', PATH, '-f', ec);
  assert.equal(r.status, 0, r.stderr);
  const uid = k('get', 'pod', 'example-pod', '-o', 'jsonpath={.metadata.uid}').stdout;
  assert.match(
    r.stdout,
    new RegExp(
      `^\\{"kind":"EphemeralContainers","apiVersion":"v1","metadata":\\{"name":"example-pod","namespace":"default","selfLink":"${PATH.replace(/\//g, '\\/')}","uid":"${uid}","resourceVersion":"\\d+","creationTimestamp":"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"\\},"ephemeralContainers":\\[\\{"name":"debugger","image":"busybox","command":\\["sh"\\],"resources":\\{\\},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File","imagePullPolicy":"IfNotPresent","stdin":true,"tty":true\\}\\]\\}\\n$`,
    ),
  );

  // T15: busybox is pulled and its shell waits on the open stdin.
  k('sim', 'advance', '5s');
  const d = k('describe', 'pod', 'example-pod').stdout;
  assert.match(
    d,
    new RegExp(
      `\\nEphemeral Containers:\\n  debugger:\\n    Container ID:  docker://[0-9a-f]{64}\\n    Image:         busybox\\n    Image ID:      docker-pullable://busybox@sha256:[0-9a-f]{64}\\n    Port:          <none>\\n    Host Port:     <none>\\n    Command:\\n      sh\\n    State:          Running\\n      Started:      ${RFC1123}\\n    Ready:          False\\n    Restart Count:  0\\n    Environment:    <none>\\n    Mounts:         <none>\\nConditions:\\n`,
    ),
  );
  assert.match(d, /Normal {2}Started +\S+ +kubelet +Started container debugger\n/);
  // The pod itself is unchanged: one container, ready.
  assert.match(k('get', 'pod', 'example-pod').stdout, /^example-pod\s+1\/1\s+Running\s+0\s+25s$/m);

  // An ephemeral container may not be changed or removed, nor take a used name.
  fs.writeFileSync(ec, EC_JSON.replace('"sh"', '"ash"'));
  const changed = k('replace', '--raw', PATH, '-f', ec);
  assert.equal(changed.status, 1);
  assert.match(changed.stderr, /spec\.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be changed/);

  // T16: attached, the shell reads what is typed; at the end of input it exits
  // and, never restarted, stays Terminated.
  const a = kin('echo attached to $(hostname)\nexit 3\n', 'attach', '-it', 'example-pod', '-c', 'debugger');
  assert.equal(a.stderr, "Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n");
  assert.equal(a.stdout, 'attached to example-pod\n');
  assert.equal(a.status, 3);
  k('sim', 'advance', '10s');
  assert.equal(k('get', 'pod', 'example-pod', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.exitCode}').stdout, '3');
  assert.match(k('describe', 'pod', 'example-pod').stdout, /\n {2}debugger:\n[\s\S]*? {4}State: {10}Terminated\n {6}Reason: {7}Error\n {6}Exit Code: {4}3\n/);
  assert.match(k('get', 'pod', 'example-pod').stdout, /^example-pod\s+1\/1\s+Running\s+0\s+35s$/m);
});

test('kubectl debug: an ephemeral container, -it, --target, and --copy-to', () => {
  const { k, kin } = cluster();
  k('run', 'mypod', '--image=nginx');
  k('sim', 'advance', '20s');
  // Client-side checks, as kubectl 1.32 words them.
  assert.equal(k('debug', 'mypod').stderr, 'error: you must specify --image when not using --copy-to.\n');
  assert.equal(k('debug', 'mypod', '--image=busybox', '-t').stderr, 'error: -i/--stdin is required for containers with -t/--tty=true\n');
  assert.equal(k('debug', '--image=busybox').stderr, 'error: NAME or filename is required for debug\n');
  assert.equal(k('debug', 'mypod', '--image=busybox', '--target=x', '--copy-to=y').stderr, 'error: --target is incompatible with --copy-to. Use --share-processes instead.\n');
  assert.equal(k('debug', 'nope', '--image=busybox').stderr.split('\n').slice(-2)[0], 'Error from server (NotFound): pods "nope" not found');

  const LEGACY = '--profile=legacy is deprecated and will be removed in the future. It is recommended to explicitly specify a profile, for example "--profile=general".\n';
  const r = kin('hostname\necho $0 in $(pwd)\n', 'debug', '-it', 'mypod', '--image=busybox', '--target=mypod');
  assert.match(
    r.stdout,
    /^Targeting container "mypod"\. If you don't see processes from this container it may be because the container runtime doesn't support this feature\.\nDefaulting debug container name to debugger-[bcdfghjklmnpqrstvwxz2456789]{5}\.\nmypod\nsh in \/\n$/,
  );
  assert.equal(r.stderr, `${LEGACY}Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n`);
  assert.equal(r.status, 0);
  const name = /debugger-\w{5}/.exec(r.stdout)![0];
  assert.equal(
    k('get', 'pod', 'mypod', '-o', 'jsonpath={range .spec.ephemeralContainers[*]}{.name} {.image} {.targetContainerName} {.stdin} {.tty}{end}').stdout,
    `${name} busybox mypod true true`,
  );
  assert.equal(k('get', 'pod', 'mypod', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.reason}').stdout, 'Completed');

  // Without -i it only adds the container; -c names it, and a name in use is refused.
  const plain = k('debug', 'mypod', '--image=busybox', '-c', 'sleeper', '--', 'sleep', '3600');
  assert.equal(plain.stdout, '');
  assert.equal(plain.stderr, LEGACY);
  k('sim', 'advance', '5s');
  assert.equal(k('exec', 'mypod', '-c', 'sleeper', '--', 'sh', '-c', 'echo $HOSTNAME').stdout, 'mypod\n');
  const again = k('debug', 'mypod', '--image=busybox', '-c', 'sleeper', '-q');
  assert.equal(again.stderr, `${LEGACY}The Pod "mypod" is invalid: spec.ephemeralContainers[2].name: Duplicate value: "sleeper"\n`);

  // Other profiles set the container's securityContext (and say nothing).
  const general = k('debug', 'mypod', '--image=busybox', '-c', 'tracer', '--profile=general', '--', 'sleep', '3600');
  assert.equal(general.stderr, '');
  assert.equal(k('get', 'pod', 'mypod', '-o', 'jsonpath={.spec.ephemeralContainers[?(@.name=="tracer")].securityContext}').stdout, '{"capabilities":{"add":["SYS_PTRACE"]}}');

  // --copy-to: a new pod, labels left behind (the legacy profile), the debug
  // container added; --share-processes only when given.
  const copy = kin('hostname\n', 'debug', 'mypod', '-it', '--image=busybox', '--copy-to=my-debugger', '-c', 'shell', '--', 'sh');
  assert.equal(copy.stdout, 'my-debugger\n');
  assert.equal(k('get', 'pod', 'my-debugger', '-o', 'jsonpath={.spec.containers[*].name}|{.spec.shareProcessNamespace}|{.metadata.labels}').stdout, 'mypod shell||');
  assert.match(k('get', 'pod', 'mypod', '--show-labels').stdout, /^mypod\s+1\/1\s+Running\s+0\s+\S+\s+run=mypod$/m);
  k('sim', 'advance', '30s');
  // The shell ended with its input; the pod's restartPolicy brings it back.
  assert.match(k('get', 'pod', 'my-debugger').stdout, /^my-debugger\s+2\/2\s+Running\s+1 \(\S+ ago\)\s+\S+$/m);
});

test('kubectl debug -it on a terminal: the busybox prompt, a line at a time', { skip: !SCRIPT && 'script(1) is not installed' }, () => {
  const { k, home } = cluster();
  k('run', 'mypod', '--image=nginx');
  k('sim', 'advance', '20s');
  const session = onTerminal(home, ['debug', '-it', 'mypod', '--image=busybox', '-c', 'debugger'], 'hostname\nexit\n');
  assert.match(session, /If you don't see a command prompt, try pressing enter\.\n\/ # mypod\n\/ # $/);
  assert.equal(k('get', 'pod', 'mypod', '-o', 'jsonpath={.status.ephemeralContainerStatuses[0].state.terminated.reason}').stdout, 'Completed');
});
