import { Type } from 'typebox';

/** The reference's ApiComponentIdentifierDTOV2: `{format, coordinates}`, coordinates by the format's names. */
export const ComponentIdentifierDTO = Type.Object({
  format: Type.String({ description: 'e.g. maven, npm, pypi, a-name, golang' }),
  coordinates: Type.Record(Type.String(), Type.String(), { description: "the format's coordinates, e.g. maven groupId, artifactId, version" }),
});

/** A component hash in a path: the first 20 hex characters of the component's SHA-1 (40 accepted). */
export const ComponentHashParam = Type.String({ description: "the component's SHA-1, truncated to 20 hexadecimal characters" });
