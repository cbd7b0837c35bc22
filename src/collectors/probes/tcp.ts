import type { Socket } from 'node:net';
import { parseHostPort, type TcpProbe } from './config.ts';
import { dial, type Lookup } from './dial.ts';
import { ProbeError, timeoutError, type ProbeContext } from './outcome.ts';

/** What a server may send before a step's expectation is given up on (a server that floods). */
const MAX_BUFFERED = 64 * 1024;

/** Connects, optionally shakes hands, and walks the query/response steps. */
export async function probeTcp(p: TcpProbe, ctx: ProbeContext, lookup: Lookup): Promise<void> {
  const hp = parseHostPort(p.target);
  if (hp === undefined) throw new ProbeError('other', `not host:port: ${p.target}`);
  const socket = await dial({ ...hp, tls: p.tls ? p.tls_config : undefined, lookup }, ctx);
  try {
    if (p.query_response.length > 0) {
      ctx.timer.begin('processing');
      await converse(socket, p.query_response, ctx.signal);
      ctx.timer.end();
    }
  } finally {
    socket.destroy();
  }
}

interface Step {
  readonly expect?: string | undefined;
  readonly send?: string | undefined;
}

/**
 * blackbox_exporter's query_response: each step waits until the text received since the last
 * match matches its `expect`, then writes its `send`. Ends at the deadline, or when the server
 * closes or floods before an expectation is met (reason protocol, with what it said).
 */
function converse(socket: Socket, steps: readonly Step[], signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let buffered = '';
    let i = 0;
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
      socket.off('error', onError);
      signal.removeEventListener('abort', onAbort);
      if (err === undefined) resolve();
      else reject(err);
    };
    const advance = () => {
      while (i < steps.length) {
        const step = steps[i] as Step;
        if (step.expect !== undefined) {
          const m = new RegExp(step.expect, 'mu').exec(buffered);
          if (m === null) {
            if (buffered.length > MAX_BUFFERED) {
              finish(new ProbeError('protocol', `no ${step.expect} in the first 64 KiB`));
            }
            return;
          }
          buffered = buffered.slice(m.index + m[0].length);
        }
        if (step.send !== undefined) socket.write(step.send);
        i++;
      }
      finish();
    };
    const onData = (d: Buffer) => {
      buffered += d.toString('utf8');
      advance();
    };
    const onEnd = () => {
      const step = steps[i];
      finish(
        new ProbeError(
          'protocol',
          `connection closed before ${String(step?.expect)} was seen; got ${JSON.stringify(buffered.slice(0, 200))}`,
        ),
      );
    };
    const onError = (err: Error) => {
      finish(err);
    };
    const onAbort = () => {
      const step = steps[i];
      finish(
        timeoutError(
          `waiting for ${String(step?.expect)}; got ${JSON.stringify(buffered.slice(0, 200))}`,
        ),
      );
    };
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
    socket.on('error', onError);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    advance();
  });
}
