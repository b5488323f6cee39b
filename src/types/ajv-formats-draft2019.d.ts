// ajv-formats-draft2019 ships no types; the one call Tollgate makes.
declare module 'ajv-formats-draft2019' {
  const addFormats: (ajv: unknown, options?: { formats?: string[] }) => unknown;
  export default addFormats;
}
