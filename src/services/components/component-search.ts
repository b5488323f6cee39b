import { type ComponentIdentifier, canonicalPackageUrl, parseComponentHash, toPackageUrl } from '../../ecosystems/identity.js';
import type { ReportComponent } from '../../evaluation/report.js';
import { globMatches } from '../../policy/proprietary-patterns.js';
import { type Principal, visibleOwners } from '../access/access.js';
import type { AppContext } from '../../core/context.js';
import { checkStage } from '../evaluation/evaluations.js';
import { ValidationError } from '../../core/errors.js';
import { getReport, latestReports } from '../reports/reports.js';
import { reportUrls } from '../reports/report-views.js';
import { parseComponentIdentifierParam } from './vulnerability-details.js';

/**
 * Component Search: where a component is in use — the newest report of the stage of every
 * application the caller may view, searched for the component by hash, package URL or
 * coordinates. Coordinates may hold `*` wildcards, and coordinates left out match anything
 * (`{"format":"npm","coordinates":{"packageId":"lodash"}}` is every lodash); complete ones are
 * compared in canonical form, as a package URL. Each report is read once, one at a time.
 */

export interface ComponentSearchQuery {
  stageId?: string;
  hash?: string;
  /** JSON text (bracket form is folded into it before the route sees it). */
  componentIdentifier?: string;
  packageUrl?: string;
}

export interface ComponentSearchResult {
  applicationId: string;
  applicationName: string;
  reportUrl: string;
  reportHtmlUrl: string;
  hash: string;
  threatLevel: number;
  componentIdentifier?: ComponentIdentifier;
  packageUrl?: string;
  dependencyData?: { directDependency: boolean; innerSource: boolean; parentComponentPurls: string[] };
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

type Test = (c: ReportComponent) => boolean;

/** A coordinates pattern: each coordinate given must match (case-insensitively, `*` for any run of characters). */
function coordinatesTest(identifier: ComponentIdentifier): Test {
  const format = identifier.format.trim().toLowerCase();
  const wanted = Object.entries(identifier.coordinates ?? {}).map(([k, v]) => [k, String(v).toLowerCase()] as const);
  return (c) => {
    const found = c.componentIdentifier;
    if (!found || found.format !== format) return false;
    return wanted.every(([key, pattern]) => globMatches(pattern, String(found.coordinates[key] ?? '').toLowerCase()));
  };
}

function searchTest(query: ComponentSearchQuery): { test: Test; criteria: { hash?: string; packageUrl?: string; componentIdentifier?: ComponentIdentifier } } {
  if (present(query.hash)) {
    const hash = parseComponentHash(query.hash);
    return { test: (c) => c.hash === hash, criteria: { hash } };
  }
  if (present(query.componentIdentifier)) {
    let raw: ComponentIdentifier;
    try {
      raw = JSON.parse(query.componentIdentifier) as ComponentIdentifier;
    } catch {
      raw = undefined as unknown as ComponentIdentifier;
    }
    if (!raw || typeof raw !== 'object' || typeof raw.format !== 'string' || (raw.coordinates !== undefined && (typeof raw.coordinates !== 'object' || raw.coordinates === null))) {
      throw new ValidationError('componentIdentifier must be {"format":…,"coordinates":{…}} as JSON or in brackets (componentIdentifier[format]=npm&componentIdentifier[coordinates][packageId]=…)');
    }
    const values = Object.values(raw.coordinates ?? {}).map(String);
    // Complete and without wildcards: compared canonically (pypi Acme_Core is acme-core).
    if (!values.some((v) => v.includes('*')) && values.length && 'version' in (raw.coordinates ?? {})) {
      const identifier = parseComponentIdentifierParam(query.componentIdentifier)!;
      const purl = toPackageUrl(identifier);
      return { test: (c) => c.packageUrl === purl, criteria: { componentIdentifier: identifier } };
    }
    return { test: coordinatesTest(raw), criteria: { componentIdentifier: { format: raw.format, coordinates: Object.fromEntries(Object.entries(raw.coordinates ?? {}).map(([k, v]) => [k, String(v)])) } } };
  }
  if (present(query.packageUrl)) {
    const given = query.packageUrl.trim();
    const purl = canonicalPackageUrl(given);
    return { test: (c) => c.packageUrl === purl || c.originalPurl === given, criteria: { packageUrl: purl } };
  }
  throw new ValidationError(
    'Name the component: hash, packageUrl or componentIdentifier (JSON {"format":"npm","coordinates":{"packageId":"lodash","version":"*"}} or in brackets; coordinates may hold * wildcards)',
  );
}

export async function searchComponents(ctx: AppContext, principal: Principal, query: ComponentSearchQuery) {
  if (!present(query.stageId)) throw new ValidationError('stageId is required: the stage whose newest reports are searched (develop, source, build, stage-release, release or operate)');
  const stageId = checkStage(query.stageId);
  const { test, criteria } = searchTest(query);
  const { applications: visible } = await visibleOwners(ctx.store, principal, 'READ');
  const results: ComponentSearchResult[] = [];
  if (visible.size) {
    const apps = await ctx.store.db.selectFrom('applications').select(['id', 'public_id', 'name']).where('id', 'in', [...visible]).execute();
    const byId = new Map(apps.map((a) => [a.id, a]));
    const reports = (await latestReports(ctx, [...visible])).filter((r) => r.stage === stageId);
    for (const report of reports) {
      const app = byId.get(report.application_id);
      if (!app) continue;
      const { data } = await getReport(ctx, report.application_id, report.id);
      const { reportHtmlUrl } = reportUrls(app.public_id, report.id);
      for (const c of data.components) {
        if (!test(c)) continue;
        const open = c.violations.filter((v) => !v.waived);
        const result: ComponentSearchResult = {
          applicationId: app.public_id,
          applicationName: app.name,
          reportUrl: reportHtmlUrl,
          reportHtmlUrl,
          hash: c.hash,
          threatLevel: open.reduce((max, v) => Math.max(max, v.policyThreatLevel), 0),
        };
        if (c.componentIdentifier) result.componentIdentifier = c.componentIdentifier;
        if (c.packageUrl) result.packageUrl = c.packageUrl;
        if (c.dependency) result.dependencyData = { directDependency: c.dependency.direct, innerSource: false, parentComponentPurls: c.dependency.parentPackageUrls };
        results.push(result);
      }
    }
  }
  results.sort((a, b) => a.applicationName.localeCompare(b.applicationName) || (a.packageUrl ?? a.hash).localeCompare(b.packageUrl ?? b.hash));
  return { criteria: { stageId, ...criteria }, results };
}
