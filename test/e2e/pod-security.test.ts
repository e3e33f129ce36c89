import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cluster, tempHome } from '../helpers/kubemu';
import type { Result } from '../helpers/kubemu';

// "Apply Pod Security Standards at the Cluster Level" and "... at the
// Namespace Level", command by command, with kind as the tutorials use it,
// and the namespace-level flow on the default minikube cluster.
//
// The tutorials' sample output for `--enforce=restricted` predates the
// restricted checks superseding the baseline ones (v1.24): a current API
// server no longer lists "non-default capabilities" or "hostPath volumes"
// beside "unrestricted capabilities" / "restricted volume types", and
// kubeadm's CoreDNS drops "ALL". These tests assert what a v1.32 server says.

const EXAMPLE_POD = 'https://k8s.io/examples/security/example-baseline-pod.yaml';
const NAME = '[bcdfghjklmnpqrstvwxz2456789]';
const NGINX_RESTRICTED =
  'Warning: would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), ' +
  'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), ' +
  'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), ' +
  'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")\n';
const SALUTATIONS = [
  'Have a nice day! 👋',
  'Thanks for using kind! 😊',
  'Not sure what to do next? 😅  Check out https://kind.sigs.k8s.io/docs/user/quick-start/',
  'Have a question, bug, or feature request? Let us know! https://kind.sigs.k8s.io/#community 🙂',
];

function ok(r: Result): Result {
  assert.equal(r.status, 0, `exit ${r.status}: ${r.stderr}`);
  return r;
}

function assertKindCreated(r: Result, name: string): void {
  ok(r);
  assert.equal(r.stdout, '');
  const steps = ['Ensuring node image (kindest/node:v1.32.0) 🖼️', 'Preparing nodes 📦 ', 'Writing configuration 📜', 'Starting control-plane 🕹️', 'Installing CNI 🔌', 'Installing StorageClass 💾'];
  const expected =
    `Creating cluster "${name}" ...\n` +
    steps.map((s) => ` • ${s}  ...\n ✓ ${s}\n`).join('') +
    `Set kubectl context to "kind-${name}"\nYou can now use your cluster with:\n\nkubectl cluster-info --context kind-${name}\n\n`;
  assert.ok(r.stderr.startsWith(expected), r.stderr);
  assert.ok(SALUTATIONS.includes(r.stderr.slice(expected.length, -1)), r.stderr);
}

function assertClusterInfo(r: Result): void {
  ok(r);
  assert.match(
    r.stdout,
    /^Kubernetes control plane is running at https:\/\/127\.0\.0\.1:(\d+)\nCoreDNS is running at https:\/\/127\.0\.0\.1:\1\/api\/v1\/namespaces\/kube-system\/services\/kube-dns:dns\/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'\.\n$/,
  );
}

const DRY_RUN_LINES = ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'local-path-storage'].map((n) => `namespace/${n} labeled (server dry run)\n`).join('');

