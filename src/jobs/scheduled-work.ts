import { runScheduledSync } from '../intel/advisories/schedule.js';
import { runScheduledExploitationSync } from '../intel/exploitation/schedule.js';
import { runScheduledNvdSync } from '../intel/nvd/schedule.js';
import type { ScheduledWork } from './scheduler.js';

/**
 * The periodic work a server does, each off unless its interval is configured. Runs are queued by
 * the shared schedule (scheduler.ts) and run as `schedule` jobs (handlers/scheduled.ts), so one node
 * runs each at a time however many share the database.
 */
export const SCHEDULED_WORK: readonly ScheduledWork[] = [
  {
    name: 'vulndb.sync',
    intervalHours: (config) => config.vulndb.syncIntervalHours,
    describe: (ctx) => `vulnerability data sync every ${ctx.config.vulndb.syncIntervalHours} h from ${ctx.config.vulndb.mirrorUrl}`,
    run: (ctx) => runScheduledSync(ctx),
  },
  {
    name: 'exploitation.sync',
    intervalHours: (config) => config.exploitation.syncIntervalHours,
    describe: (ctx) => `exploitation data sync (CISA KEV, EPSS) every ${ctx.config.exploitation.syncIntervalHours} h`,
    run: (ctx) => runScheduledExploitationSync(ctx),
  },
  {
    name: 'nvd.sync',
    intervalHours: (config) => config.nvd.syncIntervalHours,
    describe: (ctx) =>
      `NVD sync every ${ctx.config.nvd.syncIntervalHours} h from ${ctx.config.nvd.apiUrl} (${ctx.config.nvd.apiKey ? 'with' : 'without'} an API key)`,
    run: (ctx) => runScheduledNvdSync(ctx),
  },
];
