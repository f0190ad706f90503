import { describe, expect, it } from "vitest";
import { parseDefinitions } from "../../kernel/parameters/index.ts";
import {
  chooseVariant,
  defaultValues,
  MAX_VARIANTS,
  planVariants,
  variantCandidates,
  variantKey,
  variantQuery,
} from "./variants.ts";

const defs = parseDefinitions([
  {
    type: "select",
    name: "district",
    label: "District",
    options: [{ value: "bo", label: "Bo" }, { value: "kenema", label: "Kenema" }, "bombali"],
    default: "kenema",
  },
  { type: "select", name: "indicator", options: ["anc1", "anc2", "anc1"] },
  { type: "select", name: "one", options: ["only"] },
  { type: "select", name: "many", options: Array.from({ length: MAX_VARIANTS + 1 }, (_, i) => `o${i}`) },
  { type: "select", name: "fromSql", optionsFrom: { cell: "places", column: "name" } },
  { type: "text", name: "note", default: "x" },
  { type: "select", name: "page", options: ["a", "b"] },
]);

describe("report variants", () => {
  it("offers selects with 2 to MAX_VARIANTS fixed options, deduplicated, with a default among them", () => {
    const candidates = variantCandidates(defs);
    expect(candidates.map((c) => c.name)).toEqual(["district", "indicator", "page"]);
    expect(candidates[0]).toEqual({
      name: "district",
      label: "District",
      options: [
        { value: "bo", label: "Bo" },
        { value: "kenema", label: "Kenema" },
        { value: "bombali", label: "bombali" },
      ],
      default: "kenema",
    });
    // No default given: the first option, as the notebook's own input does.
    expect(candidates[1]).toMatchObject({ options: [{ value: "anc1" }, { value: "anc2" }], default: "anc1" });
  });

  it("plans every combination, the default first, and refuses more than the cap or an input it cannot offer", () => {
    const candidates = variantCandidates(defs);
    const plan = planVariants(candidates, ["district", "indicator"]);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.combinations).toHaveLength(6);
    expect(plan.combinations[0]).toEqual({ district: "kenema", indicator: "anc1" });
    expect(new Set(plan.combinations.map((c) => variantKey(plan.inputs, c))).size).toBe(6);

    const none = planVariants(candidates, []);
    expect(none).toEqual({ ok: true, inputs: [], combinations: [{}] });

    const wide = [
      ...candidates,
      {
        name: "seven",
        label: "seven",
        options: Array.from({ length: 7 }, (_, i) => ({ value: `${i}`, label: `${i}` })),
        default: "0",
      },
    ];
    const tooMany = planVariants(wide, ["district", "seven"]);
    expect(tooMany).toEqual({
      ok: false,
      message: expect.stringMatching(/district \(3\) × seven \(7\) make 21 variants.*at most 20/),
    });
    expect(planVariants(candidates, ["note"])).toEqual({
      ok: false,
      message: expect.stringMatching(/input `note` cannot be offered/),
    });
    expect(planVariants(candidates, ["page"])).toEqual({ ok: false, message: expect.stringMatching(/the page's own links/) });
  });

  it("reads the variant from the URL, falling back to defaults for missing or unknown values", () => {
    const plan = planVariants(variantCandidates(defs), ["district", "indicator"]);
    if (!plan.ok) throw new Error(plan.message);
    const asked = chooseVariant(plan.inputs, new URLSearchParams("district=bo&indicator=anc2"));
    expect(asked).toEqual({ values: { district: "bo", indicator: "anc2" }, key: "district=bo&indicator=anc2", isDefault: false });
    const unknown = chooseVariant(plan.inputs, new URLSearchParams("district=freetown&indicator=%27%3B--"));
    expect(unknown).toEqual({ values: defaultValues(plan.inputs), key: "district=kenema&indicator=anc1", isDefault: true });
    expect(variantQuery(plan.inputs, asked.values)).toEqual({ district: "bo", indicator: "anc2" });
    expect(variantQuery(plan.inputs, { district: "kenema", indicator: "anc2" })).toEqual({ district: null, indicator: "anc2" });
    expect(variantKey([], {})).toBe("");
  });

  it("encodes values in the key, so a value with & or = cannot pose as another input", () => {
    const inputs = [
      {
        name: "a",
        label: "a",
        options: [
          { value: "x&b=y", label: "" },
          { value: "z", label: "" },
        ],
        default: "z",
      },
    ];
    expect(variantKey(inputs, { a: "x&b=y" })).toBe("a=x%26b%3Dy");
  });
});