test('Apply Pod Security Standards at the Cluster Level', () => {
  const { k, home } = cluster();
  assertKindCreated(k('kind', 'create', 'cluster', '--name', 'psa-wo-cluster-pss'), 'psa-wo-cluster-pss');
  assertClusterInfo(k('cluster-info', '--context', 'kind-psa-wo-cluster-pss'));
  assert.equal(k('cluster-info', '--context', 'kind-nope').stderr, 'error: context "kind-nope" does not exist\n');
  assert.match(
    ok(k('get', 'ns')).stdout,
    /^NAME\s+STATUS\s+AGE\ndefault\s+Active\s+\S+\nkube-node-lease\s+Active\s+\S+\nkube-public\s+Active\s+\S+\nkube-system\s+Active\s+\S+\nlocal-path-storage\s+Active\s+\S+\n$/,
  );

  // privileged: every namespace would be labeled, nothing to warn about.
  const privileged = ok(k('label', '--dry-run=server', '--overwrite', 'ns', '--all', 'pod-security.kubernetes.io/enforce=privileged'));
  assert.equal(privileged.stdout, DRY_RUN_LINES);
  assert.equal(privileged.stderr, '');

  // baseline: kind's static pods, kindnet and kube-proxy use the host.
  const baseline = ok(k('label', '--dry-run=server', '--overwrite', 'ns', '--all', 'pod-security.kubernetes.io/enforce=baseline'));
  assert.equal(baseline.stdout, DRY_RUN_LINES);
  assert.match(
    baseline.stderr,
    new RegExp(
      '^Warning: existing pods in namespace "kube-system" violate the new PodSecurity enforce level "baseline:latest"\n' +
        'Warning: etcd-psa-wo-cluster-pss-control-plane \\(and 3 other pods\\): host namespaces, hostPath volumes\n' +
        `Warning: kindnet-${NAME}{5}: non-default capabilities, host namespaces, hostPath volumes\n` +
        `Warning: kube-proxy-${NAME}{5}: host namespaces, hostPath volumes, privileged\n$`,
    ),
  );

  // restricted: every system pod, and the local-path provisioner.
  const restricted = ok(k('label', '--dry-run=server', '--overwrite', 'ns', '--all', 'pod-security.kubernetes.io/enforce=restricted'));
  assert.equal(restricted.stdout, DRY_RUN_LINES);
  assert.match(
    restricted.stderr,
    new RegExp(
      '^Warning: existing pods in namespace "kube-system" violate the new PodSecurity enforce level "restricted:latest"\n' +
        `Warning: coredns-${NAME}+-${NAME}{5} \\(and 1 other pod\\): runAsNonRoot != true, seccompProfile\n` +
        'Warning: etcd-psa-wo-cluster-pss-control-plane \\(and 3 other pods\\): host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true\n' +
        `Warning: kindnet-${NAME}{5}: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true, seccompProfile\n` +
        `Warning: kube-proxy-${NAME}{5}: host namespaces, privileged, allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true, seccompProfile\n` +
        'Warning: existing pods in namespace "local-path-storage" violate the new PodSecurity enforce level "restricted:latest"\n' +
        `Warning: local-path-provisioner-${NAME}+-${NAME}{5}: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n$`,
    ),
  );
  // A server dry run stores nothing.
  assert.doesNotMatch(ok(k('get', 'ns', '--show-labels')).stdout, /pod-security/);

  // The cluster-wide configuration, through kind's config and extraMounts.
  const pss = tempHome('kubemu-pss-');
  fs.writeFileSync(
    path.join(pss, 'cluster-level-pss.yaml'),
    `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: "baseline"
      enforce-version: "latest"
      audit: "restricted"
      audit-version: "latest"
      warn: "restricted"
      warn-version: "latest"
    exemptions:
      usernames: []
      runtimeClasses: []
      namespaces: [kube-system]
`,
  );
  const config = path.join(pss, 'cluster-config.yaml');
  fs.writeFileSync(
    config,
    `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  kubeadmConfigPatches:
  - |
    kind: ClusterConfiguration
    apiServer:
        extraArgs:
          admission-control-config-file: /etc/config/cluster-level-pss.yaml
        extraVolumes:
          - name: accf
            hostPath: /etc/config
            mountPath: /etc/config
            readOnly: false
            pathType: "DirectoryOrCreate"
  extraMounts:
  - hostPath: ${pss}
    containerPath: /etc/config
    # optional: if set, the mount is read-only.
    # default false
    readOnly: false
    # optional: if set, the mount needs SELinux relabeling.
    # default false
    selinuxRelabel: false
    # optional: set propagation mode (None, HostToContainer or Bidirectional)
    # see https://kubernetes.io/docs/concepts/storage/volumes/#mount-propagation
    # default None
    propagation: None
`,
  );
  assertKindCreated(k('kind', 'create', 'cluster', '--name', 'psa-with-cluster-pss', '--config', config), 'psa-with-cluster-pss');
  assertClusterInfo(k('cluster-info', '--context', 'kind-psa-with-cluster-pss'));
  const applied = ok(k('apply', '-f', EXAMPLE_POD));
  assert.equal(applied.stdout, 'pod/nginx created\n');
  assert.equal(applied.stderr, NGINX_RESTRICTED);
  // The default enforce level rejects; kube-system is exempt.
  const rejected = k('run', 'priv', '--image=nginx', '--privileged');
  assert.equal(rejected.status, 1);
  assert.equal(
    rejected.stderr,
    'Error from server (Forbidden): pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "priv" must not set securityContext.privileged=true)\n',
  );
  const exempt = ok(k('run', 'priv', '-n', 'kube-system', '--image=nginx', '--privileged'));
  assert.deepEqual([exempt.stdout, exempt.stderr], ['pod/priv created\n', '']);
  assert.equal(
    ok(k('label', 'ns', 'kube-system', 'pod-security.kubernetes.io/enforce=restricted')).stderr,
    'Warning: namespace "kube-system" is exempt from Pod Security, and the policy (enforce=restricted:latest) will be ignored\n',
  );

  // Clean up: the first cluster was already replaced by the second.
  const deleted = ok(k('kind', 'delete', 'cluster', '--name', 'psa-with-cluster-pss'));
  assert.equal(deleted.stderr, 'Deleting cluster "psa-with-cluster-pss" ...\nDeleted nodes: ["psa-with-cluster-pss-control-plane"]\n');
  assert.equal(ok(k('kind', 'delete', 'cluster', '--name', 'psa-wo-cluster-pss')).stderr, 'Deleting cluster "psa-wo-cluster-pss" ...\n');
  assert.equal(ok(k('kind', 'get', 'clusters')).stderr, 'No kind clusters found.\n');
  assert.equal(fs.existsSync(path.join(home, 'state.json')), false);
});

