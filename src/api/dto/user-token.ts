import { Type } from 'typebox';

/** ApiUserTokenDTO; passCode only in the reply that created the token. */
export const ApiUserTokenDTO = Type.Object({
  userCode: Type.String(),
  passCode: Type.Optional(Type.String()),
  username: Type.String(),
  realm: Type.String(),
  createTime: Type.String(),
  expirationDate: Type.Optional(Type.String({ format: 'date-time' })),
  lastAccessTime: Type.Optional(Type.String()),
});

export const ApiUserTokenExistsDTO = Type.Object({ userTokenExists: Type.Boolean() });

export const ApiUserTokenConfigurationDTO = Type.Object({
  userTokenDefaultExpirationDays: Type.Optional(Type.Integer({ description: 'days a new token stays valid; absent: tokens never expire' })),
});

/** PUT body: null leaves the value as it is; unknown properties are refused by the service with their names. */
export const ApiUserTokenConfigurationInput = Type.Object(
  { userTokenDefaultExpirationDays: Type.Optional(Type.Union([Type.Integer(), Type.Null()])) },
  { additionalProperties: true },
);
