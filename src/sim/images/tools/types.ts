import type { Container, Pod } from 'kubernetes-types/core/v1';
import type { ApiServer } from '../../../api/server';
import type { KubeObject } from '../../../api/types';
import type { FileSystem, ToolResult, ToolRun } from '../../shell';

// An image's own program that the shell interpreter does not simulate
// (redis-cli, nodetool, zkCli.sh, start-zookeeper...): a function from what it
// was asked and what the container sees to what it prints.

export interface ToolContext {
  // The cluster as it is now; tools read it and never change API objects.
  api: ApiServer;
  pod: Pod & KubeObject;
  container: Container;
  // The container's filesystem (its image files, its writes, its volumes).
  fs: FileSystem;
  run: ToolRun;
  // Simulated time of the call, epoch ms.
  now: number;
  // The main process's argv and the files it named, as read when it started
  // (a server's configuration does not change until it restarts).
  mainArgv: string[];
  startFiles: Record<string, string>;
  // Data an application keeps beyond one container, by key (a ZooKeeper
  // ensemble's znodes...): persisted in the state.
  appData: Record<string, unknown>;
  // Whether stdout is a terminal (kubectl exec -t).
  tty: boolean;
}

export type Tool = (ctx: ToolContext) => ToolResult;

// What an application's servers need beyond one program run: the cluster, its
// kept data and the time (a web app calling Redis has no shell or files).
export type AppContext = Pick<ToolContext, 'api' | 'appData' | 'now'>;
