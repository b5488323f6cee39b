import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { renderReportHtml } from '../evaluation/html.js';
import { authenticate } from '../http/auth.js';
import { webUiBuilt } from '../http/web.js';
import { applicationPublicIdParam, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { NotFoundError, ValidationError } from '../core/errors.js';
import { applicationCategoryIds } from '../services/policies/policies.js';
import { getReport, latestReportOfCommit, reportHistory, reportRequester } from '../services/reports/reports.js';
import { dependencyTreeDTO, policyDataDTO, rawDataDTO, violationDiffDTO } from '../services/reports/report-views.js';
import { PlainText, errorResponses } from './dto/common.js';
import { DependencyTreeDTO, PolicyViolationDiffDTO, ReportPolicyDataDTO, ReportRawDataDTO } from './dto/evaluation.js';

const tags = ['Application Report Data'];
const ReportParams = Type.Object({ applicationPublicId: Type.String(), scanId: Type.String() });
const named = applicationPublicIdParam('applicationPublicId');
const permission = requires('READ', named);

export default async function reportDataRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/applications/:applicationPublicId/reports/:scanId/raw',
    {
      schema: {
        tags,
        summary: 'The components of a report with their licenses and vulnerabilities',
        params: ReportParams,
        querystring: Type.Object({ includeCustomSecurityVulnerabilityData: Type.Optional(Type.Boolean()) }),
        response: { 200: ReportRawDataDTO, ...errorResponses },
      },
      config: { partial: 'no custom security vulnerability data, pathnames or SWID tags', permission },
    },
    async (request) => {
      const application = await named.of(request);
      const { data } = await getReport(app.ctx, application.id, request.params.scanId);
      return rawDataDTO(data);
    },
  );

  app.get(
    '/api/v2/applications/:applicationPublicId/reports/:scanId',
    {
      schema: {
        tags,
        summary: 'The older spelling of …/raw: redirects there',
        params: ReportParams,
        response: { 307: Type.Null(), ...errorResponses },
      },
      config: { permission },
    },
    async (request, reply) => {
      const { applicationPublicId, scanId } = request.params;
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/api/v2/applications/${encodeURIComponent(applicationPublicId)}/reports/${encodeURIComponent(scanId)}/raw${query}`, 307);
    },
  );

  app.get(
    '/api/v2/applications/:applicationPublicId/reports/:scanId/policy',
    {
      schema: {
        tags,
        summary: 'The policy violations of each component of a report',
        params: ReportParams,
        querystring: Type.Object({ includeViolationTimes: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: ReportPolicyDataDTO, ...errorResponses },
      },
      config: { partial: 'no commit hash; violation times are the report time', permission },
    },
    async (request) => {
      const application = await named.of(request);
      const { row, data } = await getReport(app.ctx, application.id, request.params.scanId);
      const by = await reportRequester(app.ctx, row.id);
      return policyDataDTO(
        {
          id: application.id,
          publicId: application.public_id,
          name: application.name,
          organizationId: application.organization_id,
          contactUserName: application.contact_user_name,
        },
        row,
        data,
        by ?? 'Tollgate',
        request.query.includeViolationTimes === true,
      );
    },
  );

  app.get(
    '/api/v2/applications/:applicationPublicId/reports/:scanId/dependencyTree',
    {
      schema: {
        tags,
        summary: 'The dependency tree of a report: direct dependencies and theirs below them',
        params: ReportParams,
        response: { 200: DependencyTreeDTO, ...errorResponses },
      },
      config: { permission },
    },
    async (request) => {
      const application = await named.of(request);
      const { data } = await getReport(app.ctx, application.id, request.params.scanId);
      const tree = dependencyTreeDTO(data);
      if (!tree) throw new NotFoundError('This report has no dependency data: its input listed no dependencies');
      return tree;
    },
  );

  app.get(
    '/api/v2/applications/:applicationPublicId/reports/policyViolations/diff',
    {
      schema: {
        tags,
        summary: 'The policy violations added, removed and kept between two evaluations',
        params: Type.Object({ applicationPublicId: Type.String() }),
        querystring: Type.Object({
          fromCommit: Type.String(),
          toCommit: Type.String(),
          fromPolicyEvaluationId: Type.Optional(Type.String()),
          toPolicyEvaluationId: Type.Optional(Type.String()),
          includeViolationTimes: Type.Optional(Type.Boolean({ default: false })),
        }),
        response: { 200: PolicyViolationDiffDTO, ...errorResponses },
      },
      config: { partial: 'commits are known for scans submitted with Tollgate’s ?commitHash=; otherwise name the evaluations by fromPolicyEvaluationId and toPolicyEvaluationId (scan ids)', permission },
    },
    async (request) => {
      const application = await named.of(request);
      const q = request.query;
      // An evaluation id names the report; else the newest report scanned with the commit.
      const find = async (evaluationId: string | undefined, commit: string, which: string) => {
        if (evaluationId) return getReport(app.ctx, application.id, evaluationId);
        const hash = commit.trim().toLowerCase();
        if (!/^[0-9a-f]{4,64}$/.test(hash)) throw new ValidationError(`${which} "${commit}" is not a Git commit hash`);
        const row = await latestReportOfCommit(app.ctx, application.id, hash);
        if (!row) {
          throw new NotFoundError(
            `No evaluation of ${application.public_id} is linked to commit ${commit}: scan with ?commitHash=, or give the scan id as ${which === 'fromCommit' ? 'fromPolicyEvaluationId' : 'toPolicyEvaluationId'}`,
          );
        }
        return getReport(app.ctx, application.id, row.id);
      };
      const from = await find(q.fromPolicyEvaluationId, q.fromCommit, 'fromCommit');
      const to = await find(q.toPolicyEvaluationId, q.toCommit, 'toCommit');
      const categoryIds = await applicationCategoryIds(app.ctx, application.id);
      const dto: Record<string, unknown> = {
        id: application.id,
        publicId: application.public_id,
        name: application.name,
        organizationId: application.organization_id,
        applicationTags: categoryIds.map((tagId) => ({ applicationId: application.id, tagId })),
      };
      if (application.contact_user_name) dto.contactUserName = application.contact_user_name;
      return violationDiffDTO(
        dto,
        { ...from, commitHash: q.fromCommit, publicId: application.public_id },
        { ...to, commitHash: q.toCommit, publicId: application.public_id },
        app.ctx.now().toISOString(),
        q.includeViolationTimes === true,
      );
    },
  );

  // The report page reportHtmlUrl names. A browser (it asks for HTML and sends no Basic
  // credentials) is sent to the report in the web UI, which signs it in first if needed and then
  // shows the report. Other callers get the server-rendered page, as before: outside /api/, so these
  // routes authenticate themselves; READ on the application as for the report data.
  const authenticatePage = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = request.params as { applicationPublicId: string; scanId?: string };
    const embeddable = request.url.split('?')[0].endsWith('/embeddable');
    if (!embeddable && !request.headers.authorization && /text\/html/.test(String(request.headers.accept ?? '')) && webUiBuilt()) {
      const app = `/applications/${encodeURIComponent(params.applicationPublicId)}`;
      return reply.redirect(params.scanId ? `${app}/reports/${encodeURIComponent(params.scanId)}` : app, 302);
    }
    request.principal = await authenticate(app.ctx, request);
  };
  const pageConfig = { tollgate: true, permission };
  const page = async (request: FastifyRequest, reply: FastifyReply, which: { publicId: string; scanId?: string; embeddable?: boolean }) => {
    const application = await named.of(request);
    let scanId = which.scanId;
    if (!scanId) {
      scanId = (await reportHistory(app.ctx, application.id, { limit: 1 }))[0]?.id;
      if (!scanId) throw new NotFoundError(`Application ${which.publicId} has no reports yet`);
    }
    const { row, data } = await getReport(app.ctx, application.id, scanId);
    const html = renderReportHtml({
      applicationName: application.name,
      applicationPublicId: application.public_id,
      reportId: row.id,
      stage: row.stage,
      evaluationDate: row.created_at,
      policyAction: row.policy_action,
      source: row.source,
      data,
    });
    return reply
      .type('text/html; charset=utf-8')
      // The embeddable variant exists to be shown inside a CI tool's page: any site may frame it. It
      // is read-only (no form, link target or script), so framing cannot trick anyone into acting.
      .header('Content-Security-Policy', `default-src 'none'; style-src 'unsafe-inline'${which.embeddable ? '; frame-ancestors *' : ''}`)
      .header('X-Content-Type-Options', 'nosniff')
      .send(html);
  };
  const htmlSchema = (summary: string, params: ReturnType<typeof Type.Object>) => ({
    tags: ['Tollgate Report Pages'],
    summary,
    params,
    response: { 200: Type.String({ description: 'an HTML page' }), 401: PlainText, 403: PlainText, 404: PlainText },
  });
  const PageParams = Type.Object({ applicationPublicId: Type.String(), scanId: Type.String() });
  for (const suffix of ['', '/embeddable']) {
    app.get(
      `/ui/links/application/:applicationPublicId/report/:scanId${suffix}`,
      { schema: htmlSchema('A report as a web page', PageParams), onRequest: authenticatePage, config: pageConfig },
      async (request, reply) => {
        const params = request.params as { applicationPublicId: string; scanId: string };
        return page(request, reply, { publicId: params.applicationPublicId, scanId: params.scanId, embeddable: suffix !== '' });
      },
    );
  }
  app.get(
    '/ui/links/application/:applicationPublicId/latestReport',
    {
      schema: htmlSchema('The newest report of an application as a web page', Type.Object({ applicationPublicId: Type.String() })),
      onRequest: authenticatePage,
      config: pageConfig,
    },
    async (request, reply) => page(request, reply, { publicId: (request.params as { applicationPublicId: string }).applicationPublicId }),
  );
}
