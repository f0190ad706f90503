/**
 * `/api/dataValueSets` (JSON) over the recorded data values. Like DHIS2: a data set or data element, a period or a
 * start/end date range, and an org unit are required (409 otherwise); `children=true` widens each org unit to its subtree.
 * A value belongs to a data set when its recording says so or when the data set lists its data element.
 */
import { ConflictError } from "./analytics.ts";
import type { StandinData } from "./fixtures.ts";
import { periodRange } from "./periods.ts";

export function answerDataValueSets(params: URLSearchParams, data: StandinData): Record<string, unknown> {
  const dataSets = params.getAll("dataSet").flatMap((s) => s.split(","));
  const dataElements = params.getAll("dataElement").flatMap((s) => s.split(","));
  const periods = params.getAll("period").flatMap((s) => s.split(","));
  const orgUnits = params.getAll("orgUnit").flatMap((s) => s.split(","));
  const [startDate, endDate] = [params.get("startDate"), params.get("endDate")];
  const children = params.get("children") === "true";

  if (dataSets.length === 0 && dataElements.length === 0) {
    throw new ConflictError("At least one valid data set or data element group must be specified", "E2001");
  }
  if (periods.length === 0 && !(startDate && endDate)) {
    throw new ConflictError(
      "At least one valid period, start/end dates, last updated or last updated duration must be specified",
      "E2002",
    );
  }
  if (orgUnits.length === 0)
    throw new ConflictError("At least one valid organisation unit or organisation unit group must be specified", "E2006");
  const unknownSets = dataSets.filter(
    (id) => !data.dataSets.some((d) => d.id === id) && !data.dataValues.some((v) => v.dataSet === id),
  );
  if (unknownSets.length) throw new ConflictError(`Data set not found or not accessible: \`${unknownSets.join(", ")}\``, "E2003");
  const unknownUnits = orgUnits.filter((id) => !data.orgUnitById.has(id));
  if (unknownUnits.length)
    throw new ConflictError(`Organisation unit not found or not accessible: \`${unknownUnits.join(", ")}\``, "E2007");

  const setElements = new Set(
    data.dataSets
      .filter((d) => dataSets.includes(d.id))
      .flatMap((d) => (d.dataSetElements ?? []).map((e: { dataElement: { id: string } }) => e.dataElement.id)),
  );
  const inSelection = (v: StandinData["dataValues"][number]) =>
    dataElements.includes(v.value.dataElement) ||
    (v.dataSet !== undefined && dataSets.includes(v.dataSet)) ||
    setElements.has(v.value.dataElement);
  const inPeriod = (period: string) => {
    if (periods.length) return periods.includes(period);
    const range = periodRange(period);
    return range !== undefined && range.start >= startDate! && range.end <= endDate!;
  };
  const inOrgUnit = (id: string) => {
    if (orgUnits.includes(id)) return true;
    if (!children) return false;
    const unit = data.orgUnitById.get(id);
    return unit !== undefined && orgUnits.some((root) => unit.path.includes(`/${root}/`));
  };
  const dataValues = data.dataValues
    .filter((v) => inSelection(v) && inPeriod(v.value.period) && inOrgUnit(v.value.orgUnit))
    .map((v) => v.value);
  return { dataValues };
}
