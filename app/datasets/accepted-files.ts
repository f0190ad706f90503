/** File types the dataset wizard imports (shared by the upload form and the server check); .xml is ADX. */
export const ACCEPTED_EXTENSIONS = [".csv", ".tsv", ".txt", ".xlsx", ".xml"] as const;
