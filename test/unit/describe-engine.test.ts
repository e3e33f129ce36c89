import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1';
import { PrefixWriter, goTimeString, goValue, rfc1123z, since, tabbed } from '../../src/printers/describe/engine';
import { describeEvents, printAnnotationsMultiline, printLabelsMultiline, printTaintsMultiline, printTolerationsMultiline } from '../../src/printers/describe/common';
import { addQ, milliValue, parseQ, quantityString, value } from '../../src/printers/describe/quantity';
import { describeProbe } from '../../src/printers/describe/containers';
import { smartLabelFor } from '../../src/printers/describe/generic';
import { formatEndpointSlices } from '../../src/printers/describe/service';
import { podQOS } from '../../src/printers/describe/pod';
import { podRequestsAndLimits } from '../../src/printers/describe/node';

// The pieces describers are built from: Go time layouts, the prefix writer and
// its tabwriter flushes, the multi-line label/annotation/taint/toleration
// printers, quantities, probes, generic labels, endpoints and QoS.

process.env.TZ = 'UTC';

function withTZ<T>(tz: string, fn: () => T): T {
  const before = process.env.TZ;
  process.env.TZ = tz;
  try {
    return fn();
  } finally {
    process.env.TZ = before;
  }
}

describe('describe engine: times', () => {
  it('RFC1123Z in the local zone, Go zero time for a missing timestamp', () => {
    assert.equal(rfc1123z('2026-11-23T06:28:58Z'), 'Mon, 23 Nov 2026 06:28:58 +0000');
    assert.equal(rfc1123z('2026-11-20T02:48:37.123456Z'), 'Fri, 20 Nov 2026 02:48:37 +0000');
    assert.equal(rfc1123z(undefined), 'Mon, 01 Jan 0001 00:00:00 +0000');
    assert.equal(rfc1123z(null), 'Mon, 01 Jan 0001 00:00:00 +0000');
    assert.equal(
      withTZ('America/New_York', () => rfc1123z('2026-11-23T06:28:58Z')),
      'Mon, 23 Nov 2026 01:28:58 -0500',
    );
    assert.equal(
      withTZ('Asia/Kolkata', () => rfc1123z('2026-07-01T23:59:59Z')),
      'Thu, 02 Jul 2026 05:29:59 +0530',
    );
  });

  it("Go's Time.String() (NetworkPolicy's Created on)", () => {
    assert.equal(goTimeString('2026-11-23T09:26:37Z'), '2026-11-23 09:26:37 +0000 UTC');
    assert.equal(goTimeString(undefined), '0001-01-01 00:00:00 +0000 UTC');
    assert.equal(withTZ('America/New_York', () => goTimeString('2026-07-01T12:00:00Z')), '2026-07-01 08:00:00 -0400 EDT');
  });

  it('ages: HumanDuration, <unknown> without a time, <invalid> in the future', () => {
    const now = Date.parse('2026-11-23T06:48:39Z');
    assert.equal(since('2026-11-23T06:43:07Z', now), '5m32s');
    assert.equal(since(undefined, now), '<unknown>');
    assert.equal(since('2026-11-23T06:49:39Z', now), '<invalid>');
  });
});

