/**
 * The Tailer through rotations: renamed, deleted, copied and truncated files (copytruncate),
 * generations renamed again, symlinks, and restarts across rotations made while it was down.
 * The rest of the Tailer: tailer.test.ts.
 */
import assert from 'node:assert/strict';
import {
  appendFileSync,
  closeSync,
  copyFileSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { catchUp, drainAll, freshDir, lines, make, plain, src, total } from './test-tailer.ts';

describe('Tailer: rotation, truncation and restarts', () => {
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
});
