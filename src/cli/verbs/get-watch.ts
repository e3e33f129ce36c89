import type { CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { KindInfo } from '../../api/kinds';
import { kindPrefix } from '../../api/kinds';
import { CliError } from '../errors';
import type { Format } from '../output';
import { forDisplay, renderObject } from '../output';
import { parseResourceArgs } from '../resources';
import { tableHeader, tableRow } from '../../printers/table/print';
import type { TableOptions } from '../../printers/table/print';
import { tabwrite, TABLE_OPTIONS } from '../../printers/tabwriter';
import { listKind } from './get';
import type { Query } from './get';
import { sleepHost } from '../waiting';
import { parseGoDuration } from '../flags';
import { ensureDaemon } from '../../reconciler/daemon';
import { hostNow } from '../../sim/clock';

// kubectl get -w: the list first, then one row per change, aligned with the
// widths seen so far (columns widen, never shrink), until interrupted or
// --request-timeout passes.

const POLL_MS = 100;

export function watch(ctx: CommandContext, format: Format & { raw: string }, q: Query): number {
  const requests = parseResourceArgs(ctx.args);
  if (requests.length !== 1) {
    throw new CliError('error: watch is only supported on individual resources and resource collections - more than 1 resource was found');
  }
  const { info, names } = requests[0];
  const flags = ctx.flags;
  if (flags.str('sort-by')) ctx.io.err('warning: --watch requested, --sort-by will be ignored for watch events received\n');
  const session = ctx.session();
  ensureDaemon(session.home, ctx.env);
  const events = flags.bool('output-watch-events');
  const wide = format.raw.split('=')[0] === 'wide';
  const remembered: number[] = [];
  const opts: TableOptions = {
    now: 0,
    wide,
    noHeaders: flags.bool('no-headers'),
    withNamespace: flags.bool('all-namespaces'),
    showKind: flags.bool('show-kind'),
    showLabels: flags.bool('show-labels'),
    labelColumns: flags.list('label-columns'),
  };
  let headerDone = opts.noHeaders;
  const print = (type: string, obj: KubeObject, now: number) => {
    if (format.kind === 'name') {
      ctx.io.out(`${kindPrefix(info)}/${obj.metadata.name}\n`);
      return;
    }
    if (format.kind !== 'default') {
      const data = events ? { type, object: forDisplay(obj) } : forDisplay(obj);
      const text = renderObject(format, data, true);
      ctx.io.out(format.kind === 'yaml' ? `---\n${text}` : text);
      return;
    }
    const lines: string[] = [];
    if (!headerDone) {
      lines.push([...(events ? ['EVENT'] : []), ...tableHeader(info, opts)].join('\t'));
      headerDone = true;
    }
    lines.push([...(events ? [type.padEnd(8)] : []), ...tableRow(info, obj, { ...opts, now })].join('\t'));
    ctx.io.out(tabwrite(`${lines.join('\n')}\n`, { ...TABLE_OPTIONS, remembered }));
  };
  const fetch = () =>
    session.read((api) => {
      const objects = names.length > 0 ? names.map((n) => api.tryGet(info, info.namespaced ? q.namespace : undefined, n)).filter((o): o is KubeObject => !!o) : listKind(api, info, q);
      return { objects, now: api.now() };
    });
  const seen = new Map<string, KubeObject>();
  const keyOf = (o: KubeObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const first = fetch();
  for (const o of first.objects) {
    seen.set(keyOf(o), o);
    // `get <type> <name> -w` shows the object; --watch-only skips the list.
    if (!flags.bool('watch-only')) print('ADDED', o, first.now);
  }
  const timeout = flags.str('request-timeout');
  const limit = timeout && timeout !== '0' ? parseGoDuration(/^\d+$/.test(timeout) ? `${timeout}s` : timeout) : undefined;
  const started = hostNow();
  for (;;) {
    if (limit !== undefined && hostNow() - started >= limit) return 0;
    sleepHost(POLL_MS);
    const { objects, now } = fetch();
    const current = new Map(objects.map((o) => [keyOf(o), o]));
    for (const [k, o] of current) {
      const before = seen.get(k);
      if (!before) print('ADDED', o, now);
      else if (before.metadata.resourceVersion !== o.metadata.resourceVersion) print('MODIFIED', o, now);
    }
    for (const [k, o] of seen) if (!current.has(k)) print('DELETED', o, now);
    seen.clear();
    for (const [k, o] of current) seen.set(k, o);
  }
}

export type { KindInfo };
