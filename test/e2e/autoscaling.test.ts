import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { cluster } from '../helpers/kubemu';

// The horizontal pod autoscaler: without the Metrics API it keeps the target
// within [min, max] and says why it cannot do more; with metrics-server it
// follows the pods' CPU utilization, scale-up limited per period.

function hpaRow(k: (...a: string[]) => { stdout: string }): string[] {
  return k('get', 'hpa', '--no-headers').stdout.trim().split(/\s{2,}/);
}

describe('kubectl autoscale', () => {
  it('without metrics: enforces the minimum and reports the missing Metrics API', () => {
    const { k } = cluster();
    k('create', 'deployment', 'web', '--image=nginx', '--replicas=1');
    assert.equal(k('autoscale', 'deployment', 'web', '--min=3', '--max=5', '--cpu-percent=50').stdout, 'horizontalpodautoscaler.autoscaling/web autoscaled\n');
    k('sim', 'advance', '20s');
    assert.deepEqual(hpaRow(k).slice(0, 6), ['web', 'Deployment/web', 'cpu: <unknown>/50%', '3', '5', '3']);
    const d = k('describe', 'hpa', 'web').stdout;
    assert.match(d, /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource \(get pods\.metrics\.k8s\.io\)/);
    assert.match(d, /Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: 3; reason: Current number of replicas below Spec\.MinReplicas/);
  });

  it('with metrics-server: scales up by the CPU utilization, at most doubling (or +4) per period, up to max', () => {
    const { k } = cluster();
    assert.equal(k('minikube', 'start').status, 0);
    assert.equal(k('minikube', 'addons', 'enable', 'metrics-server').status, 0);
    k('sim', 'advance', '90s');
    // stress uses a whole CPU while each pod requests 200m: 500% of request.
    k('create', 'deployment', 'busy', '--image=polinux/stress', '--', 'stress', '--cpu', '1');
    k('set', 'resources', 'deployment', 'busy', '--requests=cpu=200m');
    k('autoscale', 'deployment', 'busy', '--min=1', '--max=8', '--cpu-percent=50');
    k('sim', 'advance', '100s');
    const row = hpaRow(k);
    assert.equal(row[2], 'cpu: 500%/50%');
    const sizes = [...k('describe', 'hpa', 'busy').stdout.matchAll(/New size: (\d+); reason: cpu resource utilization \(percentage of request\) above target/g)].map((m) => Number(m[1]));
    assert.ok(sizes.length >= 2, sizes.join(','));
    assert.equal(sizes[0], 5, 'from 1: ten wanted, the policy allows max(2x, +4) = 5');
    assert.equal(sizes[sizes.length - 1], 8, 'capped at max');
    assert.equal(k('get', 'deployment', 'busy', '-o', 'jsonpath={.spec.replicas}').stdout, '8');
    assert.match(k('describe', 'hpa', 'busy').stdout, /ScalingLimited\s+True\s+TooManyReplicas\s+the desired replica count is more than the maximum replica count/);
  });
});
