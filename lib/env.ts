import { z } from "zod";

/**
 * The environment, parsed once with zod. A wrong value stops start-up with a message naming the variable.
 * Every variable here is listed in .env.example and the README.
 */
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  PGLITE_DIR: optionalString,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SESSION_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  APP_URL: z.string().url().default("http://localhost:3000"),
  CRON_SECRET: optionalString.pipe(z.string().min(16, "must be at least 16 characters").optional()),
  CATALOG: z
    .enum(["reliability-ai", "ai-platform", "business-os", "anomaly-detection", "compute-licences"])
    .default("reliability-ai"),
  OPERATOR_NAME: z.string().default("Meterline Demo Operator"),
  OPERATOR_ADDRESS: z.string().default("100 King St W, Toronto, ON, Canada"),
  INVOICE_PREFIX: z.string().regex(/^[A-Z]{2,6}$/, "must be 2–6 capital letters").default("INV"),
  INVOICE_DUE_DAYS: z.coerce.number().int().min(0).max(120).default(14),
  USAGE_LATE_GRACE_MINUTES: z.coerce.number().int().min(0).max(60 * 24 * 7).default(60),
  USAGE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
  STRIPE_SECRET_KEY: optionalString.pipe(z.string().regex(/^(sk|rk)_/, "must start with sk_ or rk_").optional()),
  STRIPE_WEBHOOK_SECRET: optionalString.pipe(z.string().regex(/^whsec_/, "must start with whsec_").optional()),
  STRIPE_API_BASE: optionalString.pipe(z.string().url().optional()),
  STRIPE_METER_SYNC: z.enum(["on", "off"]).default("off"),
  NEXT_PUBLIC_SUPABASE_URL: optionalString.pipe(z.string().url().optional()),
  NEXT_PUBLIC_SUPABASE_ANON_KEY: optionalString,
  SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional()),
  MAIL_FROM: z.string().default("Meterline <billing@meterline.local>"),
});

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(public readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const env = result.data;
  if (env.NEXT_PUBLIC_SUPABASE_URL && !env.NEXT_PUBLIC_SUPABASE_ANON_KEY) {
    throw new EnvError(["NEXT_PUBLIC_SUPABASE_ANON_KEY: required when NEXT_PUBLIC_SUPABASE_URL is set"]);
  }
  if (env.NODE_ENV === "production" && env.DATABASE_URL && !env.SESSION_SECRET) {
    throw new EnvError(["SESSION_SECRET: required in production with DATABASE_URL"]);
  }
  return env;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Tests change process.env between cases; production never calls this. */
export function resetEnvCache(): void {
  cached = undefined;
}
