import * as fs from 'node:fs';
import { exclusiveTemp } from '../../util/temp';
import { spawnSync } from 'node:child_process';
import type { Command, CommandContext } from '../command';
import type { KindInfo } from '../../api/kinds';
import { StatusError } from '../../api/errors';
import type { Json, JsonObject } from '../../util/json';
import { deepEqual, isObject, sortKeys } from '../../util/json';
import { goCompactJson } from '../../util/gojson';
import { CliError, ExitError } from '../errors';
import { OUTPUT_FLAGS, parseFormat, printOperation, renderObject } from '../output';
import type { Format } from '../output';
import { FILENAME_FLAGS, raiseAll, selectOptions, selectTargets } from '../builder';
import type { Target } from '../builder';
import { parseSource } from '../manifests';
import { mapObject } from '../objects';
import { CHANGE_CAUSE, RECORD_FLAG, changeCause } from '../record';
import { withLastApplied } from './apply';
import { checkValidateFlag } from './create/common';
import { threeWayPatch } from '../../api/merge/strategic';
import { patchResource, goJsonSyntaxError } from '../../api/patch';
import { ManifestSyntaxError, yamlDocumentToJson } from '../yaml-errors';

// kubectl edit: the objects (one, or a List of several) in a temporary file,
// opened in $KUBE_EDITOR / $EDITOR / vi; what changed is sent as a two-way
// strategic merge patch. Invalid edits reopen the file with the reasons at
// the top; giving up leaves the file for `kubectl replace -f`.

const FLAGS = [
  ...OUTPUT_FLAGS,
  RECORD_FLAG,
  ...FILENAME_FLAGS,
  { name: 'validate', kind: 'string' as const, default: 'strict', noOptDefVal: 'strict' },
  { name: 'output-patch', kind: 'bool' as const },
  { name: 'windows-line-endings', kind: 'bool' as const },
  { name: 'field-manager', kind: 'string' as const, default: 'kubectl-edit' },
  { name: 'save-config', kind: 'bool' as const },
  { name: 'subresource', kind: 'string' as const },
];

const HEADER =
  "# Please edit the object below. Lines beginning with a '#' will be ignored,\n" +
  '# and an empty file will abort the edit. If an error occurs while saving this file will be\n' +
  '# reopened with the relevant failures.\n' +
  '#\n';

interface Reason {
  head: string;
  other: string[];
}

