import type { Command, CommandContext } from '../command';
import type { FlagDef } from '../flags';
import type { ApiServer } from '../../api/server';
import { kind } from '../../api/registry';
import { StatusError } from '../../api/errors';
import { parseFieldSelector, parseLabelSelector } from '../../api/selectors';
import { parseTime } from '../../sim/clock';
import { parseQuantity } from '../../util/quantity';
import { tabwrite, TABLE_OPTIONS } from '../../printers/tabwriter';
import { goDuration } from '../../util/go-duration';
import { metricsAvailable, nodeMetrics, podMetrics } from '../../cluster/addons/metrics';
import type { PodUsage } from '../../cluster/addons/metrics';
import { CliError } from '../errors';

// kubectl top pod|node: usage from the Metrics API, which the simulated
// metrics-server serves once it has run a while (cluster/addons/metrics.ts),
// printed as kubectl's metricsutil prints it (every cell, the last included,
// ends with a tab, so lines keep their trailing padding).

const METRICS_CREATION_DELAY_MS = 2 * 60_000;

function noMetricsApi(): CliError {
  return new CliError('error: Metrics API not available');
}

function sortBy(ctx: CommandContext): '' | 'cpu' | 'memory' {
  const by = ctx.flags.str('sort-by');
  if (by !== '' && by !== 'cpu' && by !== 'memory') throw new CliError('error: --sort-by accepts only cpu or memory');
  return by;
}

function selectors(ctx: CommandContext): { labelSelector?: ReturnType<typeof parseLabelSelector>; fieldSelector?: ReturnType<typeof parseFieldSelector> } {
  try {
    return {
      labelSelector: ctx.flags.str('selector') ? parseLabelSelector(ctx.flags.str('selector')) : undefined,
      fieldSelector: ctx.flags.has('field-selector') && ctx.flags.str('field-selector') ? parseFieldSelector(ctx.flags.str('field-selector')) : undefined,
    };
  } catch (e) {
    throw new CliError(`error: ${(e as Error).message}`);
  }
}

function cpu(milli: number): string {
  return `${milli}m`;
}

function memory(bytes: number): string {
  return `${Math.floor(bytes / (1024 * 1024))}Mi`;
}

function podTotals(p: PodUsage): { cpu: number; memory: number } {
  return p.containers.reduce((t, c) => ({ cpu: t.cpu + c.cpuMilli, memory: t.memory + c.memoryBytes }), { cpu: 0, memory: 0 });
}

// verifyEmptyMetrics: no metrics yet, or pods old enough that there should be.
function emptyMetricsError(api: ApiServer, namespace: string | undefined, sel: ReturnType<typeof selectors>): CliError | undefined {
  const pods = api.peekList(kind('Pod'), { namespace, ...sel });
  if (pods.length === 0) return undefined;
  const now = api.now();
  for (const p of pods) {
    const age = now - (parseTime(p.metadata.creationTimestamp) ?? now);
    if (age > METRICS_CREATION_DELAY_MS) return new CliError(`error: Metrics not available for pod ${p.metadata.namespace}/${p.metadata.name}, age: ${goDuration(age)}`);
  }
  return new CliError('error: metrics not available yet');
}

