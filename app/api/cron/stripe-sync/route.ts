import { cronRoute } from "@/lib/http/cron-route";

export const dynamic = "force-dynamic";

export const GET = cronRoute("stripe-sync");
