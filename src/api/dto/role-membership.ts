import { Type } from 'typebox';

const MemberType = Type.Union([Type.Literal('USER'), Type.Literal('GROUP')]);

export const ApiMemberDTO = Type.Object({
  ownerId: Type.String(),
  ownerType: Type.String(),
  type: MemberType,
  userOrGroupName: Type.String(),
});

export const ApiRoleMemberMappingListDTO = Type.Object({
  memberMappings: Type.Array(Type.Object({ roleId: Type.String(), members: Type.Array(ApiMemberDTO) })),
});

/** In requests only `type` and `internalName` matter; replies fill in the rest. */
export const ApiMemberWithDetailsDTO = Type.Object({
  type: Type.Optional(Type.String({ description: 'USER or GROUP' })),
  internalName: Type.Optional(Type.String()),
  displayName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  realm: Type.Optional(Type.String()),
});

export const ApiApplicableMembershipMappingsDTO = Type.Object({
  membersByRole: Type.Array(
    Type.Object({
      roleId: Type.String(),
      roleName: Type.String(),
      roleDescription: Type.String(),
      membersByOwner: Type.Array(
        Type.Object({
          ownerId: Type.String(),
          ownerName: Type.String(),
          ownerType: Type.String(),
          members: Type.Array(ApiMemberWithDetailsDTO),
        }),
      ),
    }),
  ),
  groupSearchEnabled: Type.Boolean(),
});
