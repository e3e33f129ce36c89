import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// The Deployment concept page (seed 004), command by command, in kubectl 1.32's
// output format with the seed's values. Names, hashes, ages and IPs are
// matched by pattern.

const URL = 'https://k8s.io/examples/controllers/nginx-deployment.yaml';
const HASH = '[bcdfghjklmnpqrstvwxz2456789]{6,10}';
const SFX = '[bcdfghjklmnpqrstvwxz2456789]{5}';

function rsRows(text: string): { name: string; desired: number; current: number; ready: number }[] {
  return text
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => {
      const [name, desired, current, ready] = l.split(/\s+/);
      return { name, desired: Number(desired), current: Number(current), ready: Number(ready) };
    });
}

test('Deployment page: create, update, stuck rollout, undo, history, scale, progress deadline', () => {
  const { k } = cluster();
  // Creating a Deployment
  let r = k('apply', '-f', URL);
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment created\n');
  r = k('get', 'deployments');
  assert.match(r.stdout, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nnginx-deployment\s+0\/3\s+3\s+0\s+0s\n$/);
  r = k('rollout', 'status', 'deployment/nginx-deployment');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Waiting for deployment "nginx-deployment" rollout to finish: 0 of 3 updated replicas are available\.\.\.\n/);
  assert.match(r.stdout, /deployment "nginx-deployment" successfully rolled out\n$/);
  assert.match(k('get', 'deployments').stdout, /^nginx-deployment\s+3\/3\s+3\s+3\s+\d+s$/m);
  const rs = rsRows(k('get', 'rs').stdout);
  assert.equal(rs.length, 1);
  assert.match(rs[0].name, new RegExp(`^nginx-deployment-${HASH}$`));
  assert.deepEqual([rs[0].desired, rs[0].current, rs[0].ready], [3, 3, 3]);
  const hash = rs[0].name.slice('nginx-deployment-'.length);
  const pods = k('get', 'pods', '--show-labels').stdout.trim().split('\n').slice(1);
  assert.equal(pods.length, 3);
  for (const p of pods) assert.match(p, new RegExp(`^nginx-deployment-${hash}-${SFX}\\s+1/1\\s+Running\\s+0\\s+\\d+s\\s+app=nginx,pod-template-hash=${hash}$`));

  // Updating: the argument order printed in the seed
  r = k('--record', 'deployment.apps/nginx-deployment', 'set', 'image', 'deployment.v1.apps/nginx-deployment', 'nginx=nginx:1.16.1');
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment image updated\n');
  assert.equal(r.stderr, 'Flag --record has been deprecated, --record will be removed in the future\n');
  r = k('rollout', 'status', 'deployment.v1.apps/nginx-deployment');
  assert.match(r.stdout, /out of 3 new replicas have been updated\.\.\.\n/);
  assert.match(r.stdout, /deployment "nginx-deployment" successfully rolled out\n$/);
  let sets = rsRows(k('get', 'rs').stdout);
  assert.equal(sets.length, 2);
  const fresh = sets.find((s) => s.name !== rs[0].name)!;
  assert.deepEqual([fresh.desired, fresh.current, fresh.ready], [3, 3, 3]);
  assert.deepEqual(sets.find((s) => s.name === rs[0].name), { name: rs[0].name, desired: 0, current: 0, ready: 0 });
  k('sim', 'advance', '5s');
  assert.equal(k('get', 'pods', '-o', 'name').stdout.split('\n').filter((l) => l.includes(fresh.name)).length, 3);
  const events = k('get', 'events', '--field-selector', 'involvedObject.kind=Deployment', '-o', 'jsonpath={range .items[*]}{.message}{"\\n"}{end}').stdout;
  assert.deepEqual(events.trim().split('\n'), [
    `Scaled up replica set ${rs[0].name} to 3`,
    `Scaled up replica set ${fresh.name} to 1`,
    `Scaled down replica set ${rs[0].name} to 2 from 3`,
    `Scaled up replica set ${fresh.name} to 2 from 1`,
    `Scaled down replica set ${rs[0].name} to 1 from 2`,
    `Scaled up replica set ${fresh.name} to 3 from 2`,
    `Scaled down replica set ${rs[0].name} to 0 from 1`,
  ]);

  // Rolling back: a typo'd image never pulls, the rollout gets stuck
  r = k('set', 'image', 'deployment.v1.apps/nginx-deployment', 'nginx=nginx:1.161', '--record=true');
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment image updated\n');
  r = k('rollout', 'status', 'deployment.v1.apps/nginx-deployment', '--timeout=20s');
  assert.equal(r.status, 1);
  assert.equal(r.stdout, 'Waiting for deployment "nginx-deployment" rollout to finish: 1 out of 3 new replicas have been updated...\n');
  assert.equal(r.stderr, 'error: timed out waiting for the condition\n');
  sets = rsRows(k('get', 'rs').stdout);
  const stuck = sets.find((s) => s.name !== rs[0].name && s.name !== fresh.name)!;
  assert.deepEqual([stuck.desired, stuck.current, stuck.ready], [1, 1, 0]);
  assert.deepEqual(sets.find((s) => s.name === fresh.name), { name: fresh.name, desired: 3, current: 3, ready: 3 });
  assert.match(k('get', 'pods').stdout, new RegExp(`^${stuck.name}-${SFX}\\s+0/1\\s+(ImagePullBackOff|ErrImagePull)\\s+0\\s+\\d+s$`, 'm'));
  r = k('rollout', 'history', 'deployment.v1.apps/nginx-deployment');
  assert.equal(
    r.stdout,
    'deployment.apps/nginx-deployment \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kubectl deployment.apps/nginx-deployment set image deployment.v1.apps/nginx-deployment nginx=nginx:1.16.1 --record=true\n3         kubectl set image deployment.v1.apps/nginx-deployment nginx=nginx:1.161 --record=true\n\n',
  );
  // A change-cause this long (over 140 characters with its key) is printed on its own line.
  r = k('rollout', 'history', 'deployment.v1.apps/nginx-deployment', '--revision=2');
  assert.match(r.stdout, /^deployment\.apps\/nginx-deployment with revision #2\nPod Template:\n {2}Labels:\tapp=nginx\n\tpod-template-hash=\S+\n {2}Annotations:\tkubernetes\.io\/change-cause:\n\t {2}kubectl deployment\.apps\/nginx-deployment set image deployment\.v1\.apps\/nginx-deployment nginx=nginx:1\.16\.1 --record=true\n {2}Containers:\n {3}nginx:\n {4}Image:\tnginx:1\.16\.1\n/);
  r = k('rollout', 'undo', 'deployment.v1.apps/nginx-deployment');
  assert.equal(r.stdout, 'deployment.apps/nginx-deployment rolled back\n');
  assert.match(k('rollout', 'status', 'deployment/nginx-deployment').stdout, /successfully rolled out\n$/);
  assert.match(k('get', 'deployment', 'nginx-deployment').stdout, /^nginx-deployment\s+3\/3\s+3\s+3\s+\d+s$/m);
  r = k('rollout', 'history', 'deployment/nginx-deployment');
  assert.match(r.stdout, /\n1\s+<none>\n3\s+kubectl set image .*nginx:1\.161 --record=true\n4\s+kubectl deployment\.apps\/nginx-deployment set image .*nginx:1\.16\.1 --record=true\n\n$/);
  assert.equal(k('get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}').stdout, '4');
  r = k('rollout', 'undo', 'deployment/nginx-deployment', '--to-revision=2');
  assert.equal(r.stderr, 'error: unable to find specified revision 2 in history\n');

  // Scaling
  assert.equal(k('scale', 'deployment.v1.apps/nginx-deployment', '--replicas=10').stdout, 'deployment.apps/nginx-deployment scaled\n');
  assert.match(k('rollout', 'status', 'deployment/nginx-deployment').stdout, /successfully rolled out\n$/);
  assert.match(k('get', 'deployment', 'nginx-deployment').stdout, /^nginx-deployment\s+10\/10\s+10\s+10\s+\d+s$/m);
  assert.equal(
    k('autoscale', 'deployment.v1.apps/nginx-deployment', '--min=10', '--max=15', '--cpu-percent=80').stdout,
    'horizontalpodautoscaler.autoscaling/nginx-deployment autoscaled\n',
  );
  assert.match(k('get', 'hpa').stdout, /^nginx-deployment\s+Deployment\/nginx-deployment\s+cpu: \S+\/80%\s+10\s+15\s+10\s+\d+s$/m);
  k('delete', 'hpa', 'nginx-deployment');
  k('scale', 'deployment/nginx-deployment', '--replicas=3');
  k('rollout', 'status', 'deployment/nginx-deployment');

  // Pausing and resuming
  assert.equal(k('rollout', 'pause', 'deployment/nginx-deployment').stdout, 'deployment.apps/nginx-deployment paused\n');
  assert.equal(k('rollout', 'pause', 'deployment/nginx-deployment').stderr, 'error: deployments.apps "nginx-deployment" is already paused\n');
  k('set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:1.25');
  assert.equal(rsRows(k('get', 'rs').stdout).length, 3, 'a paused deployment does not roll out');
  assert.equal(k('rollout', 'resume', 'deployment/nginx-deployment').stdout, 'deployment.apps/nginx-deployment resumed\n');
  assert.match(k('rollout', 'status', 'deployment/nginx-deployment').stdout, /successfully rolled out\n$/);
  assert.equal(rsRows(k('get', 'rs').stdout).length, 4);

  // Progress deadline
  k('set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:sometag');
  k('sim', 'advance', '10m');
  r = k('rollout', 'status', 'deployment/nginx-deployment');
  assert.equal(r.status, 1);
  assert.equal(r.stderr, 'error: deployment "nginx-deployment" exceeded its progress deadline\n');
  assert.equal(
    k('get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.status.conditions[?(@.type=="Progressing")].reason}').stdout,
    'ProgressDeadlineExceeded',
  );
});

