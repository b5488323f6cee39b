import { Type } from 'typebox';

// The reference's policy DTOs (ApiPolicyDTO, PolicyExportResult with Policy, Constraint, Condition,
// LicenseThreatGroup, LicenseThreatGroupLicense, Label, Tag, PolicyTag) and Tollgate's own policy
// CRUD shapes, which use the export's field names plus ownerType, policyType and tagIds.

export const OwnerParams = Type.Object({
  ownerType: Type.String({ description: 'organization or application' }),
  ownerId: Type.String({ description: 'internal id of the organization or application' }),
});

export const PolicyParams = Type.Object({
  ownerType: Type.String({ description: 'organization or application' }),
  ownerId: Type.String(),
  policyId: Type.String(),
});

export const ApiPolicyDTO = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ownerId: Type.String(),
  ownerType: Type.String({ description: 'ORGANIZATION or APPLICATION' }),
  threatLevel: Type.Integer(),
  policyType: Type.String({ description: 'security, license, quality or other' }),
});

export const ApiPolicyListDTO = Type.Object({ policies: Type.Array(ApiPolicyDTO) });

export const ConditionDTO = Type.Object({
  conditionTypeId: Type.String(),
  operator: Type.String(),
  value: Type.String(),
  conditionIndex: Type.Optional(Type.Integer()),
});

export const ConstraintDTO = Type.Object({
  id: Type.String(),
  name: Type.String(),
  operator: Type.String({ description: 'AND or OR' }),
  conditions: Type.Array(ConditionDTO),
});

const StageIds = Type.Array(Type.String());
export const NotificationsDTO = Type.Object({
  userNotifications: Type.Optional(Type.Array(Type.Object({ emailAddress: Type.Optional(Type.String()), stageIds: Type.Optional(StageIds) }))),
  roleNotifications: Type.Optional(
    Type.Array(Type.Object({ roleId: Type.Optional(Type.String()), roleName: Type.Optional(Type.String()), stageIds: Type.Optional(StageIds) })),
  ),
  jiraNotifications: Type.Optional(
    Type.Array(Type.Object({ issueTypeId: Type.Optional(Type.Integer()), projectKey: Type.Optional(Type.String()), stageIds: Type.Optional(StageIds) })),
  ),
  webhookNotifications: Type.Optional(Type.Array(Type.Object({ webhookId: Type.Optional(Type.String()), stageIds: Type.Optional(StageIds) }))),
});

const Actions = Type.Record(Type.String(), Type.String(), { description: 'stage id (develop, source, build, stage-release, release, operate) → warn or fail' });

/** The reference's Policy, as its export writes it. */
export const ExportPolicyDTO = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ownerId: Type.String(),
  threatLevel: Type.Integer(),
  actions: Actions,
  constraints: Type.Array(ConstraintDTO),
  notifications: NotificationsDTO,
});

export const PolicyExportResultDTO = Type.Object({
  policies: Type.Array(ExportPolicyDTO),
  licenseThreatGroups: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), nameLowercaseNoWhitespace: Type.String(), ownerId: Type.String(), threatLevel: Type.Integer() }),
  ),
  licenseThreatGroupLicenses: Type.Array(
    Type.Object({ id: Type.String(), licenseId: Type.String(), licenseThreatGroupId: Type.String(), ownerId: Type.String() }),
  ),
  labels: Type.Array(
    Type.Object({
      id: Type.String(),
      label: Type.String(),
      labelLowercase: Type.String(),
      description: Type.String(),
      color: Type.String(),
      ownerId: Type.String(),
    }),
  ),
  tags: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      nameLowercaseNoWhitespace: Type.String(),
      description: Type.String(),
      color: Type.String(),
      organizationId: Type.String(),
    }),
  ),
  policyTags: Type.Array(Type.Object({ id: Type.String(), policyId: Type.String(), tagId: Type.String() })),
});

