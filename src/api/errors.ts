import type { KindInfo } from './kinds';
import { qualifiedResource } from './kinds';

// API errors as Kubernetes `Status` objects: a reason, an HTTP code, a message,
// and for Invalid the field causes kubectl prints one per line.

export interface StatusCause {
  reason?: string;
  field?: string;
  message: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

export function notFound(info: KindInfo, name: string): StatusError {
  return new StatusError(404, 'NotFound', `${qualifiedResource(info)} "${name}" not found`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

export function alreadyExists(info: KindInfo, name: string, generated = false): StatusError {
  const tail = generated ? ', the server was not able to generate a unique name for the object' : '';
  return new StatusError(409, 'AlreadyExists', `${qualifiedResource(info)} "${name}" already exists${tail}`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

export function conflict(info: KindInfo, name: string, detail: string): StatusError {
  return new StatusError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": ${detail}`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

export function badRequest(message: string): StatusError {
  return new StatusError(400, 'BadRequest', message);
}

export function forbidden(info: KindInfo, name: string, detail: string): StatusError {
  return new StatusError(403, 'Forbidden', `${qualifiedResource(info)} "${name}" is forbidden: ${detail}`, {
    name,
    group: info.group,
    kind: info.resource,
  });
}

// 429: what a client should retry later (an eviction a disruption budget refuses).
export function tooManyRequests(message: string, retryAfterSeconds: number, causes: StatusCause[] = []): StatusError {
  return new StatusError(429, 'TooManyRequests', message, {
    ...(causes.length > 0 ? { causes } : {}),
    ...(retryAfterSeconds > 0 ? { retryAfterSeconds } : {}),
  });
}

export function methodNotAllowed(message: string): StatusError {
  return new StatusError(405, 'MethodNotAllowed', message);
}

// A field error, in apimachinery's field.Error shapes.
export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueForbidden' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueTooLong' | 'FieldValueNotFound' | 'FieldValueTypeInvalid';
  field: string;
  message: string; // the ErrorBody: `Required value`, `Invalid value: "x": detail`
}

export const field = {
  required(path: string, detail = ''): FieldError {
    return { type: 'FieldValueRequired', field: path, message: detail ? `Required value: ${detail}` : 'Required value' };
  },
  invalid(path: string, value: unknown, detail: string): FieldError {
    const body = `Invalid value: ${goValue(value)}`;
    return { type: 'FieldValueInvalid', field: path, message: detail ? `${body}: ${detail}` : body };
  },
  forbidden(path: string, detail: string): FieldError {
    return { type: 'FieldValueForbidden', field: path, message: `Forbidden: ${detail}` };
  },
  notSupported(path: string, value: unknown, supported: string[]): FieldError {
    const list = supported.map((s) => JSON.stringify(s)).join(', ');
    return {
      type: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${goValue(value)}${supported.length ? `: supported values: ${list}` : ''}`,
    };
  },
  duplicate(path: string, value: unknown): FieldError {
    return { type: 'FieldValueDuplicate', field: path, message: `Duplicate value: ${goValue(value)}` };
  },
  // field.TooLong: the value itself is never shown.
  tooLong(path: string, max: number): FieldError {
    return { type: 'FieldValueTooLong', field: path, message: `Too long: must have at most ${max} bytes` };
  },
  notFound(path: string, value: unknown): FieldError {
    return { type: 'FieldValueNotFound', field: path, message: `Not found: ${goValue(value)}` };
  },
};

// A value printed the way field errors print it: strings quoted, numbers bare,
// or a caller-built Go literal (`v1.LabelSelector{...}`) passed as GoLiteral.
export class GoLiteral {
  constructor(readonly text: string) {}
}

export function goValue(v: unknown): string {
  if (v instanceof GoLiteral) return v.text;
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  return JSON.stringify(v);
}

// Go's strconv.Quote (what %q prints): printable characters as they are,
// the rest escaped the way Go escapes them (`\x01`, `\u2028`), unlike JSON.
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (c === 7) out += '\\a';
    else if (c === 8) out += '\\b';
    else if (c === 9) out += '\\t';
    else if (c === 10) out += '\\n';
    else if (c === 11) out += '\\v';
    else if (c === 12) out += '\\f';
    else if (c === 13) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (isGoPrintable(c)) out += ch;
    else if (c < 0x10000) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += `\\U${c.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

// unicode.IsPrint beyond ASCII: letters, marks, numbers, punctuation, symbols
// and the plain space; not other spaces, controls, format or private-use characters.
function isGoPrintable(c: number): boolean {
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(c));
}

// Go's %#v of map[string]string, as in `map[string]string{"app":"web"}`.
export function goStringMap(m: Record<string, string> | undefined): GoLiteral {
  if (!m) return new GoLiteral('map[string]string(nil)');
  const body = Object.keys(m)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${JSON.stringify(m[key])}`)
    .join(', ');
  return new GoLiteral(`map[string]string{${body}}`);
}

export function invalid(info: KindInfo, name: string, errors: FieldError[]): StatusError {
  const qualified = info.group ? `${info.kind}.${info.group}` : info.kind;
  const bodies = errors.map((e) => `${e.field}: ${e.message}`);
  const joined = bodies.length === 1 ? bodies[0] : `[${bodies.join(', ')}]`;
  return new StatusError(422, 'Invalid', `${qualified} "${name}" is invalid: ${joined}`, {
    name,
    group: info.group,
    kind: info.kind,
    causes: errors.map((e) => ({ reason: e.type, field: e.field, message: e.message })),
  });
}
