/**
 * Notebook page components: pure presentation (data in through props, events out through callbacks; no fetching, no Remix).
 * Styles: link `notebook-components.css` from the route (`import href from "./notebook-components.css?url"` in `links`).
 */
export { CellFrame, type CellFrameProps, type CellKind, type CellStatus } from "./CellFrame.tsx";
export { copyText } from "./clipboard.ts";
export { CellFormatter, type ColumnKind, clipboardText, columnKind, formatDuration, type GridColumn } from "./format.ts";
export { nextSort, rowsToTsv, type SortState, viewRows } from "./grid-model.ts";
export { MarkdownView, type MarkdownViewProps } from "./MarkdownView.tsx";
export { type MarkdownOptions, renderMarkdown, safeImageSrc, safeLinkHref, sanitizeMarkdownHtml } from "./markdown.ts";
export { ResultsGrid, type ResultsGridProps } from "./ResultsGrid.tsx";
export { type RunMode, SqlEditor, type SqlEditorProps } from "./SqlEditor.tsx";
export { DuckDBDialect, type EditorSchema, errorRange, type SqlError, schemaToNamespace } from "./sql-editor-model.ts";
