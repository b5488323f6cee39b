import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SRC } from '../helpers/import-graph.js';

/**
 * Outbound HTTP goes through core/outbound-http.ts, which honours the configured proxy and its
 * exclusions: a plain `fetch(` anywhere else in the server would skip the proxy. The command-line
 * client (cli/iq-client.ts) talks to a Tollgate or IQ server the user names, not through the server's
 * proxy configuration. Webhooks (services/webhooks/send.ts) connect directly with node:http only when
 * no proxy applies, to check every address the receiver's name resolves to before connecting
 * (fetch cannot be given a lookup); through a proxy they use outboundFetch.
 */
const ALLOWED = new Set(['core/outbound-http.ts', 'cli/iq-client.ts', 'services/webhooks/send.ts']);

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('outbound HTTP', () => {
  it('is sent through outboundFetch only', () => {
    const offenders = files(SRC)
      .map((f) => relative(SRC, f))
      .filter((f) => !ALLOWED.has(f))
      .filter((f) => {
        const code = readFileSync(join(SRC, f), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
        // A module with a function or parameter of its own named fetch calls that, not the global.
        const ownFetch = /(function\s+fetch|[(,]\s*fetch\s*[:,)]|(const|let)\s+fetch\b)/.test(code);
        return (!ownFetch && /(^|[^\w.])fetch\(/m.test(code)) || /globalThis\.fetch|from 'undici'|'node:https?'/.test(code);
      });
    expect(offenders).toEqual([]);
  });
});
