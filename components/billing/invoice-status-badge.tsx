import { Badge } from "@/components/ui/badge";

const tones = { draft: "neutral", open: "warn", paid: "good", void: "neutral", uncollectible: "bad" } as const;
const labels = { draft: "Draft", open: "Open", paid: "Paid", void: "Void", uncollectible: "Uncollectible" } as const;

export function InvoiceStatusBadge({ status }: { status: keyof typeof tones }) {
  return <Badge tone={tones[status]}>{labels[status]}</Badge>;
}
