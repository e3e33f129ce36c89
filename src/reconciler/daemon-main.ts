import { runDaemon } from './daemon';

// Entry point of the detached daemon process: `node daemon-main.js <home>`.
runDaemon(process.argv[2] ?? '', process.env).catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
