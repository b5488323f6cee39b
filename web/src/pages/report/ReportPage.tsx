import { Anchor, Badge, Breadcrumbs, Checkbox, Group, Loader, Paper, SegmentedControl, Select, SimpleGrid, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApplication, useLatestReports, useReport, useReportHistory } from '../../api/queries';
import { ACTION_COLORS, ActionBadge, ErrorAlert, formatDate, plural } from '../../lib/bits';
import { type ComponentRow, NO_FILTER, type RowFilter, buildRows, countRows, filterRows, policyAction } from '../../lib/report-model';
import { ComponentDrawer } from './ComponentDrawer';
import { ComponentsTab, IssuesTab, LicensesTab, ViolationsTab } from './tabs';

/** IQ's application composition report: the summary, then tabs over the components, all filtered alike. */
export function ReportPage() {
  const { publicId = '', scanId = '' } = useParams();
  const application = useApplication(publicId);
  const app = application.data ?? undefined;
  const history = useReportHistory(app?.id);
  const latest = useLatestReports(app?.id);
  const report = useReport(publicId, scanId);
  const rows = useMemo(() => (report.data ? buildRows(report.data.raw, report.data.policy) : []), [report.data]);
  const [filter, setFilter] = useState<RowFilter>(NO_FILTER);
  // Typing stays responsive: the table follows the deferred value.
  const deferredFilter = useDeferredValue(filter);
  const shown = useMemo(() => filterRows(rows, deferredFilter), [rows, deferredFilter]);
  const counts = useMemo(() => countRows(rows), [rows]);
  const [open, setOpen] = useState<ComponentRow | null>(null);
  const [tab, setTab] = useState<string | null>('violations');

  const thisReport = history.data?.find((r) => r.scanId === scanId);
  const results = new Map((history.data ?? []).map((r) => [r.scanId, r]));
  const stages = (latest.data ?? []).map((l) => {
    const id = l.tollgate?.scanId ?? l.reportDataUrl.split('/').at(-2) ?? '';
    return { stage: l.stage, scanId: id, action: l.tollgate ? policyAction(l) : results.has(id) ? policyAction(results.get(id)) : undefined };
  });

  if (report.error) return <ErrorAlert error={report.error} />;
  if (report.isPending || application.isPending) return <Loader aria-label="Loading the report" />;

  return (
    <Stack gap="md">
      <Breadcrumbs>
        <Anchor component={Link} to="/">
          Organizations and applications
        </Anchor>
        <Anchor component={Link} to={`/applications/${encodeURIComponent(publicId)}`}>
          {app?.name ?? publicId}
        </Anchor>
        <Text size="sm">Report</Text>
      </Breadcrumbs>
      <Paper withBorder p="md" component="section" aria-label="Summary">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={1} size="h3">
              {app?.name ?? publicId} — application report
            </Title>
            <Text c="dimmed" size="sm">
              {thisReport ? `${thisReport.stage} stage · ` : ''}evaluated {formatDate(report.data.policy.reportTime)}
              {report.data.policy.commitHash ? ` · commit ${report.data.policy.commitHash.slice(0, 10)}` : ''} · by {report.data.policy.initiator}
            </Text>
          </div>
          {thisReport && (
            <Group gap="xs">
              <Text size="sm">Policy action</Text>
              <ActionBadge action={policyAction(thisReport)} />
            </Group>
          )}
        </Group>
        {stages.length > 0 && (
          <Group gap="xs" mt="sm" aria-label="Action per stage">
            <Text size="sm" fw={500}>
              Latest per stage:
            </Text>
            {stages.map((s) => (
              <Anchor key={s.stage} component={Link} to={`/applications/${encodeURIComponent(publicId)}/reports/${encodeURIComponent(s.scanId)}`} underline="never">
                <Badge variant={s.scanId === scanId ? 'filled' : 'outline'} color={s.action ? ACTION_COLORS[s.action] : 'gray'} aria-current={s.scanId === scanId ? 'page' : undefined}>
                  {s.stage}: {s.action === 'None' ? 'Pass' : (s.action ?? 'unknown')}
                </Badge>
              </Anchor>
            ))}
          </Group>
        )}
        <SimpleGrid cols={{ base: 2, md: 4 }} mt="md">
          <Stat label="Components" value={counts.components} detail={`${counts.direct.toLocaleString()} direct · ${report.data.raw.matchSummary.knownComponentCount.toLocaleString()} identified`} />
          <Stat
            label="Open policy violations"
            value={counts.openViolations}
            detail={`${counts.bands.critical} critical · ${counts.bands.severe} severe · ${counts.bands.moderate} moderate · ${counts.bands.low} low${counts.waivedViolations ? ` · ${counts.waivedViolations} waived` : ''}`}
          />
          <Stat label="Security issues" value={counts.vulnerabilities} detail={`in ${plural(counts.vulnerableComponents, 'component')}`} />
          <Stat label="Licenses" value={counts.licenses} detail={`${plural(counts.withViolations, 'component')} with violations`} />
        </SimpleGrid>
      </Paper>
      <FilterBar filter={filter} onChange={setFilter} shown={shown.length} total={rows.length} />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="violations">Policy violations</Tabs.Tab>
          <Tabs.Tab value="security">Security issues</Tabs.Tab>
          <Tabs.Tab value="licenses">Licenses</Tabs.Tab>
          <Tabs.Tab value="components">Components</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="violations" pt="sm">
          <ViolationsTab rows={shown} onOpen={setOpen} />
        </Tabs.Panel>
        <Tabs.Panel value="security" pt="sm">
          <IssuesTab rows={shown} onOpen={setOpen} />
        </Tabs.Panel>
        <Tabs.Panel value="licenses" pt="sm">
          <LicensesTab
            rows={shown}
            onPick={(license) => {
              setFilter({ ...filter, text: license.startsWith('(') ? '' : license });
              setTab('components');
            }}
          />
        </Tabs.Panel>
        <Tabs.Panel value="components" pt="sm">
          <ComponentsTab rows={shown} onOpen={setOpen} />
        </Tabs.Panel>
      </Tabs>
      <ComponentDrawer component={open} onClose={() => setOpen(null)} applicationId={app?.id} stage={thisReport?.stage} />
    </Stack>
  );
}

