/**
 * The database replication area's words in English, the source language: this table's shape is
 * the type of its translations (zh-CN.ts).
 */
import type { AreaStrings } from '../../area.ts';

export const en = {
  alerts: {
    PatrolDbReplicationBroken: {
      summary: 'A database replica does not replicate from its primary.',
      description:
        'Replica {{ $labels.server }} ({{ $labels.engine }}) of replication group {{ $labels.group }}, read by {{ $labels.instance }}, {{ if eq $value %notAnswering% }}does not answer patrol (down, refusing connections or timing out): whether it still replicates is unknown, and its lag is not measured{{ else if eq $value %notReplicating% }}is no longer set up to replicate: it was promoted to a primary or its replication was reset, and it takes no more changes from its primary{{ else }}is set up to replicate, but its replication is not running as the server itself reports it (Redis master_link_status down, no PostgreSQL WAL receiver streaming, a MySQL/MariaDB replication thread not running){{ end }}. A failover to it now loses what the primary wrote since.',
    },
    PatrolDbReplicationLagHigh: {
      summary: 'A database replica is more than %threshold% behind its primary.',
      description:
        "Replica {{ $labels.server }} ({{ $labels.engine }}) of replication group {{ $labels.group }}, read by {{ $labels.instance }}, is {{ $value | humanizeDuration }} behind its primary, more than %threshold%: the age of the newest heartbeat it has, or the server's own figure where it has no heartbeat or its primary's heartbeat is stale. A failover to it now loses what the primary wrote in that time, and reads from it return data that old.",
    },
    PatrolDbReplicaMissing: {
      summary: 'A database primary has fewer replicas connected than expected.',
      description:
        'Primary {{ $labels.server }} ({{ $labels.engine }}) of replication group {{ $labels.group }}, read by {{ $labels.instance }}, has {{ $value }} replicas connected and streaming, of %expected% expected: the others are down, cut off from it, or no longer replicate. The group keeps fewer copies than it should; with synchronous replication, commits on the primary may wait for the missing one.',
    },
    PatrolDbHeartbeatStale: {
      summary: 'The replication heartbeat on a database primary is not written.',
      description:
        'The heartbeat on primary {{ $labels.server }} ({{ $labels.engine }}) of replication group {{ $labels.group }}, read by {{ $labels.instance }}, is {{ $value | humanizeDuration }} old, more than %threshold%: its writer is stopped or cannot write (where patrol writes it, patrol_db_replication_heartbeat_writes_total{result="error"} grows; a primary turned read-only refuses it). Its replicas\' heartbeat lag grows with it and says nothing of replication meanwhile: their lag alerts read the server\'s own figure instead.',
    },
    PatrolDbReplicationError: {
      summary: 'A MySQL/MariaDB replication thread stopped on an error.',
      description:
        'The {{ $labels.thread }} thread of replica {{ $labels.server }} of replication group {{ $labels.group }}, read by {{ $labels.instance }}, reports error {{ $value }}{{ if eq $value 1062.0 }} (duplicate key: a row the primary inserts already exists on the replica){{ else if eq $value 1032.0 }} (row not found: a row the primary changes or deletes is missing on the replica){{ else if eq $value 1236.0 }} (the primary no longer has the binary log the replica needs){{ else if eq $value 2003.0 }} (the replica cannot connect to its primary){{ else if eq $value 1045.0 }} (the primary refuses the replication user){{ end }}. SHOW REPLICA STATUS\\G on the replica gives the text (Last_IO_Error, Last_SQL_Error).',
    },
  },
  dashboards: {
    variables: {
      group: 'Replication group',
    },
    /** Texts that replace values on the tiles: one word, readable across the room. */
    values: {
      /** A database server of a replication group: its replication's state, or why it has no figure. */
      db: {
        ok: 'REPLICATING',
        notAnswering: 'NOT ANSWERING',
        notReplicating: 'NOT REPLICATING',
        linkDown: 'LINK DOWN',
        notMeasured: 'NOT MEASURED',
        noDatabases: 'NO DATABASES',
      },
    },
    links: {
      openDatabases: 'Open the database replication on the HA pairs dashboard',
    },
    overview: {
      rows: {
        databases: 'Databases',
      },
      panels: {
        dbBroken: {
          title: 'Replicas not replicating',
          description:
            'Database replicas (Redis, PostgreSQL, MySQL/MariaDB) whose replication is not running, that were promoted or reset, or that do not answer patrol: PatrolDbReplicationBroken without its wait. Click for the HA pairs dashboard.',
        },
        dbLagging: {
          title: 'Replicas lagging',
          description:
            "Database replicas behind their primary by more than the warning limit of PatrolDbReplicationLagHigh (the heartbeat's lag, or the server's own figure where there is no heartbeat or the primary's is stale).",
        },
        dbReplicasMissing: {
          title: 'Primaries missing replicas',
          description:
            'Database primaries with fewer replicas connected than expected: PatrolDbReplicaMissing without its wait.',
        },
        dbHeartbeatStale: {
          title: 'Stale heartbeats',
          description:
            "Database primaries whose replication heartbeat is older than the limit of PatrolDbHeartbeatStale: its writer is stopped, and its replicas' heartbeat lag is not measured.",
        },
      },
    },
    dbReplication: {
      rows: {
        databases: 'Databases',
      },
      panels: {
        replicas: {
          title: 'Database replicas',
          description:
            'One tile per database replica (group server): REPLICATING in green; in red LINK DOWN (set up to replicate, but the server says its replication does not run), NOT REPLICATING (promoted to a primary or reset) and NOT ANSWERING (patrol cannot read it: down, refused, timed out). The conditions of PatrolDbReplicationBroken, without its wait.',
        },
        lag: {
          title: 'Database replication lag',
          description:
            "How far each replica is behind its primary: the age of the newest heartbeat it has (written on the primary every second, so a healthy replica reads a second or two), or the server's own figure where there is no heartbeat or the primary's is stale. Green, orange from the limit of PatrolDbReplicationLagHigh's warning, red from its page. NOT MEASURED (red): the replica does not answer.",
        },
        primaries: {
          title: 'Database replicas connected / expected',
          description:
            'Per primary: replicas connected and streaming as the primary sees them, of those expected. Orange when fewer (PatrolDbReplicaMissing warns). NOT ANSWERING (red): patrol cannot read the primary.',
        },
        heartbeatAge: {
          title: 'Database heartbeat age on the primary',
          description:
            "Age of the heartbeat on each primary itself: below the heartbeat interval while its writer works. Orange from the limit of PatrolDbHeartbeatStale: the writer is stopped, and the replicas' heartbeat lag then grows with it. NOT ANSWERING (red): patrol cannot read the primary.",
        },
        lagOverTime: {
          title: 'Database replication lag over time',
          description:
            "The lag of each replica (heartbeat, else the server's own figure), with the limits of PatrolDbReplicationLagHigh. A line rising at 45 degrees is a replica that receives nothing (a cut link, a stopped thread); a hump that comes back down is a large transaction being applied.",
        },
        lagBytesOverTime: {
          title: 'Database bytes behind over time',
          description:
            "Bytes of the primary's replication stream each Redis or PostgreSQL replica has not applied yet (MySQL/MariaDB has no such figure). Growing while the lag in seconds stays low: the primary writes more than the replica applies.",
        },
      },
    },
  },
} satisfies AreaStrings;

export type DbReplicationStrings = typeof en;
