/**
 * Where the fault between this node and a peer lies, from this node's link to the peer and
 * whether the peer answers its heartbeat (peers.ts). One state per peer.
 */

/**
 * none: the peer answers and our link to it is up. local_link: the interface carrying traffic to
 * the peer is down or missing (whether the peer answers or not: with a dead link it answers, if
 * at all, another way). peer_or_network: our link is up and the peer does not answer. peer_link:
 * the peer says, in its last heartbeat answer, that its own link towards this node is down (it
 * answered through another path, or that was the last thing it said before it went silent).
 * unknown: no interface is known for the peer (no route to
 * its address, an address that does not resolve) while it does not answer.
 */
export const FAULT_WHERE = [
  'none',
  'local_link',
  'peer_or_network',
  'peer_link',
  'unknown',
] as const;
export type FaultWhere = (typeof FAULT_WHERE)[number];

/** This node's link towards a peer: none found, or the interface missing, down or up. */
export type LinkView = 'not_found' | 'missing' | 'down' | 'up';

export function locateFault(input: {
  readonly link: LinkView;
  readonly peerUp: boolean;
  /** The peer's own report of its link towards us, when its heartbeat carries one. */
  readonly peerLinkUp?: boolean | undefined;
}): FaultWhere {
  const { link, peerUp } = input;
  if (link === 'missing' || link === 'down') return 'local_link';
  if (input.peerLinkUp === false) return 'peer_link';
  if (peerUp) return 'none';
  return link === 'up' ? 'peer_or_network' : 'unknown';
}
