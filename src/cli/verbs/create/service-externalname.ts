import { TCP_FLAG, serviceCommand } from './service';

// kubectl create service externalname NAME --external-name external.name [--tcp=port:targetPort]
export const command = serviceCommand('ExternalName', [TCP_FLAG, { name: 'external-name', kind: 'string' }], ['external-name']);
