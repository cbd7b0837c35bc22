/**
 * The environment of the bundle tests (test/e2e/bundle/*.test.ts): the generated rules and
 * dashboards against a real Prometheus scraping real exporters, and Alertmanager running
 * deploy/alertmanager.yml delivering to a webhook run by the test.
 *
 * Node's test runner gives each test file its own process, so each file builds its own
 * environment, with only what its area needs: the exporters and what they watch come from
 * test/harness/bundle-fixtures.ts, the pager (Alertmanager and its webhook) only where a test
 * checks notifications, then startBundle() starts Prometheus on them.
 *
 * Every wait here is for data, with a deadline worked out from what that data is made of
 * (test/harness/budget.ts) in this environment's own intervals.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { defaultConfig, type MixinConfig } from '../../mixin/config.ts';
import { ruleFileText } from '../../mixin/rules.ts';
import { startAlertmanager, type Alertmanager } from './alertmanager.ts';
import { dashboardFiles, type DashboardFile } from './bundle.ts';
import { deadlineMs, describeNeeds, scrapesFor, type Clock, type Needs } from './budget.ts';
import { ROOT, type Exporter } from './exporter.ts';
import type { Scope } from './process.ts';
import {
  startPrometheus,
  type ActiveAlert,
  type Prometheus,
  type VectorSample,
} from './prometheus.ts';
import { notYet, type NotYet } from './wait.ts';
import { startWebhook, type WebhookRecorder } from './webhook.ts';

/** Prometheus scrapes and evaluates every second here. */
export const CLOCK: Clock = { scrapeSeconds: 1, evaluationSeconds: 1 };

/** The rules exactly as generated, but firing as soon as their condition holds. */
function immediate(config: MixinConfig): MixinConfig {
  const forNow = Object.fromEntries(Object.keys(config.for).map((k) => [k, '0s']));
  return { ...config, for: forNow as MixinConfig['for'] };
}

/** The replication limits of these tests, in seconds rather than minutes. */
export const REPLICATION = {
  stallWindowSeconds: 20,
  lagWarningSeconds: 20,
  lagCriticalSeconds: 30,
  compareStaleSeconds: 10,
};

/** The database replication limits of these tests, in seconds. */
export const DB_REPLICATION = {
  lagWarningSeconds: 5,
  lagCriticalSeconds: 10,
  heartbeatStaleSeconds: 5,
};

/** The HA link windows of these tests, in seconds rather than minutes. */
export const HA_LINKS = {
  flapWindowSeconds: 30,
  errorsWindowSeconds: 30,
};

/**
 * The rules of these tests: immediate (every `for:` is 0s, so no wait below counts one), and
 * with the replication limits in seconds rather than minutes (a stopped mirror is stalled after
 * 20 s, its lag high from 20 s and 30 s).
 */
export const RULES_CONFIG = immediate({
  ...defaultConfig,
  thresholds: {
    ...defaultConfig.thresholds,
    replicationStallWindow: `${REPLICATION.stallWindowSeconds}s`,
    replicationLagWarningSeconds: REPLICATION.lagWarningSeconds,
    replicationLagCriticalSeconds: REPLICATION.lagCriticalSeconds,
    replicationCompareStale: `${REPLICATION.compareStaleSeconds}s`,
    // A replica count that has not moved for 5 s is a mismatch, not a rollout under way.
    kubeRolloutProgressWindow: '5s',
    // A database replica cut off from its primary lags 5 s and 10 s after the cut; a primary
    // that refuses its heartbeat is stale after 5 s.
    dbReplicationLagWarningSeconds: DB_REPLICATION.lagWarningSeconds,
    dbReplicationLagCriticalSeconds: DB_REPLICATION.lagCriticalSeconds,
    dbHeartbeatStaleSeconds: DB_REPLICATION.heartbeatStaleSeconds,
    // The links of an HA pair: carrier changes and errors counted over 30 s rather than 10 min,
    // so a link flapped five times (ten changes) or a burst of errors fires within a test.
    haLinkFlapWindow: `${HA_LINKS.flapWindowSeconds}s`,
    haLinkErrorsWindow: `${HA_LINKS.errorsWindowSeconds}s`,
  },
});

