import type { TFunction } from "i18next";

export function roleLabel(t: TFunction, role: string): string {
  switch (role) {
    case "admin":
      return t("roles.admin");
    case "analyst":
      return t("roles.analyst");
    default:
      return t("roles.viewer");
  }
}
