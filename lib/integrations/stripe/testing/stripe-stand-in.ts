/**
 * A local Stripe stand-in for tests: an HTTP server in the test process that answers the API calls Meterline
 * makes with objects shaped like Stripe's (templates from fixtures.json, Stripe's own example objects),
 * keeps their state in memory, honours Idempotency-Key like Stripe (same key → the first answer again),
 * and records every call. Point the SDK at it with createStripeClient({ apiBase: standIn.url }).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import fixtures from "./fixtures.json";
import { parseStripeForm } from "./form-body";

type Obj = Record<string, unknown>;

export interface RecordedCall {
  method: string;
  path: string;
  params: Obj;
  idempotencyKey: string | null;
  /** True when the answer was the stored one for a repeated idempotency key. */
  replayed: boolean;
  status: number;
}

interface Failure {
  method: string;
  path: RegExp;
  status: number;
  remaining: number;
  message: string;
}

const templates = (fixtures as { resources: Record<string, Obj> }).resources;

function template(name: string): Obj {
  return structuredClone(templates[name]);
}

export class StripeStandIn {
  readonly calls: RecordedCall[] = [];
  readonly customers = new Map<string, Obj>();
  readonly invoices = new Map<string, Obj>();
  readonly subscriptions = new Map<string, Obj>();
  readonly checkoutSessions = new Map<string, Obj>();
  readonly meterEvents: Obj[] = [];
  /** What POST /v1/invoices/:id/pay does: settle the invoice, or decline the card (402 card_error). */
  paymentOutcome: "succeed" | "decline" = "succeed";
  private failures: Failure[] = [];
  private idempotent = new Map<string, { status: number; body: Obj }>();
  private seq = 0;
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The next `count` calls matching method and path answer `status` (a Stripe api_error body). */
  failNext(method: string, path: RegExp, options: { status?: number; count?: number; message?: string } = {}) {
    this.failures.push({ method, path, status: options.status ?? 500, remaining: options.count ?? 1, message: options.message ?? "stand-in failure" });
  }

