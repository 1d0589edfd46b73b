import { z } from "zod";
import { getDb } from "@/db";
import { requireTenantRole } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { AppError, errorResponse, zodFields } from "@/lib/http/errors";
import { createPlanCheckoutSession } from "@/lib/integrations/stripe/checkout";
import { stripeFromEnv } from "@/lib/integrations/stripe/client";

export const dynamic = "force-dynamic";

const schema = z.strictObject({ plan: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/**
 * POST /api/stripe/checkout (form field `plan`), tenant owners and admins: opens Stripe Checkout to confirm the
 * plan and save a payment method; 303 to Stripe. Without Stripe: 409 (plan changes go through /billing/plans).
 */
export async function POST(req: Request): Promise<Response> {
  const { user, tenant } = await requireTenantRole("admin");
  try {
    const stripe = stripeFromEnv();
    if (!stripe) throw new AppError(409, "stripe_not_configured", "Stripe is not configured: change plans from /billing/plans");
    const form = Object.fromEntries(await req.formData());
    const parsed = schema.safeParse(form);
    if (!parsed.success) throw new AppError(400, "invalid_request", "invalid plan", zodFields(parsed.error));
    const session = await createPlanCheckoutSession(await getDb(), stripe, { tenantId: tenant.tenantId, planCode: parsed.data.plan, appUrl: env().APP_URL, requestedBy: user.id });
    return Response.redirect(session.url, 303);
  } catch (err) {
    return errorResponse(err);
  }
}