describe('describe engine: prefix writer', () => {
  it('indents two spaces per level and aligns tab-separated cells in contiguous blocks', () => {
    const text = tabbed((w) => {
      w.write(0, 'Name:\tx\n');
      w.write(0, 'Longer Name:\ty\n');
      w.write(0, 'Section:\n');
      w.write(1, 'A:\t1\n');
      w.write(0, 'Empty:\t\n');
    });
    assert.equal(text, 'Name:         x\nLonger Name:  y\nSection:\n  A:    1\nEmpty:  \n');
  });

  it('flush ends the column blocks: the events table is aligned on its own', () => {
    const w = new PrefixWriter();
    w.write(0, 'A very long title:\tvalue\n');
    describeEvents(
      w,
      [
        {
          metadata: {},
          involvedObject: {},
          type: 'Normal',
          reason: 'Started',
          message: ' Started container c ',
          source: { component: 'kubelet' },
          firstTimestamp: '2026-11-23T06:00:00Z',
          lastTimestamp: '2026-11-23T06:00:00Z',
          count: 1,
        },
      ],
      Date.parse('2026-11-23T06:01:00Z'),
    );
    assert.equal(
      w.toString(),
      'A very long title:  value\nEvents:\n  Type    Reason   Age   From     Message\n  ----    ------   ----  ----     -------\n  Normal  Started  60s   kubelet  Started container c\n',
    );
  });

  it('without events: `Events:  <none>` aligned with the block above', () => {
    const w = new PrefixWriter();
    w.write(0, 'Name:\tx\n');
    describeEvents(w, [], 0);
    assert.equal(w.toString(), 'Name:    x\nEvents:  <none>\n');
  });

  it('events: sorted by lastTimestamp (unset first), series and repeated counts, reporting controller as From', () => {
    const now = Date.parse('2026-11-23T07:00:00Z');
    const w = new PrefixWriter();
    describeEvents(
      w,
      [
        { metadata: {}, involvedObject: {}, type: 'Warning', reason: 'BackOff', message: 'm1', source: { component: 'kubelet' }, firstTimestamp: '2026-11-23T04:00:00Z', lastTimestamp: '2026-11-23T06:59:00Z', count: 812 },
        { metadata: {}, involvedObject: {}, type: 'Normal', reason: 'Scheduled', message: 'm2', source: {}, reportingComponent: 'default-scheduler', eventTime: '2026-11-23T06:50:00.500000Z' },
        { metadata: {}, involvedObject: {}, type: 'Normal', reason: 'Series', message: 'm3', source: {}, reportingComponent: 'x', eventTime: '2026-11-23T06:00:00.000000Z', series: { count: 4, lastObservedTime: '2026-11-23T06:58:00.000000Z' }, lastTimestamp: '2026-11-23T06:10:00Z' },
      ],
      now,
    );
    assert.equal(
      w.toString(),
      'Events:\n' +
        '  Type     Reason     Age                 From               Message\n' +
        '  ----     ------     ----                ----               -------\n' +
        '  Normal   Scheduled  9m59s               default-scheduler  m2\n' +
        '  Normal   Series     2m (x4 over 60m)    x                  m3\n' +
        '  Warning  BackOff    60s (x812 over 3h)  kubelet            m1\n',
    );
  });

  it('escapes terminal control characters', () => {
    assert.equal(tabbed((w) => w.write(0, 'a\x1b[31mred\r\n')), 'a^[[31mred\\r\n');
  });
});

describe('describe engine: multi-line sections', () => {
  it('labels: sorted, continuation lines aligned, <none> when empty', () => {
    assert.equal(
      tabbed((w) => printLabelsMultiline(w, 'Labels', { b: '2', a: '1' })),
      'Labels:  a=1\n         b=2\n',
    );
    assert.equal(tabbed((w) => printLabelsMultiline(w, 'Labels', {})), 'Labels:  <none>\n');
  });

  it('annotations: last-applied hidden, long values cut at 140 bytes, multi-line values indented', () => {
    const long = 'v'.repeat(200);
    const text = tabbed((w) =>
      printAnnotationsMultiline(w, 'Annotations', {
        'kubectl.kubernetes.io/last-applied-configuration': '{}',
        short: 'ok',
        long,
        multi: 'one\ntwo\n',
      }),
    );
    assert.equal(
      text,
      `Annotations:  long:\n                ${'v'.repeat(138)}...\n              multi:\n                one\n                two\n              short: ok\n`,
    );
    assert.equal(
      tabbed((w) => printAnnotationsMultiline(w, 'Annotations', { 'kubectl.kubernetes.io/last-applied-configuration': '{}' })),
      'Annotations:  <none>\n',
    );
  });

  it('taints sorted by effect then key; tolerations by key with op=Exists and seconds', () => {
    assert.equal(
      tabbed((w) =>
        printTaintsMultiline(w, 'Taints', [
          { key: 'b', effect: 'NoSchedule' },
          { key: 'a', value: 'x', effect: 'NoSchedule' },
          { key: 'c', effect: 'NoExecute' },
        ]),
      ),
      'Taints:  c:NoExecute\n         a=x:NoSchedule\n         b:NoSchedule\n',
    );
    assert.equal(
      tabbed((w) =>
        printTolerationsMultiline(w, 'Tolerations', [
          { key: 'k', operator: 'Equal', value: 'v', effect: 'NoSchedule' },
          { operator: 'Exists' },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        ]),
      ),
      'Tolerations:  op=Exists\n              k=v:NoSchedule\n              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n',
    );
  });
});

