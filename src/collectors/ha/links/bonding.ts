/**
 * A bond as /proc/net/bonding/<bond> shows it (drivers/net/bonding/bond_procfs.c): a header for
 * the bond (mode, "Currently Active Slave" in active-backup), then one block per slave beginning
 * with "Slave Interface:", each with its own "MII Status". 802.3ad adds indented LACP details,
 * which are skipped.
 */
export interface BondSlave {
  readonly name: string;
  /** MII status up (1); "going down" (down delay running) and "going back" (up delay) are not. */
  readonly up: boolean;
  readonly linkFailures: number | undefined;
}

export interface Bond {
  readonly mode: string | undefined;
  /** The active slave (active-backup, balance-tlb/alb); undefined when none or not applicable. */
  readonly activeSlave: string | undefined;
  readonly slaves: readonly BondSlave[];
}

export function parseBonding(text: string): Bond {
  let mode: string | undefined;
  let activeSlave: string | undefined;
  const slaves: { name: string; up: boolean; linkFailures: number | undefined }[] = [];
  let current: (typeof slaves)[number] | undefined;
  for (const line of text.split('\n')) {
    if (/^\s/.test(line)) continue; // indented LACP details
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'Slave Interface') {
      current = { name: value, up: false, linkFailures: undefined };
      slaves.push(current);
    } else if (current === undefined) {
      if (key === 'Bonding Mode') mode = value;
      else if (key === 'Currently Active Slave' && value !== 'None') activeSlave = value;
    } else if (key === 'MII Status') {
      current.up = value === 'up';
    } else if (key === 'Link Failure Count' && /^\d+$/.test(value)) {
      current.linkFailures = Number(value);
    }
  }
  return { mode, activeSlave, slaves };
}
