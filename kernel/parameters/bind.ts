/**
 * Input values → engine parameters (kernel/engine binds them; lists become one bound value per element). Every value
 * is validated first: a wrong type is refused with the input's message, never coerced into SQL.
 */
import type { ParamValue } from "../engine/types.ts";
import type { DateRangeValue, InputDefinition, InputValue, PeriodValue, ValidationContext } from "./definitions.ts";
import { resolvePeriods } from "./periods.ts";
import { defaultValue, validateValue } from "./validate.ts";

export class ParameterError extends Error {
  override name = "ParameterError";
  constructor(
    message: string,
    readonly input: string,
  ) {
    super(message);
  }
}

/** The parameters one input gives SQL (see providedNames in definitions.ts for the names). */
export function bindingsOf(def: InputDefinition, value: InputValue, context: ValidationContext = {}): Record<string, ParamValue> {
  const checked = validateValue(def, value, context);
  if (!checked.ok) throw new ParameterError(checked.message, def.name);
  const v = checked.value;
  switch (def.type) {
    case "date-range": {
      const range = v as DateRangeValue;
      return { [def.name]: [range.from, range.to], [`${def.name}_from`]: range.from, [`${def.name}_to`]: range.to };
    }
    case "period": {
      const resolved = resolvePeriods(v as PeriodValue, context.today);
      return {
        [def.name]: resolved.periodIds,
        [`${def.name}_start`]: resolved.start,
        [`${def.name}_end`]: resolved.end,
        [`${def.name}_type`]: resolved.periodType,
      };
    }
    default:
      return { [def.name]: v as ParamValue };
  }
}

/** All inputs' parameters for the engine; an input without a value binds its default. */
export function bindingsFor(
  definitions: readonly InputDefinition[],
  values: Readonly<Record<string, InputValue | undefined>>,
  context: ValidationContext = {},
): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const def of definitions) {
    const value = Object.hasOwn(values, def.name) ? values[def.name] : undefined;
    Object.assign(params, bindingsOf(def, value === undefined ? defaultValue(def, context) : value, context));
  }
  return params;
}
