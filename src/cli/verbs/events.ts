import type { Command } from '../command';
import type { KubeObject } from '../../api/types';
import { kind } from '../../api/registry';
import { resolveResource } from '../../api/kinds';
import { CliError } from '../errors';
import { OUTPUT_FLAGS, forDisplay, parseFormat, renderObject } from '../output';
import { tabwrite, TABLE_OPTIONS } from '../../printers/tabwriter';
import { age } from '../../printers/duration';
import { sleepHost } from '../waiting';

// kubectl events: the namespace's events in time order, with kubectl's own
// event printer (OBJECT is Kind/name; repeats read `2m (x3 over 5m)`).

interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  involvedObject?: { kind?: string; name?: string; namespace?: string };
}

function when(e: EventLike): number {
  return Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;
}

function interval(e: EventLike, now: number): string {
  const first = e.firstTimestamp ? age(e.firstTimestamp, now) : age(e.eventTime, now);
  const last = e.lastTimestamp ? age(e.lastTimestamp, now) : first;
  return (e.count ?? 0) > 1 ? `${last} (x${e.count} over ${first})` : first;
}

export const command: Command = {
  flags: [
    ...OUTPUT_FLAGS,
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'for', kind: 'string' },
    { name: 'types', kind: 'stringSlice' },
    { name: 'no-headers', kind: 'bool' },
    { name: 'watch', short: 'w', kind: 'bool' },
    { name: 'chunk-size', kind: 'int', default: 500 },
  ],
  run(ctx) {
    const flags = ctx.flags;
    const format = parseFormat(flags);
    const all = flags.bool('all-namespaces');
    const namespace = all ? undefined : ctx.namespace();
    const types = flags.list('types');
    for (const t of types) {
      if (t !== 'Normal' && t !== 'Warning') throw new CliError(`error: valid --types are Normal or Warning`);
    }
    let forKind: string | undefined;
    let forName: string | undefined;
    if (flags.str('for')) {
      const [typed, name] = flags.str('for').split('/');
      const r = resolveResource(typed);
      if ('error' in r) throw new CliError(`error: ${r.error}`);
      forKind = r.kind.kind;
      forName = name;
    }
    const select = (e: KubeObject) => {
      const ev = e as unknown as EventLike;
      if (types.length > 0 && !types.includes(ev.type ?? '')) return false;
      if (forKind && (ev.involvedObject?.kind !== forKind || ev.involvedObject?.name !== forName)) return false;
      return true;
    };
    const session = ctx.session();
    const { events, now } = session.read((api) => ({
      events: api.list(kind('Event'), { namespace }).filter(select).sort((a, b) => when(a as never) - when(b as never)),
      now: api.now(),
    }));
    if (format.kind !== 'default') {
      ctx.io.out(renderObject(format, { apiVersion: 'v1', items: events.map((e) => forDisplay(e, flags)), kind: 'List', metadata: { resourceVersion: '' } }));
      return 0;
    }
    const row = (e: KubeObject, t: number) => {
      const ev = e as unknown as EventLike;
      return [
        ...(all ? [e.metadata.namespace ?? ''] : []),
        interval(ev, t),
        ev.type ?? '',
        ev.reason ?? '',
        `${ev.involvedObject?.kind ?? ''}/${ev.involvedObject?.name ?? ''}`,
        (ev.message ?? '').trim(),
      ].join('\t');
    };
    const header = [...(all ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'].join('\t');
    const remembered: number[] = [];
    if (events.length === 0 && !flags.bool('watch')) {
      ctx.io.err(all ? 'No events found.\n' : `No events found in ${namespace} namespace.\n`);
      return 0;
    }
    const lines = [...(flags.bool('no-headers') ? [] : [header]), ...events.map((e) => row(e, now))];
    if (events.length > 0) ctx.io.out(tabwrite(`${lines.join('\n')}\n`, { ...TABLE_OPTIONS, remembered }));
    if (!flags.bool('watch')) return 0;
    const seen = new Map(events.map((e) => [e.metadata.uid, e.metadata.resourceVersion]));
    for (;;) {
      sleepHost(200);
      const next = session.read((api) => ({ events: api.list(kind('Event'), { namespace }).filter(select), now: api.now() }));
      const fresh = next.events.filter((e) => seen.get(e.metadata.uid) !== e.metadata.resourceVersion).sort((a, b) => when(a as never) - when(b as never));
      if (fresh.length === 0) continue;
      const out = [...(seen.size === 0 && !flags.bool('no-headers') ? [header] : []), ...fresh.map((e) => row(e, next.now))];
      for (const e of fresh) seen.set(e.metadata.uid, e.metadata.resourceVersion);
      ctx.io.out(tabwrite(`${out.join('\n')}\n`, { ...TABLE_OPTIONS, remembered }));
    }
  },
};
