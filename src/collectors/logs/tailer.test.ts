/**
 * The Tailer: where it starts in a file, what it counts, its limits, its positions file, and
 * permissions. Rotation, truncation and restarts across them: tailer-rotation.test.ts.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PARK_IDLE_MS } from './tailer.ts';
import { catchUp, freshDir, level, lines, make, plain, src, total } from './test-tailer.ts';

describe('Tailer', () => {
  it('starts present files at their last complete line, new files at 0, and skips rotated names', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a.log'), lines(0, 5) + 'half a li');
    writeFileSync(join(dir, 'a.log.1'), lines(0, 50));
    writeFileSync(join(dir, 'b.log.gz'), lines(0, 50));
    const m = make([plain(dir, { paths: [join(dir, '*')] })]);
    catchUp(m);
    // Only the rest of the unfinished line is pending; nothing counted yet.
    assert.equal(total(src(m)), 0);
    appendFileSync(join(dir, 'a.log'), 'ne\n' + lines(5, 3));
    writeFileSync(join(dir, 'tomcat_access.2021-04-27.log'), lines(0, 7));
    m.tailer.rescan();
    catchUp(m);
    assert.equal(total(src(m)), 1 + 3 + 7);
    assert.equal(src(m).files, 2);
    m.tailer.close();
  });

  it('reads from the beginning with start_at: beginning', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'a.log'), lines(0, 12));
    const m = make([plain(dir, { start_at: 'beginning' })]);
    catchUp(m);
    assert.equal(total(src(m)), 12);
    assert.equal(src(m).readBytes, lines(0, 12).length);
    m.tailer.close();
  });

  it('a source added later starts at start_at; a known source reads its new files from 0', () => {
    const dir = freshDir();
    const positions = join(dir, 'positions.json');
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'x.log'), lines(0, 3));
    const first = make([plain(join(dir, 'a'))], { positions });
    catchUp(first);
    first.tailer.close();
    writeFileSync(join(dir, 'a', 'new.log'), lines(0, 2));
    writeFileSync(join(dir, 'b', 'old.log'), lines(0, 9));
    const second = make([plain(join(dir, 'a')), plain(join(dir, 'b'), { name: 'b' })], {
      positions,
    });
    catchUp(second);
    assert.equal(total(src(second)), 2);
    assert.equal(total(src(second, 'b')), 0);
    second.tailer.close();
  });

  it('counts garbage, invalid UTF-8 and a 10 MiB line without a newline, and keeps going', () => {
    const dir = freshDir();
    const path = join(dir, 'bad.log');
    writeFileSync(path, '');
    const m = make([{ name: 'app', paths: [path], format: 'syslog' }]);
    const garbage = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a, 0xc3, 0x28, 0x20, 0x65, 0x0a]);
    appendFileSync(path, garbage);
    const huge = Buffer.alloc(10 * 1024 * 1024, 0x41);
    appendFileSync(path, huge);
    catchUp(m);
    appendFileSync(path, '\nNov 21 10:00:00 host kernel: I/O error, dev sda\n');
    catchUp(m);
    const s = src(m);
    assert.equal(total(s), 4);
    assert.equal(s.truncatedLines, 1);
    assert.equal(level(s, 'error'), 1);
    assert.equal(s.lagBytes, 0);
    m.tailer.close();
  });

  it('reports a directory where a file was expected once, and keeps following the rest', () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'dir.log'));
    writeFileSync(join(dir, 'ok.log'), '');
    const m = make([plain(dir)]);
    m.tailer.rescan();
    m.tailer.rescan();
    appendFileSync(join(dir, 'ok.log'), lines(0, 2));
    catchUp(m);
    const s = src(m);
    assert.equal(s.errors.not_a_file, 1);
    assert.equal(total(s), 2);
    assert.equal(m.logs.filter((l) => l.fields.reason === 'not_a_file').length, 1);
    m.tailer.close();
  });

  it('keeps to max_files and says so once per file', () => {
    const dir = freshDir();
    for (let i = 0; i < 5; i++) writeFileSync(join(dir, `f${i}.log`), '');
    const m = make([plain(dir)], { extra: { max_files: 3 } });
    m.tailer.rescan();
    assert.equal(m.tailer.openFiles, 3);
    assert.equal(src(m).errors.too_many_files, 2);
    m.tailer.close();
    assert.equal(m.tailer.openFiles, 0);
  });

  it('gives the descriptor of a long-idle file to a new one at max_files, and reopens it when it changes', () => {
    const dir = freshDir();
    const positions = join(dir, 'state', 'positions.json');
    const day = (d: number) => join(dir, `access.2026-11-0${d}.log`);
    const m = make([plain(dir, { paths: [join(dir, 'access.*.log')] })], {
      positions,
      extra: { max_files: 2 },
    });
    let written = 0;
    for (let d = 1; d <= 4; d++) {
      writeFileSync(day(d), lines(0, 10));
      written += 10;
      m.tailer.rescan();
      catchUp(m);
      m.clock.now += PARK_IDLE_MS + 1000;
    }
    appendFileSync(day(1), lines(10, 3)); // a late line in a parked file
    written += 3;
    m.tailer.rescan();
    catchUp(m);
    const s = src(m);
    assert.equal(total(s), written);
    assert.equal(s.files, 4);
    assert.equal(s.errors.too_many_files, 0);
    assert.ok(m.tailer.openFiles <= 2);
    m.tailer.close();
    // Parked files are saved too: a restart reads nothing again.
    const again = make([plain(dir, { paths: [join(dir, 'access.*.log')] })], {
      positions,
      extra: { max_files: 2 },
    });
    again.clock.now += PARK_IDLE_MS + 1000;
    again.tailer.rescan();
    catchUp(again);
    assert.equal(total(src(again)), 0);
    assert.equal(src(again).files, 4);
    again.tailer.close();
  });

  it('counts rules once per entry, with allow-listed captures capped at max_values', () => {
    const dir = freshDir();
    const path = join(dir, 'up.log');
    writeFileSync(path, '');
    const m = make([
      {
        name: 'app',
        paths: [path],
        format: 'plain',
        rules: [
          {
            name: 'timeout',
            regex: 'timed out.*upstream: (?<up>\\S+)',
            labels: ['up'],
            max_values: 2,
          },
          { name: 'any_x', regex: 'x' },
        ],
      },
    ]);
    const text = ['a', 'b', 'a', 'c', 'd'].map((u) => `x timed out, upstream: ${u}\n`).join('');
    appendFileSync(path, text + 'nothing\n' + 'caf\xc3\xa9 x\n');
    catchUp(m);
    const got = Object.fromEntries(
      src(m).matches.map((x) => [`${x.rule}/${x.labels.up ?? ''}`, x.count]),
    );
    assert.deepEqual(got, { 'timeout/a': 2, 'timeout/b': 1, 'timeout/other': 2, 'any_x/': 6 });
    m.tailer.close();
  });

  it('keeps counting when the positions file cannot be written, and says so once', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'blocker'), '');
    const m = make([plain(dir)], { positions: join(dir, 'blocker', 'positions.json') });
    writeFileSync(join(dir, 'a.log'), lines(0, 2));
    m.tailer.rescan();
    catchUp(m);
    m.tailer.save();
    m.clock.now += 5000;
    appendFileSync(join(dir, 'a.log'), lines(2, 1));
    catchUp(m);
    m.tailer.save();
    assert.equal(total(src(m)), 3);
    assert.equal(m.tailer.snapshot().positionsErrors.save, 2);
    assert.equal(m.logs.filter((l) => l.msg.startsWith('cannot save log positions')).length, 1);
    m.tailer.close();
  });

  it('moves a corrupt positions file aside and starts per start_at', () => {
    const dir = freshDir();
    const positions = join(dir, 'positions.json');
    writeFileSync(positions, '{"version":1,"files":[{"garbage":');
    writeFileSync(join(dir, 'a.log'), lines(0, 4));
    const m = make([plain(dir)], { positions });
    catchUp(m);
    assert.equal(total(src(m)), 0);
    assert.equal(m.tailer.snapshot().positionsErrors.load, 1);
    assert.ok(readdirSync(dir).includes('positions.json.corrupt'));
    m.tailer.close();
  });

  it('does not follow an unreadable file, and counts it once', () => {
    // Root reads anything: the check runs in a child that drops to nobody after loading.
    const dir = mkdtempSync(join(tmpdir(), 'patrol-perm-'));
    try {
      chmodSync(dir, 0o755);
      writeFileSync(join(dir, 'secret.log'), 'x\n', { mode: 0 });
      chmodSync(join(dir, 'secret.log'), 0);
      writeFileSync(join(dir, 'ok.log'), '', { mode: 0o644 });
      const script = `
        import { Tailer } from ${JSON.stringify(new URL('./tailer.ts', import.meta.url).href)};
        import { logsConfig } from ${JSON.stringify(new URL('./config.ts', import.meta.url).href)};
        if (process.getuid() === 0) { process.setgid(65534); process.setuid(65534); }
        const config = logsConfig.parse({ sources: [{ name: 'app', paths: [${JSON.stringify(join(dir, '*.log'))}], format: 'plain' }] });
        const t = new Tailer({ config, positionsPath: undefined, log: () => {} });
        t.start(); t.rescan(); t.rescan();
        const s = t.snapshot().sources[0];
        t.close();
        console.log(JSON.stringify({ permission: s.errors.permission, files: s.files }));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        encoding: 'utf8',
      });
      assert.deepEqual(JSON.parse(out), { permission: 1, files: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
