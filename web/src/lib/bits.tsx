import { Alert, Badge } from '@mantine/core';
import { ApiError } from '../api/client';
import { BAND_COLORS, threatBand } from './report-model';

export function formatDate(iso: string | number | undefined): string {
  if (iso === undefined) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export const ACTION_COLORS: Record<string, string> = { Failure: 'red', Warning: 'orange', None: 'green' };

export function ActionBadge({ action }: { action: string }) {
  return (
    <Badge color={ACTION_COLORS[action] ?? 'gray'} variant="filled">
      {action === 'None' ? 'Pass' : action}
    </Badge>
  );
}

export function ThreatBadge({ level }: { level: number }) {
  if (!level) return null;
  return (
    <Badge color={BAND_COLORS[threatBand(level)]} variant="filled" miw={34} aria-label={`threat level ${level}`}>
      {level}
    </Badge>
  );
}

/** An API error in the API's words. */
export function ErrorAlert({ error }: { error: unknown }) {
  const message = error instanceof ApiError ? error.message : error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" role="alert" title={error instanceof ApiError && error.status === 404 ? 'Not found' : 'The server answered with an error'}>
      {message}
    </Alert>
  );
}

export function plural(n: number, word: string): string {
  return `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;
}
