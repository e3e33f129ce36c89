import type { ProcInfo, SignalName } from '../shell';
import { handleSignal } from '../shell';
import type { ContainerRuntime } from './types';

// A container's main process tree as another process in the container sees it
// (`kubectl exec ... ps`, `pkill`): the main process, and the image's server
// it runs as a child (start-zookeeper's java), as of the kubelet's last advance.

const EXEC_ROOT_PID = 10;

function running(main: ContainerRuntime | undefined, at: number): main is ContainerRuntime {
  return !!main && main.phase === 'running' && (main.exitAt === undefined || main.exitAt > at);
}

export function mainProcesses(main: ContainerRuntime | undefined, uid: number, at: number): ProcInfo[] {
  if (!running(main, at)) return [];
  const p = main.process;
  const startedAt = main.startedAt ?? at;
  if (!p) return [{ pid: 1, ppid: 0, uid, argv: main.argv ?? [], startedAt }];
  const root = p.spec.pid1 === false ? EXEC_ROOT_PID : 1;
  const out: ProcInfo[] = [{ pid: root, ppid: 0, uid: p.spec.user?.uid ?? uid, argv: p.spec.argv, startedAt }];
  if (p.served) out.push({ pid: p.served.pid, ppid: p.served.ppid, uid: p.spec.user?.uid ?? uid, argv: p.served.argv, startedAt: p.served.at });
  return out;
}

// Sends `sig` to process `pid` of the main tree; false when there is no such process.
export function signalMain(main: ContainerRuntime | undefined, uid: number, pid: number, sig: SignalName, at: number, wake: (due: number) => void): boolean {
  if (!mainProcesses(main, uid, at).some((x) => x.pid === pid)) return false;
  const p = main?.process;
  if (!main || !p) return true;
  const root = p.spec.pid1 === false ? EXEC_ROOT_PID : 1;
  const due = handleSignal(p, sig, at, pid === root ? undefined : pid);
  // The kubelet advances the program then, to see it end.
  if (main.wakeAt === undefined || main.wakeAt > due) main.wakeAt = due;
  wake(due);
  return true;
}
