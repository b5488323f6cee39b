import { createHash } from 'node:crypto';
import type { AppContext } from '../../core/context.js';
import { ValidationError } from '../../core/errors.js';
import { deleteSetting, getSetting, putSetting } from './settings.js';

/**
 * Tollgate is open source: no product license unlocks anything. A license file uploaded by a tool
 * written for IQ Server is kept (so the upload succeeds and can be removed again), never enforced.
 */
export const PRODUCT_LICENSE_SETTING = 'product.license';
export const OPEN_SOURCE_LICENSE = 'Apache-2.0';
/** IQ Server license files are a few kilobytes; anything far larger is not one. */
export const MAX_LICENSE_FILE_BYTES = 1024 * 1024;

interface StoredLicenseFile {
  fileName: string;
  size: number;
  sha256: string;
  installedAt: string;
  installedBy: string;
  contentBase64: string;
}

export interface LicenseFileView {
  fileName: string;
  size: number;
  sha256: string;
  installedAt: string;
  installedBy: string;
}

export interface ProductLicenseView {
  product: string;
  license: string;
  openSource: boolean;
  message: string;
  /** The file last uploaded through POST /api/v2/product/license, if any; it grants nothing. */
  installedLicenseFile?: LicenseFileView;
}

export async function productLicense(ctx: AppContext): Promise<ProductLicenseView> {
  const file = await getSetting<StoredLicenseFile>(ctx.store.db, PRODUCT_LICENSE_SETTING);
  const view: ProductLicenseView = {
    product: 'Tollgate',
    license: OPEN_SOURCE_LICENSE,
    openSource: true,
    message: `Tollgate is open source (${OPEN_SOURCE_LICENSE}): every feature is available without a product license.${
      file ? ' The uploaded license file is kept but grants nothing and is not verified.' : ''
    }`,
  };
  if (file) {
    const { contentBase64: _content, ...meta } = file;
    view.installedLicenseFile = meta;
  }
  return view;
}

export async function installLicenseFile(
  ctx: AppContext,
  file: { name: string; content: Buffer } | undefined,
  installedBy: string,
): Promise<ProductLicenseView> {
  if (!file) throw new ValidationError('Send the license file as the multipart/form-data field "file".');
  if (file.content.length === 0) throw new ValidationError('The license file is empty.');
  if (file.content.length > MAX_LICENSE_FILE_BYTES) {
    throw new ValidationError(`The license file is larger than ${MAX_LICENSE_FILE_BYTES} bytes: that is not a product license file.`);
  }
  const stored: StoredLicenseFile = {
    fileName: file.name || 'license.lic',
    size: file.content.length,
    sha256: createHash('sha256').update(file.content).digest('hex'),
    installedAt: ctx.now().toISOString(),
    installedBy,
    contentBase64: file.content.toString('base64'),
  };
  await putSetting(ctx.store.db, PRODUCT_LICENSE_SETTING, stored, stored.installedAt);
  return productLicense(ctx);
}

export async function uninstallLicenseFile(ctx: AppContext): Promise<void> {
  await deleteSetting(ctx.store.db, PRODUCT_LICENSE_SETTING);
}
