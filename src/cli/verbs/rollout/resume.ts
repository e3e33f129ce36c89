import type { Command } from '../../command';
import { pauseOrResume } from './toggle';

// kubectl rollout resume: a paused Deployment rolls out again.
export const command: Command = pauseOrResume(false);
