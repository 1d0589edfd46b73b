import { getDb } from "@/db";
import { requireTenantRole } from "@/lib/auth/guards";
import { env } from "@/lib/env";
import { AppError, errorResponse } from "@/lib/http/errors";
import { createPortalSession } from "@/lib/integrations/stripe/checkout";
import { stripeFromEnv } from "@/lib/integrations/stripe/client";

export const dynamic = "force-dynamic";

/** POST /api/stripe/portal, tenant owners and admins: 303 to the Stripe Customer Portal (payment methods). */
export async function POST(): Promise<Response> {
  const { tenant } = await requireTenantRole("admin");
  try {
    const stripe = stripeFromEnv();
    if (!stripe) throw new AppError(409, "stripe_not_configured", "Stripe is not configured: payments are recorded by the operator");
    const session = await createPortalSession(await getDb(), stripe, { tenantId: tenant.tenantId, appUrl: env().APP_URL });
    return Response.redirect(session.url, 303);
  } catch (err) {
    return errorResponse(err);
  }
}
