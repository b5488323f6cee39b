import { Anchor, Badge, Code, Divider, Drawer, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { type VersionChange, useRemediation } from '../../api/queries';
import type { LicenseRef } from '../../api/types';
import { ErrorAlert, ThreatBadge } from '../../lib/bits';
import type { ComponentRow } from '../../lib/report-model';
import { ScoreBadge } from './tabs';

const REMEDIATION_LABELS: Record<string, string> = {
  'next-no-violations': 'Next version without policy violations',
  'next-non-failing': 'Next version that does not fail this stage',
  'next-no-violations-with-dependencies': 'Next version without violations (with its dependencies)',
  'next-non-failing-with-dependencies': 'Next non-failing version (with its dependencies)',
};

/** Everything the report knows of one component, and the version that would clear its violations. */
export function ComponentDrawer({ component, onClose, applicationId, stage }: { component: ComponentRow | null; onClose: () => void; applicationId?: string; stage?: string }) {
  return (
    <Drawer opened={component !== null} onClose={onClose} position="right" size="xl" title={component ? <DrawerTitle row={component} /> : ''} closeButtonProps={{ 'aria-label': 'Close the component' }}>
      {component && <DrawerBody row={component} applicationId={applicationId} stage={stage} />}
    </Drawer>
  );
}

function DrawerTitle({ row }: { row: ComponentRow }) {
  return (
    <Group gap="xs">
      <ThreatBadge level={row.threat} />
      <Title order={2} size="h4">
        {row.name} {row.version}
      </Title>
    </Group>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-label={title}>
      <Title order={3} size="h5" mb={6}>
        {title}
      </Title>
      {children}
    </section>
  );
}

function licenseList(refs: LicenseRef[] | undefined): string {
  return (refs ?? []).map((l) => (l.licenseName && l.licenseName !== l.licenseId ? `${l.licenseId} (${l.licenseName})` : l.licenseId)).join(', ') || '—';
}

function DrawerBody({ row, applicationId, stage }: { row: ComponentRow; applicationId?: string; stage?: string }) {
  const licenses = row.raw.licenseData;
  const coordinates = row.raw.componentIdentifier?.coordinates ?? {};
  return (
    <Stack gap="lg">
      <Section title="Identity">
        <Table variant="vertical" withTableBorder layout="fixed">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={160}>Format</Table.Th>
              <Table.Td>{row.format || '—'}</Table.Td>
            </Table.Tr>
            {Object.entries(coordinates).map(([k, value]) => (
              <Table.Tr key={k}>
                <Table.Th>{k}</Table.Th>
                <Table.Td className="mono">{value}</Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr>
              <Table.Th>Package URL</Table.Th>
              <Table.Td className="mono" style={{ wordBreak: 'break-all' }}>
                {row.packageUrl || '—'}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Hash</Table.Th>
              <Table.Td className="mono">{row.hash || '—'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Dependency</Table.Th>
              <Table.Td>{row.direct === undefined ? 'unknown' : row.direct ? 'direct' : 'transitive'}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Match</Table.Th>
              <Table.Td>{row.matchState || '—'}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Section>

      <Section title="Licenses">
        <Table variant="vertical" withTableBorder layout="fixed">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={160}>Effective</Table.Th>
              <Table.Td>{licenseList(licenses?.effectiveLicenses)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Declared</Table.Th>
              <Table.Td>{licenseList(licenses?.declaredLicenses)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>Observed</Table.Th>
              <Table.Td>{licenseList(licenses?.observedLicenses)}</Table.Td>
            </Table.Tr>
            {(licenses?.overriddenLicenses?.length ?? 0) > 0 && (
              <Table.Tr>
                <Table.Th>Overridden</Table.Th>
                <Table.Td>{licenseList(licenses?.overriddenLicenses)}</Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </Section>

      <Section title={`Vulnerabilities (${row.issues.length})`}>
        {row.issues.length === 0 ? (
          <Text size="sm" c="dimmed">
            No known vulnerabilities.
          </Text>
        ) : (
          <Stack gap="xs">
            {row.issues.map((issue) => (
              <div key={issue.reference} style={{ borderLeft: '3px solid var(--mantine-color-gray-3)', paddingLeft: 10 }}>
                <Group gap="xs">
                  <ScoreBadge score={issue.severity} />
                  {issue.url ? (
                    <Anchor href={issue.url} target="_blank" rel="noreferrer noopener" fw={600}>
                      {issue.reference}
                    </Anchor>
                  ) : (
                    <Text fw={600}>{issue.reference}</Text>
                  )}
                  {issue.threatCategory && <Badge variant="light">{issue.threatCategory}</Badge>}
                  {issue.status && <Badge variant="outline" color="gray">{issue.status}</Badge>}
                </Group>
                <Text size="xs" c="dimmed" mt={2}>
                  Source {issue.source ?? '—'}
                  {issue.cvssVectorSource ? ` · score from ${issue.cvssVectorSource}` : ''}
                </Text>
                {issue.cvssVector && <Code block={false}>{issue.cvssVector}</Code>}
              </div>
            ))}
          </Stack>
        )}
      </Section>

      <Section title={`Policy violations (${row.violations.length})`}>
        {row.violations.length === 0 ? (
          <Text size="sm" c="dimmed">
            No policy violations.
          </Text>
        ) : (
          <Stack gap="sm">
            {row.violations.map((v) => (
              <div key={v.policyViolationId}>
                <Group gap="xs">
                  <ThreatBadge level={v.policyThreatLevel} />
                  <Text fw={600}>{v.policyName}</Text>
                  {v.waived && <Badge color="gray">waived</Badge>}
                  {v.grandfathered && <Badge color="gray">legacy</Badge>}
                </Group>
                {(v.constraints ?? []).map((constraint) => (
                  <div key={constraint.constraintId} style={{ marginLeft: 8, marginTop: 4 }}>
                    <Text size="sm" fw={500}>
                      Constraint: {constraint.constraintName}
                    </Text>
                    <ul style={{ margin: '2px 0 0 0', paddingLeft: 20 }}>
                      {(constraint.conditions ?? []).map((k) => (
                        <li key={`${k.conditionSummary}\n${k.conditionReason ?? ''}`}>
                          <Text size="sm">
                            {k.conditionSummary}
                            {k.conditionReason ? <Text span c="dimmed" size="sm">{` — ${k.conditionReason}`}</Text> : null}
                          </Text>
                        </li>
                      ))}
                    </ul>
                  </div>
                ))}
              </div>
            ))}
          </Stack>
        )}
      </Section>

      <Divider />
      <Section title="Remediation">
        <Remediation applicationId={applicationId} stage={stage} packageUrl={row.packageUrl || undefined} hasViolations={row.violations.length > 0} />
      </Section>
    </Stack>
  );
}

function Remediation({ applicationId, stage, packageUrl, hasViolations }: { applicationId?: string; stage?: string; packageUrl?: string; hasViolations: boolean }) {
  const remediation = useRemediation(hasViolations ? applicationId : undefined, stage, packageUrl);
  if (!hasViolations) return <Text size="sm" c="dimmed">Nothing to remediate: this component violates no policy.</Text>;
  if (!packageUrl) return <Text size="sm" c="dimmed">Without a package URL no other versions can be looked up.</Text>;
  if (remediation.isPending) return <Loader size="sm" aria-label="Looking for versions that clear the violations" />;
  if (remediation.error) return <ErrorAlert error={remediation.error} />;
  const changes: VersionChange[] = remediation.data ?? [];
  if (changes.length === 0) return <Text size="sm">No known version of this component clears its violations (or its registry could not be asked).</Text>;
  return (
    <Stack gap={4}>
      {changes.map((change) => (
        <Group key={change.type} gap="xs">
          <Text size="sm">{REMEDIATION_LABELS[change.type] ?? change.type}:</Text>
          <Text size="sm" fw={600} className="mono">
            {change.data.component.componentIdentifier?.coordinates.version ?? change.data.component.packageUrl}
          </Text>
        </Group>
      ))}
    </Stack>
  );
}
