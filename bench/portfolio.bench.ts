/**
 * Portfolio scale on PostgreSQL (issue 12): 10,000 applications × 3 stages with a report each,
 * ~200 components per report with a realistic share of policy violations, and how the portfolio
 * reads answer over HTTP at 1,000 and at 10,000 applications:
 *
 *   (a) GET /api/v2/reports/applications               the newest report of every stage
 *   (b) GET /api/v2/reports/applications/{id}          one application's newest reports
 *   (c) GET /api/v2/policyViolations?p=…               a policy's violations across the portfolio
 *       GET /api/v2/policyViolations/crossStage/{id}   one violation across its application's stages
 *   (d) GET /api/v2/dashboard                          the dashboard's aggregates (with filters)
 *
 * Goal: each < 100 ms p95 at 10,000 applications. Figures and what limits each: docs/ARCHITECTURE.md,
 * Portfolio views. (a) and (c) answer tens of MiB at 10,000 applications and take seconds.
 *
 * The first size's portfolio is written through the store's own writers (`encodeNewReport` and
 * `insertReport`, as an evaluation writes its report: the document, the policy violation rows and
 * the latest-report tables), in transactions of 100 reports, 4 at a time; larger sizes copy those
 * rows in SQL with new ids (cloneApplications says why and what differs); reports are generated, not
 * evaluated (30,000 evaluations would take hours), in the pipeline's ReportData shape, against the
 * reference policies the server made. Components come from a shared pool of 20,000 (npm and Maven),
 * the popular ones in most applications; each pool component has a fixed profile: 0.6 % a
 * critical vulnerability (Security-Critical), 2 % high, 3.5 % medium, 2 % a copyleft license,
 * 0.3 % a banned one, 0.5 % no license, 8 % older than five years; 5 % of violations are waived.
 * That gives ~30 violations per report (~900,000 in the portfolio), close to what IQ Server's
 * reference policies find in a typical Java or JavaScript application.
 *
 * The server is the built one (`npm run bench` builds first), in its own process, on a fresh
 * PostgreSQL schema that is dropped afterwards. Skipped unless DATABASE_URL names a PostgreSQL
 * database. `npm run bench portfolio`; PORTFOLIO_BENCH_APPS=1000,10000 sets the sizes measured;
 * PORTFOLIO_BENCH_SERVER_LOG=info prints the server's log (with how long each listing took to build and serialize).
 * Generating 30,000 reports takes a few minutes on 2 cores; progress is printed.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import type { AppContext } from '../src/core/context.js';
import type { ReportComponent, ReportData, ReportViolation } from '../src/evaluation/report.js';
import { threatBand } from '../src/evaluation/report.js';
import { policyTypeOfPolicy } from '../src/policy/compile.js';
import type { Policy } from '../src/policy/model.js';
import { createLogger, openContext } from '../src/server.js';
import { encodeNewReport, insertReport } from '../src/services/reports/reports.js';
import { dropSchema } from '../src/store/db.js';

const DATABASE_URL = process.env.DATABASE_URL ?? '';
const SIZES = (process.env.PORTFOLIO_BENCH_APPS ?? '1000,10000').split(',').map(Number);
const STAGES = ['build', 'stage-release', 'release'] as const;
const COMPONENTS_PER_REPORT = 200;
const POOL = 20_000;
const POPULAR = 1_000;
const BATCH = 100;
const CONCURRENT_BATCHES = 4;
const ADMIN = `Basic ${Buffer.from('admin:admin123').toString('base64')}`;
const DAY = 86_400_000;

if (!/^postgres(ql)?:\/\//.test(DATABASE_URL)) {
  console.log('skipped: the portfolio bench runs on PostgreSQL; set DATABASE_URL=postgres://… (e.g. a scripts/pg-local.sh database)');
  process.exit(0);
}

/** A small deterministic generator, so that every run measures the same portfolio. */
function random(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[int(16)]).join('');
  return { next, int, hex };
}

interface PolicyInfo {
  id: string;
  name: string;
  threatLevel: number;
  category: string;
  actions: Record<string, string>;
}

type Finding = { policy: string; constraint: string; summary: string; reason: string; reference?: { type: string; value: string } };

/** One pool component: what every report that has it says about it. */
interface PoolComponent {
  base: Omit<ReportComponent, 'violations'>;
  findings: Finding[];
}

