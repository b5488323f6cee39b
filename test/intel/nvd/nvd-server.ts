/**
 * A stand-in for NVD's CVE API 2.0 on a loopback port: pages of the CVEs it holds, filtered by
 * lastModStartDate / lastModEndDate (both or neither, at most 120 days apart, as NVD insists),
 * paged by startIndex / resultsPerPage, in the API's envelope. Tests can make it answer given
 * statuses first, serve recorded pages as they are, or break a page.
 */
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nvdPage } from './helpers.js';

export interface SeenRequest {
  path: string;
  params: Record<string, string>;
  headers: IncomingHttpHeaders;
  at: number;
}

export interface NvdStandIn {
  url: string;
  requests: SeenRequest[];
  /** the CVE objects served */
  cves: Record<string, unknown>[];
  /** NVD's clock in the envelope (`timestamp`) */
  timestamp: string;
  /** statuses answered to the next requests, in order, e.g. [429, 503]; 0 serves that request normally */
  statuses: number[];
  /** recorded page bytes to serve by startIndex instead of generated pages */
  recorded?: Map<number, Buffer>;
  /** a page (by startIndex) answered with a body cut short */
  brokenAt?: number;
  /** the clock `at` is read from (Date.now unless a test sets the one it gives the sync) */
  now: () => number;
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

function lastModifiedMs(cve: Record<string, unknown>): number {
  return Date.parse(`${String(cve.lastModified)}Z`);
}

export async function startNvdStandIn(): Promise<NvdStandIn> {
  let server: Server;
  const standIn: NvdStandIn = {
    url: '',
    requests: [],
    cves: [],
    timestamp: '2099-06-01T00:00:00.000',
    statuses: [],
    now: () => Date.now(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = Object.fromEntries(url.searchParams);
    standIn.requests.push({ path: url.pathname, params, headers: req.headers, at: standIn.now() });
    if (url.pathname !== '/rest/json/cves/2.0') return res.writeHead(404).end();
    const status = standIn.statuses.shift();
    if (status) return res.writeHead(status, { message: `stand-in answers ${status}` }).end();
    const startIndex = Number(params.startIndex ?? 0);
    const recorded = standIn.recorded?.get(startIndex);
    if (recorded) return res.writeHead(200, { 'content-type': 'application/json' }).end(recorded);
    const { lastModStartDate: start, lastModEndDate: end } = params;
    if ((start === undefined) !== (end === undefined)) {
      return res.writeHead(404, { message: 'Both lastModStartDate and lastModEndDate are required when either is present' }).end();
    }
    let cves = standIn.cves;
    if (start !== undefined) {
      const [from, to] = [Date.parse(start), Date.parse(end)];
      if (!(to - from <= 120 * DAY_MS)) return res.writeHead(404, { message: 'The lastMod date range must not exceed 120 days' }).end();
      cves = cves.filter((c) => lastModifiedMs(c) >= from && lastModifiedMs(c) <= to);
    }
    const perPage = Number(params.resultsPerPage ?? 2000);
    const body = JSON.stringify(nvdPage(cves.slice(startIndex, startIndex + perPage), { startIndex, totalResults: cves.length, timestamp: standIn.timestamp }));
    res.writeHead(200, { 'content-type': 'application/json' });
    if (standIn.brokenAt === startIndex) {
      // Headers and half the page, then the connection ends: what a dropped connection looks like.
      res.write(body.slice(0, body.length / 2), () => res.destroy());
      return;
    }
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/json/cves/2.0`;
  return standIn;
}
