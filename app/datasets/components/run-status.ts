import type { TFunction } from "i18next";

export function runStatusLabel(t: TFunction, status: string | null): string {
  switch (status) {
    case "running":
      return t("datasets.status.running");
    case "succeeded":
      return t("datasets.status.succeeded");
    case "cancelled":
      return t("datasets.status.cancelled");
    case "failed":
      return t("datasets.status.failed");
    default:
      return "";
  }
}
