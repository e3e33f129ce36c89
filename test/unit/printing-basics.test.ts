import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanDuration } from '../../src/printers/duration';
import { tabwrite, TABLE_OPTIONS, DESCRIBE_OPTIONS } from '../../src/printers/tabwriter';
import { podRow } from '../../src/printers/table/pods';
import type { KubeObject } from '../../src/api/types';

test('HumanDuration boundaries (apimachinery duration.go)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const cases: [number, string][] = [
    [-2 * s, '<invalid>'],
    [-1 * s, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [2 * m + 30 * s, '2m30s'],
    [9 * m + 59 * s, '9m59s'],
    [10 * m, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [3 * h + 5 * m, '3h5m'],
    [8 * h, '8h'],
    [47 * h, '47h'],
    [48 * h, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [3 * 365 * d + 100 * d, '3y100d'],
    [8 * 365 * d, '8y'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, String(ms));
});

test('tabwriter: kubectl get table layout', () => {
  assert.equal(tabwrite('NAME\tREADY\tAGE\nweb\t1/1\t5s\n', TABLE_OPTIONS), 'NAME   READY   AGE\nweb    1/1     5s\n');
  // With no header the widths come from the data; minwidth 6 still holds.
  assert.equal(tabwrite('a\tb\tc\n', TABLE_OPTIONS), 'a     b     c\n');
});

test('tabwriter: describe blocks end at lines without a tab', () => {
  const text = 'Name:\tweb\nNamespace:\tdefault\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tRS/x\n';
  assert.equal(tabwrite(text, DESCRIBE_OPTIONS), 'Name:       web\nNamespace:  default\nIPs:\n  IP:           10.0.0.1\nControlled By:  RS/x\n');
});

test('pod STATUS, READY and RESTARTS as kubectl computes them', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  const pod = (status: unknown, extra: Record<string, unknown> = {}): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...extra }, spec: { containers: [{ name: 'c' }], initContainers: (extra.inits as unknown[]) ?? undefined }, status }) as KubeObject;
  assert.deepEqual(podRow(pod({ phase: 'Pending' }), now), { ready: '0/1', status: 'Pending', restarts: '0' });
  assert.equal(podRow(pod({ phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }), now).status, 'ContainerCreating');
  const crash = podRow(
    pod({
      phase: 'Running',
      containerStatuses: [
        { name: 'c', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-11-23T09:58:30Z' } } },
      ],
    }),
    now,
  );
  assert.deepEqual(crash, { ready: '0/1', status: 'CrashLoopBackOff', restarts: '4 (90s ago)' });
  assert.equal(podRow(pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] }, { deletionTimestamp: '2026-11-23T10:00:30Z' }), now).status, 'Terminating');
  const init = podRow(
    pod(
      { phase: 'Pending', initContainerStatuses: [{ name: 'i1', ready: false, restartCount: 0, state: { running: {} } }, { name: 'i2', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] },
      { inits: [{ name: 'i1' }, { name: 'i2' }] },
    ),
    now,
  );
  assert.equal(init.status, 'Init:0/2');
  assert.equal(podRow(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }), now).status, 'Completed');
});
