import type { Command } from '../command';
import { cordonCommand } from './node-schedulability';

// kubectl uncordon NODE: mark the node schedulable again.
export const command: Command = cordonCommand(false);