function Stat({ label, value, detail }: { label: string; value: number; detail: string }) {
  return (
    <Paper withBorder p="sm" bg="gray.0">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value.toLocaleString()}
      </Text>
      <Text size="xs" c="dimmed">
        {detail}
      </Text>
    </Paper>
  );
}

const THREATS = [
  { value: '0', label: 'Any' },
  { value: '1', label: 'Low and above' },
  { value: '2', label: 'Moderate and above' },
  { value: '4', label: 'Severe and above' },
  { value: '8', label: 'Critical' },
];

function FilterBar({ filter, onChange, shown, total }: { filter: RowFilter; onChange: (f: RowFilter) => void; shown: number; total: number }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label="Filter the report">
      <Group align="flex-end" gap="md">
        <TextInput
          label="Search components"
          placeholder="Name, version, package URL, license, CVE…"
          value={filter.text}
          onChange={(e) => onChange({ ...filter, text: e.currentTarget.value })}
          style={{ flex: '1 1 260px' }}
        />
        <Select label="Violation threat" data={THREATS} value={String(filter.minThreat)} onChange={(v) => onChange({ ...filter, minThreat: Number(v ?? 0) })} allowDeselect={false} w={200} />
        <div>
          <Text size="sm" fw={500} mb={4} id="dependency-label">
            Dependency
          </Text>
          <SegmentedControl
            aria-labelledby="dependency-label"
            value={filter.dependency}
            onChange={(v) => onChange({ ...filter, dependency: v as RowFilter['dependency'] })}
            data={[
              { value: 'all', label: 'All' },
              { value: 'direct', label: 'Direct' },
              { value: 'transitive', label: 'Transitive' },
            ]}
          />
        </div>
        <Checkbox label="With vulnerabilities" checked={filter.vulnerable} onChange={(e) => onChange({ ...filter, vulnerable: e.currentTarget.checked })} mb={8} />
        <Text size="sm" c="dimmed" mb={8} aria-live="polite">
          {shown === total ? `${total.toLocaleString()} components` : `${shown.toLocaleString()} of ${total.toLocaleString()} components`}
        </Text>
      </Group>
    </Paper>
  );
}
