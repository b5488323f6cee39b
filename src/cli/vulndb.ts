import { Command } from 'commander';
import type { ImportSummary } from '../intel/advisories/importer.js';
import { withContext } from './context.js';
import { tracker } from './progress.js';

// Each action imports what it runs when it runs: `tollgate --help` or `tollgate serve` does not
// load the importers (docs/ARCHITECTURE.md, Command line).

function printSummary(s: ImportSummary): void {
  console.log(
    `${s.source}: ${s.records} records — ${s.added} added, ${s.updated} updated, ${s.unchanged} unchanged, ` +
      `${s.withdrawn} withdrawn, ${s.rejected.length} rejected (${(s.durationMs / 1000).toFixed(1)} s)`,
  );
  const shown = s.rejected.slice(0, 20);
  for (const r of shown) console.log(`  rejected ${r.id ?? r.entry}: ${r.reason}`);
  if (s.rejected.length > shown.length) console.log(`  … and ${s.rejected.length - shown.length} more rejected`);
}

export function vulndbCommand(): Command {
  const vulndb = new Command('vulndb').description('vulnerability data from OSV and NVD: import, sync, inspect');

  vulndb
    .command('import <sources...>')
    .description(
      'import OSV records from zip archives (like <Ecosystem>/all.zip) or directories of JSON files, and NVD CVE JSON 2.0 files ' +
        '(API pages, yearly or modified feeds, plain or gzipped, single CVE objects, directories of them), recognised by content',
    )
    .action(async (sources: string[], _options: unknown, command: Command) => {
      const { importOsvSource } = await import('../intel/advisories/importer.js');
      const { RejectedSourceError } = await import('../intel/advisories/source.js');
      const { isNvdSource } = await import('../intel/nvd/detect.js');
      const { importNvdSource } = await import('../intel/nvd/importer.js');
      const { printNvdSummary } = await import('./nvd.js');
      await withContext(command, async (ctx) => {
        let failed = 0;
        for (const source of sources) {
          const progress = tracker(source.split('/').pop() ?? source, 'records');
          try {
            if (await isNvdSource(source)) {
              const summary = await importNvdSource(ctx, source, { onProgress: (done, total) => progress.update(done, total) });
              progress.stop();
              printNvdSummary(summary);
              continue;
            }
            const summary = await importOsvSource(ctx, source, { onProgress: (done, total) => progress.update(done, total) });
            progress.stop();
            printSummary(summary);
          } catch (err) {
            progress.stop();
            if (!(err instanceof RejectedSourceError)) throw err;
            failed++;
            console.log(`rejected ${err.message}`);
          }
        }
        if (failed > 0) process.exitCode = 1;
      });
    });

  vulndb
    .command('sync')
    .description('download <mirror>/<Ecosystem>/all.zip for each ecosystem and import it; with --nvd, fetch CVEs from the NVD API instead')
    .option('-e, --ecosystem <name...>', 'OSV ecosystem names (default: vulndb.ecosystems in the configuration)')
    .option('--mirror <url>', 'mirror URL (default: vulndb.mirrorUrl, env TOLLGATE_VULNDB_MIRROR)')
    .option('--nvd', 'sync CVEs from the NVD CVE API 2.0 (nvd.apiUrl, key nvd.apiKey / TOLLGATE_NVD_API_KEY): changes since the last sync')
    .option('--full', 'with --nvd: fetch every CVE, not only the changes since the last sync')
    .action(async (options: { ecosystem?: string[]; mirror?: string; nvd?: boolean; full?: boolean }, command: Command) => {
      if (options.full && !options.nvd) command.error('--full is for --nvd');
      if (options.nvd && (options.ecosystem || options.mirror)) command.error('--ecosystem and --mirror are for the OSV sync; --nvd syncs NVD alone');
      await withContext(command, async (ctx) => {
        if (options.nvd) {
          const { syncNvdCommand } = await import('./nvd.js');
          try {
            await syncNvdCommand(ctx, { full: options.full });
          } catch (err) {
            console.log((err as Error).message);
            process.exitCode = 1;
          }
          return;
        }
        const { syncVulnerabilityData } = await import('../intel/advisories/sync.js');
        const ecosystems = options.ecosystem ?? ctx.config.vulndb.ecosystems;
        const mirrorUrl = options.mirror ?? ctx.config.vulndb.mirrorUrl;
        let download: ReturnType<typeof tracker> | undefined;
        let importing: ReturnType<typeof tracker> | undefined;
        const results = await syncVulnerabilityData(ctx, {
          ecosystems,
          mirrorUrl,
          onDownloadProgress: (ecosystem, received, total) => {
            download ??= tracker(`${ecosystem} download`, 'bytes');
            download.update(received, total);
          },
          onImportProgress: (ecosystem, done, total) => {
            download?.stop();
            download = undefined;
            importing ??= tracker(`${ecosystem} import`, 'records');
            importing.update(done, total);
            if (done === total) {
              importing.stop();
              importing = undefined;
            }
          },
        }).finally(() => {
          download?.stop();
          importing?.stop();
        });
        for (const r of results) {
          if (r.ok) printSummary(r.summary);
          else console.log(`${r.ecosystem}: failed: ${r.error}`);
        }
        if (results.some((r) => !r.ok)) process.exitCode = 1;
      });
    });

  vulndb
    .command('status')
    .description('how many advisories and NVD CVE records are stored, and the last NVD sync')
    .action(async (_options: unknown, command: Command) => {
      const { advisoryCounts } = await import('../intel/advisories/advisory-store.js');
      const { printNvdStatus } = await import('./nvd.js');
      await withContext(command, async (ctx) => {
        const c = await advisoryCounts(ctx.store.db);
        console.log(`${c.records} advisories (${c.withdrawn} withdrawn) about ${c.groups} vulnerabilities, ${c.packages} affected packages`);
        await printNvdStatus(ctx);
      });
    });

  vulndb
    .command('match <ecosystem> <name> [version]')
    .description('list the vulnerabilities affecting one component, e.g. `vulndb match PyPI django 3.2.0`')
    .option('--commit <hash>', 'the Git commit the component was built from')
    .action(async (ecosystem: string, name: string, version: string | undefined, options: { commit?: string }, command: Command) => {
      const { AdvisoryIndex } = await import('../intel/advisories/advisory-index.js');
      await withContext(command, async (ctx) => {
        const index = await AdvisoryIndex.load(ctx.store);
        const [findings] = index.match([{ ecosystem, name, version, commit: options.commit }]);
        if (findings.length === 0) console.log('no known vulnerabilities');
        for (const f of findings) {
          const v = f.vulnerability;
          const also = v.aliases.length ? ` (also ${v.aliases.join(', ')})` : '';
          console.log(`${v.id}${also}${v.summary ? `: ${v.summary}` : ''}`);
        }
      });
    });

  return vulndb;
}
