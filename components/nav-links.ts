/** Navigation of the two areas; a link appears here only once its page exists. */
export const customerNav = [
  { href: "/billing", label: "Overview" },
] as const satisfies readonly { href: string; label: string }[];

export const operatorNav = [] as const satisfies readonly { href: string; label: string }[];