test('delete cascades: orphan keeps dependents, foreground removes them first', () => {
  const { k } = cluster();
  k('apply', '-f', URL);
  k('sim', 'advance', '20s');
  let r = k('delete', 'deployment', 'nginx-deployment', '--cascade=orphan');
  assert.equal(r.stdout, 'deployment.apps "nginx-deployment" deleted\n');
  const rs = k('get', 'rs', '-o', 'name').stdout.trim();
  assert.match(rs, /^replicaset\.apps\/nginx-deployment-\S+$/);
  assert.equal(k('get', 'rs', '-o', 'jsonpath={.items[0].metadata.ownerReferences}').stdout, '');
  assert.equal(k('get', 'pods', '-o', 'name').stdout.trim().split('\n').length, 3);

  k('apply', '-f', URL);
  k('sim', 'advance', '20s');
  r = k('delete', 'deployment', 'nginx-deployment', '--cascade=foreground', '--wait=false');
  assert.equal(r.stdout, 'deployment.apps "nginx-deployment" deleted\n');
  // While its dependents go, the Deployment is still there with the foreground finalizer.
  assert.equal(k('get', 'deploy', 'nginx-deployment', '-o', 'jsonpath={.metadata.finalizers}').stdout, '["foregroundDeletion"]');
  k('sim', 'advance', '5s');
  assert.equal(k('get', 'deploy', 'nginx-deployment', '--ignore-not-found').stdout, '');
  assert.equal(k('get', 'pods', '-l', 'app=nginx', '-o', 'name').stdout, '');
});
