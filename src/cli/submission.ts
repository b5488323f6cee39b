import { basename } from 'node:path';
import { writeCycloneDx } from '../sbom/cyclonedx/write.js';
import { detectSyntax } from '../sbom/detect.js';
import { isLockfileName, readLockfile } from '../sbom/lockfiles/index.js';

/** What `POST /api/v2/scan/…` takes: the source name and the body's content type. */
export interface Submission {
  /** The specification's name, which IQ Server takes as well as Tollgate. */
  source: 'cyclonedx' | 'spdx';
  contentType: string;
  data: string;
}

/**
 * The file as the third-party scan takes it: SBOMs as they are; lockfiles and manifests are read
 * here and sent as CycloneDX 1.6 JSON (so this works against any IQ-compatible server).
 */
export function prepareSubmission(fileName: string, text: string): Submission {
  if (isLockfileName(basename(fileName))) {
    const sbom = readLockfile(basename(fileName), text);
    return { source: 'cyclonedx', contentType: 'application/json', data: writeCycloneDx(sbom, { version: '1.6', space: 0 }) };
  }
  switch (detectSyntax(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)) {
    case 'cyclonedx-json':
      return { source: 'cyclonedx', contentType: 'application/json', data: text };
    case 'cyclonedx-xml':
      return { source: 'cyclonedx', contentType: 'application/xml', data: text };
    case 'spdx-json':
      return { source: 'spdx', contentType: 'application/json', data: text };
    case 'spdx-xml':
      return { source: 'spdx', contentType: 'application/xml', data: text };
    case 'spdx-tag-value':
      return { source: 'spdx', contentType: 'text/plain', data: text };
  }
}
