import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";

export default async function Home() {
  const user = await getSessionUser();
  if (!user) redirect("/sign-in");
  redirect(user.memberships.length === 0 && user.isOperatorAdmin ? "/admin" : "/billing");
}
