import type { KubeObject } from './types';
import type { KindInfo } from './kinds';
import type { ApiServer, WriteOptions } from './server';
import { StatusError, badRequest } from './errors';
import type { Json, JsonObject } from '../util/json';
import { isObject } from '../util/json';
import { applyMergePatch, applyStrategicPatch } from './merge/strategic';
import { JsonPatchError, applyJsonPatch, decodeJsonPatch, goJsonKind } from './jsonpatch';
import { getScale, updateScale } from './scale';

// PATCH as the API server does it: the patch (JSON patch, merge patch or
// strategic merge patch) is applied to the stored object (or its status or
// scale view) and the result goes through the normal update path, with the
// server's error texts for patches it cannot use.

export type PatchType = 'json' | 'merge' | 'strategic';

export interface PatchOptions extends WriteOptions {
  subresource?: 'status' | 'scale';
}

export interface PatchResult {
  // The object (or view) before and after; equal when the patch changed nothing.
  before: KubeObject;
  after: KubeObject;
}

// encoding/json's syntax errors (`invalid character 'x' looking for beginning
// of value`, `unexpected end of JSON input`), which the server reports.
class GoSyntaxError extends Error {}

function quoteChar(c: string): string {
  if (c === "'") return "'\\''";
  if (c === '"') return "'\"'";
  return `'${JSON.stringify(c).slice(1, -1)}'`;
}

export function goJsonSyntaxError(text: string): string | undefined {
  let i = 0;
  const eof = () => new GoSyntaxError('unexpected end of JSON input');
  const bad = (context: string) => new GoSyntaxError(`invalid character ${quoteChar(text[i])} ${context}`);
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string) => {
    for (let j = 1; j < word.length; j++) {
      i++;
      if (i >= text.length) throw eof();
      if (text[i] !== word[j]) throw bad(`in literal ${word} (expecting ${quoteChar(word[j])})`);
    }
    i++;
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) throw eof();
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c < ' ') throw bad('in string literal');
      if (c === '\\') {
        i++;
        if (i >= text.length) throw eof();
        if (!'"\\/bfnrtu'.includes(text[i])) throw bad('in string escape code');
      }
      i++;
    }
  };
  const number = () => {
    if (text[i] === '-') {
      i++;
      if (i >= text.length) throw eof();
      if (!/[0-9]/.test(text[i])) throw bad('in numeric literal');
    }
    while (i < text.length && /[0-9.eE+-]/.test(text[i])) i++;
  };
  const value = (): void => {
    ws();
    if (i >= text.length) throw eof();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (i >= text.length) throw eof();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (i >= text.length) throw eof();
        if (text[i] !== '"') throw bad('looking for beginning of object key string');
        string();
        ws();
        if (i >= text.length) throw eof();
        if (text[i] !== ':') throw bad('after object key');
        i++;
        value();
        ws();
        if (i >= text.length) throw eof();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') throw bad('after object key:value pair');
        i++;
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (i >= text.length) throw eof();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (i >= text.length) throw eof();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') throw bad('after array element');
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || /[0-9]/.test(c)) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    throw bad('looking for beginning of value');
  };
  try {
    value();
    ws();
    if (i < text.length) throw bad('after top-level value');
    return undefined;
  } catch (e) {
    if (e instanceof GoSyntaxError) return e.message;
    throw e;
  }
}

// The patch body as the server decodes it.
export function parsePatchBody(text: string, prefix: string): Json {
  const syntax = goJsonSyntaxError(text);
  if (syntax) throw badRequest(`${prefix}${syntax}`);
  return JSON.parse(text) as Json;
}

const MAP_TYPE = 'map[string]interface {}';

// What a JSON patch that cannot be applied gets from the server: a bare 422.
function unprocessable(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

// Applies a patch to a current object (or view), as the server's patchers do.
export function applyPatchBody(current: KubeObject, type: PatchType, body: string, model: string): KubeObject {
  switch (type) {
    case 'json': {
      const patch = parsePatchBody(body, 'error decoding patch: ');
      let ops: JsonObject[];
      try {
        ops = decodeJsonPatch(patch, '[]handlers.jsonPatchOp', 'handlers.jsonPatchOp');
      } catch (e) {
        throw badRequest(`error decoding patch: ${(e as Error).message}`);
      }
      try {
        return applyJsonPatch(current as unknown as Json, ops) as unknown as KubeObject;
      } catch (e) {
        if (e instanceof JsonPatchError) throw unprocessable();
        throw e;
      }
    }
    case 'merge': {
      const patch = parsePatchBody(body, 'error decoding patch: ');
      if (!isObject(patch)) throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonKind(patch)} into Go value of type ${MAP_TYPE}`);
      return applyMergePatch(current as unknown as Json, patch) as unknown as KubeObject;
    }
    default: {
      const patch = parsePatchBody(body, '');
      if (!isObject(patch)) throw badRequest(`json: cannot unmarshal ${goJsonKind(patch)} into Go value of type ${MAP_TYPE}`);
      return applyStrategicPatch(current, patch, model);
    }
  }
}

export function patchResource(
  api: ApiServer,
  info: KindInfo,
  namespace: string | undefined,
  name: string,
  type: PatchType,
  body: string,
  opts: PatchOptions = {},
): PatchResult {
  const write = { dryRun: opts.dryRun, fieldManager: opts.fieldManager };
  if (opts.subresource === 'scale') {
    const before = getScale(api, info, namespace, name);
    const patched = applyPatchBody(before, type, body, 'V1Scale');
    return { before, after: updateScale(api, info, { ...patched, metadata: { ...patched.metadata, name, namespace } }, write) };
  }
  const before = api.get(info, namespace, name);
  const patched = applyPatchBody(before, type, body, info.model);
  if (!isObject(patched) || !isObject(patched.metadata)) throw unprocessable();
  const meta = patched.metadata;
  if ((meta.name ?? '') !== name) {
    throw badRequest(`the name of the object (${meta.name ?? ''}) does not match the name on the URL (${name})`);
  }
  if (info.namespaced && meta.namespace !== undefined && meta.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  // The object keeps the kind and version the request was made for.
  const next = { ...patched, apiVersion: before.apiVersion, kind: before.kind, metadata: { ...meta, namespace } };
  const after = api.update(next, { ...write, subresource: opts.subresource });
  return { before, after };
}