  callsTo(method: string, path: RegExp): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && path.test(c.path));
  }

  /** Puts a subscription into the stand-in (what a re-fetch returns). */
  putSubscription(sub: Obj): Obj {
    const full = { ...template("subscription"), ...sub };
    this.subscriptions.set(String(full.id), full);
    return full;
  }

  newId(prefix: string): string {
    this.seq += 1;
    return `${prefix}_standin${String(this.seq).padStart(6, "0")}`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const method = req.method ?? "GET";
    const params = method === "GET" || method === "DELETE" ? parseStripeForm(url.search.slice(1)) : parseStripeForm(Buffer.concat(chunks).toString("utf8"));
    const key = (req.headers["idempotency-key"] as string | undefined) ?? null;
    const send = (status: number, body: Obj, replayed = false) => {
      this.calls.push({ method, path: url.pathname, params, idempotencyKey: key, replayed, status });
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_${this.seq}` });
      res.end(JSON.stringify(body));
    };
    if (!String(req.headers.authorization ?? "").startsWith("Bearer ")) {
      return send(401, { error: { type: "invalid_request_error", message: "No API key provided." } });
    }
    const failure = this.failures.find((f) => f.remaining > 0 && f.method === method && f.path.test(url.pathname));
    if (failure) {
      failure.remaining -= 1;
      return send(failure.status, { error: { type: "api_error", message: failure.message } });
    }
    const cacheKey = key ? `${method} ${url.pathname} ${key}` : null;
    if (cacheKey && this.idempotent.has(cacheKey)) {
      const hit = this.idempotent.get(cacheKey)!;
      return send(hit.status, hit.body, true);
    }
    let status = 200;
    let body: Obj;
    try {
      body = this.route(method, url.pathname, params);
    } catch (err) {
      if (err instanceof StandInError) {
        status = err.status;
        body = { error: err.body };
      } else {
        status = 500;
        body = { error: { type: "api_error", message: String(err) } };
      }
    }
    // Stripe stores the answer of a keyed request, errors included (except 5xx, which may be retried).
    if (cacheKey && status < 500) this.idempotent.set(cacheKey, { status, body });
    send(status, body);
  }

  private route(method: string, path: string, p: Obj): Obj {
    let m: RegExpMatchArray | null;
    if (method === "POST" && path === "/v1/customers") return this.createCustomer(p);
    if (method === "GET" && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) return this.get(this.customers, m[1], "customer");
    if (method === "POST" && (m = path.match(/^\/v1\/customers\/([^/]+)$/))) return this.update(this.customers, m[1], "customer", p);
    if (method === "POST" && path === "/v1/checkout/sessions") return this.createCheckoutSession(p);
    if (method === "POST" && path === "/v1/billing_portal/sessions") return this.createPortalSession(p);
    if (method === "POST" && path === "/v1/invoices") return this.createInvoice(p);
    if (method === "GET" && (m = path.match(/^\/v1\/invoices\/([^/]+)$/))) return this.get(this.invoices, m[1], "invoice");
    if (method === "GET" && (m = path.match(/^\/v1\/invoices\/([^/]+)\/lines$/))) {
      const inv = this.get(this.invoices, m[1], "invoice");
      return inv.lines as Obj;
    }
    if (method === "POST" && (m = path.match(/^\/v1\/invoices\/([^/]+)\/finalize$/))) return this.finalize(m[1]);
    if (method === "POST" && (m = path.match(/^\/v1\/invoices\/([^/]+)\/pay$/))) return this.pay(m[1]);
    if (method === "POST" && path === "/v1/invoiceitems") return this.createInvoiceItem(p);
    if (method === "GET" && (m = path.match(/^\/v1\/subscriptions\/([^/]+)$/))) return this.get(this.subscriptions, m[1], "subscription");
    if (method === "POST" && path === "/v1/billing/meter_events") return this.createMeterEvent(p);
    throw new StandInError(404, { type: "invalid_request_error", message: `Unrecognized request URL (${method}: ${path}).` });
  }

  private get(map: Map<string, Obj>, id: string, what: string): Obj {
    const o = map.get(id);
    if (!o) throw new StandInError(404, { type: "invalid_request_error", code: "resource_missing", message: `No such ${what}: '${id}'` });
    return o;
  }

  private update(map: Map<string, Obj>, id: string, what: string, p: Obj): Obj {
    const o = this.get(map, id, what);
    for (const [k, v] of Object.entries(p)) {
      o[k] = typeof v === "object" && v && typeof o[k] === "object" && o[k] ? { ...(o[k] as Obj), ...(v as Obj) } : v;
    }
    return o;
  }

  private now(): number {
    return Math.floor(Date.now() / 1000);
  }

  private createCustomer(p: Obj): Obj {
    const c = { ...template("customer"), id: this.newId("cus"), created: this.now(), email: p.email ?? null, name: p.name ?? null, metadata: p.metadata ?? {}, currency: null };
    this.customers.set(c.id, c);
    return c;
  }

  private createCheckoutSession(p: Obj): Obj {
    if (!p.customer) throw new StandInError(400, { type: "invalid_request_error", message: "Missing customer" });
    const id = this.newId("cs_test");
    const s = {
      ...template("checkout.session"),
      id,
      created: this.now(),
      customer: p.customer,
      mode: p.mode,
      currency: p.currency ?? null,
      metadata: p.metadata ?? {},
      success_url: p.success_url,
      cancel_url: p.cancel_url,
      status: "open",
      payment_intent: null,
      url: `https://checkout.stripe.test/c/pay/${id}`,
    };
    this.checkoutSessions.set(id, s);
    return s;
  }

  private createPortalSession(p: Obj): Obj {
    const id = this.newId("bps");
    return { ...template("billing_portal.session"), id, customer: p.customer, return_url: p.return_url, flow: null, url: `https://billing.stripe.test/p/session/${id}` };
  }

  private createInvoice(p: Obj): Obj {
    if (!p.customer || !this.customers.has(String(p.customer))) {
      throw new StandInError(400, { type: "invalid_request_error", message: `No such customer: '${String(p.customer)}'` });
    }
    const id = this.newId("in");
    const inv: Obj = {
      ...template("invoice"),
      id,
      created: this.now(),
      customer: p.customer,
      currency: String(p.currency ?? "usd"),
      status: "draft",
      number: null,
      hosted_invoice_url: null,
      invoice_pdf: null,
      auto_advance: p.auto_advance === "true",
      collection_method: p.collection_method ?? "charge_automatically",
      description: p.description ?? null,
      metadata: p.metadata ?? {},
      amount_due: 0,
      amount_paid: 0,
      amount_remaining: 0,
      subtotal: 0,
      total: 0,
      attempt_count: 0,
      attempted: false,
      parent: null,
      last_finalization_error: null,
      status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
      lines: { object: "list", data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    };
    this.invoices.set(id, inv);
    return inv;
  }

  private createInvoiceItem(p: Obj): Obj {
    const invoiceId = String(p.invoice ?? "");
    const inv = this.get(this.invoices, invoiceId, "invoice");
    if (inv.status !== "draft") throw new StandInError(400, { type: "invalid_request_error", message: "You can only add invoice items to draft invoices." });
    if (p.amount === undefined || !/^-?\d+$/.test(String(p.amount))) {
      throw new StandInError(400, { type: "invalid_request_error", message: "amount must be an integer" });
    }
    const amount = Number(p.amount);
    const item = {
      ...template("invoiceitem"),
      id: this.newId("ii"),
      amount,
      currency: p.currency,
      customer: p.customer,
      description: p.description ?? null,
      invoice: invoiceId,
      metadata: p.metadata ?? {},
      parent: null,
      quantity: 1,
      quantity_decimal: "1",
    };
    const line = {
      ...((templates.invoice.lines as { data: Obj[] }).data[0] as Obj),
      id: this.newId("il"),
      amount,
      currency: p.currency,
      description: p.description ?? null,
      invoice: invoiceId,
      metadata: p.metadata ?? {},
      parent: { type: "invoice_item_details", invoice_item_details: { invoice_item: item.id, proration: false, proration_details: null, subscription: null }, subscription_item_details: null },
      subtotal: amount,
      quantity: 1,
    };
    const lines = inv.lines as { data: Obj[] };
    lines.data.push(line);
    const total = lines.data.reduce((s, l) => s + Number(l.amount), 0);
    Object.assign(inv, { subtotal: total, total, amount_due: total, amount_remaining: total });
    return item;
  }

  private finalize(id: string): Obj {
    const inv = this.get(this.invoices, id, "invoice");
    if (inv.status !== "draft") throw new StandInError(400, { type: "invalid_request_error", code: "invoice_not_editable", message: `This invoice is already finalized.` });
    this.seq += 1;
    Object.assign(inv, {
      status: "open",
      number: `STANDIN-${String(this.seq).padStart(4, "0")}`,
      hosted_invoice_url: `https://invoice.stripe.test/i/${id}`,
      invoice_pdf: `https://invoice.stripe.test/i/${id}/pdf`,
      status_transitions: { ...(inv.status_transitions as Obj), finalized_at: this.now() },
    });
    return inv;
  }

  private pay(id: string): Obj {
    const inv = this.get(this.invoices, id, "invoice");
    if (inv.status === "paid") throw new StandInError(400, { type: "invalid_request_error", code: "invoice_already_paid", message: "Invoice is already paid" });
    if (inv.status !== "open") throw new StandInError(400, { type: "invalid_request_error", message: `Invoice is ${String(inv.status)}` });
    inv.attempt_count = Number(inv.attempt_count) + 1;
    inv.attempted = true;
    if (this.paymentOutcome === "decline") {
      throw new StandInError(402, { type: "card_error", code: "card_declined", decline_code: "insufficient_funds", message: "Your card has insufficient funds." });
    }
    Object.assign(inv, {
      status: "paid",
      amount_paid: inv.amount_due,
      amount_remaining: 0,
      status_transitions: { ...(inv.status_transitions as Obj), paid_at: this.now() },
    });
    return inv;
  }

  private createMeterEvent(p: Obj): Obj {
    const e = { ...template("billing.meter_event"), created: this.now(), event_name: p.event_name, identifier: p.identifier, payload: p.payload, timestamp: Number(p.timestamp ?? this.now()) };
    this.meterEvents.push(e);
    return e;
  }
}

class StandInError extends Error {
  constructor(
    readonly status: number,
    readonly body: Obj,
  ) {
    super(String(body.message));
  }
}

/** A Stripe event wrapping `object` (the `event` fixture with the given id, type and time). */
export function stripeEvent(params: { id: string; type: string; object: Obj; created?: number }): Obj {
  return {
    ...template("event"),
    id: params.id,
    type: params.type,
    created: params.created ?? Math.floor(Date.now() / 1000),
    api_version: "2026-10-28.endive",
    data: { object: params.object },
    request: { id: null, idempotency_key: null },
  };
}

/** A Stripe-shaped object from the fixtures with overrides (e.g. fixture("invoice", { id, status })). */
export function fixture(name: "invoice" | "subscription" | "checkout.session" | "payment_method" | "customer", overrides: Obj): Obj {
  return { ...template(name), ...overrides };
}
