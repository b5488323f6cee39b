import { Alert, Badge, Grid, Group, Loader, NavLink, Paper, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDeferredValue, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useApplication, useLatestReports, useReportHistory, useTree } from '../api/queries';
import type { Application, LatestReport, ReportResult } from '../api/types';
import { ActionBadge, ErrorAlert, formatDate } from '../lib/bits';
import { policyAction } from '../lib/report-model';
import { type OrgNode, buildTree } from '../lib/tree';

/** The organization tree beside the selected application: its latest report per stage and its history. */
export function OrganizationsPage() {
  const { publicId } = useParams();
  return (
    <Grid gutter="md">
      <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
        <TreePanel selected={publicId} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>{publicId ? <ApplicationPanel publicId={publicId} /> : <Welcome />}</Grid.Col>
    </Grid>
  );
}

function Welcome() {
  return (
    <Paper withBorder p="xl">
      <Title order={2} size="h3">
        Organizations and applications
      </Title>
      <Text c="dimmed" mt="xs">
        Choose an application in the tree to see its latest report of each stage and its report history.
      </Text>
    </Paper>
  );
}

function TreePanel({ selected }: { selected?: string }) {
  const tree = useTree();
  const [filter, setFilter] = useState('');
  const deferred = useDeferredValue(filter);
  const roots = useMemo(() => (tree.data ? buildTree(tree.data.organizations, tree.data.applications, deferred) : []), [tree.data, deferred]);
  return (
    <Paper withBorder p="sm" component="section" aria-label="Organizations and applications">
      <TextInput label="Find an application" placeholder="Name or public id" value={filter} onChange={(e) => setFilter(e.currentTarget.value)} mb="xs" />
      {tree.isPending && <Loader size="sm" aria-label="Loading the tree" />}
      {tree.error && <ErrorAlert error={tree.error} />}
      <ScrollArea.Autosize mah="calc(100vh - 200px)">
        {roots.map((node) => (
          <OrgBranch key={node.organization.id} node={node} selected={selected} />
        ))}
        {tree.data && roots.length === 0 && (
          <Text size="sm" c="dimmed">
            {deferred ? 'No application matches.' : 'No organizations you may see.'}
          </Text>
        )}
      </ScrollArea.Autosize>
    </Paper>
  );
}

function OrgBranch({ node, selected }: { node: OrgNode; selected?: string }) {
  return (
    <NavLink
      label={node.organization.name}
      description={`${node.total} application${node.total === 1 ? '' : 's'}`}
      defaultOpened
      childrenOffset="sm"
      aria-label={`Organization ${node.organization.name}`}
    >
      {node.children.map((child) => (
        <OrgBranch key={child.organization.id} node={child} selected={selected} />
      ))}
      {node.applications.map((app) => (
        <NavLink key={app.id} component={Link} to={`/applications/${encodeURIComponent(app.publicId)}`} label={app.name} description={app.publicId} active={app.publicId === selected} />
      ))}
    </NavLink>
  );
}

function ApplicationPanel({ publicId }: { publicId: string }) {
  const application = useApplication(publicId);
  const app = application.data;
  const latest = useLatestReports(app?.id);
  const history = useReportHistory(app?.id);
  if (application.isPending) return <Loader aria-label="Loading the application" />;
  if (application.error) return <ErrorAlert error={application.error} />;
  if (!app) return <Alert color="yellow">No application {publicId} that you may see.</Alert>;
  // The newest report of each stage, with its result read from the history (same scan ids).
  const results = new Map((history.data ?? []).map((r) => [r.scanId, r]));
  const latestRows = (latest.data ?? []).map((l) => ({ latest: l, result: results.get(l.reportDataUrl.split('/').at(-2) ?? '') }));
  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h3">
              {app.name}
            </Title>
            <Text c="dimmed" size="sm">
              Public id <span className="mono">{app.publicId}</span>
              {app.contactUserName ? ` · contact ${app.contactUserName}` : ''}
            </Text>
          </div>
        </Group>
      </Paper>
      <Paper withBorder p="md" component="section" aria-label="Latest reports">
        <Title order={3} size="h4" mb="sm">
          Latest report of each stage
        </Title>
        {latest.isPending || history.isPending ? (
          <Loader size="sm" />
        ) : latest.error ? (
          <ErrorAlert error={latest.error} />
        ) : latestRows.length === 0 ? (
          <Text c="dimmed">No reports yet: evaluate the application (for example with tollgate evaluate) to see one here.</Text>
        ) : (
          <ReportTable publicId={app.publicId} reports={latestRows.map((r) => r.result ?? fallbackResult(r.latest))} />
        )}
      </Paper>
      <Paper withBorder p="md" component="section" aria-label="Report history">
        <Title order={3} size="h4" mb="sm">
          History
        </Title>
        {history.isPending ? <Loader size="sm" /> : history.error ? <ErrorAlert error={history.error} /> : <ReportTable publicId={app.publicId} reports={history.data ?? []} showCommit />}
      </Paper>
    </Stack>
  );
}

function fallbackResult(latest: LatestReport): ReportResult {
  return {
    applicationId: latest.applicationId,
    stage: latest.stage,
    evaluationDate: latest.evaluationDate,
    scanId: latest.tollgate?.scanId ?? latest.reportDataUrl.split('/').at(-2) ?? '',
    tollgate: latest.tollgate,
  };
}

function ReportTable({ publicId, reports, showCommit = false }: { publicId: string; reports: ReportResult[]; showCommit?: boolean }) {
  if (reports.length === 0) return <Text c="dimmed">No reports yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Evaluated</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Violations (critical · severe · moderate)</Table.Th>
            <Table.Th>Components</Table.Th>
            {showCommit && <Table.Th>Commit</Table.Th>}
            <Table.Th>Report</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {reports.map((r) => {
            const p = r.policyEvaluationResult;
            return (
              <Table.Tr key={r.scanId}>
                <Table.Td>{r.stage}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(r.evaluationDate)}</Table.Td>
                <Table.Td>{p || r.tollgate ? <ActionBadge action={policyAction(r)} /> : '—'}</Table.Td>
                <Table.Td>
                  {p ? (
                    <Group gap={4}>
                      <Badge color="red" variant="light">
                        {p.criticalPolicyViolationCount ?? 0}
                      </Badge>
                      <Badge color="orange" variant="light">
                        {p.severePolicyViolationCount ?? 0}
                      </Badge>
                      <Badge color="yellow" variant="light">
                        {p.moderatePolicyViolationCount ?? 0}
                      </Badge>
                    </Group>
                  ) : (
                    '—'
                  )}
                </Table.Td>
                <Table.Td>{p?.totalComponentCount ?? '—'}</Table.Td>
                {showCommit && <Table.Td className="mono">{r.commitHash?.slice(0, 10) ?? ''}</Table.Td>}
                <Table.Td>
                  <Link to={`/applications/${encodeURIComponent(publicId)}/reports/${encodeURIComponent(r.scanId)}`} aria-label={`Open the ${r.stage} report of ${formatDate(r.evaluationDate)}`}>
                    Open report
                  </Link>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export type { Application };
