import { adxConnector } from "../adx/index.ts";
import { csvConnector } from "../csv/index.ts";
import { dhis2Connector } from "../dhis2/index.ts";
import { excelConnector } from "../excel/index.ts";
import type { Connector } from "./types.ts";

/** Every source kind the runner can extract from. */
export const CONNECTORS: Record<string, Connector<never>> = {
  csv: csvConnector as Connector<never>,
  excel: excelConnector as Connector<never>,
  dhis2: dhis2Connector as Connector<never>,
  adx: adxConnector as Connector<never>,
};

export function connectorFor(kind: string): Connector<unknown> {
  const connector = CONNECTORS[kind];
  if (!connector) throw new Error(`unknown source kind "${kind}" (known: ${Object.keys(CONNECTORS).join(", ")})`);
  return connector as Connector<unknown>;
}
