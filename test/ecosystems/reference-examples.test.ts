import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ComponentIdentifier, displayName, fromPackageUrl, toPackageUrl } from '../../src/ecosystems/identity.js';

/**
 * The component examples of the product documents (../shared/seeds): every JSON object there that
 * carries both a componentIdentifier and a packageUrl must round-trip exactly, coordinates in the
 * same order, display name as shown.
 */
const SEEDS = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

interface Example {
  componentIdentifier: ComponentIdentifier;
  packageUrl: string;
  displayName?: string;
}

/** Every parsable JSON object that starts a line of the text. */
function jsonObjects(text: string): unknown[] {
  const found: unknown[] = [];
  for (const match of text.matchAll(/^[ \t]*\{/gm)) {
    const start = (match.index ?? 0) + match[0].length - 1;
    const end = matchingBrace(text, start);
    if (end < 0) continue;
    try {
      found.push(JSON.parse(text.slice(start, end + 1)));
    } catch {
      // Prose, a truncated example or a curl payload with a typo: not an example to check.
    }
  }
  return found;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth++;
    else if (ch === '}' && --depth === 0) return i;
  }
  return -1;
}

function examplesIn(value: unknown, into: Example[]): Example[] {
  if (Array.isArray(value)) {
    for (const item of value) examplesIn(item, into);
  } else if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record.componentIdentifier && typeof record.packageUrl === 'string') into.push(record as unknown as Example);
    for (const item of Object.values(record)) examplesIn(item, into);
  }
  return into;
}

const available = existsSync(SEEDS);
if (!available) console.info(`Skipping the seed examples: ${SEEDS} is absent`);

describe.skipIf(!available)('component examples of the product documents', () => {
  const examples = available
    ? readdirSync(SEEDS)
        .filter((file) => file.endsWith('.txt'))
        .flatMap((file) => jsonObjects(readFileSync(SEEDS + file, 'utf8')).flatMap((object) => examplesIn(object, [])))
    : [];
  const unique = [...new Map(examples.map((example) => [JSON.stringify(example), example])).values()];

  it('finds the examples (maven with and without classifier, a-name, npm)', () => {
    const formats = unique.map((example) => example.componentIdentifier.format);
    expect(formats).toEqual(expect.arrayContaining(['maven', 'a-name', 'npm']));
    expect(unique.length).toBeGreaterThanOrEqual(5);
  });

  it.each(unique.map((example) => [example.packageUrl, example]))('%s', (_purl, example) => {
    expect(toPackageUrl(example.componentIdentifier)).toBe(example.packageUrl);
    const identifier = fromPackageUrl(example.packageUrl);
    expect(JSON.stringify(identifier)).toBe(JSON.stringify(example.componentIdentifier));
    if (example.displayName) expect(displayName(example.componentIdentifier)).toBe(example.displayName);
  });
});
