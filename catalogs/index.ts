/**
 * The five shipped catalogs (SPEC §4), parsed and validated once. `CATALOG=<code>` at seed time
 * picks one; the default is reliability-ai.
 */
import { parseCatalog, type Catalog, type CatalogInput } from "../lib/domain/catalog";
import { UnknownCodeError } from "../lib/domain/errors";
import { aiPlatform } from "./ai-platform";
import { anomalyDetection } from "./anomaly-detection";
import { businessOs } from "./business-os";
import { computeLicences } from "./compute-licences";
import { reliabilityAi } from "./reliability-ai";

export const DEFAULT_CATALOG = "reliability-ai";

/** The raw catalog files, keyed by catalog code. */
export const catalogSources: Record<string, CatalogInput> = {
  "reliability-ai": reliabilityAi,
  "ai-platform": aiPlatform,
  "business-os": businessOs,
  "anomaly-detection": anomalyDetection,
  "compute-licences": computeLicences,
};

export const catalogCodes: readonly string[] = Object.keys(catalogSources);

const parsed = new Map<string, Catalog>();

/** A shipped catalog by code, parsed and validated (cached). Throws UnknownCodeError / CatalogError. */
export function loadCatalog(code: string = DEFAULT_CATALOG): Catalog {
  const cached = parsed.get(code);
  if (cached) return structuredClone(cached);
  const source = catalogSources[code];
  if (!source) throw new UnknownCodeError("catalog", code, catalogCodes);
  const catalog = parseCatalog(source);
  parsed.set(code, catalog);
  return structuredClone(catalog);
}

export function loadAllCatalogs(): Catalog[] {
  return catalogCodes.map((code) => loadCatalog(code));
}
