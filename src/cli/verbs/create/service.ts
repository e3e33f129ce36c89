import type { Command } from '../../command';
import type { FlagDef } from '../../flags';
import { CliError } from '../../errors';
import { isDNS1123Subdomain } from '../../../api/validation/names';
import { enforcedNamespace, generator } from './common';

// The four `kubectl create service <type>` generators (create_service.go): one
// builder, each type with its own flags.

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export const TCP_FLAG: FlagDef = { name: 'tcp', kind: 'stringSlice' };

const PORT_NAME_CHARSET = /^[-a-z0-9]+$/;

// validation.IsValidPortName.
export function portNameErrors(name: string): string[] {
  const errs: string[] = [];
  if (name.length > 15) errs.push('must be no more than 15 characters');
  if (!PORT_NAME_CHARSET.test(name)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  else if (!/[a-z]/.test(name)) errs.push('must contain at least one letter (a-z)');
  if (name.includes('--')) errs.push('must not contain consecutive hyphens');
  if (name.length > 0 && (name.startsWith('-') || name.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

// strconv.Atoi's accepted syntax (an optional sign, decimal digits, within int64).
export function goAtoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Math.abs(n) <= 9223372036854775807 ? n : undefined;
}

// parsePorts: `port[:targetPort]`, the port a uint16, the target a number or a port name.
export function parseServicePort(spec: string): { port: number; targetPort: number | string } {
  const parts = spec.split(':');
  const first = parts[0];
  if (!/^\d+$/.test(first)) throw new CliError(`error: strconv.ParseUint: parsing ${JSON.stringify(first)}: invalid syntax`);
  const port = Number(first);
  if (port > 65535) throw new CliError(`error: strconv.ParseUint: parsing ${JSON.stringify(first)}: value out of range`);
  if (parts.length === 1) return { port, targetPort: port };
  const target = parts[1];
  const num = goAtoi(target);
  if (num === undefined) {
    const errs = portNameErrors(target);
    if (errs.length > 0) throw new CliError(`error: ${errs.join(',')}`);
    return { port, targetPort: target };
  }
  if (num < 1 || num > 65535) throw new CliError('error: must be between 1 and 65535, inclusive');
  return { port, targetPort: num };
}

export function serviceCommand(type: ServiceType, flags: FlagDef[], required: string[] = []): Command {
  return generator({
    flags,
    required,
    ignoresSaveConfig: true,
    errorPrefix: `failed to create ${type} service: `,
    build(ctx, name) {
      const clusterIP = ctx.flags.str('clusterip');
      const tcp = ctx.flags.list('tcp');
      const externalName = ctx.flags.str('external-name');
      if (clusterIP === 'None' && type !== 'ClusterIP') throw new CliError('error: ClusterIP=None can only be used with ClusterIP service type');
      if (clusterIP !== 'None' && tcp.length === 0 && type !== 'ExternalName') {
        throw new CliError('error: at least one tcp port specifier must be provided');
      }
      if (type === 'ExternalName' && isDNS1123Subdomain(externalName).length > 0) {
        throw new CliError(`error: invalid service external name ${externalName}`);
      }
      const nodePort = ctx.flags.int('node-port');
      const ports = tcp.map((spec) => {
        const { port, targetPort } = parseServicePort(spec);
        return { name: spec.replaceAll(':', '-'), port, targetPort, protocol: 'TCP', nodePort };
      });
      return {
        kind: 'Service',
        apiVersion: 'v1',
        metadata: { name, namespace: enforcedNamespace(ctx), labels: { app: name } },
        spec: { type, selector: { app: name }, ports, externalName, clusterIP: clusterIP || undefined },
      };
    },
  });
}
