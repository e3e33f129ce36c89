import { contextConfigured, primaryIP, running, writeContext, API_SERVER_PORT } from './context';
import type { MkCommand } from './context';
import { readKubeconfig } from '../../cluster/kubeconfig';

// minikube update-context: points the profile's kubeconfig entry back at the
// API server and makes its context current.

export const command: MkCommand = {
  run(mk) {
    running(mk);
    const { out } = mk;
    if (contextConfigured(mk)) {
      out.step('meh', `No changes required for the "${mk.profile}" context`);
    } else {
      out.step('celebrate', `"${mk.profile}" context has been updated to point to ${primaryIP(mk)}:${API_SERVER_PORT}`);
    }
    const current = readKubeconfig(mk.session.home).currentContext;
    if (!contextConfigured(mk) || current !== mk.profile) writeContext(mk, mk.session.read((api) => api.now()));
    out.step('kubectl', `Current context is "${mk.profile}"`);
    return 0;
  },
};
