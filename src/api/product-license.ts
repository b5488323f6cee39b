import { Type } from 'typebox';
import { acceptMultipart, formFile } from '../http/multipart.js';
import { requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { MAX_LICENSE_FILE_BYTES, installLicenseFile, productLicense, uninstallLicenseFile } from '../services/admin/product-license.js';
import { errorResponses } from './dto/common.js';
import { ProductLicenseDTO } from './dto/configuration.js';

const tags = ['Product License'];
const description = 'Permissions required: Edit System Configuration and Users';

export default async function productLicenseRoutes(app: TollgateApp): Promise<void> {
  // Room for the multipart framing around the largest file accepted.
  acceptMultipart(app, MAX_LICENSE_FILE_BYTES + 64 * 1024);

  app.get(
    '/api/v2/product/license',
    {
      schema: {
        tags,
        summary: 'The product license: Tollgate is open source (Apache-2.0) and needs none',
        description,
        response: { 200: ProductLicenseDTO, ...errorResponses },
      },
      config: { tollgate: true, permission: requires('CONFIGURE_SYSTEM') },
    },
    async () => {
      return productLicense(app.ctx);
    },
  );

  app.post(
    '/api/v2/product/license',
    {
      schema: {
        tags,
        summary: 'Upload a product license file (multipart/form-data field "file"): kept, never needed',
        description: `${description}. Tollgate is open source: the file is stored so that tools written for IQ Server succeed, and grants nothing.`,
        response: { 200: ProductLicenseDTO, ...errorResponses },
      },
      config: {
        audit: 'productLicense.install',
        partial: 'the file is stored but not verified or enforced: Tollgate is open source and needs no license',
        permission: requires('CONFIGURE_SYSTEM'),
      },
    },
    async (request) => {
      const file = await formFile(request.body, request.headers['content-type'], 'file');
      return installLicenseFile(app.ctx, file, request.principal!.username);
    },
  );

  app.delete(
    '/api/v2/product/license',
    {
      schema: { tags, summary: 'Remove the uploaded product license file', description, response: { 204: Type.Null(), ...errorResponses } },
      config: { audit: 'productLicense.uninstall', permission: requires('CONFIGURE_SYSTEM') },
    },
    async (_request, reply) => {
      await uninstallLicenseFile(app.ctx);
      return reply.status(204).send(null);
    },
  );
}
