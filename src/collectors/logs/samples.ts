/** Every series of the log collector, from one snapshot of its sources. */
import { addInfo, type MetricSink } from '../../core/metrics.ts';
import { LEVELS, logFamilies as f, READ_ERROR_REASONS } from './metrics.ts';
import type { TailerSnapshot } from './snapshot.ts';

export function emit(snap: TailerSnapshot, sink: MetricSink): void {
  for (const s of snap.sources) {
    const source = s.name;
    addInfo(sink, f.sourceInfo, { source, format: s.format, required: String(s.required) });
    LEVELS.forEach((level, i) => {
      sink.add(f.lines, { source, level }, s.lines[i] ?? 0);
    });
    const lastByRule = new Map<string, number>();
    for (const m of s.matches) {
      sink.add(f.matches, { ...m.labels, source, rule: m.rule }, m.count);
      lastByRule.set(m.rule, Math.max(lastByRule.get(m.rule) ?? 0, m.last));
    }
    for (const [rule, last] of lastByRule) sink.add(f.lastMatch, { source, rule }, last);
    sink.add(f.readBytes, { source }, s.readBytes);
    sink.add(f.lag, { source }, s.lagBytes);
    sink.add(f.rotations, { source }, s.rotations);
    sink.add(f.truncations, { source }, s.truncations);
    sink.add(f.lostBytes, { source }, s.lostBytes);
    sink.add(f.files, { source }, s.files);
    if (s.lastWrite !== undefined) sink.add(f.lastWrite, { source }, s.lastWrite);
    if (s.maxSilenceSeconds !== undefined) sink.add(f.maxSilence, { source }, s.maxSilenceSeconds);
    for (const reason of READ_ERROR_REASONS) {
      sink.add(f.readErrors, { source, reason }, s.errors[reason]);
    }
    sink.add(f.linesTruncated, { source }, s.truncatedLines);
  }
  sink.add(f.positionsErrors, { operation: 'load' }, snap.positionsErrors.load);
  sink.add(f.positionsErrors, { operation: 'save' }, snap.positionsErrors.save);
}
