import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonOk, requireApiUser } from "~/library/access.server";
import { groupsForPicker } from "~/library/groups.server";

/** GET /queries/my-groups.json → { groups: [{id, name}] }: the groups a query can be shared with (admins: all). */
export function loader({ context }: LoaderFunctionArgs) {
  const user = requireApiUser(context);
  return jsonOk({ groups: groupsForPicker(context.services.database.db, user) });
}
