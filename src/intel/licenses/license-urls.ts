import { canonicalSpdxId } from './spdx-ids.js';

/**
 * License URLs as package metadata gives them (a POM's `<url>`, NuGet's `licenseUrl`) and the SPDX
 * expression each page is the text of. Only pages that hold one license's text are listed; a
 * project's own LICENSE file (github.com/…/LICENSE) says nothing by its address and is left to be
 * shown as written. Keys are compared without scheme, `www.`, query, fragment, trailing slash or
 * `.html`/`.txt`/`.php` suffix, case-insensitively.
 */
const URLS: Readonly<Record<string, string>> = {
  'apache.org/licenses/license-2.0': 'Apache-2.0',
  'apache.org/licenses/license-1.1': 'Apache-1.1',
  'opensource.org/licenses/mit-license': 'MIT',
  'opensource.org/licenses/apache2.0': 'Apache-2.0',
  'opensource.org/licenses/bsd-3-clause': 'BSD-3-Clause',
  'opensource.org/licenses/bsd-2-clause': 'BSD-2-Clause',
  'gnu.org/licenses/gpl-2.0': 'GPL-2.0-only',
  'gnu.org/licenses/old-licenses/gpl-2.0': 'GPL-2.0-only',
  'gnu.org/licenses/gpl-3.0': 'GPL-3.0-only',
  'gnu.org/licenses/lgpl-2.1': 'LGPL-2.1-only',
  'gnu.org/licenses/old-licenses/lgpl-2.1': 'LGPL-2.1-only',
  'gnu.org/licenses/lgpl-3.0': 'LGPL-3.0-only',
  'gnu.org/licenses/agpl-3.0': 'AGPL-3.0-only',
  'eclipse.org/legal/epl-v10': 'EPL-1.0',
  'eclipse.org/legal/epl-v20': 'EPL-2.0',
  'eclipse.org/legal/epl-2.0': 'EPL-2.0',
  // The Eclipse Distribution License 1.0 is the BSD 3-clause text (SPDX lists no id of its own).
  'eclipse.org/org/documents/edl-v10': 'BSD-3-Clause',
  'mozilla.org/mpl/2.0': 'MPL-2.0',
  'mozilla.org/mpl/mpl-1.1': 'MPL-1.1',
  'creativecommons.org/publicdomain/zero/1.0': 'CC0-1.0',
  'unlicense.org': 'Unlicense',
  // The Bouncy Castle licence is the MIT text with the copyright holder filled in.
  'bouncycastle.org/licence': 'MIT',
  // GlassFish / Jersey / JavaEE artifacts: a choice of CDDL or GPLv2 with the Classpath exception.
  'glassfish.dev.java.net/public/cddl+gpl': 'CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0',
  'glassfish.dev.java.net/nonav/public/cddl+gpl': 'CDDL-1.0 OR GPL-2.0-only WITH Classpath-exception-2.0',
  'glassfish.java.net/public/cddl+gpl_1_1': 'CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0',
  'oss.oracle.com/licenses/cddl+gpl-1.1': 'CDDL-1.1 OR GPL-2.0-only WITH Classpath-exception-2.0',
  'openjdk.java.net/legal/gplv2+ce': 'GPL-2.0-only WITH Classpath-exception-2.0',
};

/** Whether the text is a web address (http, https). */
export function isUrl(text: string): boolean {
  return /^https?:\/\/\S+$/i.test(text.trim());
}

function urlKey(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  const host = parsed.hostname.toLowerCase().replace(/^www\./, '');
  const path = decodeURIComponent(parsed.pathname)
    .replace(/\/+$/, '')
    .replace(/\.(html?|txt|php|md)$/i, '')
    .toLowerCase();
  return `${host}${path}`;
}

/**
 * The SPDX expression a license URL stands for: the table above, then the pages that name their
 * license in the address — `licenses.nuget.org/<expression>`, `spdx.org/licenses/<id>` and
 * `opensource.org/licenses/<id>`. Undefined for any other address.
 */
export function licenseOfUrl(url: string): string | undefined {
  const key = urlKey(url);
  if (!key) return undefined;
  const listed = URLS[key];
  if (listed) return listed;
  const [host, ...path] = key.split('/');
  if (host === 'licenses.nuget.org' && path.length === 1) {
    // NuGet's page for a package's license expression: the expression itself, URL-encoded.
    return decodeURIComponent(new URL(url.trim()).pathname.slice(1)) || undefined;
  }
  if ((host === 'spdx.org' || host === 'opensource.org') && path.length === 2 && path[0] === 'licenses') {
    return canonicalSpdxId(path[1]);
  }
  return undefined;
}
