import { TCP_FLAG, serviceCommand } from './service';

// kubectl create service nodeport NAME [--tcp=port:targetPort] [--node-port=N]
export const command = serviceCommand('NodePort', [TCP_FLAG, { name: 'node-port', kind: 'int' }]);
