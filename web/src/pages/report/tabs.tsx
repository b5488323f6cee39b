import { Badge, Text } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { ThreatBadge } from '../../lib/bits';
import { type ComponentRow, type IssueRow, type LicenseRow, type ViolationRow, issueRows, licenseRows, severityBand, violationRows } from '../../lib/report-model';
import { VirtualTable } from '../../lib/VirtualTable';

type Open = (row: ComponentRow) => void;

const SEVERITY_COLORS = { critical: 'red', high: 'orange', medium: 'yellow', low: 'blue', none: 'gray' } as const;

export function ScoreBadge({ score }: { score: number | undefined }) {
  if (score === undefined) return <Text size="xs" c="dimmed">unscored</Text>;
  return (
    <Badge color={SEVERITY_COLORS[severityBand(score)]} variant="light" miw={44}>
      {score.toFixed(1)}
    </Badge>
  );
}

function componentLabel(row: ComponentRow): string {
  return row.version ? `${row.name} ${row.version}` : row.name;
}

const c = createColumnHelper<ComponentRow>();
const componentColumns = [
  c.accessor('threat', { header: 'Threat', size: 80, cell: (i) => <ThreatBadge level={i.getValue()} />, sortDescFirst: true }),
  c.accessor('name', { header: 'Component', size: 300, cell: (i) => <span title={i.row.original.packageUrl}>{i.getValue()}</span> }),
  c.accessor('version', { header: 'Version', size: 130 }),
  c.accessor('format', { header: 'Format', size: 90 }),
  c.accessor((r) => (r.direct === undefined ? '' : r.direct ? 'direct' : 'transitive'), { id: 'dependency', header: 'Dependency', size: 110 }),
  c.accessor('openViolations', { header: 'Violations', size: 100, sortDescFirst: true }),
  c.accessor((r) => r.maxSeverity ?? -1, { id: 'severity', header: 'Max CVSS', size: 100, sortDescFirst: true, cell: (i) => (i.row.original.issues.length ? <ScoreBadge score={i.row.original.maxSeverity} /> : '') }),
  c.accessor((r) => r.licenses.join(', '), { id: 'licenses', header: 'Licenses', size: 200 }),
];

export function ComponentsTab({ rows, onOpen }: { rows: ComponentRow[]; onOpen: Open }) {
  return (
    <VirtualTable
      label="Components"
      data={rows}
      columns={componentColumns}
      getRowId={(r) => r.key}
      onOpen={onOpen}
      initialSorting={[{ id: 'threat', desc: true }]}
      empty="No component matches the filter."
    />
  );
}

const v = createColumnHelper<ViolationRow>();
const violationColumns = [
  v.accessor((r) => r.violation.policyThreatLevel, { id: 'threat', header: 'Threat', size: 80, sortDescFirst: true, cell: (i) => <ThreatBadge level={i.getValue()} /> }),
  v.accessor((r) => r.violation.policyName, { id: 'policy', header: 'Policy', size: 200 }),
  v.accessor((r) => componentLabel(r.component), { id: 'component', header: 'Component', size: 280 }),
  v.accessor((r) => (r.violation.waived ? 'waived' : r.violation.grandfathered ? 'legacy' : 'open'), {
    id: 'status',
    header: 'Status',
    size: 90,
    cell: (i) => (i.getValue() === 'open' ? <Badge variant="light" color="red">open</Badge> : <Badge variant="light" color="gray">{i.getValue()}</Badge>),
  }),
  v.accessor('summary', { header: 'Condition', size: 300, cell: (i) => <span title={i.getValue()}>{i.getValue()}</span> }),
];

export function ViolationsTab({ rows, onOpen }: { rows: ComponentRow[]; onOpen: Open }) {
  const data = useMemo(() => violationRows(rows), [rows]);
  return <VirtualTable label="Policy violations" data={data} columns={violationColumns} getRowId={(r) => r.key} onOpen={(r) => onOpen(r.component)} empty="No policy violations among these components." />;
}

const s = createColumnHelper<IssueRow>();
const issueColumns = [
  s.accessor((r) => r.issue.severity ?? -1, { id: 'severity', header: 'Score', size: 90, sortDescFirst: true, cell: (i) => <ScoreBadge score={i.row.original.issue.severity} /> }),
  s.accessor((r) => r.issue.reference, { id: 'reference', header: 'Vulnerability', size: 200 }),
  s.accessor((r) => componentLabel(r.component), { id: 'component', header: 'Component', size: 280 }),
  s.accessor((r) => r.issue.threatCategory ?? '', { id: 'category', header: 'Category', size: 110 }),
  s.accessor((r) => r.issue.status ?? '', { id: 'status', header: 'Status', size: 120 }),
  s.accessor((r) => r.issue.source ?? '', { id: 'source', header: 'Source', size: 120 }),
];

export function IssuesTab({ rows, onOpen }: { rows: ComponentRow[]; onOpen: Open }) {
  const data = useMemo(() => issueRows(rows), [rows]);
  return <VirtualTable label="Security issues" data={data} columns={issueColumns} getRowId={(r) => r.key} onOpen={(r) => onOpen(r.component)} empty="No security issues among these components." />;
}

const l = createColumnHelper<LicenseRow>();
const licenseColumns = [
  l.accessor('license', { header: 'License', size: 260 }),
  l.accessor((r) => r.components.length, { id: 'count', header: 'Components', size: 120, sortDescFirst: true }),
  l.accessor((r) => r.components.slice(0, 6).map(componentLabel).join(', ') + (r.components.length > 6 ? ', …' : ''), { id: 'examples', header: 'For example', size: 400 }),
];

/** Opening a license lists its components (the components tab, searched by the license). */
export function LicensesTab({ rows, onPick }: { rows: ComponentRow[]; onPick: (license: string) => void }) {
  const data = useMemo(() => licenseRows(rows), [rows]);
  return <VirtualTable label="Licenses" data={data} columns={licenseColumns} getRowId={(r) => r.license} onOpen={(r) => onPick(r.license)} empty="No licenses among these components." />;
}
