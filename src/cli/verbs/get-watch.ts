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
import { listKind, listOptions } from './get';
import type { Query } from './get';
import { sleepHost } from '../waiting';
import { parseGoDuration } from '../flags';
import { ensureDaemon } from '../../reconciler/daemon';
import { hostNow } from '../../sim/clock';
import type { ApiServer } from '../../api/server';
import { addWatcher, changesSince, removeWatcher } from '../../api/watch-log';

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
  // Registered as a watcher before the list, in one step: every change after
  // the list's resourceVersion is kept for us (api/watch-log.ts).
  const id = `${process.pid}@${hostNow()}`;
  const filter = { ...listOptions(q), namespace: info.namespaced ? q.namespace : undefined };
  const wanted = (api: ApiServer, o: KubeObject) => (names.length === 0 || names.includes(o.metadata.name ?? '')) && api.matches(info, o, filter);
  const first = session.write((api) => {
    addWatcher(api.world.state, id, process.pid, info);
    api.dirty = true;
    const objects = names.length > 0 ? names.map((n) => api.tryGet(info, info.namespaced ? q.namespace : undefined, n)).filter((o): o is KubeObject => !!o) : listKind(api, info, q);
    return { objects, now: api.now(), rv: api.world.state.resourceVersion };
  });
  // `get <type> <name> -w` shows the object; --watch-only skips the list.
  if (!flags.bool('watch-only')) for (const o of first.objects) print('ADDED', o, first.now);
  let cursor = first.rv;
  const timeout = flags.str('request-timeout');
  const limit = timeout && timeout !== '0' ? parseGoDuration(/^\d+$/.test(timeout) ? `${timeout}s` : timeout) : undefined;
  const started = hostNow();
  for (;;) {
    if (limit !== undefined && hostNow() - started >= limit) {
      session.write((api) => {
        removeWatcher(api.world.state, id);
        api.dirty = true;
      });
      return 0;
    }
    sleepHost(POLL_MS);
    const changes = session.read((api) => changesSince(api.world.state, info, cursor).filter((e) => wanted(api, e.object)));
    for (const e of changes) {
      print(e.type, e.object, e.at);
      cursor = e.rv;
    }
  }
}

export type { KindInfo };
