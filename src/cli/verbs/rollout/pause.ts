import type { Command } from '../../command';
import { pauseOrResume } from './toggle';

// kubectl rollout pause: the Deployment stops rolling out changes.
export const command: Command = pauseOrResume(true);
