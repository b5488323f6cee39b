/**
 * NVD import (intel/nvd) of a generated feed of 250,000 CVEs, the size of NVD's whole history,
 * in the API 2.0 envelope and gzipped, as the yearly feeds are. CVEs are written here in the real
 * shape (full cvssData, v3.1 and v2 metrics from NVD and a CNA, weaknesses, CPE configurations,
 * references), ~3.4 KiB each: ~825 MiB of JSON.
 *
 * Each run imports it into a fresh database twice, in its own process (so its peak RSS is its own):
 * first everything is new, then everything is unchanged. SQLite always; PostgreSQL when
 * DATABASE_URL names one (a fresh schema, dropped afterwards).
 * `npm run bench nvd` (NVD_BENCH_CVES=… for another size).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { loadConfig } from '../src/config/config.js';
import { importNvdSource } from '../src/intel/nvd/importer.js';
import { createLogger, openContext } from '../src/server.js';
import { dropSchema } from '../src/store/db.js';

const COUNT = Number(process.env.NVD_BENCH_CVES ?? 250_000);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

const V31 = ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N'];

function cve(i: number): unknown {
  const year = 1999 + (i % 27);
  const id = `CVE-${year}-${String(10000 + i).padStart(5, '0')}`;
  const v31 = (source: string, type: string, vector: string) => ({
    source,
    type,
    cvssData: {
      version: '3.1',
      vectorString: vector,
      attackVector: 'NETWORK',
      attackComplexity: 'LOW',
      privilegesRequired: 'NONE',
      userInteraction: 'NONE',
      scope: 'UNCHANGED',
      confidentialityImpact: 'HIGH',
      integrityImpact: 'HIGH',
      availabilityImpact: 'HIGH',
      baseScore: 9.8,
      baseSeverity: 'CRITICAL',
    },
    exploitabilityScore: 3.9,
    impactScore: 5.9,
  });
  return {
    cve: {
      id,
      sourceIdentifier: 'cve@mitre.org',
      published: `${year}-03-0${1 + (i % 9)}T10:15:07.653`,
      lastModified: `2024-11-${String(1 + (i % 28)).padStart(2, '0')}T03:36:29.017`,
      vulnStatus: i % 50 === 0 ? 'Rejected' : 'Analyzed',
      cveTags: [],
      descriptions: [
        { lang: 'en', value: `Example product ${i} before 3.1.${i % 20} allows remote attackers to execute arbitrary code via a crafted request to the administrative interface.` },
        { lang: 'es', value: `El producto de ejemplo ${i} anterior a 3.1.${i % 20} permite a atacantes remotos ejecutar código arbitrario mediante una solicitud manipulada.` },
      ],
      metrics: {
        cvssMetricV31: [v31('nvd@nist.gov', 'Primary', V31[i % 3]), v31('security@example.org', 'Secondary', V31[(i + 1) % 3])],
        cvssMetricV2: [
          {
            source: 'nvd@nist.gov',
            type: 'Primary',
            cvssData: { version: '2.0', vectorString: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', accessVector: 'NETWORK', baseScore: 7.5 },
            baseSeverity: 'HIGH',
            exploitabilityScore: 10.0,
            impactScore: 6.4,
            acInsufInfo: false,
            obtainAllPrivilege: false,
            obtainUserPrivilege: false,
            obtainOtherPrivilege: false,
            userInteractionRequired: false,
          },
        ],
      },
      weaknesses: [{ source: 'nvd@nist.gov', type: 'Primary', description: [{ lang: 'en', value: `CWE-${20 + (i % 400)}` }, { lang: 'en', value: 'NVD-CWE-Other' }] }],
      configurations: [
        {
          nodes: [
            {
              operator: 'OR',
              negate: false,
              cpeMatch: Array.from({ length: 4 }, (_, k) => ({
                vulnerable: true,
                criteria: `cpe:2.3:a:example:product_${i}:*:*:*:*:*:*:*:*`,
                versionStartIncluding: `${k}.0`,
                versionEndExcluding: `${k}.${i % 20}`,
                matchCriteriaId: randomBytes(16).toString('hex').toUpperCase(),
              })),
            },
          ],
        },
      ],
      references: Array.from({ length: 5 }, (_, k) => ({
        url: `https://example.org/security/advisories/${id}/${k}`,
        source: 'cve@mitre.org',
        tags: k === 0 ? ['Patch', 'Vendor Advisory'] : ['Third Party Advisory'],
      })),
    },
  };
}

/** The feed, gzipped, written as it is generated; returns its size as JSON. */
async function writeFeed(path: string): Promise<number> {
  let bytes = 0;
  const gzip = createGzip({ level: 6 });
  const done = new Promise<void>((resolve, reject) => {
    gzip.pipe(createWriteStream(path)).on('finish', resolve).on('error', reject);
  });
  const write = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!gzip.write(text)) await new Promise((resolve) => gzip.once('drain', resolve));
  };
  await write(`{"resultsPerPage":${COUNT},"startIndex":0,"totalResults":${COUNT},"format":"NVD_CVE","version":"2.0","timestamp":"2024-12-01T00:00:00.000","vulnerabilities":[`);
  for (let i = 0; i < COUNT; i++) await write((i ? ',' : '') + JSON.stringify(cve(i)));
  await write(']}');
  gzip.end();
  await done;
  return bytes;
}

