/**
 * Download file names from the notebook title and the cell name: letters and digits of any script, "-", "_" and "."
 * kept; everything else (path separators, quotes, control characters, spaces) becomes "-". Capped so that the whole
 * name fits file systems (255 bytes) and Content-Disposition headers comfortably.
 */
const MAX_STEM = 100;
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

export function safeNamePart(text: string | null | undefined): string {
  return (text ?? "")
    .normalize("NFC")
    .replace(/[^\p{L}\p{N}\p{M}_.-]+/gu, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
}

export function fileNameFor(notebookTitle: string | null | undefined, cellName: string | null | undefined, ext: string): string {
  const parts = [safeNamePart(notebookTitle), safeNamePart(cellName)].filter(Boolean);
  let stem = parts.join("_") || "export";
  // Cut by code points, never inside a surrogate pair.
  const points = Array.from(stem);
  if (points.length > MAX_STEM)
    stem = points
      .slice(0, MAX_STEM)
      .join("")
      .replace(/[-._]+$/, "");
  if (WINDOWS_RESERVED.test(stem)) stem = `${stem}_export`;
  const extension = safeNamePart(ext.replace(/^\.+/, "")).toLowerCase() || "bin";
  return `${stem}.${extension}`;
}
