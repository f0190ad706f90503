import { createInstance } from "i18next";
import { renderToString } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { catalogs } from "../../i18n/instance.ts";
import { CellFrame } from "./CellFrame.tsx";
import { MarkdownView } from "./MarkdownView.tsx";
import { ResultsGrid } from "./ResultsGrid.tsx";
import { SqlEditor } from "./SqlEditor.tsx";

// Server rendering must not touch the DOM: these render each component with react-dom/server in Node (no jsdom).
function render(node: React.ReactNode, lng = "en"): string {
  const i18n = createInstance();
  i18n.use(initReactI18next).init({
    lng,
    resources: { en: { translation: catalogs.en }, fr: { translation: catalogs.fr }, pt: { translation: catalogs.pt } },
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return renderToString(<I18nextProvider i18n={i18n}>{node}</I18nextProvider>);
}

const columns = [
  { name: "district", type: "VARCHAR" },
  { name: "cases", type: "BIGINT" },
];

describe("server rendering", () => {
  it("renders the grid's first rows with NULL marked, types in the header, and the cap", () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => ({ district: i === 0 ? null : `d${i}`, cases: BigInt(i) * 1000n }));
    const html = render(<ResultsGrid columns={columns} rows={rows} totalRows={25_000} locale="fr-FR" />, "fr");
    expect(html).toContain('<span class="nb-null">NULL</span>');
    expect(html).toContain("BIGINT");
    expect(html).toContain('aria-sort="none"');
    expect(html.replace(/[\u202f\u00a0]/g, " ")).toContain("Affichage des 10 000 premières lignes sur 25 000");
    // Virtualized: a screenful, not 10,000 rows.
    const rendered = html.match(/<tr /g)?.length ?? 0;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
  });

  it("renders the grid's empty states", () => {
    expect(render(<ResultsGrid columns={[]} rows={[]} totalRows={0} locale="en" />)).toContain("returned no table");
    expect(render(<ResultsGrid columns={columns} rows={[]} totalRows={0} locale="en" />)).toContain("returned no rows");
  });

  it("renders markdown sanitized", () => {
    const html = render(<MarkdownView source={"# Hi\n\n<img src=x onerror=alert(1)> [x](javascript:alert(1))"} />);
    expect(html).toContain("<h1>Hi</h1>");
    expect(html).not.toMatch(/onerror|javascript:/);
  });

  it("renders the SQL editor as text without creating a CodeMirror view", () => {
    const html = render(<SqlEditor label="cell1" value={"SELECT 1 <"} error={{ message: "Parser Error", position: 7 }} />);
    expect(html).toContain('<pre class="nb-sql-fallback">SELECT 1 &lt;</pre>');
    expect(html).toContain("Parser Error");
    expect(html).not.toContain("cm-editor");
    const ytext = new Y.Doc().getText("source");
    ytext.insert(0, "SELECT 2");
    expect(render(<SqlEditor label="cell2" yText={ytext} />)).toContain("SELECT 2");
  });

  it("renders a cell frame with status, time and plural row count", () => {
    const noop = () => {};
    const props = {
      id: "c1",
      name: "cell1",
      kind: "sql" as const,
      locale: "pt-PT",
      validateName: () => null,
      onRename: noop,
      onKindChange: noop,
      onRun: noop,
      onDelete: noop,
      inputCollapsed: false,
      outputCollapsed: true,
      onToggleInput: noop,
      onToggleOutput: noop,
      input: <p>input</p>,
      output: <p>output</p>,
    };
    const html = render(<CellFrame {...props} status="done" durationMs={1432} rowCount={1} />, "pt");
    expect(html).toContain("Concluída · 1,43 s · 1 linha");
    expect(html).toContain('aria-label="Executar célula"');
    expect(html).toContain('aria-label="Mover célula para cima"');
    expect(html).toMatch(/<div id="[^"]+-output" class="nb-cell-output" hidden="">/);
    const many = render(<CellFrame {...props} status="done" rowCount={1_000_000} />, "fr");
    expect(many.replace(/[\u202f\u00a0]/g, " ")).toContain("1 000 000 de lignes");
    const viewer = render(<CellFrame {...props} status="error" readOnly />, "en");
    expect(viewer).not.toContain("Delete cell");
    expect(viewer).toContain("Error");
  });
});
