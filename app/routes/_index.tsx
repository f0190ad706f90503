import { type LoaderFunctionArgs, redirect } from "@remix-run/node";
import { requireUser } from "~/auth/guards.server";

export function loader({ request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  return redirect("/notebooks");
}
