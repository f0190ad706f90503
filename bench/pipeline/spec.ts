/** The pipeline spec a data manager would save for the benchmark CSV: long layout, three location levels by name. */
import { type PipelineSpec, pipelineSpecSchema } from "../../connectors/core/pipeline-spec.ts";
import { type BenchSize, benchFields } from "./shape.ts";

export const BENCH_SLUG = "bench_pipeline";

export function benchSpec(csvPath: string, size: BenchSize): PipelineSpec {
  return pipelineSpecSchema.parse({
    dataset: { slug: BENCH_SLUG, title: "Pipeline benchmark" },
    source: { kind: "csv", config: { path: csvPath, name: "facility-data.csv" } },
    mapping: {
      source: "bench-hmis",
      period: { how: "dhis2-id", column: "Period", periodType: "Monthly" },
      location: [
        { column: "District", level: 2, by: "name" },
        { column: "Chiefdom", level: 3, by: "name" },
        { column: "Facility", level: 4, by: "name" },
      ],
      // The element cell holds the field's name: the harmonizer looks it up among source ids, field ids and names.
      layout: { kind: "long", fieldColumn: "Data element", valueColumn: "Value" },
    },
    fields: benchFields(size).map((f) => f.definition),
  });
}
