// kubectl top node: its command lives in top.ts beside top pod's.
export { nodeCommand as command } from './top';
