/** Navigation of the two areas; a link appears here only once its page exists. */
export const customerNav = [
  { href: "/billing", label: "Overview" },
  { href: "/billing/usage", label: "Usage" },
  { href: "/billing/plans", label: "Plans" },
  { href: "/billing/invoices", label: "Invoices" },
  { href: "/billing/gain-share", label: "Gain-share" },
  { href: "/settings/api-keys", label: "API keys" },
] as const satisfies readonly { href: string; label: string }[];

export const operatorNav = [
  { href: "/admin", label: "Tenants" },
  { href: "/admin/gain-share", label: "Gain-share" },
  { href: "/admin/automation", label: "Automation" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/notifications", label: "Notifications" },
  { href: "/admin/catalog", label: "Catalog" },
] as const satisfies readonly { href: string; label: string }[];
