import * as fs from 'node:fs';
import type { Command, CommandContext } from '../command';
import type { KubeObject } from '../../api/types';
import type { Json } from '../../util/json';
import { clone, deepEqual, isObject } from '../../util/json';
import { CliError } from '../errors';
import { DRY_RUN_FLAG, OUTPUT_FLAGS, parseDryRun, parseFormat, printOperation } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { klogWarning } from '../klog';
import { kindByApiVersion } from '../../api/kinds';
import type { KindInfo } from '../../api/kinds';
import { patchResource, goJsonSyntaxError } from '../../api/patch';
import { noSuchSubresource } from '../../api/scale';
import type { PatchType } from '../../api/patch';
import { JsonPatchError, applyJsonPatch, decodeJsonPatch } from '../../api/jsonpatch';
import { applyMergePatch, applyStrategicPatch } from '../../api/merge/strategic';
import { ManifestSyntaxError, yamlDocumentToJson } from '../yaml-errors';

// kubectl patch: a strategic merge, JSON merge or JSON (RFC 6902) patch sent
// to the server for each object, or applied here with --local and
// --dry-run=client; `patched`, or `patched (no change)` when the object came
// back as it was.

const FLAGS = [
  ...OUTPUT_FLAGS,
  RECORD_FLAG,
  DRY_RUN_FLAG,
  ...FILENAME_FLAGS,
  { name: 'patch', short: 'p', kind: 'string' as const },
  { name: 'patch-file', kind: 'string' as const },
  { name: 'type', kind: 'string' as const, default: 'strategic' },
  { name: 'local', kind: 'bool' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-patch' },
  { name: 'subresource', kind: 'string' as const },
];

const TYPES: PatchType[] = ['json', 'merge', 'strategic'];

// yaml.ToJSON: a document that starts with `{` is taken as JSON as it is;
// anything else is YAML, converted.
export function patchToJson(text: string, shown: string): string {
  if (text.trimStart().startsWith('{')) return text;
  try {
    return JSON.stringify(yamlDocumentToJson(text));
  } catch (e) {
    if (e instanceof ManifestSyntaxError) {
      throw new CliError(`error: unable to parse ${JSON.stringify(shown)}: ${e.message.replace(/^error converting YAML to JSON: /, '')}`);
    }
    throw e;
  }
}

// getPatchedJSON: the patch applied here, with the client libraries' errors.
// `reword`: kubectl patch's rewording of a missing array element (the
// --overrides of generators do without it).
export function patchLocally(obj: KubeObject, type: PatchType, body: string, reword = true): KubeObject {
  const syntax = goJsonSyntaxError(body);
  const parsed: Json | undefined = syntax ? undefined : (JSON.parse(body) as Json);
  switch (type) {
    case 'json': {
      if (syntax) throw new CliError(`error: ${syntax}`);
      try {
        const ops = decodeJsonPatch(parsed ?? null, 'jsonpatch.Patch', 'jsonpatch.Operation');
        return applyJsonPatch(obj as unknown as Json, ops) as unknown as KubeObject;
      } catch (e) {
        if (!(e instanceof JsonPatchError)) throw e;
        // kubectl rewords a missing array element.
        const msg = e.message;
        if (reword && msg.includes('doc is missing key')) throw new CliError(`error: Object to be patched is missing field (${msg.slice(msg.indexOf('key:') + 5)})`);
        throw new CliError(`error: ${msg}`);
      }
    }
    case 'merge':
      if (!isObject(parsed)) throw new CliError('error: Invalid JSON Patch');
      return applyMergePatch(obj as unknown as Json, parsed) as unknown as KubeObject;
    default: {
      if (!isObject(parsed)) throw new CliError('error: invalid JSON document');
      const info = kindByApiVersion(obj.apiVersion, obj.kind);
      if (!info) {
        throw new CliError(`error: strategic merge patch is not supported for ${obj.apiVersion}, Kind=${obj.kind} locally, try --type merge`);
      }
      return applyStrategicPatch(obj, parsed, info.model);
    }
  }
}

// The kind printed for what came back: the object's, or the Scale's
// (`scale.autoscaling/web`). kubectl sets the operation after adding the
// dry-run note to it, so patch never says `(dry run)`.
function kindOfAnswer(t: Target, obj: KubeObject): KindInfo {
  if (obj.kind === 'Scale') return { ...t.info, kind: 'Scale', group: 'autoscaling', version: 'v1' };
  return kindByApiVersion(obj.apiVersion, obj.kind) ?? t.info;
}

function operation(changed: boolean): string {
  return changed ? 'patched' : 'patched (no change)';
}

export const command: Command = {
  flags: FLAGS,
  run(ctx: CommandContext) {
    const f = ctx.flags;
    const dryRun = parseDryRun(f, (s) => ctx.io.err(klogWarning(s)));
    const local = f.bool('local');
    const patchText = f.str('patch');
    const patchFile = f.str('patch-file');
    if (patchText && patchFile) throw new CliError('error: cannot specify --patch and --patch-file together');
    if (!patchText && !patchFile) throw new CliError('error: must specify --patch or --patch-file containing the contents of the patch');
    if (local && ctx.args.length > 0) throw new CliError('error: cannot specify --local and server resources');
    if (local && dryRun === 'server') throw new CliError('error: cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    const typed = f.str('type');
    const type = (typed === '' ? 'strategic' : typed.toLowerCase()) as PatchType;
    if (!TYPES.includes(type)) throw new CliError(`error: --type must be one of [${TYPES.join(' ')}], not ${JSON.stringify(typed)}`);
    let raw = patchText;
    if (patchFile) {
      try {
        raw = fs.readFileSync(patchFile, 'utf8');
      } catch {
        throw new CliError(`error: unable to read patch file: open ${patchFile}: no such file or directory`);
      }
    }
    const body = patchToJson(raw, patchText);
    const subresource = f.str('subresource');
    const opts = selectOptions(ctx, ctx.args, { local });
    const lines: string[] = [];
    const errors: Error[] = [];
    let count = 0;
    const format = () => parseFormat(f);
    const printLocal = (t: Target) => {
      const patched = patchLocally(clone(t.object), type, body);
      const info = kindOfAnswer(t, patched);
      lines.push(printOperation(format(), info, patched, operation(!deepEqual(t.object, patched))));
    };
    const visit = (items: (Target | Error)[], serverPatch: (t: Target) => { before: KubeObject; after: KubeObject }) => {
      for (const t of items) {
        if (t instanceof Error) {
          errors.push(t);
          continue;
        }
        count++;
        try {
          if (local || dryRun === 'client') {
            printLocal(t);
            continue;
          }
          const { before, after } = serverPatch(t);
          // Objects from files are compared as the file has them.
          const changed = !deepEqual(t.source ? t.object : before, after);
          lines.push(printOperation(format(), kindOfAnswer(t, after), after, operation(changed)));
        } catch (e) {
          errors.push(e as Error);
        }
      }
    };
    if (local) {
      visit(selectTargets(undefined, opts).items, () => {
        throw new Error('no server');
      });
    } else {
      ctx.session().write((api) => {
        const sel = selectTargets(api, opts);
        visit(sel.items, (t) => {
          const sub = subresource === 'status' || subresource === 'scale' ? subresource : undefined;
          if (subresource && !sub) throw noSuchSubresource();
          const result = patchResource(api, t.info, t.namespace, t.name, type, body, {
            dryRun: dryRun === 'server',
            fieldManager: f.str('field-manager'),
            subresource: sub,
          });
          if (f.bool('record') && !sub) {
            const recorded = clone(result.after);
            recorded.metadata.annotations = { ...(recorded.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) };
            return { before: result.before, after: api.update(recorded, { dryRun: dryRun === 'server' }) };
          }
          return result;
        });
      });
    }
    for (const l of lines) ctx.io.out(l);
    raiseAll(errors);
    if (count === 0) throw new CliError('error: no objects passed to patch');
    return 0;
  },
};
