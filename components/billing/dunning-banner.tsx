/** The dunning banner shown on every billing page while a payment problem is open. */
export function DunningBanner({ state }: { state: string }) {
  if (state === "ok") return null;
  const text =
    state === "suspended"
      ? "Your account is suspended for non-payment: usage is not being accepted. Pay the open invoice to restore service."
      : state === "past_due"
        ? "Your payment is past due. Please update your payment method to avoid suspension."
        : "Your last payment failed. We will retry it; please check your payment method.";
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-900">
      {text}
    </div>
  );
}
