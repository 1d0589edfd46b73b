import { Badge } from "@/components/ui/badge";
import type { RunRow } from "@/lib/services/gain-share/run-types";

const LABEL = { pending_approval: "Pending approval", approved: "Approved", rejected: "Rejected" } as const;
const TONE = { pending_approval: "warn", approved: "good", rejected: "bad" } as const;

export function RunStatusBadge({ status }: { status: RunRow["status"] }) {
  return <Badge tone={TONE[status]}>{LABEL[status]}</Badge>;
}
