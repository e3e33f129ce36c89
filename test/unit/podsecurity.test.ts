import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, PodSpec } from 'kubernetes-types/core/v1';
import { evaluatePod, forbiddenDetail, forbiddenReasons } from '../../src/api/podsecurity/evaluate';
import { parseVersion, policyToEvaluate, PRIVILEGED_POLICY } from '../../src/api/podsecurity/policy';
import type { LevelVersion } from '../../src/api/podsecurity/policy';
import { podSecurityConfiguration } from '../../src/cli/kind/config';

const BASELINE: LevelVersion = { level: 'baseline', version: 'latest' };
const RESTRICTED: LevelVersion = { level: 'restricted', version: 'latest' };

function pod(spec: Partial<PodSpec>, ...containers: Partial<Container>[]): PodSpec {
  return { ...spec, containers: containers.map((c, i) => ({ name: `c${i}`, image: 'nginx', ...c })) };
}

const detail = (lv: LevelVersion, spec: PodSpec) => forbiddenDetail(evaluatePod(lv, {}, spec));
const reasons = (lv: LevelVersion, spec: PodSpec) => forbiddenReasons(evaluatePod(lv, {}, spec));

test('a bare nginx pod passes baseline and fails the four restricted checks in the tutorial words', () => {
  const nginx = pod({}, { name: 'nginx' });
  assert.equal(evaluatePod(BASELINE, {}, nginx).allowed, true);
  assert.equal(
    detail(RESTRICTED, nginx),
    'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), ' +
      'unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), ' +
      'runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), ' +
      'seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
  );
});

test('a pod meeting restricted passes it', () => {
  const good = pod(
    { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } } },
    { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } },
  );
  assert.deepEqual(evaluatePod(RESTRICTED, {}, good), { allowed: true, violations: [] });
});

test('baseline checks name containers and volumes, singular and plural', () => {
  const spec = pod(
    { hostNetwork: true, hostPID: true, volumes: [{ name: 'a', hostPath: { path: '/a' } }, { name: 'b', hostPath: { path: '/b' } }] },
    { name: 'x', securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN', 'CHOWN', 'NET_RAW'] } }, ports: [{ containerPort: 80, hostPort: 8080 }] },
    { name: 'y', securityContext: { privileged: true } },
  );
  assert.equal(
    detail(BASELINE, spec),
    'non-default capabilities (container "x" must not include "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add), ' +
      'host namespaces (hostNetwork=true, hostPID=true), ' +
      'hostPath volumes (volumes "a", "b"), ' +
      'hostPort (container "x" uses hostPort 8080), ' +
      'privileged (containers "x", "y" must not set securityContext.privileged=true)',
  );
});

test('restricted supersedes the baseline capability, hostPath and seccomp checks', () => {
  const kindnet = pod(
    { hostNetwork: true, volumes: [{ name: 'cni-cfg', hostPath: { path: '/etc/cni/net.d' } }] },
    { name: 'kindnet-cni', securityContext: { privileged: false, capabilities: { add: ['NET_RAW', 'NET_ADMIN'] } } },
  );
  assert.equal(reasons(BASELINE, kindnet), 'non-default capabilities, host namespaces, hostPath volumes');
  assert.equal(
    reasons(RESTRICTED, kindnet),
    'host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, restricted volume types, runAsNonRoot != true, seccompProfile',
  );
  assert.match(
    detail(RESTRICTED, kindnet),
    /unrestricted capabilities \(container "kindnet-cni" must set securityContext.capabilities.drop=\["ALL"\]; container "kindnet-cni" must not include "NET_ADMIN", "NET_RAW" in securityContext.capabilities.add\), restricted volume types \(volume "cni-cfg" uses restricted volume type "hostPath"\)/,
  );
});

test('explicit bad values are named with who set them', () => {
  const spec = pod(
    { securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: 'Unconfined' } } },
    { name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: false } },
  );
  assert.equal(
    detail(RESTRICTED, spec),
    'runAsNonRoot != true (pod and container "a" must not set securityContext.runAsNonRoot=false), ' +
      'runAsUser=0 (pod must not set runAsUser=0), ' +
      'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")',
  );
  assert.equal(detail(BASELINE, spec), 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")');
});

test('versions: latest, v1.x, and checks that start at a version', () => {
  assert.equal(parseVersion('latest'), 'latest');
  assert.equal(parseVersion('v1.24'), 24);
  assert.equal(parseVersion('v1.024'), undefined);
  assert.equal(parseVersion('1.24'), undefined);
  const root = pod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 0 } }, {
    securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
  });
  // runAsUser=0 is checked from v1.23 on.
  assert.equal(reasons({ level: 'restricted', version: 22 }, root), '');
  assert.equal(reasons({ level: 'restricted', version: 23 }, root), 'runAsUser=0');
});

test('namespace labels: overrides, fail-closed enforce, warn raised to enforce, errors', () => {
  const p = policyToEvaluate({ 'pod-security.kubernetes.io/enforce': 'baseline' }, PRIVILEGED_POLICY);
  assert.deepEqual(p.policy.warn, { level: 'baseline', version: 'latest' });
  assert.deepEqual(p.errors, []);
  const bad = policyToEvaluate(
    { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn-version': 'v2' },
    PRIVILEGED_POLICY,
  );
  assert.equal(bad.policy.enforce.level, 'restricted');
  assert.deepEqual(
    bad.errors.map((e) => `${e.field}: ${e.message}`),
    [
      'metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted',
      'metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "v2": must be "latest" or "v1.x"',
    ],
  );
});

test('a PodSecurityConfiguration gives the defaults and exemptions', () => {
  const c = podSecurityConfiguration({
    apiVersion: 'pod-security.admission.config.k8s.io/v1',
    kind: 'PodSecurityConfiguration',
    defaults: { enforce: 'baseline', 'enforce-version': 'latest', warn: 'restricted', 'warn-version': 'v1.30' },
    exemptions: { namespaces: ['kube-system'] },
  });
  assert.deepEqual(c.defaults, {
    enforce: { level: 'baseline', version: 'latest' },
    audit: { level: 'privileged', version: 'latest' },
    warn: { level: 'restricted', version: 30 },
  });
  assert.deepEqual(c.exemptions, { usernames: [], runtimeClasses: [], namespaces: ['kube-system'] });
  assert.throws(() => podSecurityConfiguration({ apiVersion: 'v1', kind: 'PodSecurityConfiguration' }), /no kind "PodSecurityConfiguration" is registered/);
});
