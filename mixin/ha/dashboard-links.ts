/**
 * patrol / HA pairs: the links of each node of a pair (collectors.ha.links), in its own module
 * beside dashboard.ts, which lays them out in the pair's row: the cell of where a heartbeat's
 * fault lies (patrol_ha_peer_fault, beside the heartbeat), and the links' own line of tiles
 * (patrol_ha_link_*: interfaces, bond slaves, the VIP conflict check) with their carrier changes
 * and errors over time. A pair that watches no link shows a grey word, never a gap.
 */
import * as common from '@grafana/grafana-foundation-sdk/common';
import type { Builder } from '@grafana/grafana-foundation-sdk/cog';
import type { Panel } from '@grafana/grafana-foundation-sdk/dashboard';
import {
  color,
  levelTile,
  steps,
  timeseries,
  type Context,
  valueTexts,
} from '../dashboards/panels.ts';
import { BOND_SLAVE, FAULT, LINK, VIP, haQueries } from './queries.ts';
import type { HaStrings } from './i18n/en.ts';

/** The context of this area's builders: the shared words and its own. */
type Ctx = Context<HaStrings>;

/**
 * Where the fault between a node and its peer lies, per peer, in the words of PatrolHaPeerDown
 * (queries.ts FAULT); the caller sizes it.
 */
export function faultTile({ config, s }: Ctx) {
  const l = s.values.haLink;
  const q = haQueries(config, { cluster: true });
  return levelTile(
    s.ha.panels.fault,
    { expr: q.fault, legend: '{{node}} → {{peer}}' },
    'none',
    steps(
      color.idle,
      [FAULT.none, color.ok],
      [FAULT.localLink, color.bad],
      [FAULT.unknown, color.warn],
    ),
  )
    .mappings(
      valueTexts([
        [FAULT.none, l.faultNone, color.ok],
        [FAULT.localLink, l.faultLocalLink, color.bad],
        [FAULT.peerOrNetwork, l.faultPeerOrNetwork, color.bad],
        [FAULT.peerLink, l.faultPeerLink, color.bad],
        [FAULT.unknown, l.faultUnknown, color.warn],
        [FAULT.noLinks, l.noLinks, color.idle],
      ]),
    )
    .textMode(common.BigValueTextMode.ValueAndName);
}

/**
 * The links of each node (collectors.ha.links): a cell per interface and what it carries, each
 * bond's slaves, the VIP conflict check; below, carrier changes and errors over time. A pair
 * that watches none shows a grey word, never a gap.
 */
export function linksSection({ config, s }: Ctx): Builder<Panel>[] {
  const p = s.ha.panels;
  const l = s.values.haLink;
  const lg = s.ha.legends;
  const q = haQueries(config, { cluster: true });
  const perLink = '{{node}} {{interface}}';
  return [
    levelTile(
      p.links,
      { expr: q.links, legend: `${perLink} ({{role}} {{peer}})` },
      'none',
      steps(color.idle, [LINK.up, color.ok], [LINK.missing, color.bad]),
    )
      .mappings(
        valueTexts([
          [LINK.up, l.up, color.ok],
          [LINK.missing, l.missing, color.bad],
          [LINK.down, l.down, color.bad],
          [LINK.noLinks, l.noLinks, color.idle],
        ]),
      )
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(10)
      .height(5),
    levelTile(
      p.bondSlaves,
      { expr: q.bondSlaves, legend: `${perLink} {{slave}}` },
      'none',
      steps(color.idle, [BOND_SLAVE.down, color.bad], [BOND_SLAVE.up, color.ok]),
    )
      .mappings(
        valueTexts([
          [BOND_SLAVE.up, l.up, color.ok],
          [BOND_SLAVE.down, l.down, color.bad],
          [BOND_SLAVE.noBonds, l.noBonds, color.idle],
        ]),
      )
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(7)
      .height(5),
    // UNKNOWN grey: the check cannot run (no privilege), which pages nobody.
    levelTile(
      p.vipConflict,
      { expr: q.vipConflict, legend: '{{node}} {{vip}}' },
      'none',
      steps(color.idle, [VIP.none, color.ok], [VIP.conflict, color.bad], [VIP.unknown, color.idle]),
    )
      .mappings(
        valueTexts([
          [VIP.none, l.vipNone, color.ok],
          [VIP.conflict, l.vipConflict, color.bad],
          [VIP.unknown, l.vipUnknown, color.idle],
          [VIP.notHeld, l.vipNotHeld, color.idle],
        ]),
      )
      .textMode(common.BigValueTextMode.ValueAndName)
      .span(7)
      .height(5),
    timeseries(p.carrierChanges, 'none', { expr: q.carrierChanges, legend: perLink })
      .min(0)
      .decimals(0),
    timeseries(
      p.linkErrors,
      'pps',
      { expr: q.receiveErrors, legend: `${perLink} ${lg.receiveErrors}` },
      { expr: q.transmitErrors, legend: `${perLink} ${lg.transmitErrors}` },
      { expr: q.receiveDrops, legend: `${perLink} ${lg.receiveDrops}` },
      { expr: q.transmitDrops, legend: `${perLink} ${lg.transmitDrops}` },
    ).min(0),
  ];
}
