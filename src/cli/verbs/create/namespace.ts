import { generator, requireNonEmptyName } from './common';

// kubectl create namespace NAME. Server errors are not wrapped.
export const command = generator({
  flags: [],
  build(_ctx, name) {
    requireNonEmptyName(name);
    return { kind: 'Namespace', apiVersion: 'v1', metadata: { name } };
  },
});
