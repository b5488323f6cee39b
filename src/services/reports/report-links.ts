/**
 * Reports in the reference's shapes. URLs are relative to the server, as the reference writes them
 * (`ui/links/…`, `api/v2/…`), so clients prefix their configured server URL.
 */
export function reportUrls(publicId: string, reportId: string) {
  const p = encodeURIComponent(publicId);
  return {
    reportHtmlUrl: `ui/links/application/${p}/report/${reportId}`,
    embeddableReportHtmlUrl: `ui/links/application/${p}/report/${reportId}/embeddable`,
    reportPdfUrl: `ui/links/application/${p}/report/${reportId}/pdf`,
    reportDataUrl: `api/v2/applications/${p}/reports/${reportId}/raw`,
  };
}

export function latestReportHtmlUrl(publicId: string): string {
  return `ui/links/application/${encodeURIComponent(publicId)}/latestReport`;
}
