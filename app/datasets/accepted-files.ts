/** File types the dataset wizard imports (shared by the upload form and the server check). */
export const ACCEPTED_EXTENSIONS = [".csv", ".tsv", ".txt", ".xlsx"] as const;
