/**
 * Typed errors of the pricing engine. Every error carries a stable `code` so that callers
 * (HTTP layer, CLI, server actions) can map it without parsing messages.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A value is not a finite decimal (NaN, Infinity, garbage string). */
export class InvalidDecimalError extends DomainError {
  constructor(value: unknown) {
    super("invalid_decimal", `expected a finite decimal, got ${describe(value)}`, { value: String(value) });
  }
}

/** Something was looked up by code and does not exist (plan, promotion, tax rate, metric…). */
export class UnknownCodeError extends DomainError {
  constructor(
    readonly entity: string,
    readonly value: string,
    readonly known: readonly string[],
    where?: string,
  ) {
    super(
      `unknown_${entity.replace(/ /g, "_")}`,
      `unknown ${entity} "${value}"${where ? ` in ${where}` : ""}` +
        (known.length ? ` (known: ${known.join(", ")})` : ""),
      { entity, value, known: [...known] },
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
