/**
 * Holds a network namespace and makes HTTP requests from inside it (test/harness/netns.ts starts
 * it as `unshare --net node netns-agent.ts`, so this process is the namespace's first member).
 *
 * Brings `lo` up, prints `netns-agent ready` on stderr, then reads one JSON request a line on
 * stdin ({ id, url, method?, headers?, timeoutMs? }) and answers each with one JSON line on stdout
 * ({ id, status, headers, body } with the body in base64, or { id, error }). It exits when stdin
 * closes: when the test process ends, even by SIGKILL, the namespace goes with it.
 */
import { execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from './http.ts';

interface AgentRequest {
  id: number;
  url: string;
  method?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

execFileSync('ip', ['link', 'set', 'lo', 'up']);
process.stderr.write('netns-agent ready\n');

const reply = (msg: object) => {
  process.stdout.write(`${JSON.stringify(msg)}\n`);
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let req: AgentRequest;
  try {
    req = JSON.parse(line) as AgentRequest;
  } catch {
    process.stderr.write(`netns-agent: not a request: ${line}\n`);
    return;
  }
  request(req.url, {
    ...(req.method === undefined ? {} : { method: req.method }),
    ...(req.headers === undefined ? {} : { headers: req.headers }),
    ...(req.timeoutMs === undefined ? {} : { timeoutMs: req.timeoutMs }),
  }).then(
    (res) => {
      reply({
        id: req.id,
        status: res.status,
        headers: res.headers,
        body: res.body.toString('base64'),
      });
    },
    (err: unknown) => {
      reply({ id: req.id, error: err instanceof Error ? err.message : String(err) });
    },
  );
});
lines.on('close', () => {
  process.exit(0);
});
