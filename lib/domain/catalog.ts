/** The catalog: zod schema, resolved types, parsing with path-named errors, and look-ups. */
export * from "./catalog/types";
export { catalogSchema, type CatalogInput, type PlanInput, type ComponentInput } from "./catalog/schema";
export { parseCatalog, validateCatalog, CatalogError, formatIssuePath } from "./catalog/parse-catalog";
export { dimensionCells, dimensionCellOf, describeCell, DIMENSION_SEPARATOR } from "./catalog/dimensions";
export {
  findPlan,
  findMetric,
  findPromotion,
  findTaxRate,
  componentFor,
  creditPools,
  pricedCodes,
  baseFeeOf,
} from "./catalog/lookup";
