import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { parse as parseYaml } from 'yaml';

/** One typed configuration: defaults ← config file (YAML or JSON) ← environment. */
export const ConfigSchema = Type.Object(
  {
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8070 }),
    host: Type.String({ default: '0.0.0.0' }),
    /** Where people reach the server, for links; empty: http://localhost:<port>. */
    baseUrl: Type.String({ default: '' }),
    dataDir: Type.String({ default: './data' }),
    /** `sqlite:` path or `postgres://…`. Empty means SQLite in dataDir. */
    databaseUrl: Type.String({ default: '' }),
    logLevel: Type.Union(
      [
        Type.Literal('fatal'),
        Type.Literal('error'),
        Type.Literal('warn'),
        Type.Literal('info'),
        Type.Literal('debug'),
        Type.Literal('trace'),
        Type.Literal('silent'),
      ],
      { default: 'info' },
    ),
    /** Password given to `admin` when the database is first created. */
    initialAdminPassword: Type.String({ minLength: 1, default: 'admin123' }),
    /**
     * scrypt cost of new password and token hashes, log2 N (r = 8, p = 1). Below 15 only for tests:
     * each step down halves what a guess costs an attacker holding the hashes (start-up warns).
     */
    passwordHashCost: Type.Integer({ minimum: 10, maximum: 17, default: 15 }),
    rateLimit: Type.Object(
      {
        enabled: Type.Boolean({ default: false }),
        max: Type.Integer({ minimum: 1, default: 1500 }),
        windowSeconds: Type.Integer({ minimum: 1, default: 300 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * Failed sign-ins (Basic credentials) allowed per name and per client address within the window;
     * past either, that name or address is refused (429, Retry-After) for one window.
     */
    loginThrottle: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        maxFailuresPerUser: Type.Integer({ minimum: 1, default: 10 }),
        maxFailuresPerAddress: Type.Integer({ minimum: 1, default: 100 }),
        windowSeconds: Type.Integer({ minimum: 1, default: 900 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * Which proxies' X-Forwarded-For to believe for the client's address (sign-in throttle, rate
     * limit, audit log): '' (none: the connection's address), 'true' (any), a hop count ('1'), or
     * addresses and CIDRs ('10.0.0.0/8,127.0.0.1'). Behind a proxy without it, every client shares
     * the proxy's address and so its throttle.
     */
    trustProxy: Type.String({ default: '' }),
    /** Largest request body accepted, in bytes. */
    bodyLimit: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024 }),
    /**
     * Large request bodies (SBOM uploads) held in memory at once: a body over `largeBodyBytes`
     * (declared by Content-Length, or counted as it streams) counts against `maxConcurrentBytes`
     * until it is answered; one that finds no room within `waitMs` is answered 503 with Retry-After
     * before it is read. Smaller bodies are never counted.
     */
    uploads: Type.Object(
      {
        maxConcurrentBytes: Type.Integer({ minimum: 1024, default: 64 * 1024 * 1024 }),
        largeBodyBytes: Type.Integer({ minimum: 0, default: 1024 * 1024 }),
        waitMs: Type.Integer({ minimum: 0, default: 2000 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * On SIGTERM/SIGINT: how long in-flight requests and running jobs may take to finish; then their
     * connections are closed and unfinished jobs go back in the queue. Less than shutdownTimeoutSeconds.
     */
    shutdownGraceSeconds: Type.Integer({ minimum: 0, default: 20 }),
    /** The last resort: still not stopped after this long, the process exits with status 1. */
    shutdownTimeoutSeconds: Type.Integer({ minimum: 1, default: 30 }),
    /**
     * How long a submission's `Idempotency-Key` is remembered: a retry with the key within this time
     * gets the first answer; after it, the key may be used again.
     */
    idempotencyKeyTtlSeconds: Type.Integer({ minimum: 60, default: 86400 }),
    /**
     * Memory for the serialized answers of the portfolio listings (the reports list, policy
     * violations) kept by this process, least recently used dropped first; 0 keeps none.
     */
    portfolioCacheMiB: Type.Integer({ minimum: 0, default: 256 }),
    /**
     * Web UI sessions: a session ends after `timeoutMinutes` without a request (sliding: each
     * request moves its end on), as IQ Server's do (30 minutes by default).
     */
    sessions: Type.Object(
      {
        timeoutMinutes: Type.Integer({ minimum: 1, maximum: 43200, default: 30 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Vulnerability data (OSV): where `tollgate vulndb sync` and the scheduled sync download from. */
    vulndb: Type.Object(
      {
        /** serves `<Ecosystem>/all.zip`, laid out like the public OSV export */
        mirrorUrl: Type.String({ minLength: 1, default: 'https://osv-vulnerabilities.storage.googleapis.com' }),
        /** OSV ecosystem names synced when none are given */
        ecosystems: Type.Array(Type.String({ minLength: 1 }), {
          default: ['npm', 'PyPI', 'Maven', 'Go', 'NuGet', 'RubyGems', 'crates.io', 'Packagist'],
        }),
        /** the server syncs every this many hours; 0: never */
        syncIntervalHours: Type.Number({ minimum: 0, default: 0 }),
      },
      { default: {} },
    ),
    /** Exploitation data (intel/exploitation): where `tollgate exploitation sync` and the scheduled sync download from. */
    exploitation: Type.Object(
      {
        /** CISA's Known Exploited Vulnerabilities catalog (JSON) */
        kevUrl: Type.String({
          minLength: 1,
          default: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json',
        }),
        /** FIRST's EPSS scores (CSV, gzipped or not) */
        epssUrl: Type.String({ minLength: 1, default: 'https://epss.cyentia.com/epss_scores-current.csv.gz' }),
        /** the server syncs every this many hours; 0: never */
        syncIntervalHours: Type.Number({ minimum: 0, default: 0 }),
      },
      { default: {} },
    ),
    /** NVD's CVE API 2.0 (intel/nvd): CVSS scores, CWE ids and references of CVEs; `tollgate vulndb sync --nvd` and the scheduled sync. */
    nvd: Type.Object(
      {
        apiUrl: Type.String({ minLength: 1, default: 'https://services.nvd.nist.gov/rest/json/cves/2.0' }),
        /** NVD API key (sent as the `apiKey` header; raises the rate limit from 5 to 50 requests per 30 s); a secret */
        apiKey: Type.String({ default: '' }),
        /** the server syncs every this many hours; 0: never */
        syncIntervalHours: Type.Number({ minimum: 0, default: 0 }),
        /** time between two API requests; default 6000 without a key, 600 with one (NVD's rate limits) */
        requestDelayMs: Type.Optional(Type.Integer({ minimum: 0 })),
      },
      { default: {}, additionalProperties: false },
    ),
    /**
     * The periodic work (the vulndb, exploitation and NVD syncs), shared by every node on the
     * database (jobs/scheduler.ts): each node looks for due work every `tickSeconds`; the first run
     * is due `firstRunDelaySeconds` after the first start, so that start-up is not slowed by a download.
     */
    schedules: Type.Object(
      {
        tickSeconds: Type.Number({ exclusiveMinimum: 0, default: 20 }),
        firstRunDelaySeconds: Type.Number({ minimum: 0, default: 60 }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** Package registries consulted for release dates, licenses and latest versions (intel/registries). */
    registries: Type.Object(
      {
        /** Answer from the cache only; never contact a registry. */
        offline: Type.Boolean({ default: false }),
        /** How long a fetched package document is reused before it is fetched again. */
        ttlSeconds: Type.Integer({ minimum: 0, default: 86400 }),
        /** How long "no such package" is remembered, so unknown (e.g. internal) names are not asked every time. */
        notFoundTtlSeconds: Type.Integer({ minimum: 0, default: 3600 }),
        /** Time allowed for one request to a registry. */
        timeoutMs: Type.Integer({ minimum: 1, default: 15000 }),
        /** A registry found unreachable is not asked again for this long (lookups fail at once), then probed. */
        downSeconds: Type.Integer({ minimum: 1, default: 60 }),
        /** The back-off doubles while a registry stays unreachable, up to this. */
        downMaxSeconds: Type.Integer({ minimum: 1, default: 900 }),
        /** How long a failed lookup of one package (an unusable answer, a refusal) is remembered before it is asked again. */
        failureTtlSeconds: Type.Integer({ minimum: 0, default: 300 }),
        npm: Type.Object({ url: Type.String({ default: 'https://registry.npmjs.org' }) }, { default: {} }),
        maven: Type.Object(
          {
            /** Repository in the Maven 2 layout (maven-metadata.xml, POMs). */
            url: Type.String({ default: 'https://repo1.maven.org/maven2' }),
            /** Search API giving release timestamps; empty or `off`: dates come from Last-Modified only. */
            searchUrl: Type.String({ default: 'https://search.maven.org/solrsearch/select' }),
          },
          { default: {} },
        ),
        pypi: Type.Object({ url: Type.String({ default: 'https://pypi.org' }) }, { default: {} }),
        /** crates.io's API (`/api/v1/crates/<name>`). */
        cargo: Type.Object({ url: Type.String({ default: 'https://crates.io' }) }, { default: {} }),
        /** RubyGems.org's API (`/api/v1/versions/<name>.json`). */
        gem: Type.Object({ url: Type.String({ default: 'https://rubygems.org' }) }, { default: {} }),
        /** A NuGet v3 service index; it names the registration resource read. */
        nuget: Type.Object({ url: Type.String({ default: 'https://api.nuget.org/v3/index.json' }) }, { default: {} }),
        /** A Composer v2 repository (`/p2/<vendor>/<name>.json`). */
        composer: Type.Object({ url: Type.String({ default: 'https://repo.packagist.org' }) }, { default: {} }),
        /** A Go module proxy (GOPROXY protocol). */
        golang: Type.Object({ url: Type.String({ default: 'https://proxy.golang.org' }) }, { default: {} }),
        depsdev: Type.Object(
          {
            /** deps.dev's API: licenses of Go modules, and every listed format's data when `formats` names it. */
            url: Type.String({ default: 'https://api.deps.dev' }),
            /** Comma-separated formats answered by deps.dev instead of their own registry (npm, pypi, maven, golang, cargo, nuget). */
            formats: Type.String({ default: '', pattern: '^\\s*((npm|pypi|maven|golang|cargo|nuget)\\s*(,\\s*|$))*$' }),
          },
          { default: {} },
        ),
      },
      { default: {} },
    ),
    /**
     * Lifecycle webhooks (services/webhooks/): how deliveries are sent and retried. A delivery that
     * fails (refused, timed out, not 2xx) is tried again after retryInitialMs, doubling up to
     * retryMaxMs, until giveUpAfterHours after its event; later events to the same webhook wait
     * behind it, so a receiver gets them in order.
     */
    webhooks: Type.Object(
      {
        /** Time allowed for one delivery: connecting, sending and the receiver's answer. */
        timeoutMs: Type.Integer({ minimum: 100, default: 10_000 }),
        retryInitialMs: Type.Integer({ minimum: 1, default: 5_000 }),
        retryMaxMs: Type.Integer({ minimum: 1, default: 3_600_000 }),
        giveUpAfterHours: Type.Number({ minimum: 0, default: 48 }),
        /** Deliveries (delivered or given up) older than this are deleted. */
        retentionDays: Type.Number({ minimum: 0, default: 30 }),
        /**
         * Receivers on this machine (127.0.0.0/8, ::1). Off by default: a webhook URL then cannot
         * reach services that trust local callers; turn on for a receiver on the same host.
         */
        allowLoopback: Type.Boolean({ default: false }),
        /** Link-local addresses (169.254.0.0/16, fe80::/10) and cloud metadata hosts. Off by default. */
        allowLinkLocal: Type.Boolean({ default: false }),
      },
      { default: {}, additionalProperties: false },
    ),
    /** The durable job queue (src/jobs/): evaluations, imports, webhook deliveries. */
    jobs: Type.Object(
      {
        /** Jobs one server runs at once; the rest wait in the queue. */
        concurrency: Type.Integer({ minimum: 1, maximum: 64, default: 2 }),
        /** Jobs allowed to wait; beyond this a submission is refused with "busy, try later". */
        maxQueued: Type.Integer({ minimum: 1, default: 1000 }),
        /** How long a worker holds a job without renewing; a job whose lease expires is run again. */
        leaseSeconds: Type.Integer({ minimum: 5, default: 60 }),
        /** How often an idle worker looks for new jobs. */
        pollIntervalMs: Type.Integer({ minimum: 10, default: 1000 }),
        /** Attempts a job gets unless its submitter says otherwise. */
        maxAttempts: Type.Integer({ minimum: 1, default: 3 }),
      },
      { default: {} },
    ),
  },
  { additionalProperties: false },
);
export type Config = Static<typeof ConfigSchema>;

export class ConfigError extends Error {}

/** Environment variables and the config path each of them sets. */
const ENV: Record<string, string> = {
  // The generic PORT (set by many platforms) first, so that TOLLGATE_PORT wins when both are set.
  PORT: 'port',
  TOLLGATE_PORT: 'port',
  TOLLGATE_HOST: 'host',
  TOLLGATE_BASE_URL: 'baseUrl',
  TOLLGATE_DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  TOLLGATE_LOG_LEVEL: 'logLevel',
  TOLLGATE_ADMIN_PASSWORD: 'initialAdminPassword',
  TOLLGATE_PASSWORD_HASH_COST: 'passwordHashCost',
  TOLLGATE_RATE_LIMIT_ENABLED: 'rateLimit.enabled',
  TOLLGATE_RATE_LIMIT_MAX: 'rateLimit.max',
  TOLLGATE_RATE_LIMIT_WINDOW_SECONDS: 'rateLimit.windowSeconds',
  TOLLGATE_LOGIN_THROTTLE_ENABLED: 'loginThrottle.enabled',
  TOLLGATE_LOGIN_THROTTLE_MAX_FAILURES_PER_USER: 'loginThrottle.maxFailuresPerUser',
  TOLLGATE_LOGIN_THROTTLE_MAX_FAILURES_PER_ADDRESS: 'loginThrottle.maxFailuresPerAddress',
  TOLLGATE_LOGIN_THROTTLE_WINDOW_SECONDS: 'loginThrottle.windowSeconds',
  TOLLGATE_TRUST_PROXY: 'trustProxy',
  TOLLGATE_BODY_LIMIT: 'bodyLimit',
  TOLLGATE_UPLOADS_MAX_CONCURRENT_BYTES: 'uploads.maxConcurrentBytes',
  TOLLGATE_UPLOADS_LARGE_BODY_BYTES: 'uploads.largeBodyBytes',
  TOLLGATE_UPLOADS_WAIT_MS: 'uploads.waitMs',
  TOLLGATE_SHUTDOWN_GRACE_SECONDS: 'shutdownGraceSeconds',
  TOLLGATE_SHUTDOWN_TIMEOUT_SECONDS: 'shutdownTimeoutSeconds',
  TOLLGATE_IDEMPOTENCY_KEY_TTL_SECONDS: 'idempotencyKeyTtlSeconds',
  TOLLGATE_PORTFOLIO_CACHE_MIB: 'portfolioCacheMiB',
  TOLLGATE_SESSIONS_TIMEOUT_MINUTES: 'sessions.timeoutMinutes',
  TOLLGATE_REGISTRIES_OFFLINE: 'registries.offline',
  TOLLGATE_REGISTRIES_TTL_SECONDS: 'registries.ttlSeconds',
  TOLLGATE_REGISTRIES_NOT_FOUND_TTL_SECONDS: 'registries.notFoundTtlSeconds',
  TOLLGATE_REGISTRIES_TIMEOUT_MS: 'registries.timeoutMs',
  TOLLGATE_REGISTRIES_DOWN_SECONDS: 'registries.downSeconds',
  TOLLGATE_REGISTRIES_DOWN_MAX_SECONDS: 'registries.downMaxSeconds',
  TOLLGATE_REGISTRIES_FAILURE_TTL_SECONDS: 'registries.failureTtlSeconds',
  TOLLGATE_REGISTRIES_NPM_URL: 'registries.npm.url',
  TOLLGATE_REGISTRIES_MAVEN_URL: 'registries.maven.url',
  TOLLGATE_REGISTRIES_MAVEN_SEARCH_URL: 'registries.maven.searchUrl',
  TOLLGATE_REGISTRIES_PYPI_URL: 'registries.pypi.url',
  TOLLGATE_REGISTRIES_CARGO_URL: 'registries.cargo.url',
  TOLLGATE_REGISTRIES_GEM_URL: 'registries.gem.url',
  TOLLGATE_REGISTRIES_NUGET_URL: 'registries.nuget.url',
  TOLLGATE_REGISTRIES_COMPOSER_URL: 'registries.composer.url',
  TOLLGATE_REGISTRIES_GOLANG_URL: 'registries.golang.url',
  TOLLGATE_REGISTRIES_DEPSDEV_URL: 'registries.depsdev.url',
  TOLLGATE_REGISTRIES_DEPSDEV_FORMATS: 'registries.depsdev.formats',
  TOLLGATE_VULNDB_MIRROR: 'vulndb.mirrorUrl',
  TOLLGATE_VULNDB_SYNC_INTERVAL_HOURS: 'vulndb.syncIntervalHours',
  TOLLGATE_EXPLOITATION_KEV_URL: 'exploitation.kevUrl',
  TOLLGATE_EXPLOITATION_EPSS_URL: 'exploitation.epssUrl',
  TOLLGATE_EXPLOITATION_SYNC_INTERVAL_HOURS: 'exploitation.syncIntervalHours',
  TOLLGATE_NVD_API_URL: 'nvd.apiUrl',
  TOLLGATE_NVD_API_KEY: 'nvd.apiKey',
  TOLLGATE_NVD_SYNC_INTERVAL_HOURS: 'nvd.syncIntervalHours',
  TOLLGATE_NVD_REQUEST_DELAY_MS: 'nvd.requestDelayMs',
  TOLLGATE_SCHEDULES_TICK_SECONDS: 'schedules.tickSeconds',
  TOLLGATE_SCHEDULES_FIRST_RUN_DELAY_SECONDS: 'schedules.firstRunDelaySeconds',
  TOLLGATE_JOBS_CONCURRENCY: 'jobs.concurrency',
  TOLLGATE_JOBS_MAX_QUEUED: 'jobs.maxQueued',
  TOLLGATE_JOBS_LEASE_SECONDS: 'jobs.leaseSeconds',
  TOLLGATE_WEBHOOKS_TIMEOUT_MS: 'webhooks.timeoutMs',
  TOLLGATE_WEBHOOKS_ALLOW_LOOPBACK: 'webhooks.allowLoopback',
  TOLLGATE_WEBHOOKS_ALLOW_LINK_LOCAL: 'webhooks.allowLinkLocal',
  TOLLGATE_WEBHOOKS_RETENTION_DAYS: 'webhooks.retentionDays',
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  try {
    const parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('top level must be a mapping');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid: ${(err as Error).message}`);
  }
}

/** Settings whose values are never repeated in a message (they are secrets). */
const SECRET_SETTINGS = new Set(['initialAdminPassword', 'nvd.apiKey']);

interface SchemaError {
  keyword: string;
  instancePath: string;
  message: string;
  params: Record<string, unknown>;
}

/**
 * One line per wrong setting, named the way the configuration file names it (`rateLimit.max`),
 * with the value given and, for a choice, the values allowed.
 */
function describeErrors(errors: SchemaError[], given: unknown): Array<{ setting: string; message: string }> {
  const out = new Map<string, string>();
  const allowed = new Map<string, unknown[]>();
  for (const error of errors) {
    const setting = error.instancePath.split('/').filter(Boolean).join('.');
    if (error.keyword === 'additionalProperties') {
      for (const name of (error.params.additionalProperties as string[] | undefined) ?? []) {
        const full = setting ? `${setting}.${name}` : name;
        out.set(full, 'is not a setting Tollgate knows (check the spelling)');
      }
      continue;
    }
    if (error.keyword === 'boolean' && error.message === 'schema is false') continue; // reported as additionalProperties
    if (error.keyword === 'const') {
      allowed.set(setting, [...(allowed.get(setting) ?? []), error.params.allowedValue]);
      continue;
    }
    if (error.keyword === 'anyOf') continue; // the const errors say it better
    if (!out.has(setting)) out.set(setting, error.message);
  }
  for (const [setting, values] of allowed) out.set(setting, `must be one of ${values.join(', ')}`);
  return [...out].map(([setting, message]) => {
    const value = setting.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], given);
    const shown = SECRET_SETTINGS.has(setting) || value === undefined || typeof value === 'object' ? '' : ` (got ${JSON.stringify(value)})`;
    return { setting, message: `${message}${shown}` };
  });
}

export interface LoadOptions {
  /** Explicit file; otherwise TOLLGATE_CONFIG, then ./config.yaml or ./config.json when present; false: none. */
  file?: string | false;
  env?: NodeJS.ProcessEnv;
  overrides?: Record<string, unknown>;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const env = options.env ?? process.env;
  const file =
    options.file === false
      ? undefined
      : options.file ??
    env.TOLLGATE_CONFIG ??
    ['config.yaml', 'config.yml', 'config.json'].find((f) => existsSync(resolve(f)));
  const raw: Record<string, unknown> = file ? readFile(file) : {};
  for (const [name, path] of Object.entries(ENV)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, path, value);
  }
  for (const [path, value] of Object.entries(options.overrides ?? {})) setPath(raw, path, value);

  const candidate = Value.Convert(ConfigSchema, Value.Default(ConfigSchema, raw));
  const errors = [...Value.Errors(ConfigSchema, candidate)];
  if (errors.length > 0) {
    const fromEnv = new Map<string, string>();
    for (const [name, path] of Object.entries(ENV)) if (env[name] !== undefined && env[name] !== '') fromEnv.set(path, name);
    const lines = describeErrors(errors, candidate).map(({ setting, message }) => {
      const source = fromEnv.get(setting);
      return `  ${setting}${source ? ` (from environment variable ${source})` : ''}: ${message}`;
    });
    throw new ConfigError(`invalid configuration${file ? ` (${file})` : ''}:\n${lines.join('\n')}`);
  }
  const config = candidate as Config;
  if (config.shutdownGraceSeconds >= config.shutdownTimeoutSeconds) {
    throw new ConfigError(
      `invalid configuration${file ? ` (${file})` : ''}:\n  shutdownGraceSeconds: must be less than shutdownTimeoutSeconds (${config.shutdownTimeoutSeconds}), leaving time to close the database (got ${config.shutdownGraceSeconds})`,
    );
  }
  if (!config.databaseUrl) config.databaseUrl = `sqlite:${resolve(config.dataDir, 'tollgate.db')}`;
  // Not set: the server on this machine, at the port it listens on (not always 8070).
  config.baseUrl = (config.baseUrl.trim() || `http://localhost:${config.port}`).replace(/\/+$/, '');
  return config;
}
