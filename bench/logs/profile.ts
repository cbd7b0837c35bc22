/** bench/logs.ts `--profile`: what a .cpuprofile says, by function. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fmt } from '../lib/peers.ts';

/** Self time per function from a .cpuprofile, highest first. */
export function profileSummary(path: string, top: number): string[] {
  interface Node {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }
  const p = JSON.parse(readFileSync(path, 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i + 1] ?? 0;
    const f = byId.get(id)?.callFrame;
    const key =
      f === undefined
        ? '?'
        : `${f.functionName === '' ? '(anonymous)' : f.functionName} ${f.url === '' ? '' : `${basename(f.url)}:${f.lineNumber + 1}`}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([k, us]) =>
        `${fmt((100 * us) / total, 1).padStart(5)}%  ${fmt(us / 1000, 0).padStart(6)} ms  ${k}`,
    );
}
