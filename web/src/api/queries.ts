import { useQuery } from '@tanstack/react-query';
import { api, get } from './client';
import type { Application, LatestReport, Organization, PolicyReport, RawReport, ReportResult } from './types';

const enc = encodeURIComponent;

/** Every organization and application the user may see (the reference's listings). */
export function useTree() {
  return useQuery({
    queryKey: ['tree'],
    queryFn: async () => {
      const [orgs, apps] = await Promise.all([
        get<{ organizations: Organization[] }>('/api/v2/organizations'),
        get<{ applications: Application[] }>('/api/v2/applications'),
      ]);
      return { organizations: orgs.organizations, applications: apps.applications };
    },
  });
}

export function useApplication(publicId: string | undefined) {
  return useQuery({
    queryKey: ['application', publicId],
    enabled: !!publicId,
    queryFn: async () => {
      const { applications } = await get<{ applications: Application[] }>(`/api/v2/applications?publicId=${enc(publicId!)}`);
      return applications[0] ?? null;
    },
  });
}

/** The newest report of each stage. */
export function useLatestReports(applicationId: string | undefined) {
  return useQuery({
    queryKey: ['latest-reports', applicationId],
    enabled: !!applicationId,
    queryFn: () => get<LatestReport[]>(`/api/v2/reports/applications/${enc(applicationId!)}`),
  });
}

/** The application's reports, newest first (policy results included). */
export function useReportHistory(applicationId: string | undefined, limit = 100) {
  return useQuery({
    queryKey: ['history', applicationId, limit],
    enabled: !!applicationId,
    queryFn: () => get<{ reports: ReportResult[] }>(`/api/v2/reports/applications/${enc(applicationId!)}/history?limit=${limit}`).then((r) => r.reports),
  });
}

/** A report's components (raw data) and their violations (policy data), read together. */
export function useReport(publicId: string, scanId: string) {
  return useQuery({
    queryKey: ['report', publicId, scanId],
    queryFn: async () => {
      const base = `/api/v2/applications/${enc(publicId)}/reports/${enc(scanId)}`;
      const [raw, policy] = await Promise.all([get<RawReport>(`${base}/raw`), get<PolicyReport>(`${base}/policy`)]);
      return { raw, policy };
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface VersionChange {
  type: string;
  data: { component: { packageUrl?: string; componentIdentifier?: { coordinates: Record<string, string> } } };
}

/** The versions that would clear the component's violations (component remediation). */
export function useRemediation(applicationId: string | undefined, stage: string | undefined, packageUrl: string | undefined) {
  return useQuery({
    queryKey: ['remediation', applicationId, stage, packageUrl],
    enabled: !!applicationId && !!packageUrl,
    staleTime: 5 * 60_000,
    queryFn: () =>
      api<{ remediation: { versionChanges: VersionChange[] } }>(
        'POST',
        `/api/v2/components/remediation/application/${enc(applicationId!)}${stage ? `?stageId=${enc(stage)}` : ''}`,
        { packageUrl },
      ).then((r) => r.remediation.versionChanges),
  });
}
