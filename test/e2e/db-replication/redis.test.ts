/**
 * Database replication on a real Redis 7 primary and replica, really broken: see scenarios.ts.
 * Needs root (iptables) and Debian's redis-server.
 */
import { startRedisPair } from '../../harness/replication.ts';
import { describePair } from './scenarios.ts';

describePair('Redis 7 primary and replica', startRedisPair);
