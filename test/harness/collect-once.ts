/**
 * Runs one collector once in this process and prints its samples as JSON lines
 * ({name, labels, value}). Used by tests that must run the collector inside a namespace
 * they prepared (e.g. `unshare --mount`). Usage: collect-once.ts <collector> '<config json>'
 * With PATROL_RUN_AS_UID set, it drops to that uid (and its gid) once its code is loaded, so a
 * test can see what a user without privileges gets, wherever the checkout lives.
 */
import { createCollectors, parseConfig } from '../../src/collectors/index.ts';
import { CollectFailure } from '../../src/core/collector.ts';
import { describeError } from '../../src/core/errors.ts';
import { silentLogger } from '../../src/core/logger.ts';
import { SampleBuffer } from '../../src/core/metrics.ts';
import { COLLECTOR_NAMES, isCollectorName, onlyCollectors } from './config.ts';

const runAs = process.env.PATROL_RUN_AS_UID;
if (runAs !== undefined) {
  process.setgid?.(Number(runAs));
  process.setuid?.(Number(runAs));
}

const [name = '', json = '{}'] = process.argv.slice(2);
if (!isCollectorName(name)) throw new Error(`no collector ${name} (${COLLECTOR_NAMES.join(', ')})`);
const config = parseConfig(onlyCollectors({ [name]: JSON.parse(json) as object }));
const [collector] = createCollectors(config, { logger: silentLogger });
if (collector === undefined) throw new Error(`no collector ${name}`);
await collector.start?.();
const sink = new SampleBuffer();
// A failure is printed as {"error": ...}; samples are printed when the runner would keep them.
let failure: unknown;
try {
  await collector.collect(sink, new AbortController().signal);
} catch (err) {
  failure = err;
  if (!(err instanceof CollectFailure)) sink.families.clear();
}
await collector.stop?.();
if (failure !== undefined)
  process.stdout.write(JSON.stringify({ error: describeError(failure) }) + '\n');
for (const [fam, samples] of sink.families) {
  for (const s of samples)
    process.stdout.write(
      JSON.stringify({ name: fam.name, labels: s.labels, value: s.value }) + '\n',
    );
}
