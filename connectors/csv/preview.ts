import type { RunIssue } from "../core/types.ts";
import { openCsv, streamCsv } from "./read.ts";
import type { CsvOptions, CsvPreview, CsvPreviewRow } from "./types.ts";

export const PREVIEW_ROWS = 50;

/**
 * What the upload wizard shows: the options used (detected where not given), the column names and the first rows.
 * Reads only as far as it needs. Throws SourceFileError for empty or binary files.
 */
export async function previewCsv(path: string, options: CsvOptions = {}, limit = PREVIEW_ROWS): Promise<CsvPreview> {
  const opened = await openCsv(path, options);
  const stream = streamCsv(opened);
  const rows: CsvPreviewRow[] = [];
  const issues: RunIssue[] = [];
  outer: for await (const items of stream.items()) {
    for (const item of items) {
      if (item.kind === "issue") issues.push(item.issue);
      else {
        if (item.warning) issues.push(item.warning);
        rows.push({ row: item.row, values: item.values });
      }
      if (rows.length >= limit) break outer;
    }
  }
  return { file: opened.file, dialect: opened.dialect, columns: stream.columns(), rows, issues };
}
