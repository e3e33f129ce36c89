// Go's encoding/json escapes <, >, & and the two JavaScript line separators.
export function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// json.Marshal: compact, Go-escaped.
export function goCompactJson(v: unknown): string {
  return goEscape(JSON.stringify(v));
}
