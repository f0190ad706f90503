/** Input cells: typed definitions, validation, URL round trip, and binding to engine parameters (never splicing). */
export { bindingsFor, bindingsOf, ParameterError } from "./bind.ts";
export {
  type DateRangeValue,
  type InputDefinition,
  type InputDefinitionInput,
  type InputType,
  type InputValue,
  inputDefinitionSchema,
  type LocationNode,
  type PeriodValue,
  parseDefinitions,
  periodValueSchema,
  providedNames,
  type ValidationContext,
} from "./definitions.ts";
export { type ResolvedPeriods, resolvePeriods } from "./periods.ts";
export { paramsToUrl, parseParamsFromUrl, type UrlNotice, type UrlOptions } from "./url.ts";
export { type Checked, defaultValue, MAX_PICKED_PERIODS, validateValue } from "./validate.ts";
