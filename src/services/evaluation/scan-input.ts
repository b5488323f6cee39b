import { CYCLONEDX_VERSIONS } from '../../sbom/cyclonedx/read.js';
import { detectSyntax } from '../../sbom/detect.js';
import { SbomError } from '../../sbom/errors.js';
import { isLockfileName, LOCKFILE_NAMES, readLockfile } from '../../sbom/lockfiles/index.js';
import type { Sbom } from '../../sbom/model.js';
import { readSbom } from '../../sbom/read.js';
import { ValidationError } from '../../core/errors.js';
import { NUL, nulPath } from '../../core/nul.js';

/** More components than this in one scan are refused up front (413). */
export const MAX_SCAN_COMPONENTS = 100_000;

/** Too much to evaluate in one request: routes answer 413 (it is still a client error, 400, elsewhere). */
export class TooLargeError extends ValidationError {}

/**
 * The `source` of a third-party scan names the tool that sent it: IQ's own clients send their name
 * (`auditjs`, `nancy`, `jake`, `chelsea`), generated clients the specification (`cyclonedx`,
 * `spdx`). Any such name is taken; the body says what it is.
 */
const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Source names that also say which specification the body is in (checked against it). */
const SPECIFICATIONS = new Set(['cyclonedx', 'spdx']);

/** What the scan reads, for messages that tell a client what to send instead. */
export const READABLE_INPUTS =
  `CycloneDX ${CYCLONEDX_VERSIONS[0]}–${CYCLONEDX_VERSIONS.at(-1)} (JSON or XML) or SPDX 2.2/2.3 (JSON, XML or tag-value); ` +
  `a lockfile or manifest is read when ?fileName= names it (${LOCKFILE_NAMES.join(', ')})`;

/** The source as recorded on the request and its report: the tool's name, trimmed. */
export function checkScanSource(source: string): string {
  const name = source.trim();
  if (!SOURCE_NAME.test(name)) {
    throw new ValidationError(
      `The source "${source.slice(0, 80)}" is not a tool name: use letters, digits, ".", "_" or "-" (at most 64), e.g. cyclonedx, spdx or the name of the client`,
    );
  }
  return name;
}

/**
 * Refuses bodies the scan does not read, before anything looks at them as text: a form upload
 * (multipart/form-data, as `curl -F` sends) or a zip archive. Both would otherwise be taken for an
 * SBOM and fail with a message about what is inside (an archive's bytes hold NUL characters), not
 * about what to send instead. The scan reads one SBOM or lockfile, sent as the body itself.
 */
export function checkScanBodyKind(contentType: string | undefined, text: string): void {
  const send = 'send the SBOM or lockfile itself as the request body (curl --data-binary @bom.json), with ?fileName= naming a lockfile';
  if (contentType?.toLowerCase().startsWith('multipart/form-data')) {
    throw new ValidationError(`The scan does not take multipart/form-data: ${send}.`);
  }
  if (text.startsWith('PK\u0003\u0004') || text.startsWith('PK\u0005\u0006')) {
    throw new ValidationError(`The body is a zip archive; the scan reads one SBOM or lockfile as text, not an archive: ${send}.`);
  }
}

/**
 * Reads a scan body: a lockfile when a file name is given, else an SBOM whose format is told from
 * its content (content types and source names lie too often to trust). A source that names a
 * specification must match the body. `validate: false` skips the schema check (for input that
 * was checked when it was submitted).
 */
export async function readScanInput(source: string, text: string, fileName?: string, options: { validate?: boolean } = {}): Promise<Sbom> {
  if (!text.trim()) throw new ValidationError(`The request body is empty: send the SBOM as the body (${READABLE_INPUTS})`);
  if (text.includes(NUL)) throw new ValidationError('The SBOM contains a NUL character (\\u0000): Tollgate does not accept it in text.');
  let sbom: Sbom;
  if (fileName) {
    if (!isLockfileName(fileName)) {
      throw new ValidationError(`Tollgate cannot read "${fileName}" as a lockfile; it reads ${LOCKFILE_NAMES.join(', ')}`);
    }
    sbom = readLockfile(fileName, text);
  } else {
    try {
      detectSyntax(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (err) {
      if (err instanceof SbomError) throw new ValidationError(`The body is not an SBOM Tollgate reads (${err.message}). It reads ${READABLE_INPUTS}.`);
      throw err;
    }
    sbom = await readSbom(text, { validate: options.validate !== false });
    const spec = source.trim().toLowerCase();
    if (SPECIFICATIONS.has(spec) && sbom.format.toLowerCase() !== spec) {
      throw new ValidationError(`The body is a ${sbom.format} document, but the source says ${spec}`);
    }
  }
  // PostgreSQL cannot store NUL (SQLite can): refused on both, also where an escape (`\u0000`) made it.
  const nul = nulPath(sbom);
  if (nul) throw new ValidationError(`The SBOM contains a NUL character (\\u0000) in ${nul}: Tollgate does not accept it in text.`);
  if (sbom.components.length > MAX_SCAN_COMPONENTS) {
    throw new TooLargeError(
      `The SBOM lists ${sbom.components.length} components; Tollgate evaluates at most ${MAX_SCAN_COMPONENTS} in one scan`,
    );
  }
  return sbom;
}