/** What the import accepts: an export from the reference product or Tollgate; unknown fields are ignored. */
export const PolicyImportDTO = Type.Object({
  policies: Type.Array(
    Type.Object({
      id: Type.Optional(Type.String()),
      name: Type.String(),
      ownerId: Type.Optional(Type.String()),
      threatLevel: Type.Integer(),
      actions: Type.Optional(Type.Record(Type.String(), Type.String())),
      constraints: Type.Array(
        Type.Object({
          id: Type.Optional(Type.String()),
          name: Type.String(),
          operator: Type.String(),
          conditions: Type.Array(
            Type.Object({
              conditionTypeId: Type.String(),
              operator: Type.String(),
              value: Type.Optional(Type.Union([Type.String(), Type.Null()])),
              conditionIndex: Type.Optional(Type.Integer()),
            }),
          ),
        }),
      ),
      notifications: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
  licenseThreatGroups: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), name: Type.String(), threatLevel: Type.Optional(Type.Integer()), ownerId: Type.Optional(Type.String()) })),
  ),
  licenseThreatGroupLicenses: Type.Optional(
    Type.Array(Type.Object({ licenseId: Type.String(), licenseThreatGroupId: Type.String(), id: Type.Optional(Type.String()), ownerId: Type.Optional(Type.String()) })),
  ),
  labels: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        label: Type.String(),
        labelLowercase: Type.Optional(Type.String()),
        description: Type.Optional(Type.String()),
        color: Type.Optional(Type.String()),
        ownerId: Type.Optional(Type.String()),
      }),
    ),
  ),
  tags: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        description: Type.Optional(Type.String()),
        color: Type.Optional(Type.String()),
        organizationId: Type.Optional(Type.String()),
      }),
    ),
  ),
  policyTags: Type.Optional(Type.Array(Type.Object({ policyId: Type.String(), tagId: Type.String(), id: Type.Optional(Type.String()) }))),
});

export const PolicyImportResultDTO = Type.Object({
  policies: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), importedFrom: Type.Optional(Type.String()) })),
  licenseThreatGroups: Type.Object({ created: Type.Array(Type.String()), updated: Type.Array(Type.String()), reused: Type.Array(Type.String()) }),
  tags: Type.Object({ created: Type.Array(Type.String()), reused: Type.Array(Type.String()) }),
  labels: Type.Object({ created: Type.Array(Type.String()), reused: Type.Array(Type.String()) }),
  warnings: Type.Array(Type.String()),
});

/** Tollgate's policy: the export's Policy plus ownerType, policyType and tagIds (the reference's PolicyTag rows). */
export const PolicyDTO = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ownerId: Type.String(),
  ownerType: Type.String(),
  threatLevel: Type.Integer(),
  policyType: Type.String(),
  actions: Actions,
  constraints: Type.Array(ConstraintDTO),
  tagIds: Type.Array(Type.String()),
  notifications: Type.Optional(NotificationsDTO),
});

export const PolicyInputDTO = Type.Object({
  name: Type.Optional(Type.String()),
  threatLevel: Type.Optional(Type.Number({ description: 'a whole number from 0 to 10' })),
  actions: Type.Optional(Actions),
  constraints: Type.Optional(
    Type.Array(
      Type.Object({
        id: Type.Optional(Type.String()),
        name: Type.Optional(Type.String()),
        operator: Type.Optional(Type.String({ description: 'AND (default) or OR' })),
        conditions: Type.Optional(
          Type.Array(
            Type.Object({
              conditionTypeId: Type.Optional(Type.String()),
              operator: Type.Optional(Type.String()),
              value: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            }),
          ),
        ),
      }),
    ),
  ),
  tagIds: Type.Optional(Type.Array(Type.String({ description: 'application category ids the policy is limited to' }))),
  notifications: Type.Optional(NotificationsDTO),
});

export const PolicyListDTO = Type.Object({
  policiesByOwner: Type.Array(
    Type.Object({
      ownerId: Type.String(),
      ownerName: Type.String(),
      ownerType: Type.String(),
      inherited: Type.Boolean(),
      policies: Type.Array(PolicyDTO),
    }),
  ),
  effectivePolicies: Type.Array(PolicyDTO),
});

export const ConditionTypeListDTO = Type.Object({
  conditionTypes: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      threatCategory: Type.String(),
      supportedOperators: Type.Array(Type.String()),
      aliases: Type.Array(Type.String()),
      tollgate: Type.Boolean(),
    }),
  ),
});
