import type { Tool } from './types';
import { REDIS_TOOLS } from './redis';
import { ZOOKEEPER_TOOLS } from './zookeeper';
import { CASSANDRA_TOOLS } from './cassandra';
import { MYSQL_TOOLS } from './mysql';

// The image programs kubemu answers, by command name. An image offers the
// ones its catalogue entry lists under `tools`.

export const TOOLS: Record<string, Tool> = { ...REDIS_TOOLS, ...ZOOKEEPER_TOOLS, ...CASSANDRA_TOOLS, ...MYSQL_TOOLS };

export type { Tool, ToolContext } from './types';
