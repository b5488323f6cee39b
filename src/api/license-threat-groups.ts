import { Type } from 'typebox';
import { licenseThreatCategory } from '../intel/licenses/classify.js';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import {
  classifyLicenseFor,
  createLicenseThreatGroup,
  deleteLicenseThreatGroup,
  licenseThreatGroupsFor,
  refuseThreatGroupOwnerType,
  updateLicenseThreatGroup,
} from '../services/policies/license-threat-groups.js';
import { errorResponses } from './dto/common.js';
import {
  GroupParams,
  LicenseClassificationDTO,
  LicenseThreatGroupDTO,
  LicenseThreatGroupInputDTO,
  LicenseThreatGroupListDTO,
  OwnerParams,
} from './dto/license-threat-group.js';

// Tollgate's own endpoints: the reference manages license threat groups only in its UI (and its
// policy export). Same conventions as the reference's owner-scoped APIs (labels, license overrides):
// View IQ Elements (READ) to see, Edit IQ Elements (WRITE) to change, inherited down the tree.
const tags = ['License Threat Groups'];
const config = { tollgate: true } as const;

const groupOwner = ownerParams('ownerType', 'ownerId', { refuse: refuseThreatGroupOwnerType });

export default async function licenseThreatGroupRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/licenseThreatGroups/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'License threat groups of an organization or application: its own, inherited, and the effective set',
        params: OwnerParams,
        response: { 200: LicenseThreatGroupListDTO, ...errorResponses },
      },
      config: { ...config, permission: requires('READ', groupOwner) },
    },
    async (request) => {
      const owner = await groupOwner.of(request);
      const { byOwner, effective } = await licenseThreatGroupsFor(app.ctx, owner);
      return { licenseThreatGroupsByOwner: byOwner, effectiveLicenseThreatGroups: effective };
    },
  );

  app.get(
    '/api/v2/licenseThreatGroups/:ownerType/:ownerId/classification',
    {
      schema: {
        tags,
        summary: 'The threat level of a license expression under the owner’s effective groups (OR: least threatening choice; AND: most threatening)',
        params: OwnerParams,
        querystring: Type.Object({ license: Type.String({ description: 'a license expression; common non-SPDX names are corrected' }) }),
        response: { 200: LicenseClassificationDTO, ...errorResponses },
      },
      config: { ...config, permission: requires('READ', groupOwner) },
    },
    async (request) => {
      const owner = await groupOwner.of(request);
      const result = await classifyLicenseFor(app.ctx, owner, request.query.license);
      return {
        license: result.parsed.input,
        normalizedLicense: result.parsed.normalized,
        corrections: result.parsed.corrections,
        threatLevel: result.threatLevel,
        licenseThreatGroupName: result.groupName,
        licenseThreatGroupCategory: result.threatLevel === null ? null : licenseThreatCategory(result.threatLevel),
        licenses: result.licenses.map((l) => ({
          licenseId: l.license,
          licenseThreatGroupName: l.group?.name ?? null,
          licenseThreatGroupLevel: l.group?.threatLevel ?? null,
        })),
        unassignedLicenses: result.unassigned,
      };
    },
  );

  app.post(
    '/api/v2/licenseThreatGroups/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Create a license threat group on an organization or application',
        params: OwnerParams,
        body: LicenseThreatGroupInputDTO,
        response: { 200: LicenseThreatGroupDTO, 409: Type.String(), ...errorResponses },
      },
      config: { ...config, audit: 'licenseThreatGroup.create', permission: requires('WRITE', groupOwner) },
    },
    async (request) => {
      const owner = await groupOwner.of(request);
      return createLicenseThreatGroup(app.ctx, owner, request.body);
    },
  );

  app.put(
    '/api/v2/licenseThreatGroups/:ownerType/:ownerId/:licenseThreatGroupId',
    {
      schema: {
        tags,
        summary: 'Change a license threat group: the fields given replace the stored ones (licenseIds as a whole list)',
        params: GroupParams,
        body: LicenseThreatGroupInputDTO,
        response: { 200: LicenseThreatGroupDTO, 409: Type.String(), ...errorResponses },
      },
      config: { ...config, audit: 'licenseThreatGroup.update', permission: requires('WRITE', groupOwner) },
    },
    async (request) => {
      const owner = await groupOwner.of(request);
      return updateLicenseThreatGroup(app.ctx, owner, request.params.licenseThreatGroupId, request.body);
    },
  );

  app.delete(
    '/api/v2/licenseThreatGroups/:ownerType/:ownerId/:licenseThreatGroupId',
    {
      schema: {
        tags,
        summary: 'Delete a license threat group (an inherited group of the same name applies again)',
        params: GroupParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { ...config, audit: 'licenseThreatGroup.delete', permission: requires('WRITE', groupOwner) },
    },
    async (request, reply) => {
      const owner = await groupOwner.of(request);
      await deleteLicenseThreatGroup(app.ctx, owner, request.params.licenseThreatGroupId);
      return reply.status(204).send(null);
    },
  );
}
