/**
 * Database replication on a real PostgreSQL 15 primary and streaming standby, really broken:
 * see scenarios.ts. Needs root (iptables; the servers run as the user postgres) and Debian's
 * postgresql-15.
 */
import { startPostgresPair } from '../../harness/replication.ts';
import { describePair } from './scenarios.ts';

describePair('PostgreSQL 15 streaming replication', startPostgresPair);