test('kind refuses an admission configuration the API server cannot load', () => {
  const { k } = cluster();
  const dir = tempHome('kubemu-pss-');
  fs.writeFileSync(path.join(dir, 'pss.yaml'), 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults:\n      enforce: strict\n');
  fs.writeFileSync(
    path.join(dir, 'kind.yaml'),
    `kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n  kubeadmConfigPatches:\n  - |\n    kind: ClusterConfiguration\n    apiServer:\n      extraArgs:\n        admission-control-config-file: /etc/config/pss.yaml\n  extraMounts:\n  - hostPath: ${dir}\n    containerPath: /etc/config\n`,
  );
  const r = k('kind', 'create', 'cluster', '--name', 'bad', '--config', path.join(dir, 'kind.yaml'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, / ✗ Starting control-plane 🕹️\nDeleted nodes: \["bad-control-plane"\]\nERROR: failed to create cluster: failed to init node with kubeadm: /);
  assert.equal(ok(k('kind', 'get', 'clusters')).stderr, 'No kind clusters found.\n');
});

// The namespace-level steps, after `kind create cluster` or on minikube.
function namespaceLevel(k: (...args: string[]) => Result): void {
  assert.equal(ok(k('create', 'ns', 'example')).stdout, 'namespace/example created\n');
  const warn = ok(k('label', '--overwrite', 'ns', 'example', 'pod-security.kubernetes.io/warn=baseline', 'pod-security.kubernetes.io/warn-version=latest'));
  assert.deepEqual([warn.stdout, warn.stderr], ['namespace/example labeled\n', '']);
  // Without --overwrite the existing warn label stays.
  const refused = k('label', 'ns', 'example', 'pod-security.kubernetes.io/warn=restricted');
  assert.equal(refused.stderr, "error: 'pod-security.kubernetes.io/warn' already has a value (baseline), and --overwrite is false\n");
  const all = ok(
    k(
      'label', '--overwrite', 'ns', 'example',
      'pod-security.kubernetes.io/enforce=baseline', 'pod-security.kubernetes.io/enforce-version=latest',
      'pod-security.kubernetes.io/warn=restricted', 'pod-security.kubernetes.io/warn-version=latest',
      'pod-security.kubernetes.io/audit=restricted', 'pod-security.kubernetes.io/audit-version=latest',
    ),
  );
  assert.deepEqual([all.stdout, all.stderr], ['namespace/example labeled\n', '']);
  // The admission plugin validates the labels.
  const invalid = k('label', '--overwrite', 'ns', 'example', 'pod-security.kubernetes.io/enforce=strict');
  assert.equal(invalid.status, 1);
  assert.equal(
    invalid.stderr,
    'The Namespace "example" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted\n',
  );

  const inExample = ok(k('apply', '-n', 'example', '-f', EXAMPLE_POD));
  assert.deepEqual([inExample.stdout, inExample.stderr], ['pod/nginx created\n', NGINX_RESTRICTED]);
  const inDefault = ok(k('apply', '-n', 'default', '-f', EXAMPLE_POD));
  assert.deepEqual([inDefault.stdout, inDefault.stderr], ['pod/nginx created\n', '']);
}

test('Apply Pod Security Standards at the Namespace Level', () => {
  const { k, kin } = cluster();
  assertKindCreated(k('kind', 'create', 'cluster', '--name', 'psa-ns-level'), 'psa-ns-level');
  assertClusterInfo(k('cluster-info', '--context', 'kind-psa-ns-level'));
  namespaceLevel(k);
  // enforce=baseline rejects a privileged pod, in each command's words.
  const manifest = 'apiVersion: v1\nkind: Pod\nmetadata: {name: priv}\nspec:\n  containers:\n  - name: nginx\n    image: nginx\n    securityContext: {privileged: true}\n';
  const forbidden = 'pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "nginx" must not set securityContext.privileged=true)\n';
  for (const verb of ['apply', 'create']) {
    const r = kin(manifest, verb, '-n', 'example', '-f', '-');
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `Error from server (Forbidden): error when creating "STDIN": ${forbidden}`);
  }
  assert.equal(ok(k('kind', 'delete', 'cluster', '--name', 'psa-ns-level')).stderr, 'Deleting cluster "psa-ns-level" ...\nDeleted nodes: ["psa-ns-level-control-plane"]\n');
});

test('namespace-level Pod Security on minikube: labels, existing pods, workloads', () => {
  const { k, kin } = cluster();
  namespaceLevel(k);

  // Raising kube-system's enforce level reports minikube's host-using pods.
  const dry = ok(k('label', '--dry-run=server', '--overwrite', 'ns', 'kube-system', 'pod-security.kubernetes.io/enforce=baseline'));
  assert.equal(dry.stdout, 'namespace/kube-system labeled (server dry run)\n');
  assert.match(
    dry.stderr,
    new RegExp(
      '^Warning: existing pods in namespace "kube-system" violate the new PodSecurity enforce level "baseline:latest"\n' +
        'Warning: etcd-minikube \\(and 4 other pods\\): host namespaces, hostPath volumes\n' +
        `Warning: kube-proxy-${NAME}{5}: host namespaces, hostPath volumes, privileged\n$`,
    ),
  );
  // Raising example's to restricted reports the nginx pod; lowering it says nothing.
  const raised = ok(k('label', '--overwrite', 'ns', 'example', 'pod-security.kubernetes.io/enforce=restricted'));
  assert.equal(
    raised.stderr,
    'Warning: existing pods in namespace "example" violate the new PodSecurity enforce level "restricted:latest"\n' +
      'Warning: nginx: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n',
  );
  assert.equal(ok(k('label', '--overwrite', 'ns', 'example', 'pod-security.kubernetes.io/enforce=baseline')).stderr, '');

  // A Deployment's template is only warned about; its ReplicaSet's pods are enforced.
  const deploy = ok(k('create', 'deployment', 'web', '--image=nginx', '-n', 'example'));
  assert.deepEqual([deploy.stdout, deploy.stderr], ['deployment.apps/web created\n', NGINX_RESTRICTED]);
  const privileged = ok(k('create', 'deployment', 'bad', '--image=nginx', '-n', 'example', '--dry-run=client', '-o', 'yaml')).stdout.replace('resources: {}', 'securityContext: {privileged: true}');
  const bad = ok(kin(privileged, 'apply', '-f', '-'));
  assert.equal(bad.stdout, 'deployment.apps/bad created\n');
  assert.match(bad.stderr, /^Warning: would violate PodSecurity "restricted:latest": privileged \(container "nginx" must not set securityContext.privileged=true\), allowPrivilegeEscalation != false/);
  k('sim', 'advance', '5s');
  assert.match(
    ok(k('get', 'events', '-n', 'example', '--field-selector', 'reason=FailedCreate')).stdout,
    new RegExp(`Error creating: pods "bad-${NAME}+-${NAME}{5}" is forbidden: violates PodSecurity "baseline:latest": privileged \\(container "nginx" must not set securityContext.privileged=true\\)`),
  );
  assert.match(ok(k('get', 'pods', '-n', 'example')).stdout, /^web-/m);
  assert.doesNotMatch(ok(k('get', 'pods', '-n', 'example')).stdout, /^bad-/m);

  // Every workload controller reports the refusal as an event and carries on.
  const workload = (kind: string, extra: string) =>
    `apiVersion: ${kind === 'Job' ? 'batch/v1' : 'apps/v1'}\nkind: ${kind}\nmetadata: {name: ${kind.toLowerCase()}}\nspec:\n${extra}` +
    `  template:\n    metadata: {labels: {app: ${kind}}}\n    spec:\n      restartPolicy: ${kind === 'Job' ? 'Never' : 'Always'}\n` +
    '      containers: [{name: c, image: nginx, securityContext: {privileged: true}}]\n';
  const selector = (kind: string) => `  selector: {matchLabels: {app: ${kind}}}\n`;
  assert.equal(ok(kin(workload('DaemonSet', selector('DaemonSet')), 'apply', '-n', 'example', '-f', '-')).stdout, 'daemonset.apps/daemonset created\n');
  assert.equal(ok(kin(workload('StatefulSet', `  serviceName: sts\n${selector('StatefulSet')}`), 'apply', '-n', 'example', '-f', '-')).stdout, 'statefulset.apps/statefulset created\n');
  assert.equal(ok(kin(workload('Job', ''), 'apply', '-n', 'example', '-f', '-')).stdout, 'job.batch/job created\n');
  k('sim', 'advance', '5s');
  const events = ok(k('get', 'events', '-n', 'example', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={range .items[*]}{.involvedObject.kind} {.message}{"\\n"}{end}')).stdout;
  const privilegedC = 'is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)';
  assert.match(events, new RegExp(`^DaemonSet Error creating: pods "daemonset-${NAME}{5}" ${privilegedC.replace(/[()]/g, '\\$&')}$`, 'm'));
  assert.match(events, new RegExp(`^Job Error creating: pods "job-${NAME}{5}" ${privilegedC.replace(/[()]/g, '\\$&')}$`, 'm'));
  assert.ok(events.includes(`StatefulSet create Pod statefulset-0 in StatefulSet statefulset failed error: pods "statefulset-0" ${privilegedC}\n`), events);

  // kubectl run is rejected without "error when creating".
  const run = k('run', 'priv', '-n', 'example', '--image=nginx', '--privileged');
  assert.equal(run.stderr, 'Error from server (Forbidden): pods "priv" is forbidden: violates PodSecurity "baseline:latest": privileged (container "priv" must not set securityContext.privileged=true)\n');
});

test('kind config with worker nodes', () => {
  const { k } = cluster();
  const dir = tempHome('kubemu-kind-');
  fs.writeFileSync(path.join(dir, 'kind.yaml'), 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n');
  const created = ok(k('kind', 'create', 'cluster', '--config', path.join(dir, 'kind.yaml')));
  assert.ok(created.stderr.includes(' ✓ Preparing nodes 📦 📦 📦 \n'), created.stderr);
  assert.ok(created.stderr.includes(' ✓ Installing StorageClass 💾\n • Joining worker nodes 🚜  ...\n ✓ Joining worker nodes 🚜\nSet kubectl context to "kind-kind"\n'), created.stderr);
  assert.deepEqual(ok(k('get', 'nodes', '-o', 'name')).stdout.split('\n'), ['node/kind-control-plane', 'node/kind-worker', 'node/kind-worker2', '']);
  assert.equal(ok(k('config', 'current-context')).stdout, 'kind-kind\n');
  assert.equal(ok(k('kind', 'get', 'clusters')).stdout, 'kind\n');
  assert.equal(ok(k('kind', 'delete', 'cluster')).stderr, 'Deleting cluster "kind" ...\nDeleted nodes: ["kind-control-plane" "kind-worker" "kind-worker2"]\n');
});
