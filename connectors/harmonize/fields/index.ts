export { FIELD_ID_MAX_LENGTH, FIELD_ID_PATTERN, fieldIdFromName, uniqueFieldIds } from "./field-id.ts";
export {
  AGGREGATIONS,
  aggregationFromDhis2,
  FieldDefinitionError,
  type FieldDefinitionInput,
  FieldDefinitionSchema,
  parseFieldDefinitions,
} from "./schema.ts";
