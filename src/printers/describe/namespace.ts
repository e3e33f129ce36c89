import type { LimitRange, LimitRangeSpec, Namespace, ResourceQuota } from 'kubernetes-types/core/v1';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import type { Writer } from './engine';
import { LEVEL_0, LEVEL_1, rfc1123z, stableSort, tabbed } from './engine';
import type { DescribeContext } from './common';
import { printMeta } from './common';
import { Quantity, ZERO, parseQ, quantityString, value } from './quantity';

// Namespace (with its quotas and limit ranges), ResourceQuota and LimitRange.

const SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function quotaScopes(q: ResourceQuota): string[] {
  return [...(q.spec?.scopes ?? [])].sort();
}

function describeResourceQuotas(w: Writer, quotas: ResourceQuota[]): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of stableSort(quotas, (a, b) => (a.metadata?.name ?? '') < (b.metadata?.name ?? ''))) {
    w.write(LEVEL_1, `Name:\t${q.metadata?.name}\n`);
    const scopes = quotaScopes(q);
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_1, `* ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    const hard = q.status?.hard ?? {};
    for (const r of Object.keys(hard).sort()) {
      w.write(LEVEL_1, `${r}\t${quantityString(q.status?.used?.[r])}\t${quantityString(hard[r])}\n`);
    }
  }
}

// describeLimitRangeSpec: one row per type and resource ('-' where unset).
// kubectl walks a map here; resources are sorted for a stable order.
function describeLimitRangeSpec(w: Writer, spec: LimitRangeSpec | undefined, prefix: string): void {
  for (const item of spec?.limits ?? []) {
    const columns = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio];
    const names = new Set<string>();
    for (const list of [item.max, item.min, item.default, item.defaultRequest, item.maxLimitRequestRatio]) {
      for (const k of Object.keys(list ?? {})) names.add(k);
    }
    for (const name of [...names].sort()) {
      const cells = columns.map((list) => (list && name in list ? quantityString(list[name]) : '-'));
      w.write(LEVEL_0, `${prefix}${item.type}\t${name}\t${cells.join('\t')}\n`);
    }
  }
}

const LIMIT_HEADER = 'Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n';
const LIMIT_RULE = '----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n';

function describeLimitRanges(w: Writer, ranges: LimitRange[]): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, `Resource Limits\n ${LIMIT_HEADER}`);
  w.write(LEVEL_0, ` ${LIMIT_RULE}`);
  for (const r of ranges) describeLimitRangeSpec(w, r.spec, ' ');
}

export function describeNamespace(obj: KubeObject, ctx: DescribeContext): string {
  const ns = obj as unknown as Namespace;
  const name = obj.metadata.name ?? '';
  const quotas = ctx.api.peekList(kind('ResourceQuota'), { namespace: name }) as unknown as ResourceQuota[];
  const ranges = ctx.api.peekList(kind('LimitRange'), { namespace: name }) as unknown as LimitRange[];
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    printMeta(w, obj);
    w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
    const conditions = ns.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        w.write(LEVEL_1, `${c.type}\t${c.status}\t${rfc1123z(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, '\n');
    describeResourceQuotas(w, quotas);
    w.write(LEVEL_0, '\n');
    describeLimitRanges(w, ranges);
  });
}

export function describeResourceQuota(obj: KubeObject): string {
  const q = obj as unknown as ResourceQuota;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    const scopes = quotaScopes(q);
    if (scopes.length > 0) {
      w.write(LEVEL_0, `Scopes:\t${scopes.join(', ')}\n`);
      for (const s of scopes) if (SCOPE_HELP[s]) w.write(LEVEL_0, ` * ${SCOPE_HELP[s]}\n`);
    }
    w.write(LEVEL_0, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_0, '--------\t----\t----\n');
    const hard = q.status?.hard ?? {};
    for (const r of Object.keys(hard).sort()) {
      const h = parseQ(hard[r]) ?? ZERO;
      let used = parseQ(q.status?.used?.[r]) ?? ZERO;
      // Used is shown in the hard limit's format (as whole units).
      if (used.format !== h.format) used = new Quantity(BigInt(value(used)), 0, h.format);
      w.write(LEVEL_0, `${r}\t${used.toString()}\t${h.toString()}\n`);
    }
  });
}

export function describeLimitRange(obj: KubeObject): string {
  const lr = obj as unknown as LimitRange;
  return tabbed((w) => {
    w.write(LEVEL_0, `Name:\t${obj.metadata.name}\n`);
    w.write(LEVEL_0, `Namespace:\t${obj.metadata.namespace}\n`);
    w.write(LEVEL_0, LIMIT_HEADER);
    w.write(LEVEL_0, LIMIT_RULE);
    describeLimitRangeSpec(w, lr.spec, '');
  });
}
