import { describe, expect, it } from "vitest";
import { guessRoles } from "./guess-roles.ts";

const levels = [
  { level: 1, name: "National" },
  { level: 2, name: "District" },
  { level: 3, name: "Chiefdom" },
  { level: 4, name: "Facility" },
];

describe("guessRoles", () => {
  it("recognises level names, the period and numeric value columns", () => {
    const roles = guessRoles(
      ["District", "Chiefdom", "Month", "Confirmed", "Tested", "Remarks"],
      [["Bo", "Badjia", "2024-01", "12", "1 204", "ok"]],
      levels,
    );
    expect(roles).toEqual(["location:2", "location:3", "period", "value", "value", ""]);
  });
  it("recognises a long table (data element, period, org unit, value) with accents and case", () => {
    const roles = guessRoles(["dataElement", "Période", "District name", "Valeur"], [["x", "202401", "Bo", "3"]], levels);
    expect(roles).toEqual(["field", "period", "location:2", "amount"]);
  });
});
