import { Type } from 'typebox';
import { ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import {
  applicableContext,
  applicableLabels,
  createLabel,
  deleteLabel,
  listLabels,
  refuseLabelOwnerType,
  updateLabel,
} from '../services/policies/component-labels.js';
import { PlainText, errorResponses } from './dto/common.js';
import { ApiLabelDTO, ApplicableContext, ApplicableLabels, LabelOwnerType } from './dto/component-label.js';

const tags = ['Component Labels'];
const OwnerTypeParam = LabelOwnerType;
const OwnerParams = Type.Object({ ownerType: OwnerTypeParam, ownerId: Type.String() });
// Repository owners belong to Nexus Repository Firewall, which Tollgate does not implement (see
// http/compat.ts): for them every operation answers 404 with that explanation.

const owner = ownerParams('ownerType', 'ownerId', { refuse: refuseLabelOwnerType });

export default async function componentLabelRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/labels/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: "An owner's component labels, and with inherit=true those of the organizations above it",
        params: OwnerParams,
        querystring: Type.Object({ inherit: Type.Optional(Type.Boolean({ default: false })) }),
        response: { 200: Type.Array(ApiLabelDTO), ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => listLabels(app.ctx, await owner.of(request), request.query.inherit ?? false),
  );

  app.post(
    '/api/v2/labels/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Define a component label on an organization or application',
        params: OwnerParams,
        body: ApiLabelDTO,
        response: { 200: ApiLabelDTO, 409: PlainText, ...errorResponses },
      },
      config: { audit: 'label.create', permission: requires('WRITE', owner) },
    },
    async (request) => createLabel(app.ctx, await owner.of(request), request.body),
  );

  app.put(
    '/api/v2/labels/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Change the label, description and color of a component label (id in the body)',
        params: OwnerParams,
        body: ApiLabelDTO,
        response: { 200: ApiLabelDTO, 409: PlainText, ...errorResponses },
      },
      config: { audit: 'label.update', permission: requires('WRITE', owner) },
    },
    async (request) => updateLabel(app.ctx, await owner.of(request), request.body),
  );

  app.get(
    '/api/v2/labels/:ownerType/:ownerId/applicable',
    {
      schema: {
        tags,
        summary: 'Every component label applicable at an owner, grouped by the owner defining it (the owner first)',
        params: OwnerParams,
        response: { 200: ApplicableLabels, ...errorResponses },
      },
      config: { permission: requires('READ', owner) },
    },
    async (request) => ({ labelsByOwner: await applicableLabels(app.ctx, await owner.of(request)) }),
  );

  app.get(
    '/api/v2/labels/:ownerType/:ownerId/applicable/context/:labelId',
    {
      schema: {
        tags,
        summary: 'The owners below an owner (organizations and applications) where a label can be applied, as a tree',
        params: Type.Object({ ownerType: OwnerTypeParam, ownerId: Type.String(), labelId: Type.String() }),
        response: { 200: ApplicableContext, ...errorResponses },
      },
      config: { permission: requires('WRITE', owner) },
    },
    async (request) => applicableContext(app.ctx, await owner.of(request), request.params.labelId),
  );

  app.delete(
    '/api/v2/labels/:ownerType/:ownerId/:labelId',
    {
      schema: {
        tags,
        summary: 'Delete a component label',
        params: Type.Object({ ownerType: OwnerTypeParam, ownerId: Type.String(), labelId: Type.String() }),
        response: { 204: Type.Null(), ...errorResponses },
      },
      config: { audit: 'label.delete', permission: requires('WRITE', owner) },
    },
    async (request, reply) => {
      await deleteLabel(app.ctx, await owner.of(request), request.params.labelId);
      return reply.status(204).send(null);
    },
  );
}
