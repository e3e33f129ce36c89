import type { ObjectMeta } from 'kubernetes-types/meta/v1';
import type { FieldError } from '../errors';
import { field } from '../errors';
import type { NameRule } from './names';
import { isQualifiedName, isValidLabelValue } from './names';

// ValidateObjectMeta: name (by the kind's rule), labels, annotations.

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(field.invalid(path, k, msg));
    for (const msg of isValidLabelValue(v)) errs.push(field.invalid(`${path}`, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, msg));
    // Go's len(): bytes, not characters.
    total += Buffer.byteLength(k, 'utf8') + Buffer.byteLength(v, 'utf8');
  }
  if (total > 256 * 1024) errs.push(field.tooLong(path, 256 * 1024));
  return errs;
}

export function validateObjectMeta(meta: ObjectMeta, nameRule: NameRule, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!meta.name) {
    if (!meta.generateName) errs.push(field.required('metadata.name', 'name or generateName is required'));
  } else {
    for (const msg of nameRule(meta.name)) errs.push(field.invalid('metadata.name', meta.name, msg));
  }
  if (namespaced && meta.namespace !== undefined && meta.namespace !== '') {
    // The namespace's own name rule.
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(meta.namespace) || meta.namespace.length > 63) {
      errs.push(
        field.invalid(
          'metadata.namespace',
          meta.namespace,
          "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ),
      );
    }
  }
  errs.push(...validateLabels(meta.labels, 'metadata.labels'));
  errs.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return errs;
}
