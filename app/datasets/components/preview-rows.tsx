import type { UploadPreview } from "../preview.server";

/** The previewed rows (row or line number first, NULL shown as such) under a header the caller draws. */
export function PreviewRows({ preview }: { preview: UploadPreview }) {
  return (
    <tbody>
      {preview.rows.map((r) => (
        <tr key={r.row}>
          <td className="muted">{r.row}</td>
          {r.values.map((v, i) => (
            <td key={preview.columns[i]}>{v === null ? <span className="null">NULL</span> : v}</td>
          ))}
        </tr>
      ))}
    </tbody>
  );
}

/** Problems found in the previewed rows, each naming its place. */
export function PreviewIssues({ issues }: { issues: string[] }) {
  if (issues.length === 0) return null;
  return (
    <ul className="issues">
      {issues.map((i) => (
        <li key={i}>{i}</li>
      ))}
    </ul>
  );
}
