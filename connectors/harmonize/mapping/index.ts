export {
  cellText,
  createFieldLookup,
  createHarmonizer,
  type HarmonizeOptions,
  type HarmonizeResult,
  type Harmonizer,
  harmonizeRecords,
  MappingError,
  REJECT_REASONS,
  type Rejection,
  rejectionMessage,
  textValueWarning,
} from "./harmonize.ts";
export { createLocationReader, type LocationReading } from "./location-reader.ts";
export { createPeriodReader, type PeriodReading } from "./period-reader.ts";
export { formatPlace, quoteCell } from "./place.ts";
export {
  ColumnMapping,
  type ColumnMappingInput,
  ColumnMappingSchema,
  DEFAULT_NA_TOKENS,
  LayoutSchema,
  LocationColumnSchema,
  type PeriodMapping,
  PeriodMappingSchema,
  type ValueCleaning,
  ValueCleaningSchema,
  WideValueColumnSchema,
} from "./schema.ts";
export { type CleanValue, createValueCleaner } from "./values.ts";
