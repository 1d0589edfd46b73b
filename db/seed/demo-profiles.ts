import type { Catalog } from "@/lib/domain/catalog/types";

export const DEMO_PASSWORD = "meterline-demo";

export interface DemoTenant {
  slug: string;
  name: string;
  plan: string;
  /** Monthly usage as a fraction of each included quantity (1.0 = exactly the included amount). */
  load: number;
  /** Fraction of the current period's included usage already used (the period is partly over). */
  currentLoad?: number;
  owner: { email: string; name: string };
  member?: { email: string; name: string };
  sites?: number;
  kpis?: boolean;
  promotionCode?: string;
  taxRateCode?: string;
  locale?: string;
}

/** The demo tenants of a catalog: the default catalog's are hand-written, others get one tenant per plan. */
export function demoTenantsFor(catalog: Catalog): DemoTenant[] {
  if (catalog.code === "reliability-ai") {
    return [
      {
        slug: "acme-foods",
        name: "Acme Foods",
        plan: "STARTER",
        load: 0.7,
        owner: { email: "owner@acme-foods.example", name: "Avery Chen" },
        sites: 1,
        taxRateCode: catalog.tax_rates[0]?.code,
      },
      {
        slug: "northwind",
        name: "Northwind Utilities",
        plan: "PRO",
        load: 0.93,
        currentLoad: 0.9,
        owner: { email: "owner@northwind.example", name: "Olivia Owner" },
        member: { email: "member@northwind.example", name: "Milo Member" },
        sites: 3,
        taxRateCode: catalog.tax_rates[0]?.code,
      },
      {
        slug: "titan-mining",
        name: "Titan Mining",
        plan: "ENTERPRISE",
        load: 0.75,
        owner: { email: "owner@titan-mining.example", name: "Tess Titan" },
        sites: 6,
        kpis: true,
        taxRateCode: catalog.tax_rates[0]?.code,
      },
    ];
  }
  return catalog.plans.map((plan, i) => ({
    slug: `${catalog.code}-${plan.code}`.toLowerCase(),
    name: `${plan.display_name || plan.name} Customer`,
    plan: plan.code,
    load: [0.6, 0.95, 1.15][i % 3],
    owner: { email: `owner@${plan.code.toLowerCase()}.${catalog.code}.example`, name: `${plan.code} Owner` },
    member: i === 0 ? { email: `member@${plan.code.toLowerCase()}.${catalog.code}.example`, name: "Demo Member" } : undefined,
    sites: 2,
    promotionCode: catalog.promotions.find((p) => !p.plans || p.plans.includes(plan.code))?.code,
    locale: "en-US",
  }));
}

export const DEMO_OPERATOR = { email: "admin@meterline.example", name: "Operator Admin" };
