import { TCP_FLAG, serviceCommand } from './service';

// kubectl create service loadbalancer NAME [--tcp=port:targetPort]
export const command = serviceCommand('LoadBalancer', [TCP_FLAG]);
