import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import { defaultConfig } from '../config.ts';
import { strings } from '../i18n/index.ts';
import { dashboards } from './index.ts';
import { joinRows } from './shared.ts';

/** A stand-in panel, told apart by its title. */
const panel = (title: string): Builder<Panel> => ({ build: () => ({ type: 'stat', title }) });
const titles = (panels: Builder<Panel>[]) => panels.map((p) => p.build().title);

describe('dashboard parts', () => {
  it('join the parts of one row where its first part is: every part’s panels, then every part’s panels below', () => {
    const rows = joinRows([
      { id: 'a', title: 'A', panels: [panel('a1')], below: [panel('a-grid')] },
      { id: 'b', title: 'B', panels: [panel('b1')] },
      { id: 'a', panels: [panel('a2')], below: [panel('a2-grid')] },
    ]);
    assert.deepEqual(
      rows.map((r) => [r.title, titles(r.panels)]),
      [
        ['A', ['a1', 'a2', 'a-grid', 'a2-grid']],
        ['B', ['b1']],
      ],
    );
  });

  it('refuse a row whose first part has no title, and a row titled twice', () => {
    assert.throws(() => joinRows([{ id: 'a', panels: [] }]), /row a: its first part has no title/);
    assert.throws(
      () =>
        joinRows([
          { id: 'a', title: 'A', panels: [] },
          { id: 'a', title: 'again', panels: [] },
        ]),
      /row a: titled twice/,
    );
  });

  it('find dashboards by name, and refuse an unknown name or two dashboards of one name', () => {
    const s = strings('en');
    const build = (...names: string[]) =>
      dashboards(defaultConfig, 'en', s, [
        {
          dashboards: names.map((name) => ({
            name,
            link: () => name,
            build: (ctx) => ({ title: ctx.uid(name), links: ctx.links(name) }) as never,
          })),
        },
      ]);
    assert.deepEqual(Object.keys(build('x')), ['overview.json', 'host.json', 'x.json']);
    assert.equal((build('x')['x.json'] as { title: string }).title, 'patrol-x');
    assert.throws(() => build('x', 'x'), /two dashboards are named x/);
    assert.throws(
      () =>
        dashboards(defaultConfig, 'en', s, [
          { overview: (ctx) => ({ rows: [{ id: 'r', title: ctx.uid('nope'), panels: [] }] }) },
        ]),
      /no dashboard is named nope: overview, host are/,
    );
  });

  it('give other areas’ parts to the dashboard that owns them, and refuse parts nobody places', () => {
    const s = strings('en');
    const part = (title: string) => () => ({
      variables: [],
      rows: [{ id: title, title, panels: [panel(`${title}-panel`)] }],
    });
    const build = (place: boolean, given: Record<string, ReturnType<typeof part>>) =>
      dashboards(defaultConfig, 'en', s, [
        {
          dashboards: [
            {
              name: 'x',
              link: () => 'x',
              build: (ctx) =>
                ({
                  rows: place ? ctx.parts('x').flatMap((p) => p.rows.map((r) => r.title)) : [],
                }) as never,
            },
          ],
        },
        { parts: given },
        { parts: { x: part('second') } },
      ]);
    assert.deepEqual((build(true, { x: part('first') })['x.json'] as { rows: string[] }).rows, [
      'first',
      'second',
    ]);
    assert.throws(
      () => build(false, { x: part('first') }),
      /dashboard x does not place the parts other areas give it/,
    );
    assert.throws(() => build(true, { nope: part('first') }), /no dashboard is named nope/);
    assert.throws(
      () => build(true, { host: part('first') }),
      /parts of host are given as the area's `host`/,
    );
  });
});