/** Alertmanager's group_wait and group_interval here (the shipped ones wait tens of seconds). */
export const GROUP_WAIT_SECONDS = 1;
export const GROUP_INTERVAL_SECONDS = 1;

/**
 * An alert firing in Prometheus reaches the webhook: Prometheus sends it after the evaluation
 * that fired it, Alertmanager holds a new group group_wait, a group that notified already
 * group_interval.
 */
export const TO_THE_PAGER: Needs = {
  evaluations: 1,
  work: GROUP_WAIT_SECONDS + GROUP_INTERVAL_SECONDS,
};
/** An alert firing in Prometheus is in Alertmanager, inhibited or not (computed when asked). */
export const TO_ALERTMANAGER: Needs = { evaluations: 1 };

/** The receiving end: a webhook, and Alertmanager with the shipped config pointed at it. */
export interface Pager {
  am: Alertmanager;
  webhook: WebhookRecorder;
}

export async function startPager(t: Scope): Promise<Pager> {
  const webhook = await startWebhook(t);
  const amConfig = parse(readFileSync(join(ROOT, 'deploy/alertmanager.yml'), 'utf8')) as {
    route: Record<string, unknown> & { routes?: Record<string, unknown>[] };
    receivers: { name: string; webhook_configs?: { url: string }[] }[];
  };
  for (const r of amConfig.receivers)
    for (const w of r.webhook_configs ?? []) w.url = `${webhook.url}/${r.name}`;
  // Only the timings change: the shipped ones wait tens of seconds before a first notification.
  for (const route of [amConfig.route, ...(amConfig.route.routes ?? [])]) {
    if ('group_wait' in route) route.group_wait = `${GROUP_WAIT_SECONDS}s`;
    if ('group_interval' in route) route.group_interval = `${GROUP_INTERVAL_SECONDS}s`;
  }
  const am = await startAlertmanager(t, { config: amConfig });
  return { am, webhook };
}

/** Writes a patrol configuration (an object, e.g. from onlyCollectors) as YAML; returns the path. */
export async function writeConfig(path: string, config: object): Promise<string> {
  await writeFile(path, stringify(config));
  return path;
}

/** Grafana's variables, as a viewer of this test's one host and one directory would pick them. */
export function substitute(expr: string, vars: Record<string, string>): string {
  const out = expr.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, a?: string, b?: string) => {
    const value = vars[a ?? b ?? ''];
    if (value === undefined) throw new Error(`unknown variable ${whole} in ${expr}`);
    return value;
  });
  return out;
}

/** `label_values(expr, label)` of a query variable: the expression and the label it lists. */
export function labelValues(query: unknown): { expr: string; label: string } | undefined {
  const text = typeof query === 'string' ? query : (query as { query?: string } | null)?.query;
  const m = /^label_values\((.*),\s*(\w+)\)$/s.exec(text ?? '');
  return m === null ? undefined : { expr: m[1] ?? '', label: m[2] ?? '' };
}

export interface BundleOptions {
  /** Where the rule file goes. */
  dir: string;
  /** The exporters of the job `patrol`; the first is "the exporter" of `instance` and `vars`. */
  exporters: readonly Exporter[];
  /** Alertmanager to send alerts to. */
  pager?: Pager;
  /** Dashboard variables beyond datasource, job, instance, name, source and the intervals. */
  vars?: Record<string, string>;
  /** The one mount point tiles are read for, when the exporter watches filesystems. */
  mountpoint?: string;
}

/** Prometheus with the bundle's rules, scraping the exporters, and ways to read it as Grafana would. */
export class Bundle {
  readonly prom: Prometheus;
  /** The first exporter, as a Prometheus target (host:port). */
  readonly instance: string;
  /** `{job="patrol", instance="<instance>"}` */
  readonly sel: string;
  readonly vars: Record<string, string>;
  readonly dashboards: readonly DashboardFile[] = dashboardFiles();
  readonly #mountpoint: string | undefined;

