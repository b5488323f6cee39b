import { Type } from 'typebox';

/** The reference's SystemConfig: unset properties are null. */
export const SystemConfig = Type.Object({
  baseUrl: Type.Optional(Type.Unsafe<string | null>({ type: 'string', nullable: true })),
  forceBaseUrl: Type.Optional(Type.Unsafe<boolean | null>({ type: 'boolean', nullable: true })),
});

export const CacheInvalidationResponse = Type.Object({ entriesInvalidated: Type.Integer({ format: 'int64' }) });

export const ApiReverseProxyAuthenticationConfigurationDTO = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  usernameHeader: Type.Optional(Type.String()),
  csrfProtectionDisabled: Type.Optional(Type.Boolean()),
  logoutUrl: Type.Optional(Type.String()),
});

export const ApiLicensedSolutionDTO = Type.Object({ id: Type.String(), url: Type.String() });

/** Tollgate's own: a feature an administrator can switch on and off. */
export const FeatureDTO = Type.Object({ name: Type.String(), description: Type.String(), enabled: Type.Boolean() });

/** Tollgate's own: what the product license is (open source) and the file uploaded, if any. */
export const ProductLicenseDTO = Type.Object({
  product: Type.String(),
  license: Type.String({ description: 'SPDX identifier of Tollgate’s own license' }),
  openSource: Type.Boolean(),
  message: Type.String(),
  installedLicenseFile: Type.Optional(
    Type.Object({
      fileName: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
      installedAt: Type.String({ format: 'date-time' }),
      installedBy: Type.String(),
    }),
  ),
});

/** The reference's ApiMailConfigurationDTO; `password` is write-only (GET never includes it). */
export const ApiMailConfigurationDTO = Type.Object({
  hostname: Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer({ format: 'int32' })),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ description: 'write-only' })),
  passwordIsIncluded: Type.Optional(Type.Boolean()),
  sslEnabled: Type.Optional(Type.Boolean()),
  startTlsEnabled: Type.Optional(Type.Boolean()),
  systemEmail: Type.Optional(Type.String()),
});

/** The reference's ApiJiraConfigurationDTO; `password` is write-only here (GET never includes it). */
export const ApiJiraConfigurationDTO = Type.Object({
  url: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ description: 'write-only' })),
  customFields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

/** The reference's ApiProxyServerConfigurationDTO; `password` is write-only (GET never includes it). */
export const ApiProxyServerConfigurationDTO = Type.Object({
  hostname: Type.Optional(Type.String()),
  port: Type.Optional(Type.Integer({ format: 'int32' })),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String({ description: 'write-only' })),
  passwordIsIncluded: Type.Optional(Type.Boolean()),
  excludeHosts: Type.Optional(Type.Array(Type.String())),
});
