import type { Command } from '../command';
import { cordonCommand } from './node-schedulability';

// kubectl cordon NODE: mark the node unschedulable.
export const command: Command = cordonCommand(true);