  constructor(prom: Prometheus, instance: string, opts: BundleOptions) {
    this.prom = prom;
    this.instance = instance;
    this.sel = `{job="patrol", instance="${instance}"}`;
    this.#mountpoint = opts.mountpoint;
    this.vars = {
      datasource: 'prometheus',
      job: 'patrol',
      instance,
      // The systemd dashboard's unit variable, on "All".
      name: '.+',
      // The logs dashboard's source variable, on "All".
      source: '.+',
      __rate_interval: '1m',
      __interval: '15s',
      __range: '5m',
      ...opts.vars,
    };
  }

  /** The deadline of a wait for data made of `needs` in this environment. */
  budget(needs: Needs): number {
    return deadlineMs(needs, CLOCK);
  }

  /** Polls `probe` until it holds (see waitFor), giving up after the budget of `needs`. */
  waitFor<T>(
    what: string,
    needs: Needs,
    probe: () => Promise<T | undefined | false | NotYet>,
  ): Promise<T> {
    return this.prom.waitFor(`${what} (${describeNeeds(needs)})`, probe, this.budget(needs));
  }

  /** Waits until `expr` returns samples; by default its data needs one scrape, two for a rate. */
  waitForData(expr: string, needs: Needs = { scrapes: scrapesFor(expr) }): Promise<VectorSample[]> {
    return this.prom.waitForQuery(expr, this.budget(needs), describeNeeds(needs));
  }

  /** Waits until `alertname` fires with these labels; returns every such alert. */
  firing(
    alertname: string,
    labels: Record<string, string>,
    needs: Needs,
    where?: (a: ActiveAlert) => boolean,
  ): Promise<ActiveAlert[]> {
    return this.prom.waitForAlert(alertname, {
      labels,
      ...(where === undefined ? {} : { where }),
      timeoutMs: this.budget(needs),
      why: describeNeeds(needs),
    });
  }

  /** The first query of the English panel `title` in `file` (e.g. 'overview.json'). */
  panelExpr(file: string, title: string): string {
    const panel = this.dashboards
      .find((f) => f.path === `dashboards/en/${file}`)
      ?.panels.find((p) => p.title === title);
    const expr = panel?.targets?.[0]?.expr;
    assert.ok(expr !== undefined, `no tile "${title}" in ${file}`);
    return expr;
  }

  /**
   * The value an English tile shows for this test's host (one series, or the one of the
   * mount point), or for other `variables`.
   */
  async tile(file: string, title: string, variables = this.vars): Promise<number> {
    const samples = await this.prom.query(substitute(this.panelExpr(file, title), variables));
    const mine = samples.filter(
      (s) =>
        this.#mountpoint === undefined ||
        s.metric.mountpoint === undefined ||
        s.metric.mountpoint === this.#mountpoint,
    );
    assert.equal(mine.length, 1, `"${title}": ${JSON.stringify(samples)}`);
    return Number(mine[0]?.value[1]);
  }
}

/**
 * Prometheus with RULES_CONFIG's English rules, scraping `exporters` as the job `patrol` and
 * sending to the pager's Alertmanager; returns once every target has been scraped.
 */
export async function startBundle(t: Scope, opts: BundleOptions): Promise<Bundle> {
  const first = opts.exporters[0];
  assert.ok(first !== undefined, 'startBundle needs an exporter');
  const rulesFile = join(opts.dir, 'patrol.rules.yml');
  await writeFile(rulesFile, ruleFileText(RULES_CONFIG, 'en'));
  const prom = await startPrometheus(t, {
    interval: `${CLOCK.scrapeSeconds}s`,
    scrapeConfigs: [
      { job_name: 'patrol', static_configs: [{ targets: opts.exporters.map((e) => e.target) }] },
    ],
    ruleFiles: [rulesFile],
    ...(opts.pager === undefined ? {} : { alertmanagers: [new URL(opts.pager.am.url).host] }),
  });
  const bundle = new Bundle(prom, first.target, opts);
  await bundle.waitFor('every exporter to be scraped', { scrapes: 1 }, async () => {
    const targets = await prom.targets();
    return targets.length === opts.exporters.length && targets.every((x) => x.health === 'up')
      ? targets
      : notYet(
          targets
            .map((x) => `${x.labels.instance ?? x.scrapeUrl} ${x.health} ${x.lastError}`)
            .join('; ') || 'no targets',
        );
  });
  return bundle;
}
