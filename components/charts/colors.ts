/** Series colours shared by client charts and server legends (all ≥ 3:1 against white). */
export const CHART_COLORS_STATIC = ["#4f46e5", "#0891b2", "#d97706", "#be123c", "#15803d", "#7c3aed"];
