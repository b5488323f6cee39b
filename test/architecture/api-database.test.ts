import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

/** docs/ARCHITECTURE.md: api handlers reach the database through services only. */
const API = fileURLToPath(new URL('../../src/api/', import.meta.url));

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

it('no route module queries the database or imports the store', () => {
  const touching = sources(API).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    const found = [
      /\bstore\.db\b/.test(text) && 'store.db',
      /from '(\.\.\/)+store\//.test(text) && 'an import from store/',
      /from 'kysely'/.test(text) && 'an import from kysely',
      /\.(selectFrom|insertInto|updateTable|deleteFrom)\(/.test(text) && 'a query',
    ].filter(Boolean);
    return found.length ? [`${file.slice(API.length)}: ${found.join(', ')}`] : [];
  });
  expect(touching).toEqual([]);
});
