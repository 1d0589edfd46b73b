/** Per-request cached reads for pages (React cache(): one query per render even when read twice). */
import { cache } from "react";
import { getDb } from "@/db";
import { getUsageView } from "./get-usage-view";

export const usageViewFor = cache(async (tenantId: string) => getUsageView(await getDb(), { tenantId, now: new Date() }));
