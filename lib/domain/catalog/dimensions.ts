/** Dimension cells of a dimensional metric: values joined with ':' in the metric's dimension order. */
import type { Metric } from "./types";

export const DIMENSION_SEPARATOR = ":";

/** Every cell key of the metric's dimension product, e.g. "small:development" … "large:analytics". */
export function dimensionCells(metric: Pick<Metric, "dimensions">): string[] {
  let cells: string[][] = [[]];
  for (const dimension of metric.dimensions) {
    cells = cells.flatMap((prefix) => dimension.values.map((v) => [...prefix, v]));
  }
  return metric.dimensions.length === 0 ? [] : cells.map((c) => c.join(DIMENSION_SEPARATOR));
}

/** The cell key of a set of properties, or an explanation of what is missing or unknown. */
export function dimensionCellOf(
  metric: Pick<Metric, "code" | "dimensions">,
  properties: Record<string, unknown>,
): { ok: true; cell: string } | { ok: false; message: string } {
  const parts: string[] = [];
  for (const dimension of metric.dimensions) {
    const value = properties[dimension.key];
    if (typeof value !== "string" || !dimension.values.includes(value)) {
      return {
        ok: false,
        message:
          `metric ${metric.code} needs property "${dimension.key}" to be one of ` +
          `${dimension.values.join(", ")}; got ${value === undefined ? "nothing" : JSON.stringify(value)}`,
      };
    }
    parts.push(value);
  }
  return { ok: true, cell: parts.join(DIMENSION_SEPARATOR) };
}

/** Human label of a cell: "medium × production". */
export function describeCell(cell: string): string {
  return cell.split(DIMENSION_SEPARATOR).join(" × ");
}
