import type { AppArmorProfile, SeccompProfile } from 'kubernetes-types/core/v1';
import type { FieldError } from '../errors';
import { field, GoLiteral } from '../errors';

// The seccompProfile and appArmorProfile fields of a pod's or a container's
// securityContext (pkg/apis/core/validation: validateSeccompProfileField,
// ValidateAppArmorProfileField).

const PROFILE_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

// A Localhost seccomp profile is a path under the kubelet's seccomp root.
function descendingPath(p: string, at: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(field.invalid(at, p, 'must be a relative path'));
  if (p.split('/').includes('..')) errs.push(field.invalid(at, p, "must not contain '..'"));
  return errs;
}

export function validateSeccompProfile(sp: SeccompProfile | undefined, at: string): FieldError[] {
  if (!sp) return [];
  const errs: FieldError[] = [];
  if (!sp.type) errs.push(field.required(`${at}.type`, 'type is required when seccompProfile is set'));
  else if (!PROFILE_TYPES.includes(sp.type)) errs.push(field.notSupported(`${at}.type`, sp.type, PROFILE_TYPES));
  if (sp.type === 'Localhost') {
    if (sp.localhostProfile === undefined) errs.push(field.required(`${at}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else errs.push(...descendingPath(sp.localhostProfile, `${at}.localhostProfile`));
  } else if (sp.localhostProfile !== undefined) {
    // The API server prints the whole struct (%#v), pointer address and all.
    const value = new GoLiteral(`core.SeccompProfile{Type:"${sp.type ?? ''}", LocalhostProfile:(*string)(0xc000a3c1d0)}`);
    errs.push(field.invalid(`${at}.localhostProfile`, value, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
}

export function validateAppArmorProfile(p: AppArmorProfile | undefined, at: string): FieldError[] {
  if (!p) return [];
  const local = `${at}.localhostProfile`;
  switch (p.type) {
    case 'Localhost': {
      const name = p.localhostProfile;
      if (name === undefined || name === '') return [field.required(local, 'must be set when AppArmor type is Localhost')];
      if (name.trim() !== name) return [field.invalid(local, name, 'must not be padded with whitespace')];
      return name.length > 4095 ? [field.tooLong(local, 4095)] : [];
    }
    case 'RuntimeDefault':
    case 'Unconfined':
      return p.localhostProfile === undefined ? [] : [field.invalid(local, p.localhostProfile, 'can only be set when AppArmor type is Localhost')];
    case undefined:
    case '':
      return [field.required(`${at}.type`, 'type is required when appArmorProfile is set')];
    default:
      return [field.notSupported(`${at}.type`, p.type, PROFILE_TYPES)];
  }
}
