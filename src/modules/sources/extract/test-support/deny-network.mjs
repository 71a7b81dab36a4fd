// Preloaded (node --import) into a process, and so into its worker threads, which inherit execArgv:
// any attempt to reach the network is refused and written to DENY_NETWORK_LOG, so a test can
// prove that a code path (OCR: tesseract.js, its core and trained data) never goes online.
import { appendFileSync } from 'node:fs';
import dns from 'node:dns';
import net from 'node:net';
import { threadId } from 'node:worker_threads';

const log = process.env.DENY_NETWORK_LOG;
const refuse = (what) => {
  if (log) appendFileSync(log, `${process.pid}/${threadId} ${what}\n`);
  throw new Error(`network use refused in this test: ${what}`);
};
globalThis.fetch = async (input) => refuse(`fetch ${String(input?.url ?? input)}`);
net.Socket.prototype.connect = function connect(...args) {
  const [first] = args;
  const where = typeof first === 'object' && first !== null ? `${first.host ?? first.path ?? ''}:${first.port ?? ''}` : String(first);
  // The IPC channel to the parent is not a net.Socket connect; anything else is.
  return refuse(`socket ${where}`);
};
dns.lookup = (hostname) => refuse(`dns ${hostname}`);