// hashOnLineBreak: continuation lines stay comments.
function hashOnLineBreak(s: string): string {
  return s.replace(/\n(?!#)/g, '\n# ');
}

function header(reasons: Reason[]): string {
  let out = HEADER;
  for (const r of reasons) {
    out += `# ${hashOnLineBreak(r.head)}${r.other.length > 0 ? ':' : ''}\n`;
    for (const o of r.other) out += `# * ${hashOnLineBreak(o)}\n`;
    out += '#\n';
  }
  return out;
}

// cmdutil.ManualStrip: comment lines dropped (but not `#!`).
function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((line) => {
      const t = line.trim();
      return !(t.startsWith('#') && !t.startsWith('#!'));
    })
    .join('\n');
}

// yaml.ToJSON: JSON passes as it is, YAML is converted; the error is go-yaml's.
function toJson(text: string): { json?: string; error?: string } {
  if (text.trimStart().startsWith('{')) return { json: text };
  try {
    return { json: goCompactJson(sortKeys(yamlDocumentToJson(text))) };
  } catch (e) {
    if (e instanceof ManifestSyntaxError) return { error: e.message.replace(/^error converting YAML to JSON: /, '') };
    throw e;
  }
}

// cmdutil.StripComments: the JSON of the document, or the text without comments.
function stripComments(text: string): string {
  return toJson(text).json ?? manualStrip(text);
}

// The client-side check of the edited file: it must parse and name its kind.
function validationError(text: string): string | undefined {
  const converted = toJson(text);
  if (converted.error) return converted.error;
  const syntax = goJsonSyntaxError(converted.json!);
  if (syntax) return syntax;
  const obj = JSON.parse(converted.json!) as Json;
  if (!isObject(obj)) return 'invalid object to validate';
  const errs: string[] = [];
  if (obj.apiVersion === undefined || obj.apiVersion === null) errs.push('apiVersion not set');
  else if (typeof obj.apiVersion !== 'string') errs.push("apiVersion isn't string type");
  if (obj.kind === undefined || obj.kind === null) errs.push('kind not set');
  else if (typeof obj.kind !== 'string') errs.push("kind isn't string type");
  return errs.length === 0 ? undefined : errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
}

function resourceString(info: KindInfo): string {
  return info.group ? `${info.resource}.${info.group}` : info.resource;
}

// The editor command: one word, words split at spaces, or (with quotes or
// backslashes) a line for the shell.
function editorCommand(env: NodeJS.ProcessEnv): { args: string[]; shell: boolean } {
  const editor = env.KUBE_EDITOR || env.EDITOR || 'vi';
  if (!editor.includes(' ')) return { args: [editor], shell: false };
  if (!/["'\\]/.test(editor)) return { args: editor.split(' '), shell: false };
  return { args: [env.SHELL || '/bin/bash', '-c', editor], shell: true };
}

class EditSession {
  file = '';
  reasons: Reason[] = [];
  edit: Target[] = [];
  retryable = 0;
  notfound = 0;

  constructor(readonly ctx: CommandContext) {}

  // LaunchTempFile: the buffer into $TMPDIR/kubectl-edit-<random><ext>, the editor, the result.
  launch(text: string, ext: string): { edited: string; file: string } {
    // Created exclusively: an existing file in the shared directory is never written through.
    const file = exclusiveTemp('kubectl-edit-', ext, (f) => fs.writeFileSync(f, text, { mode: 0o600, flag: 'wx' }));
    const { args, shell } = editorCommand(this.ctx.env);
    const argv = shell ? [...args.slice(0, -1), `${args[args.length - 1]} ${JSON.stringify(file)}`] : [...args, file];
    const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: this.ctx.env });
    const shown = args.join(' ');
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') throw this.preserved(`unable to launch the editor ${JSON.stringify(shown)}`, this.file);
    if (r.error || r.status !== 0) throw this.preserved(`there was a problem with the editor ${JSON.stringify(shown)}`, this.file);
    return { edited: fs.readFileSync(file, 'utf8'), file };
  }

  // preservedFile: the error, after saying where the changes were kept.
  preserved(message: string, file: string): CliError {
    if (file && fs.existsSync(file)) this.ctx.io.err(`A copy of your changes has been stored to ${JSON.stringify(file)}\n`);
    return new CliError(`error: ${message}`);
  }

  // editResults.addError: the line for stderr, and what the next round needs.
  addError(err: unknown, t: Target): string {
    const res = resourceString(t.info);
    if (err instanceof StatusError && err.reason === 'Invalid') {
      this.edit.push(t);
      this.reasons.push({
        head: `${res} ${JSON.stringify(t.name)} was not valid`,
        other: (err.details?.causes ?? []).map((c) => `${c.field}: ${c.message}`),
      });
      return `error: ${res} ${JSON.stringify(t.name)} is invalid`;
    }
    if (err instanceof StatusError && err.code === 404) {
      this.notfound++;
      return `error: ${res} ${JSON.stringify(t.name)} could not be found on the server`;
    }
    this.retryable++;
    return `error: ${res} ${JSON.stringify(t.name)} could not be patched: ${(err as Error).message}`;
  }
}

// The edited objects, as the builder reads the edited stream.
function parseEdited(ctx: CommandContext, text: string): Target[] {
  const objects = parseSource({ name: 'edited-file', text });
  return ctx.session().read((api) =>
    objects.map((object) => {
      const m = mapObject(api, { source: 'edited-file', object }, '', false);
      return { info: m.info, namespace: object.metadata?.namespace, name: m.name, source: 'edited-file', object };
    }),
  );
}

function visitToPatch(ctx: CommandContext, s: EditSession, format: Format, originals: Target[], updated: Target[]): void {
  const f = ctx.flags;
  let fatal: Error | undefined;
  const lines: string[] = [];
  ctx.session().write((api) => {
    for (const u of updated) {
      const orig = originals.find((o) => o.object.metadata.uid === u.object.metadata?.uid);
      if (!orig) {
        fatal = new CliError(`error: no original object found for ${goCompactJson(u.object)}`);
        return;
      }
      const originalJs = orig.object as unknown as JsonObject;
      const editedJs = u.object as unknown as JsonObject;
      if (deepEqual(originalJs, editedJs)) {
        lines.push(printOperation(format, u.info, u.object, 'skipped'));
        continue;
      }
      const changed = (a: unknown, b: unknown) => !deepEqual(a, b);
      if (
        changed(originalJs.apiVersion, editedJs.apiVersion) ||
        changed(originalJs.kind, editedJs.kind) ||
        changed(orig.object.metadata.name, u.object.metadata?.name) ||
        changed(orig.object.metadata.managedFields, u.object.metadata?.managedFields)
      ) {
        fatal = new CliError('error: At least one of apiVersion, kind and name was changed');
        return;
      }
      // A two-way patch: the three-way one with the original as the live object.
      const patch = threeWayPatch(originalJs, editedJs, originalJs, orig.info.model);
      if (f.bool('output-patch')) lines.push(`Patch: ${goCompactJson(sortKeys(patch))}\n`);
      try {
        const sub = f.str('subresource') === 'status' ? 'status' : undefined;
        const { after } = patchResource(api, orig.info, orig.namespace, orig.name, 'strategic', JSON.stringify(patch), {
          fieldManager: f.str('field-manager'),
          subresource: sub,
        });
        lines.push(printOperation(format, orig.info, after, 'edited'));
      } catch (e) {
        // Reported now, on stderr, between the lines already printed.
        for (const l of lines.splice(0)) ctx.io.out(l);
        ctx.io.err(`${s.addError(e, orig)}\n`);
      }
    }
  });
  for (const l of lines) ctx.io.out(l);
  if (fatal) throw fatal;
}

function run(ctx: CommandContext): number {
  const f = ctx.flags;
  const output = f.str('output');
  if (output && output !== 'yaml' && output !== 'json') {
    throw new CliError(`error: unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: json,yaml`);
  }
  const format = parseFormat(f);
  checkValidateFlag(ctx);
  const validate = !['false', 'ignore'].includes(f.str('validate'));
  const json = output === 'json';
  const ext = json ? '.json' : '.yaml';
  const namespace = ctx.namespace();
  const sel = ctx.session().read((api) => selectTargets(api, selectOptions(ctx, ctx.args, { latest: true, selectAll: true })));
  const errors = sel.items.filter((i): i is Error => i instanceof Error);
  raiseAll(errors);
  const infos = sel.items as Target[];
  if (infos.length === 0) throw new CliError('error: edit cancelled, no objects found');
  const s = new EditSession(ctx);
  const crlf = (t: string) => (f.bool('windows-line-endings') ? t.replace(/\n/g, '\r\n') : t);
  let original = '';
  let edited = '';
  let containsError = false;
  for (;;) {
    const shown: unknown =
      infos.length === 1
        ? infos[0].object
        : { apiVersion: 'v1', items: infos.map((i) => i.object), kind: 'List', metadata: {} };
    let buf = json ? '' : header(s.reasons);
    if (!containsError) {
      buf += renderObject(json ? { kind: 'json' } : { kind: 'yaml' }, shown);
      original = crlf(buf);
    } else {
      buf += manualStrip(edited);
    }
    const before = edited;
    const launched = s.launch(crlf(buf), ext);
    edited = launched.edited;
    const file = launched.file;
    if (containsError && stripComments(before) === stripComments(edited)) {
      throw s.preserved('Edit cancelled, no valid changes were saved.', file);
    }
    if (s.file) fs.rmSync(s.file, { force: true });
    const invalid = validate ? validationError(stripComments(edited)) : undefined;
    if (invalid !== undefined) {
      s.file = file;
      s.reasons = [];
      s.edit = [];
      containsError = true;
      const err = new StatusError(422, 'Invalid', '', {
        kind: '',
        causes: [{ field: '<nil>', message: `Invalid value: "The edited file failed validation": ${invalid}` }],
      });
      ctx.io.err(`${s.addError(err, infos[0])}\n`);
      continue;
    }
    if (stripComments(original) === stripComments(edited)) {
      fs.rmSync(file, { force: true });
      ctx.io.err('Edit cancelled, no changes made.\n');
      return 0;
    }
    if (!edited.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
      fs.rmSync(file, { force: true });
      ctx.io.err('Edit cancelled, saved file was empty.\n');
      return 0;
    }
    s.file = file;
    s.reasons = [];
    s.edit = [];
    s.retryable = 0;
    s.notfound = 0;
    let updated: Target[];
    try {
      updated = parseEdited(ctx, edited);
    } catch (e) {
      containsError = true;
      s.reasons.push({ head: `The edited file had a syntax error: ${(e as Error).message.replace(/^error: /, '')}`, other: [] });
      continue;
    }
    containsError = false;
    for (const u of updated) {
      if (!u.info.namespaced) continue;
      const ns = u.object.metadata.namespace || namespace;
      if (ns !== namespace) {
        throw s.preserved(
          `the namespace from the provided object ${JSON.stringify(ns)} does not match the namespace ${JSON.stringify(namespace)}. You must pass '--namespace=${ns}' to perform this operation.`,
          file,
        );
      }
    }
    for (const u of updated) {
      if (f.bool('save-config')) u.object = withLastApplied(u.object);
      if (f.bool('record')) u.object.metadata.annotations = { ...(u.object.metadata.annotations ?? {}), [CHANGE_CAUSE]: changeCause(ctx) };
    }
    try {
      visitToPatch(ctx, s, format, infos, updated);
    } catch (e) {
      if (e instanceof CliError) throw s.preserved(e.message.replace(/^error: /, ''), s.file);
      throw e;
    }
    if (s.retryable > 0) {
      ctx.io.err(`You can run \`kubectl replace -f ${file}\` to try this update again.\n`);
      throw new ExitError(1);
    }
    if (s.notfound > 0) {
      ctx.io.err(`The edits you made on deleted resources have been saved to ${JSON.stringify(file)}\n`);
      throw new ExitError(1);
    }
    if (s.edit.length === 0) {
      fs.rmSync(file, { force: true });
      return 0;
    }
    if (s.reasons.length > 0) containsError = true;
  }
}

export const command: Command = { flags: FLAGS, run };
