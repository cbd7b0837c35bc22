import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  closeSync,
  copyFileSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileSourcesOnly, logsConfig } from './config.ts';
import { LEVELS } from './metrics.ts';
import { DRAIN_IDLE_MS, PARK_IDLE_MS, Tailer, type SourceSnapshot } from './tailer.ts';

const root = mkdtempSync(join(tmpdir(), 'patrol-tailer-'));
after(() => {
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
const freshDir = () => {
  const d = join(root, `t${++n}`);
  mkdirSync(d);
  return d;
};

interface Made {
  tailer: Tailer;
  logs: { level: string; msg: string; fields: Record<string, unknown> }[];
  clock: { now: number };
}

function make(sources: unknown[], opts: { positions?: string; extra?: object } = {}): Made {
  const config = fileSourcesOnly(
    logsConfig.parse({ sources, poll_interval: '100ms', ...opts.extra }),
  );
  const logs: Made['logs'] = [];
  const clock = { now: Date.now() };
  const tailer = new Tailer({
    config,
    positionsPath: opts.positions,
    log: (level, msg, fields) => logs.push({ level, msg, fields }),
    now: () => clock.now,
  });
  tailer.start();
  return { tailer, logs, clock };
}

const src = (m: Made, name = 'app'): SourceSnapshot => {
  const s = m.tailer.snapshot().sources.find((x) => x.name === name);
  assert.ok(s, `source ${name}`);
  return s;
};
const total = (s: SourceSnapshot) => s.lines.reduce((a, b) => a + b, 0);
const level = (s: SourceSnapshot, l: (typeof LEVELS)[number]) => s.lines[LEVELS.indexOf(l)];
/** Polls until nothing is left to read. */
const catchUp = (m: Made) => {
  while (m.tailer.poll());
};
/** Lets draining files reach their idle deadline and close. */
const drainAll = (m: Made) => {
  catchUp(m);
  m.clock.now += DRAIN_IDLE_MS + 1;
  m.tailer.poll();
  m.clock.now += DRAIN_IDLE_MS + 1;
  m.tailer.poll();
};
const lines = (from: number, count: number, word = 'info') =>
  Array.from({ length: count }, (_, i) => `line ${from + i} ${word}\n`).join('');
const plain = (dir: string, extra: object = {}) => ({
  name: 'app',
  paths: [join(dir, '*.log')],
  format: 'plain',
  ...extra,
});

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

  it('drains a renamed file to its end, follows the new one from 0, then closes the old descriptor', () => {
    const dir = freshDir();
    const path = join(dir, 'app.log');
    const w = openSync(path, 'a');
    const m = make([plain(dir)]);
    writeSync(w, lines(0, 10));
    catchUp(m);
    renameSync(path, `${path}.1`);
    // The writer has not reopened yet: these land in the renamed file.
    writeSync(w, lines(10, 5));
    closeSync(w);
    writeFileSync(path, lines(15, 4));
    catchUp(m);
    assert.equal(total(src(m)), 19);
    assert.equal(src(m).rotations, 1);
    assert.equal(src(m).files, 2, 'the renamed file is still being drained');
    drainAll(m);
    assert.equal(src(m).files, 1);
    assert.equal(m.tailer.openFiles, 1);
    m.tailer.close();
  });

  it('releases a deleted file once drained: no descriptor is left on it', () => {
    const dir = freshDir();
    const path = join(dir, 'gone.log');
    writeFileSync(path, '');
    const m = make([plain(dir)]);
    appendFileSync(path, lines(0, 3));
    catchUp(m);
    unlinkSync(path);
    drainAll(m);
    assert.equal(total(src(m)), 3);
    assert.equal(src(m).files, 0);
    const leaked = readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`).startsWith(path);
      } catch {
        return false;
      }
    });
    assert.deepEqual(leaked, []);
    m.tailer.close();
  });

  it('copytruncate: reads what the copy holds beyond the offset and measures what is lost', () => {
    const dir = freshDir();
    const path = join(dir, 'ct.log');
    const w = openSync(path, 'a');
    const m = make([plain(dir)]);
    writeSync(w, lines(0, 10));
    catchUp(m);
    writeSync(w, lines(10, 6)); // not read yet, but in the copy
    copyFileSync(path, `${path}.1`);
    const window = lines(16, 2); // written between copy and truncate
    writeSync(w, window);
    m.tailer.poll(); // sees the size grow (and reads the window lines too)
    ftruncateSync(w, 0);
    writeSync(w, lines(18, 3));
    catchUp(m);
    const s = src(m);
    assert.equal(s.truncations, 1);
    assert.equal(total(s), 21, 'the window was read before the truncation: nothing lost');
    assert.equal(s.lostBytes, 0);
    closeSync(w);
    m.tailer.close();
  });

  it('copytruncate: a window written after the last poll is lost, and nothing counted twice', () => {
    const dir = freshDir();
    const path = join(dir, 'ct.log');
    const w = openSync(path, 'a');
    const m = make([plain(dir)]);
    writeSync(w, lines(0, 10));
    catchUp(m);
    writeSync(w, lines(10, 6));
    m.tailer.poll();
    copyFileSync(path, `${path}.1`);
    // The reader saw the size before the window; it cannot know the window itself.
    const window = lines(16, 2);
    writeSync(w, window);
    ftruncateSync(w, 0);
    writeSync(w, lines(18, 3));
    catchUp(m);
    const s = src(m);
    assert.equal(s.truncations, 1);
    assert.equal(total(s), 21 - 2);
    // Only what a poll saw counts as lost: this window was never seen.
    assert.equal(s.lostBytes, 0);
    closeSync(w);
    m.tailer.close();
  });

  it('copytruncate without a copy: reading restarts at 0, nothing counted twice', () => {
    const dir = freshDir();
    const path = join(dir, 'ct.log');
    const w = openSync(path, 'a');
    const m = make([plain(dir)]);
    writeSync(w, lines(0, 4));
    catchUp(m);
    // Written and truncated away between two polls: never seen, so not even measurable here
    // (the torture test measures such windows from the writer's side).
    writeSync(w, lines(4, 3));
    ftruncateSync(w, 0);
    writeSync(w, lines(100, 2));
    catchUp(m);
    assert.equal(total(src(m)), 4 + 2);
    assert.equal(src(m).truncations, 1);
    closeSync(w);
    m.tailer.close();
  });

  it('resumes exactly after a restart, across a rename and a copytruncate made while it was down', () => {
    const dir = freshDir();
    const positions = join(dir, 'state', 'positions.json');
    const renamed = join(dir, 'r.log');
    const truncated = join(dir, 't.log');
    const deleted = join(dir, 'd.log');
    writeFileSync(renamed, lines(0, 3));
    writeFileSync(truncated, lines(0, 3));
    writeFileSync(deleted, lines(0, 3));
    const first = make([plain(dir, { start_at: 'beginning' })], { positions });
    catchUp(first);
    appendFileSync(renamed, 'unfinished ');
    catchUp(first);
    assert.equal(total(src(first)), 9);
    first.tailer.close();
    // The kernel stamps a file's birth with its coarse clock, up to a jiffy behind Date.now():
    // a generation created in the same few milliseconds as the save can look older than it.
    // Rotations during a real outage come later than that; wait one jiffy to be one.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);

    // While down: the unfinished line ends, the file is rotated twice, the second file also
    // gets lines; t.log is copied and truncated; d.log is deleted and created again.
    appendFileSync(renamed, 'line\n' + lines(3, 2));
    renameSync(renamed, `${renamed}.2`);
    writeFileSync(renamed, lines(100, 4));
    renameSync(renamed, `${renamed}.1`);
    writeFileSync(renamed, lines(200, 5));
    appendFileSync(truncated, lines(3, 2));
    copyFileSync(truncated, `${truncated}.1`);
    writeFileSync(truncated, lines(300, 6));
    unlinkSync(deleted);
    writeFileSync(deleted, lines(400, 7));

    const second = make([plain(dir, { start_at: 'beginning' })], { positions });
    catchUp(second);
    const s = src(second);
    // r: the rest of 'unfinished line' + 2, then 4, then 5; t: 2 from the copy, then 6; d: 7
    // (what d.log got after the last save before it was deleted is lost: nothing here).
    assert.equal(total(s), 1 + 2 + 4 + 5 + 2 + 6 + 7);
    assert.equal(s.truncations, 1);
    second.tailer.close();

    // A graceful restart with nothing new counts nothing.
    const third = make([plain(dir, { start_at: 'beginning' })], { positions });
    catchUp(third);
    assert.equal(
      total(src(third)),
      0,
      JSON.stringify(third.logs) + readFileSync(positions, 'utf8'),
    );
    third.tailer.close();
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

  it('follows a file renamed to a name its glob also matches on, never reading it again', () => {
    const dir = freshDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const m = make([plain(dir)]);
    appendFileSync(path, lines(0, 10));
    catchUp(m);
    // logback's daily rollover, or logrotate dateext with `extension .log`.
    renameSync(path, join(dir, 'app.2026-11-20.log'));
    appendFileSync(join(dir, 'app.2026-11-20.log'), lines(10, 2));
    writeFileSync(path, lines(12, 3));
    catchUp(m);
    m.tailer.rescan();
    drainAll(m);
    m.tailer.rescan();
    catchUp(m);
    appendFileSync(join(dir, 'app.2026-11-20.log'), lines(15, 1));
    catchUp(m);
    assert.equal(total(src(m)), 16);
    assert.equal(src(m).files, 2);
    m.tailer.close();
  });

  it('reads a generation rotated away and renamed again between two polls', () => {
    const dir = freshDir();
    const path = join(dir, 'app.log');
    writeFileSync(path, '');
    const m = make([plain(dir)]);
    appendFileSync(path, lines(0, 10));
    catchUp(m);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(10, 10));
    renameSync(`${path}.1`, `${path}.2`);
    renameSync(path, `${path}.1`);
    writeFileSync(path, lines(20, 10));
    catchUp(m);
    assert.equal(total(src(m)), 30);
    m.tailer.close();
  });

  it("finds logrotate's copy next to the real file when the configured path is a symlink", () => {
    const dir = freshDir();
    mkdirSync(join(dir, 'real'));
    const real = join(dir, 'real', 'app.log');
    writeFileSync(real, '');
    symlinkSync(real, join(dir, 'app.log'));
    const w = openSync(real, 'a');
    const m = make([{ name: 'app', paths: [join(dir, 'app.log')], format: 'plain' }]);
    writeSync(w, lines(0, 5));
    catchUp(m);
    writeSync(w, lines(5, 5));
    copyFileSync(real, `${real}.1`);
    ftruncateSync(w, 0);
    writeSync(w, lines(10, 2));
    catchUp(m);
    closeSync(w);
    assert.equal(total(src(m)), 12);
    assert.equal(src(m).truncations, 1);
    m.tailer.close();
  });

  it("keeps reading the other files when one file's siblings cannot even be stat'ed", () => {
    const dir = freshDir();
    const a = join(dir, 'a.log');
    writeFileSync(a, '');
    symlinkSync(join(dir, 'a.log.loop'), join(dir, 'a.log.loop')); // ELOOP
    writeFileSync(join(dir, 'b.log'), '');
    const m = make([plain(dir)]);
    appendFileSync(a, lines(0, 3));
    appendFileSync(join(dir, 'b.log'), lines(0, 4));
    catchUp(m);
    writeFileSync(a, lines(100, 1)); // truncated: the copy is looked for among the siblings
    appendFileSync(join(dir, 'b.log'), lines(4, 2));
    catchUp(m);
    catchUp(m);
    assert.equal(total(src(m)), 3 + 4 + 1 + 2);
    assert.equal(src(m).truncations, 1);
    m.tailer.close();
  });

  it('at restart, leaves alone a sibling that another source follows, and an old generation written late', () => {
    const dir = freshDir();
    const positions = join(dir, 'state', 'positions.json');
    const path = join(dir, 'app.log');
    writeFileSync(path, lines(0, 2));
    writeFileSync(join(dir, 'app.log.json'), lines(0, 3));
    writeFileSync(`${path}.1`, lines(0, 4)); // rotated before the first start
    const sources = () => [
      plain(dir, { paths: [path], start_at: 'beginning' }),
      plain(dir, { name: 'json', paths: [join(dir, '*.log.json')], start_at: 'beginning' }),
    ];
    const first = make(sources(), { positions });
    catchUp(first);
    first.tailer.close();
    appendFileSync(`${path}.1`, lines(4, 1)); // a late write to an old generation
    appendFileSync(join(dir, 'app.log.json'), lines(3, 1));
    const second = make(sources(), { positions });
    catchUp(second);
    assert.equal(total(src(second)), 0);
    assert.equal(total(src(second, 'json')), 1);
    second.tailer.close();
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
