import { Badge } from "@/components/ui/badge";

const tone = { ok: "good", grace: "warn", past_due: "bad", suspended: "bad" } as const;
const label = { ok: "OK", grace: "Grace", past_due: "Past due", suspended: "Suspended" } as const;

export function DunningBadge({ state }: { state: string | null }) {
  if (!state) return <Badge>No subscription</Badge>;
  const s = state as keyof typeof tone;
  return <Badge tone={tone[s] ?? "neutral"}>{label[s] ?? state}</Badge>;
}
