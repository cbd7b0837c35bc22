/**
 * The words every area shares, in English, the source language: the data source, job and
 * instance variables, the common state words, and the Overview and Host dashboards with the
 * links to them. Each area's own words are in `mixin/<area>/i18n/`.
 */
export const en = {
  dashboards: {
    variables: {
      datasource: 'Data source',
      job: 'Job',
      instance: 'Instance',
    },
    /** Texts that replace 0/1 values on the tiles: one word, readable across the room. */
    values: {
      up: 'UP',
      down: 'DOWN',
      ok: 'OK',
      failed: 'FAILED',
      error: 'ERROR',
    },
    links: {
      overview: 'Overview',
      host: 'Host',
      openHost: 'Open the host dashboard',
    },
    overview: {
      title: 'patrol / Overview',
      description:
        'The wall display: one row per checklist area, every tile green when all is well and red when someone has to act.',
    },
    host: {
      title: 'patrol / Host',
      description:
        'One server in detail: its exporter, the space and inodes of each filesystem with the time until it is full, and the watched directories.',
    },
  },
};

export type SharedStrings = typeof en;