function makePool(): PoolComponent[] {
  const rnd = random(7);
  const pool: PoolComponent[] = [];
  for (let i = 0; i < POOL; i++) {
    const maven = rnd.next() < 0.3;
    const version = `${1 + rnd.int(6)}.${rnd.int(20)}.${rnd.int(10)}`;
    const name = maven ? `lib-${i}` : `pkg-${i}`;
    const group = `org.example${i % 97}`;
    const packageUrl = maven ? `pkg:maven/${group}/${name}@${version}?type=jar` : `pkg:npm/${name}@${version}`;
    const findings: Finding[] = [];
    const r = rnd.next();
    const cve = `CVE-20${10 + rnd.int(15)}-${10000 + i}`;
    const securityIssues: ReportComponent['securityIssues'] = [];
    const vuln = (policy: string, score: number, constraint: string, op: string) => {
      securityIssues.push({ reference: cve, aliases: [], source: 'osv', url: `https://osv.dev/vulnerability/${cve}`, severity: score, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', scoreSource: `osv:${cve}`, threatCategory: 'critical', status: 'Open', summary: `Remote code execution in ${name}` });
      findings.push({ policy, constraint, summary: `Security Vulnerability Severity ${op}`, reason: `Found security vulnerability ${cve} with severity ${score}`, reference: { type: 'SECURITY_VULNERABILITY_REFID', value: cve } });
    };
    if (r < 0.006) vuln('Security-Critical', 9.8, 'Critical risk CVSS score', '>= 9');
    else if (r < 0.026) vuln('Security-High', 7.5, 'High risk CVSS score', '>= 7');
    else if (r < 0.061) vuln('Security-Medium', 5.3, 'Medium risk CVSS score', '>= 4');
    const l = rnd.next();
    let license = 'MIT';
    if (l < 0.02) {
      license = 'GPL-3.0-only';
      findings.push({ policy: 'License-Copyleft', constraint: 'Copyleft license', summary: 'License Threat Group is Copyleft', reason: `Found license GPL-3.0-only in the Copyleft threat group` });
    } else if (l < 0.023) {
      license = 'SSPL-1.0';
      findings.push({ policy: 'License-Banned', constraint: 'Banned license', summary: 'License Threat Group is Banned', reason: 'Found license SSPL-1.0 in the Banned threat group' });
    } else if (l < 0.028) {
      license = 'Not-Declared';
      findings.push({ policy: 'License-None', constraint: 'No license found', summary: 'License Threat Group is Sonatype Special Licenses', reason: 'Found license Not-Declared' });
    }
    const old = rnd.next() < 0.08;
    if (old) findings.push({ policy: 'Architecture-Quality', constraint: 'Component older than five years', summary: 'Age older than 1825 days', reason: `Found component age ${1900 + rnd.int(900)} days` });
    const ref = { licenseId: license, licenseName: license };
    pool.push({
      base: {
        hash: rnd.hex(20),
        componentIdentifier: maven
          ? { format: 'maven', coordinates: { groupId: group, artifactId: name, version, classifier: '', extension: 'jar' } }
          : { format: 'npm', coordinates: { packageId: name, version } },
        packageUrl,
        displayName: maven ? `${group} : ${name} : ${version}` : `${name} ${version}`,
        matchState: 'exact',
        identificationSource: 'Sonatype',
        proprietary: false,
        licenseData: { declaredLicenses: [ref], observedLicenses: [], effectiveLicenses: [ref], overriddenLicenses: [], status: 'Open', effectiveLicenseThreats: [] },
        securityIssues,
        dependency: { direct: rnd.next() < 0.2, parentPackageUrls: [] },
        labelIds: [],
        ageInDays: old ? 2000 : 30 + rnd.int(1500),
        licenseSource: 'sbom',
      },
      findings,
    });
  }
  return pool;
}

/** A report of an application's stage: 200 pool components (most of them popular), their violations, the summary. */
function makeReport(pool: PoolComponent[], policies: Map<string, PolicyInfo>, stage: string, seed: number): ReportData {
  const rnd = random(seed);
  const picked = new Set<number>();
  while (picked.size < COMPONENTS_PER_REPORT) picked.add(rnd.next() < 0.6 ? rnd.int(POPULAR) : POPULAR + rnd.int(POOL - POPULAR));
  const summary: ReportData['summary'] = {
    outcome: 'none',
    totalComponents: COMPONENTS_PER_REPORT,
    knownComponents: COMPONENTS_PER_REPORT,
    affectedComponents: 0,
    openViolations: { critical: 0, severe: 0, moderate: 0 },
    componentsAffected: { critical: 0, severe: 0, moderate: 0 },
    waivedViolations: 0,
  };
  let fail = false;
  let warn = false;
  const components: ReportComponent[] = [];
  for (const index of picked) {
    const { base, findings } = pool[index];
    const violations: ReportViolation[] = [];
    let worst = -1;
    for (const f of findings) {
      const policy = policies.get(f.policy)!;
      const waived = rnd.next() < 0.05;
      const action = policy.actions[stage] as ReportViolation['action'];
      const v: ReportViolation = {
        policyViolationId: '',
        policyId: policy.id,
        policyName: policy.name,
        policyThreatLevel: policy.threatLevel,
        policyThreatCategory: policy.category,
        waived,
        constraints: [{ constraintId: `${policy.id}-0`, constraintName: f.constraint, conditions: [{ summary: f.summary, reason: f.reason, ...(f.reference ? { reference: f.reference } : {}) }] }],
      };
      if (action) v.action = action;
      violations.push(v);
      if (waived) {
        summary.waivedViolations++;
        continue;
      }
      const band = threatBand(policy.threatLevel);
      if (band !== 'low') summary.openViolations[band]++;
      worst = Math.max(worst, policy.threatLevel);
      if (action === 'fail') fail = true;
      if (action === 'warn') warn = true;
    }
    if (violations.length) summary.affectedComponents++;
    if (worst >= 0 && threatBand(worst) !== 'low') summary.componentsAffected[threatBand(worst) as 'critical']++;
    components.push({ ...base, violations });
  }
  summary.outcome = fail ? 'fail' : warn ? 'warn' : 'none';
  return { version: 1, components, summary };
}

async function loadPolicies(ctx: AppContext): Promise<Map<string, PolicyInfo>> {
  const rows = await ctx.store.db.selectFrom('policies').selectAll().execute();
  return new Map(
    rows.map((p) => [
      p.name,
      {
        id: p.id,
        name: p.name,
        threatLevel: Number(p.threat_level),
        category: policyTypeOfPolicy({ constraints: JSON.parse(p.constraints) } as Pick<Policy, 'constraints'>).toUpperCase(),
        actions: JSON.parse(p.actions) as Record<string, string>,
      },
    ]),
  );
}

interface Portfolio {
  organizations: string[];
  categories: string[];
  applications: string[];
}

/** 10 organizations under the root with 10 teams each; 4 application categories at the root. */
async function makeTree(ctx: AppContext): Promise<Portfolio> {
  const now = new Date().toISOString();
  const organizations: string[] = [];
  const teams: Array<{ id: string; name: string; parent_id: string; created_at: string }> = [];
  for (let d = 0; d < 10; d++) {
    const id = `bench-org-${d}`;
    organizations.push(id);
    await ctx.store.db.insertInto('organizations').values({ id, name: `Division ${d}`, parent_id: 'ROOT_ORGANIZATION_ID', created_at: now }).execute();
    for (let t = 0; t < 10; t++) teams.push({ id: `bench-team-${d}-${t}`, name: `Team ${d}.${t}`, parent_id: id, created_at: now });
  }
  await ctx.store.db.insertInto('organizations').values(teams).execute();
  organizations.push(...teams.map((t) => t.id));
  const categories = ['Internet facing', 'Internal', 'Payments', 'Legacy'].map((name, i) => ({
    id: `bench-category-${i}`,
    organization_id: 'ROOT_ORGANIZATION_ID',
    name,
    description: name,
    color: 'light-blue',
  }));
  await ctx.store.db.insertInto('application_categories').values(categories).execute();
  return { organizations, categories: categories.map((c) => c.id), applications: [] };
}

/** Applications `from`…`to - 1` (rows as the applications service writes them), each with a report per stage. */
async function grow(ctx: AppContext, portfolio: Portfolio, pool: PoolComponent[], policies: Map<string, PolicyInfo>, from: number, to: number): Promise<void> {
  const started = performance.now();
  const now = Date.now();
  for (let i = from; i < to; i += 500) {
    const apps = [];
    const tags = [];
    for (let n = i; n < Math.min(to, i + 500); n++) {
      const id = `bench-app-${String(n).padStart(6, '0')}`;
      apps.push({ id, public_id: `app-${n}`, name: `Application ${n}`, organization_id: `bench-team-${n % 10}-${Math.floor(n / 10) % 10}`, contact_user_name: null, created_at: new Date(now - 90 * DAY).toISOString() });
      if (n % 5 !== 4) tags.push({ application_id: id, category_id: portfolio.categories[n % 4] });
      portfolio.applications.push(id);
    }
    await ctx.store.db.insertInto('applications').values(apps).execute();
    if (tags.length) await ctx.store.db.insertInto('application_category_assignments').values(tags).execute();
  }
  // Reports: each stage later than the one before, over the last 60 days, so that the trend has a shape.
  const jobs: Array<{ app: string; stage: string; seed: number; at: number }> = [];
  for (let n = from; n < to; n++) {
    const rnd = random(n + 1);
    let at = now - 60 * DAY + rnd.int(40 * DAY);
    for (const [s, stage] of STAGES.entries()) {
      jobs.push({ app: portfolio.applications[n], stage, seed: n * 3 + s + 1, at });
      at += rnd.int(10 * DAY);
    }
  }
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const batch = jobs.slice(next, next + BATCH);
      next += BATCH;
      const encoded = await Promise.all(
        batch.map(async (j) => ({ at: j.at, report: await encodeNewReport({ applicationId: j.app, stage: j.stage, source: 'cyclonedx', inputRequestId: null, data: makeReport(pool, policies, j.stage, j.seed) }) })),
      );
      await ctx.store.db.transaction().execute(async (trx) => {
        for (const { at, report } of encoded) await insertReport(trx, { store: ctx.store, now: () => new Date(at) }, report);
      });
      done += batch.length;
      if (done % 1000 < BATCH || done === jobs.length) {
        const s = (performance.now() - started) / 1000;
        console.log(`  ${done}/${jobs.length} reports written (${s.toFixed(0)} s, ${(done / s).toFixed(0)}/s)`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_BATCHES }, worker));
}

/**
 * Applications `from`…`to - 1` as copies of the first `from` (every row the writers wrote for them,
 * with new application and report ids), made by PostgreSQL in a few statements. Writing 30,000
 * reports through the writers takes ~80 ms of CPU each (mostly encoding the document), which a
 * shared 2-core machine cannot give in a bench run; the copies are the writers' rows, except that
 * the violation ids inside a copied report's document are its original's (the listing rows are
 * renamed), so the cross-stage view is timed on original violations only. PORTFOLIO_BENCH_WRITE_ALL=1
 * writes every report through the writers instead.
 */
async function cloneApplications(ctx: AppContext, portfolio: Portfolio, from: number, to: number): Promise<void> {
  const started = performance.now();
  for (let k = 1; k * from < to; k++) {
    const app = (column: string) => `'bench-app-' || lpad((substr(${column}, 11)::int + ${k * from})::text, 6, '0')`;
    const report = (column: string) => `md5(${column} || '-${k}')`;
    const statements = [
      `INSERT INTO applications (id, public_id, name, organization_id, contact_user_name, created_at)
         SELECT ${app('id')}, 'app-' || (substr(id, 11)::int + ${k * from}), 'Application ' || (substr(id, 11)::int + ${k * from}), organization_id, contact_user_name, created_at
         FROM applications WHERE id LIKE 'bench-app-%' AND substr(id, 11)::int < ${from}`,
      `INSERT INTO application_category_assignments (application_id, category_id)
         SELECT ${app('application_id')}, category_id FROM application_category_assignments WHERE application_id LIKE 'bench-app-%' AND substr(application_id, 11)::int < ${from}`,
      `INSERT INTO reports SELECT ${report('id')}, ${app('application_id')}, stage, source, created_at, input_request_id, commit_hash, is_reevaluation, policy_action,
         total_components, known_components, affected_components, critical_violations, severe_violations, moderate_violations, critical_components, severe_components,
         moderate_components, waived_violations, data, document FROM reports WHERE substr(application_id, 11)::int < ${from}`,
      `INSERT INTO report_policy_violations (report_id, policy_id, component_keys)
         SELECT ${report('v.report_id')}, v.policy_id, v.component_keys FROM report_policy_violations v JOIN reports r ON r.id = v.report_id WHERE substr(r.application_id, 11)::int < ${from}`,
      `INSERT INTO latest_reports SELECT ${app('application_id')}, stage, ${report('report_id')}, created_at, policy_action, total_components, affected_components, critical, severe, moderate, low,
         ${['security', 'license', 'quality', 'other'].flatMap((c) => ['critical', 'severe', 'moderate', 'low'].map((b) => `${c}_${b}`)).join(', ')}
         FROM latest_reports WHERE substr(application_id, 11)::int < ${from}`,
      `INSERT INTO latest_report_components (application_id, stage, component_key, display_name, threat_level, open_violations)
         SELECT ${app('application_id')}, stage, component_key, display_name, threat_level, open_violations FROM latest_report_components WHERE substr(application_id, 11)::int < ${from}`,
      `INSERT INTO latest_policy_violations (application_id, stage, policy_id, report_id, created_at, violations)
         SELECT ${app('application_id')}, stage, policy_id, ${report('report_id')}, created_at, replace(violations, '"' || left(report_id, 20), '"' || left(${report('report_id')}, 20))
         FROM latest_policy_violations WHERE substr(application_id, 11)::int < ${from}`,
      `INSERT INTO portfolio_changes (application_id, stage, created_at, critical, severe, moderate, low)
         SELECT ${app('application_id')}, stage, created_at, critical, severe, moderate, low FROM portfolio_changes WHERE substr(application_id, 11)::int < ${from}`,
    ];
    await ctx.store.db.transaction().execute(async (trx) => {
      for (const statement of statements) await sql.raw(statement).execute(trx);
    });
    for (let n = k * from; n < Math.min(to, (k + 1) * from); n++) portfolio.applications.push(`bench-app-${String(n).padStart(6, '0')}`);
    console.log(`  applications ${k * from}…${(k + 1) * from - 1} copied (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}

function startServerProcess(url: string): Promise<{ child: ChildProcess; base: string }> {
  const child = fork(fileURLToPath(new URL('./portfolio-server.mjs', import.meta.url)), [url], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve({ child, base: m.url }));
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function time(base: string, label: string, paths: string[], rounds: number, headers: Record<string, string> = {}, status = 200) {
  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`, { headers: { ...headers, authorization: ADMIN } });
    const body = await res.arrayBuffer();
    if (res.status !== status) throw new Error(`${path}: ${res.status} ${Buffer.from(body).toString()}`);
    return body.byteLength;
  };
  for (const path of paths.slice(0, 3)) await get(path); // warm up
  const times: number[] = [];
  let bytes = 0;
  const started = performance.now();
  // At most ~20 s per request kind (at least 3 requests): a slow one still gets a figure.
  for (let i = 0; i < rounds && (i < 3 || performance.now() - started < 20_000); i++) {
    const path = paths[i % paths.length];
    const t = performance.now();
    bytes = Math.max(bytes, await get(path));
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const result = { label, p50: percentile(times, 50), p95: percentile(times, 95), bytes, over: percentile(times, 95) >= 100, n: times.length };
  console.log(`  … ${label}: p95 ${result.p95.toFixed(1)} ms over ${times.length} requests`);
  return result;
}

async function measure(base: string, portfolio: Portfolio, policies: Map<string, PolicyInfo>, apps: number, written: number) {
  const rnd = random(apps);
  const some = (n: number) => Array.from({ length: n }, () => portfolio.applications[rnd.int(portfolio.applications.length)]);
  const critical = policies.get('Security-Critical')!.id;
  const banned = policies.get('License-Banned')!.id;
  const medium = policies.get('Security-Medium')!.id;
  // The listings' first answers, built (services/reports/portfolio-cache.ts); the timings below
  // repeat requests, which the cache answers while the portfolio does not change.
  const cold: string[] = [];
  for (const [label, path] of [
    ['(a) reports of every application', '/api/v2/reports/applications'],
    ['(c) policyViolations, License-Banned', `/api/v2/policyViolations?p=${banned}`],
    ['(c) policyViolations, Security-Critical', `/api/v2/policyViolations?p=${critical}`],
  ]) {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { headers: { authorization: ADMIN } });
    await res.arrayBuffer();
    cold.push(`  ${`${label}, first answer (built, not cached)`.padEnd(60)} ${`${(performance.now() - t).toFixed(1)} ms`.padStart(10)}`);
  }
  const etag = (await fetch(`${base}/api/v2/reports/applications`, { headers: { authorization: ADMIN } })).headers.get('etag') ?? '';
  // A violation of a Security-Critical policy, for the cross-stage view.
  const listed = (await (await fetch(`${base}/api/v2/policyViolations?p=${banned}`, { headers: { authorization: ADMIN } })).json()) as {
    applicationViolations: Array<{ application: { publicId: string }; policyViolations: Array<{ policyViolationId: string }> }>;
  };
  const violationIds = listed.applicationViolations
    .filter((a) => Number(a.application.publicId.slice(4)) < written)
    .flatMap((a) => a.policyViolations.map((v) => v.policyViolationId))
    .slice(0, 50);
  console.log(`timing ${apps.toLocaleString('en')} applications:`);
  const results = [
    await time(base, '(a) reports of every application', ['/api/v2/reports/applications'], 20),
    await time(base, '(a) the same, If-None-Match (304)', ['/api/v2/reports/applications'], 50, { 'if-none-match': etag }, 304),
    await time(base, "(b) one application's latest reports", some(200).map((id) => `/api/v2/reports/applications/${id}`), 200),
    await time(base, '(c) policyViolations, License-Banned (0.3 %)', [`/api/v2/policyViolations?p=${banned}`], 20),
    await time(base, '(c) policyViolations, Security-Critical (0.6 %)', [`/api/v2/policyViolations?p=${critical}`], 20),
    // A common policy: 17 MiB at 1,000 applications, ten times that at 10,000 (not asked for there).
    ...(apps <= 1_000 ? [await time(base, '(c) policyViolations, Security-Medium (3.5 %)', [`/api/v2/policyViolations?p=${medium}`], 10)] : []),
    await time(base, '(c) policyViolations/crossStage/{id}', violationIds.map((id) => `/api/v2/policyViolations/crossStage/${id}`), 100),
    await time(base, '(d) dashboard, whole portfolio', ['/api/v2/dashboard'], 50),
    await time(
      base,
      '(d) dashboard, by organization / category / stage',
      [
        ...portfolio.organizations.slice(0, 10).map((o) => `/api/v2/dashboard?organizationId=${o}`),
        ...portfolio.categories.map((c) => `/api/v2/dashboard?applicationCategoryId=${c}`),
        ...STAGES.map((s) => `/api/v2/dashboard?stageId=${s}`),
        `/api/v2/dashboard?organizationId=${portfolio.organizations[20]}&applicationCategoryId=${portfolio.categories[1]}&stageId=release`,
      ],
      100,
    ),
  ];
  console.log(`\n${apps.toLocaleString('en')} applications, ${(apps * 3).toLocaleString('en')} latest reports:`);
  console.log(`  ${'request'.padEnd(52)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'answer'.padStart(10)} requests`);
  for (const r of results) {
    const size = r.bytes > 1 << 20 ? `${(r.bytes / (1 << 20)).toFixed(1)} MiB` : `${(r.bytes / 1024).toFixed(1)} KiB`;
    console.log(`  ${r.label.padEnd(52)} ${`${r.p50.toFixed(1)} ms`.padStart(8)} ${`${r.p95.toFixed(1)} ms`.padStart(8)} ${size.padStart(10)} ${String(r.n).padStart(8)}${r.over ? '  over 100 ms' : ''}`);
  }
  for (const line of cold) console.log(line);
}

const schema = `bench_portfolio_${randomBytes(4).toString('hex')}`;
const schemaUrl = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
const config = loadConfig({ file: false, env: {}, overrides: { databaseUrl: DATABASE_URL, logLevel: 'error', registries: { offline: true } } });
const ctx = await openContext(config, createLogger(config), { schema });
let server: { child: ChildProcess; base: string } | undefined;
try {
  const policies = await loadPolicies(ctx);
  const pool = makePool();
  const portfolio = await makeTree(ctx);
  let size = 0;
  let written: number | undefined;
  for (const target of SIZES) {
    if (size === 0 || process.env.PORTFOLIO_BENCH_WRITE_ALL === '1') {
      console.log(`writing applications ${size}…${target - 1} (${(target - size) * 3} reports) through the store's writers`);
      await grow(ctx, portfolio, pool, policies, size, target);
    } else {
      console.log(`copying applications 0…${size - 1} to make ${size}…${target - 1}`);
      await cloneApplications(ctx, portfolio, size, target);
    }
    written ??= target;
    size = target;
    await sql`ANALYZE`.execute(ctx.store.db);
    server ??= await startServerProcess(schemaUrl);
    await measure(server.base, portfolio, policies, size, process.env.PORTFOLIO_BENCH_WRITE_ALL === '1' ? size : written);
  }
} finally {
  server?.child.send({ type: 'stop' });
  await ctx.store.close();
  await dropSchema(DATABASE_URL, schema);
}
