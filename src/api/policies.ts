import { Type } from 'typebox';
import { authenticated, ownerParams, requires } from '../http/permissions.js';
import type { TollgateApp } from '../http/types.js';
import { CONDITION_TYPES } from '../policy/conditions/index.js';
import { visibleOwners } from '../services/access/access.js';
import {
  type PolicyView,
  createPolicy,
  deletePolicy,
  getPolicy,
  listAllPolicies,
  policiesFor,
  refusePolicyOwnerType,
  updatePolicy,
} from '../services/policies/policies.js';
import { errorResponses } from './dto/common.js';
import {
  ApiPolicyListDTO,
  ConditionTypeListDTO,
  OwnerParams,
  PolicyDTO,
  PolicyInputDTO,
  PolicyListDTO,
  PolicyParams,
} from './dto/policy.js';

const tags = ['Policies'];
// Tollgate's own policy management: the reference edits policies only in its UI. Same conventions
// as its owner-scoped APIs: View IQ Elements (READ) to see, Edit IQ Elements (WRITE) to change,
// inherited down the organization tree.
const tollgate = { tollgate: true } as const;
const policyOwner = ownerParams('ownerType', 'ownerId', { refuse: refusePolicyOwnerType });

function toDto(p: PolicyView) {
  return p;
}

export default async function policyRoutes(app: TollgateApp): Promise<void> {
  app.get(
    '/api/v2/policies',
    {
      schema: { tags, summary: 'Every policy the caller may view', response: { 200: ApiPolicyListDTO, ...errorResponses } },
      config: { permission: authenticated('lists the policies of the organizations and applications the caller may READ') },
    },
    async (request) => {
      const visible = await visibleOwners(app.ctx.store, request.principal!, 'READ');
      const policies = await listAllPolicies(app.ctx, visible);
      return {
        policies: policies.map((p) => ({
          id: p.id,
          name: p.name,
          ownerId: p.ownerId,
          ownerType: p.ownerType.toUpperCase(),
          threatLevel: p.threatLevel,
          policyType: p.policyType,
        })),
      };
    },
  );

  app.get(
    '/api/v2/policyConditionTypes',
    {
      schema: { tags, summary: 'The condition types policies can use, with their operators', response: { 200: ConditionTypeListDTO, ...errorResponses } },
      config: { ...tollgate, permission: authenticated('the same for every caller') },
    },
    async () => ({
      conditionTypes: CONDITION_TYPES.map((t) => ({
        id: t.id,
        name: t.name,
        threatCategory: t.category,
        supportedOperators: [...t.operators],
        aliases: [...(t.aliases ?? [])],
        tollgate: Boolean(t.tollgate),
      })),
    }),
  );

  app.get(
    '/api/v2/policies/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Policies of an organization or application: its own, inherited, and all that apply',
        params: OwnerParams,
        response: { 200: PolicyListDTO, ...errorResponses },
      },
      config: { ...tollgate, permission: requires('READ', policyOwner) },
    },
    async (request) => {
      const owner = await policyOwner.of(request);
      const { byOwner, effective } = await policiesFor(app.ctx, owner);
      return {
        policiesByOwner: byOwner.map((o) => ({ ...o, policies: o.policies.map(toDto) })),
        effectivePolicies: effective.map(toDto),
      };
    },
  );

  app.post(
    '/api/v2/policies/:ownerType/:ownerId',
    {
      schema: {
        tags,
        summary: 'Create a policy on an organization or application',
        params: OwnerParams,
        body: PolicyInputDTO,
        response: { 200: PolicyDTO, 409: Type.String(), ...errorResponses },
      },
      config: { ...tollgate, audit: 'policy.create', permission: requires('WRITE', policyOwner) },
    },
    async (request) => {
      const owner = await policyOwner.of(request);
      return toDto(await createPolicy(app.ctx, owner, request.body));
    },
  );

  app.get(
    '/api/v2/policies/:ownerType/:ownerId/:policyId',
    {
      schema: { tags, summary: 'One policy of an owner', params: PolicyParams, response: { 200: PolicyDTO, ...errorResponses } },
      config: { ...tollgate, permission: requires('READ', policyOwner) },
    },
    async (request) => {
      const owner = await policyOwner.of(request);
      return toDto(await getPolicy(app.ctx, owner, request.params.policyId));
    },
  );

  app.put(
    '/api/v2/policies/:ownerType/:ownerId/:policyId',
    {
      schema: {
        tags,
        summary: 'Change a policy: the fields given replace the stored ones (constraints as a whole list)',
        params: PolicyParams,
        body: PolicyInputDTO,
        response: { 200: PolicyDTO, 409: Type.String(), ...errorResponses },
      },
      config: { ...tollgate, audit: 'policy.update', permission: requires('WRITE', policyOwner) },
    },
    async (request) => {
      const owner = await policyOwner.of(request);
      return toDto(await updatePolicy(app.ctx, owner, request.params.policyId, request.body));
    },
  );

  app.delete(
    '/api/v2/policies/:ownerType/:ownerId/:policyId',
    {
      schema: { tags, summary: 'Delete a policy', params: PolicyParams, response: { 204: Type.Null(), ...errorResponses } },
      config: { ...tollgate, audit: 'policy.delete', permission: requires('WRITE', policyOwner) },
    },
    async (request, reply) => {
      const owner = await policyOwner.of(request);
      await deletePolicy(app.ctx, owner, request.params.policyId);
      return reply.status(204).send(null);
    },
  );
}
