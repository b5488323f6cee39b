import { Type } from 'typebox';

/** ApiUserDTO. `password` is accepted in requests and never sent back. */
export const ApiUserDTO = Type.Object({
  username: Type.Optional(Type.String()),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  realm: Type.Optional(Type.String()),
});

/** What replies carry: the same fields less the password. */
export const ApiUserViewDTO = Type.Object({
  username: Type.String(),
  firstName: Type.Optional(Type.String()),
  lastName: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  realm: Type.String(),
});

export const ApiUserListDTO = Type.Object({ users: Type.Array(ApiUserViewDTO) });

export const RealmQuery = Type.Object({
  realm: Type.Optional(Type.String({ description: 'Internal (default), OAUTH2 or SAML' })),
});