function runTopPod(ctx: CommandContext): number {
  if (ctx.args.length > 1) throw new CliError("error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples");
  const by = sortBy(ctx);
  const name = ctx.args[0];
  if (name && (ctx.flags.str('selector') || ctx.flags.str('field-selector'))) throw new CliError('error: only one of NAME or selector can be provided');
  const all = ctx.flags.bool('all-namespaces');
  const namespace = all ? undefined : ctx.namespace();
  const sel = selectors(ctx);
  const noHeaders = ctx.flags.bool('no-headers');
  const containers = ctx.flags.bool('containers');
  const result = ctx.session().read((api) => {
    if (!metricsAvailable(api)) throw noMetricsApi();
    let metrics = podMetrics(api, { namespace, ...sel });
    if (name) {
      metrics = metrics.filter((m) => m.name === name);
      if (metrics.length === 0) {
        throw new StatusError(404, 'NotFound', `podmetrics.metrics.k8s.io "${namespace ?? ''}/${name}" not found`, { name, group: 'metrics.k8s.io', kind: 'pods' });
      }
    }
    if (metrics.length === 0) {
      const err = emptyMetricsError(api, namespace, sel);
      if (err) throw err;
    }
    return metrics;
  });
  if (result.length === 0) {
    ctx.io.err(all ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n`);
    return 0;
  }
  const totals = new Map(result.map((m) => [m, podTotals(m)]));
  const sorted = [...result].sort((a, b) => {
    if (by === 'cpu') return totals.get(b)!.cpu - totals.get(a)!.cpu;
    if (by === 'memory') return totals.get(b)!.memory - totals.get(a)!.memory;
    if (all && a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  const lines: string[] = [];
  // Columns are counted only when headers are printed (as metricsutil does).
  let columns = 3;
  if (!noHeaders) {
    const head: string[] = [];
    if (all) {
      head.push('NAMESPACE');
      columns++;
    }
    if (containers) {
      head.push('POD');
      columns++;
    }
    lines.push(`${[...head, 'NAME', 'CPU(cores)', 'MEMORY(bytes)'].join('\t')}\t`);
  }
  for (const m of sorted) {
    const ns = all ? [m.namespace] : [];
    if (containers) {
      const cs = [...m.containers].sort((a, b) =>
        by === 'cpu' ? b.cpuMilli - a.cpuMilli : by === 'memory' ? b.memoryBytes - a.memoryBytes : a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
      for (const c of cs) lines.push(`${[...ns, m.name, c.name, cpu(c.cpuMilli), memory(c.memoryBytes)].join('\t')}\t`);
    } else {
      const t = totals.get(m)!;
      lines.push(`${[...ns, m.name, cpu(t.cpu), memory(t.memory)].join('\t')}\t`);
    }
  }
  if (ctx.flags.bool('sum')) {
    const sum = result.reduce((acc, m) => ({ cpu: acc.cpu + totals.get(m)!.cpu, memory: acc.memory + totals.get(m)!.memory }), { cpu: 0, memory: 0 });
    lines.push(`${'\t'.repeat(Math.max(0, columns - 2))}________\t________\t`);
    lines.push(`${'\t'.repeat(Math.max(0, columns - 3))}\t${cpu(sum.cpu)}\t${memory(sum.memory)}\t`);
  }
  ctx.io.out(tabwrite(`${lines.join('\n')}\n`, TABLE_OPTIONS));
  return 0;
}

function runTopNode(ctx: CommandContext): number {
  if (ctx.args.length > 1) throw new CliError("error: node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples");
  const by = sortBy(ctx);
  const name = ctx.args[0];
  if (name && ctx.flags.str('selector')) throw new CliError('error: only one of NAME or --selector can be provided');
  const sel = selectors(ctx);
  const capacity = ctx.flags.bool('show-capacity');
  const rows = ctx.session().read((api) => {
    if (!metricsAvailable(api)) throw noMetricsApi();
    let metrics = nodeMetrics(api, { labelSelector: sel.labelSelector });
    if (name) {
      metrics = metrics.filter((m) => m.name === name);
      if (metrics.length === 0) throw new StatusError(404, 'NotFound', `nodemetrics.metrics.k8s.io "${name}" not found`, { name, group: 'metrics.k8s.io', kind: 'nodes' });
    }
    if (metrics.length === 0) throw new CliError('error: metrics not available yet');
    return metrics.map((m) => {
      const node = api.get(kind('Node'), undefined, m.name);
      const available = ((node.status as Record<string, Record<string, string>> | undefined)?.[capacity ? 'capacity' : 'allocatable'] ?? {});
      return { ...m, cpuAvail: Math.round((parseQuantity(available.cpu ?? '0') ?? 0) * 1000), memAvail: parseQuantity(available.memory ?? '0') ?? 0 };
    });
  });
  rows.sort((a, b) => (by === 'cpu' ? b.cpuMilli - a.cpuMilli : by === 'memory' ? b.memoryBytes - a.memoryBytes : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const pct = (used: number, avail: number) => `${Math.trunc((used / avail) * 100)}%`;
  const lines: string[] = [];
  if (!ctx.flags.bool('no-headers')) lines.push('NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t');
  for (const r of rows) {
    lines.push(`${r.name}\t${cpu(r.cpuMilli)}\t${pct(r.cpuMilli, r.cpuAvail)}\t${memory(r.memoryBytes)}\t${pct(r.memoryBytes, r.memAvail)}\t`);
  }
  ctx.io.out(tabwrite(`${lines.join('\n')}\n`, TABLE_OPTIONS));
  return 0;
}

const COMMON_FLAGS: FlagDef[] = [
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'sort-by', kind: 'string' },
  { name: 'no-headers', kind: 'bool' },
  { name: 'use-protocol-buffers', kind: 'bool', default: true },
];

export const command: Command = {
  flags: [
    ...COMMON_FLAGS,
    { name: 'field-selector', kind: 'string' },
    { name: 'containers', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'sum', kind: 'bool' },
  ],
  run: runTopPod,
};

export const nodeCommand: Command = {
  flags: [...COMMON_FLAGS, { name: 'show-capacity', kind: 'bool' }],
  run: runTopNode,
};
