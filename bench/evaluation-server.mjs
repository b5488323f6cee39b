// The server process of evaluation.bench.ts: the built server (dist/, what `npm start` runs, with
// no TypeScript loader in the process, so that its memory and time are the product's), its memory
// sampled, answering the bench over IPC. Plain JavaScript for that reason. Argument: the data dir.
import { loadConfig } from '../dist/config/config.js';
import { osvPackageOf } from '../dist/ecosystems/osv-ecosystems.js';
import { advisoryMatcherFor } from '../dist/evaluation/advisories.js';
import { identifySbom } from '../dist/evaluation/identify.js';
import { evaluateComponents } from '../dist/evaluation/pipeline.js';
import { prepareApplication } from '../dist/services/evaluation/prepare.js';
import { advisoryIndexFor } from '../dist/intel/advisories/index-cache.js';
import { analyzeDependencies } from '../dist/sbom/graph.js';
import { startServer } from '../dist/server.js';
import { readScanInput } from '../dist/services/evaluation/evaluations.js';
import { encodeNewReport, insertReport } from '../dist/services/reports/reports.js';

const dataDir = process.argv[2];
const config = loadConfig({
  file: false,
  env: {},
  overrides: { port: 0, host: '127.0.0.1', dataDir, logLevel: 'error', registries: { offline: true } },
});

const server = await startServer(config);
const before = process.memoryUsage().rss;
let peak = before;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().rss);
};
const sampler = setInterval(sample, 5);
let cpu = process.cpuUsage();
const started = performance.now();
const index = await advisoryIndexFor(server.ctx);
const indexMs = performance.now() - started;
sample();
const send = (m) => process.send(m);
send({ type: 'ready', url: server.url, indexMs, indexStats: index.stats, rssBefore: before, rssAfterIndex: process.memoryUsage().rss, peakDuringIndex: peak });

process.on('message', async (m) => {
  try {
    if (m.type === 'reset') {
      peak = process.memoryUsage().rss;
      cpu = process.cpuUsage();
      send({ type: 'ok' });
    } else if (m.type === 'memory') {
      sample();
      const used = process.cpuUsage(cpu);
      send({ type: 'memory', peak, rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed, maxRss: process.resourceUsage().maxRSS * 1024, cpuMs: (used.user + used.system) / 1000 });
    } else if (m.type === 'gc') {
      // What stays once the garbage is collected: the index and what the caches keep.
      globalThis.gc?.();
      const after = process.memoryUsage();
      send({ type: 'gc', heapUsed: after.heapUsed, rss: after.rss, external: after.external + after.arrayBuffers });
    } else if (m.type === 'job') {
      const row = await server.ctx.store.db
        .selectFrom('evaluation_requests as r')
        .innerJoin('jobs as j', 'j.id', 'r.job_id')
        .select(['j.created_at', 'j.started_at', 'j.finished_at'])
        .where('r.id', '=', m.requestId)
        .executeTakeFirstOrThrow();
      send({ type: 'job', ...row });
    } else if (m.type === 'phases') {
      send({ type: 'phases', phases: await phases(server.ctx, m.applicationId, m.text) });
    } else if (m.type === 'stop') {
      clearInterval(sampler);
      await server.close();
      process.exit(0);
    }
  } catch (err) {
    send({ type: 'error', message: err?.stack ?? String(err) });
  }
});

/**
 * The length of the report as plain ReportData JSON (what it would take stored that way), a
 * component at a time: the whole text (~40 MiB) would be a peak of the bench's own making.
 */
function plainJsonLength(data) {
  const { components, ...rest } = data;
  const parts = components.reduce((n, c) => n + JSON.stringify(c).length, 0) + Math.max(0, components.length - 1);
  return JSON.stringify({ components: [], ...rest }).length + parts;
}

/** The steps runRequest takes, one by one with a timer each (the server's index is warm by now). */
async function phases(ctx, applicationId, text) {
  const out = [];
  const time = async (label, f) => {
    const t = performance.now();
    const value = await f();
    out.push([label, performance.now() - t]);
    return value;
  };
  await time('read + check at submission (readScanInput, validating)', () => readScanInput('cyclonedx', text));
  const sbom = await time('read in the job (readScanInput, not validating)', () => readScanInput('cyclonedx', text, undefined, { validate: false }));
  const components = await time('identify (identifySbom)', () => identifySbom(sbom));
  const dependencies = await time('dependency graph (analyzeDependencies)', () => analyzeDependencies(sbom));
  const matcher = await time('advisory matcher (index cache check)', () => advisoryMatcherFor(ctx));
  const prepared = await time('prepare application (policies, overrides, labels)', () => prepareApplication(ctx, applicationId, matcher));
  const queries = components.flatMap((c) => {
    const p = c.matchState === 'exact' ? osvPackageOf(c.componentIdentifier) : undefined;
    return p?.version ? [p] : [];
  });
  const findings = await time(`  of which: advisory match + first fixes (${queries.length} queries)`, () => matcher.match(queries));
  const evaluation = await time('evaluate components (claims, match, licenses, facts, policy, report data)', () =>
    evaluateComponents(ctx, prepared, components, { stage: 'build', dependencies, edges: sbom.dependencies, analyses: sbom.vulnerabilities }),
  );
  await time('  of which: policy engine alone', () => prepared.engine.evaluate(evaluation.facts, { stage: 'build', now: ctx.now() }));
  const encoded = await time('encode report (compact JSON, gzip)', () =>
    encodeNewReport({ applicationId, stage: 'build', source: 'cyclonedx', inputRequestId: null, reevaluation: false, data: evaluation.data }),
  );
  await time('store report (insertReport: report and policy violation rows, one transaction)', () => ctx.store.db.transaction().execute((trx) => insertReport(trx, ctx, encoded)));
  return {
    timings: out,
    findings: findings.reduce((n, f) => n + f.length, 0),
    affected: evaluation.data.summary.affectedComponents,
    violations: evaluation.data.components.reduce((n, c) => n + c.violations.length, 0),
    reportBytes: plainJsonLength(evaluation.data),
    storedBytes: encoded.document.byteLength,
  };
}
