/** A dataset short name from its title: the SQL identifier notebooks attach it under. */
export const slugOf = (title: string) =>
  title
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/^(\d)/, "d_$1")
    .slice(0, 63) || "dataset";