/** Child mode: import the feed twice into the database, print figures as JSON. */
async function importChild(feed: string, databaseUrl: string, dataDir: string): Promise<void> {
  const schema = databaseUrl.startsWith('postgres') ? `bench_nvd_${randomBytes(4).toString('hex')}` : undefined;
  const config = loadConfig({ file: false, env: {}, overrides: { dataDir, databaseUrl, logLevel: 'error' } });
  const ctx = await openContext(config, createLogger(config), { schema });
  let rssPeak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 20);
  const runs = [];
  try {
    for (const run of ['first', 'again']) {
      const started = performance.now();
      const summary = await importNvdSource(ctx, feed);
      runs.push({ run, ms: performance.now() - started, records: summary.records, added: summary.added, unchanged: summary.unchanged });
    }
  } finally {
    clearInterval(timer);
    await ctx.store.close();
    if (schema) await dropSchema(databaseUrl, schema);
  }
  console.log(JSON.stringify({ runs, rssPeak }));
}

async function main(): Promise<void> {
  if (process.argv[2] === '--import') return importChild(process.argv[3], process.argv[4], process.argv[5]);
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-nvd-bench-'));
  try {
    const feed = join(dir, 'nvdcve-2.0-generated.json.gz');
    let started = performance.now();
    const bytes = await writeFeed(feed);
    console.log(`generated ${COUNT} CVEs: ${mib(bytes)} of JSON, ${mib(statSync(feed).size)} gzipped, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const databases: [string, string][] = [['SQLite', `sqlite:${join(dir, 'tollgate.db')}`]];
    if (/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')) databases.push(['PostgreSQL', process.env.DATABASE_URL!]);
    else console.log('notice: DATABASE_URL names no PostgreSQL database; PostgreSQL skipped');
    for (const [name, url] of databases) {
      started = performance.now();
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--import', feed, url, dir], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`${name} import failed: ${child.stderr}`);
      const r = JSON.parse(child.stdout.trim().split('\n').at(-1)!);
      for (const run of r.runs) {
        console.log(
          `  ${name}, ${run.run === 'first' ? 'fresh database' : 'same feed again'}: ${run.records} CVEs in ${(run.ms / 1000).toFixed(1)} s ` +
            `(${Math.round(run.records / (run.ms / 1000))} CVEs/s; ${run.added} added, ${run.unchanged} unchanged)`,
        );
      }
      console.log(`  ${name}: peak RSS ${mib(r.rssPeak)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