describe('describe engine: values', () => {
  it("quantities: Go's canonical String(), sums in the first operand's format, rounding up", () => {
    assert.equal(quantityString('0.5'), '500m');
    assert.equal(quantityString('1024Mi'), '1Gi');
    assert.equal(quantityString(undefined), '0');
    assert.equal(addQ(parseQ('100m')!, parseQ('0.25')!).toString(), '350m');
    assert.equal(addQ(parseQ('1Gi')!, parseQ('512Mi')!).toString(), '1536Mi');
    assert.equal(addQ(parseQ('64Mi')!, parseQ('1M')!).toString(), '68108864');
    assert.equal(milliValue(parseQ('1n')!), 1);
    assert.equal(value(parseQ('1500m')!), 2);
    assert.equal(value(parseQ('2015004Ki')!), 2063364096);
  });

  it('probes: http-get URL, tcp-socket, exec, grpc', () => {
    const timing = { initialDelaySeconds: 3, timeoutSeconds: 1, periodSeconds: 3, successThreshold: 1, failureThreshold: 3 };
    const attrs = 'delay=3s timeout=1s period=3s #success=1 #failure=3';
    assert.equal(describeProbe({ httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, ...timing }), `http-get http://:8080/healthz ${attrs}`);
    assert.equal(describeProbe({ httpGet: { path: 'a b', port: 'web', host: 'fd00::1', scheme: 'HTTPS' }, ...timing }), `http-get https://[fd00::1]:web/a%20b ${attrs}`);
    assert.equal(describeProbe({ tcpSocket: { port: 5432 }, ...timing }), `tcp-socket :5432 ${attrs}`);
    assert.equal(describeProbe({ exec: { command: ['cat', '/tmp/healthy'] }, ...timing }), `exec [cat /tmp/healthy] ${attrs}`);
    assert.equal(describeProbe({ grpc: { port: 9000, service: 'health' }, ...timing }), `grpc <pod>:9000 health ${attrs}`);
  });

  it("generic describer labels: camel case split, acronyms upper-cased, other names as they are", () => {
    assert.equal(smartLabelFor('apiVersion'), 'API Version');
    assert.equal(smartLabelFor('creationTimestamp'), 'Creation Timestamp');
    assert.equal(smartLabelFor('uid'), 'UID');
    assert.equal(smartLabelFor('podCIDRs'), 'Pod CID Rs');
    assert.equal(smartLabelFor('PDFLoader'), 'PDF Loader');
    assert.equal(smartLabelFor('k8s.io/name'), 'k8s.io/name');
    assert.equal(goValue([['a', 1], { b: null }]), '[[a 1] map[b:<nil>]]');
  });

  it('service endpoints: ready (or unknown) addresses of the matching port, three then "+ N more"', () => {
    const slice = (ips: string[], ready?: boolean): EndpointSlice => ({
      addressType: 'IPv4',
      endpoints: ips.map((ip) => ({ addresses: [ip], conditions: ready === undefined ? {} : { ready } })),
      ports: [{ name: 'http', port: 80 }],
    });
    assert.equal(formatEndpointSlices([], 'http'), '<none>');
    assert.equal(formatEndpointSlices([slice(['10.0.0.1'], false)], 'http'), '');
    assert.equal(formatEndpointSlices([slice(['10.0.0.1', '10.0.0.2'])], 'other'), '');
    assert.equal(
      formatEndpointSlices([slice(['10.0.0.1', '10.0.0.2']), slice(['10.0.0.3', '10.0.0.4', '10.0.0.5'], true)], 'http'),
      '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...',
    );
  });

  it('QoS class and the requests a node counts for a pod', () => {
    const pod = (containers: object[], extra: object = {}): Pod => ({ spec: { containers, ...extra } }) as Pod;
    assert.equal(podQOS(pod([{ name: 'a' }])), 'BestEffort');
    assert.equal(podQOS(pod([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' } } }])), 'Burstable');
    assert.equal(
      podQOS(pod([{ name: 'a', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } } }])),
      'Guaranteed',
    );
    assert.equal(podQOS({ ...pod([{ name: 'a' }]), status: { qosClass: 'Guaranteed' } }), 'Guaranteed');
    const { requests, limits } = podRequestsAndLimits(
      pod(
        [
          { name: 'a', resources: { requests: { cpu: '100m' }, limits: { memory: '128Mi' } } },
          { name: 'b', resources: { requests: { cpu: '200m', memory: '64Mi' } } },
        ],
        {
          initContainers: [
            { name: 'init', resources: { requests: { cpu: '1' } } },
            { name: 'sidecar', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
          ],
          overhead: { cpu: '10m', memory: '1Mi' },
        },
      ),
    );
    assert.equal(requests.get('cpu')!.toString(), '1010m');
    assert.equal(requests.get('memory')!.toString(), '65Mi');
    assert.equal(limits.get('memory')!.toString(), '129Mi');
  });
});
