import { TCP_FLAG, serviceCommand } from './service';

// kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--clusterip=IP|None]
export const command = serviceCommand('ClusterIP', [TCP_FLAG, { name: 'clusterip', kind: 'string' }]);
