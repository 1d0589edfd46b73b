/**
 * The invoice PDF, drawn with pdf-lib (no browser, no native code): operator and customer details, number,
 * status, dates, period, every line, subtotal, discount, tax, total, amount paid and balance due.
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { formatAmount, toDecimal, Decimal } from "@/lib/domain/money";

export interface InvoicePdfInput {
  operator: { name: string; address: string };
  customer: { name: string; email: string | null };
  invoice: {
    number: string;
    kind: "period" | "threshold" | "credit_note";
    status: string;
    currency: string;
    issuedAt: Date | null;
    dueAt: Date | null;
    periodStart: Date;
    periodEnd: Date;
    planCode: string | null;
    subtotal: string;
    discount: string;
    tax: string;
    total: string;
    amountPaid: string;
    creditNoteFor?: string | null;
    hostedUrl?: string | null;
  };
  lines: { description: string; quantity: string; unitAmount: string; amount: string }[];
}

const PAGE = { width: 595.28, height: 841.89 }; // A4
const MARGIN = 50;
const GREY = rgb(0.4, 0.4, 0.4);

/** "1234567.5" in CAD → "1,234,567.50" */
export function displayMoney(amount: string, currency: string): string {
  const s = formatAmount(amount, currency);
  const negative = s.startsWith("-");
  const [int, frac] = (negative ? s.slice(1) : s).split(".");
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${frac !== undefined ? `.${frac}` : ""}`;
}

function day(d: Date | null): string {
  return d ? d.toISOString().slice(0, 10) : "-";
}

/** Standard fonts speak WinAnsi only: anything else becomes "?" instead of failing the whole document. */
function safe(text: string, font: PDFFont): string {
  let out = "";
  for (const ch of text.replace(/\s+/g, " ")) {
    try {
      font.encodeText(ch);
      out += ch;
    } catch {
      out += "?";
    }
  }
  return out;
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const words = text.split(" ");
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    const candidate = line ? `${line} ${w}` : w;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export async function renderInvoicePdf(input: InvoicePdfInput): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const inv = input.invoice;
  const title = inv.kind === "credit_note" ? "CREDIT NOTE" : inv.kind === "threshold" ? "INTERIM INVOICE" : "INVOICE";
  doc.setTitle(`${title} ${inv.number}`);
  doc.setAuthor(input.operator.name);
  doc.setCreator("Meterline");
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const money = (a: string) => `${displayMoney(a, inv.currency)}`;

  let page: PDFPage = doc.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - MARGIN;
  const text = (s: string, x: number, yy: number, opts: { size?: number; f?: PDFFont; color?: ReturnType<typeof rgb>; right?: boolean } = {}) => {
    const f = opts.f ?? font;
    const size = opts.size ?? 10;
    const t = safe(s, f);
    const w = f.widthOfTextAtSize(t, size);
    page.drawText(t, { x: opts.right ? x - w : x, y: yy, size, font: f, color: opts.color ?? rgb(0, 0, 0) });
  };

  // Header: operator left, document title and number right.
  text(input.operator.name, MARGIN, y, { size: 14, f: bold });
  text(title, PAGE.width - MARGIN, y, { size: 18, f: bold, right: true });
  y -= 16;
  for (const l of wrap(safe(input.operator.address, font), font, 9, 260)) {
    text(l, MARGIN, y, { size: 9, color: GREY });
    y -= 12;
  }
  let ry = PAGE.height - MARGIN - 24;
  const meta: [string, string][] = [
    ["Number", inv.number],
    ["Status", inv.status.toUpperCase()],
    ["Issued", day(inv.issuedAt)],
    ["Due", inv.kind === "credit_note" ? "-" : day(inv.dueAt)],
    ["Period", `${day(inv.periodStart)} to ${day(inv.periodEnd)}`],
  ];
  if (inv.planCode) meta.push(["Plan", inv.planCode]);
  if (inv.creditNoteFor) meta.push(["Credits invoice", inv.creditNoteFor]);
  for (const [k, v] of meta) {
    text(`${k}:`, PAGE.width - MARGIN - 170, ry, { size: 9, color: GREY });
    text(v, PAGE.width - MARGIN, ry, { size: 9, right: true });
    ry -= 13;
  }
  y = Math.min(y, ry) - 14;
  text("Bill to", MARGIN, y, { size: 9, color: GREY });
  y -= 13;
  text(input.customer.name, MARGIN, y, { size: 11, f: bold });
  y -= 13;
  if (input.customer.email) {
    text(input.customer.email, MARGIN, y, { size: 9 });
    y -= 13;
  }
  y -= 16;

  // Lines table.
  const col = { desc: MARGIN, qty: 370, unit: 450, amount: PAGE.width - MARGIN };
  const header = () => {
    text("Description", col.desc, y, { size: 9, f: bold });
    text("Quantity", col.qty, y, { size: 9, f: bold, right: true });
    text("Unit price", col.unit, y, { size: 9, f: bold, right: true });
    text(`Amount (${inv.currency})`, col.amount, y, { size: 9, f: bold, right: true });
    y -= 6;
    page.drawLine({ start: { x: MARGIN, y }, end: { x: PAGE.width - MARGIN, y }, thickness: 0.5, color: GREY });
    y -= 13;
  };
  header();
  for (const line of input.lines) {
    const descLines = wrap(safe(line.description, font), font, 9, col.qty - col.desc - 60);
    if (y - descLines.length * 11 < MARGIN + 40) {
      page = doc.addPage([PAGE.width, PAGE.height]);
      y = PAGE.height - MARGIN;
      text(`${title} ${inv.number} (continued)`, MARGIN, y, { size: 9, color: GREY });
      y -= 20;
      header();
    }
    text(toDecimal(line.quantity).toFixed(), col.qty, y, { size: 9, right: true });
    text(toDecimal(line.unitAmount).toFixed(), col.unit, y, { size: 9, right: true });
    text(money(line.amount), col.amount, y, { size: 9, right: true });
    for (const d of descLines) {
      text(d, col.desc, y, { size: 9 });
      y -= 11;
    }
    y -= 4;
  }
  if (input.lines.length === 0) {
    text("No charges.", col.desc, y, { size: 9, color: GREY });
    y -= 15;
  }

  // Totals.
  if (y < MARGIN + 110) {
    page = doc.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - MARGIN;
  }
  page.drawLine({ start: { x: 330, y: y + 4 }, end: { x: PAGE.width - MARGIN, y: y + 4 }, thickness: 0.5, color: GREY });
  y -= 10;
  const balance = Decimal.max(0, toDecimal(inv.total).minus(toDecimal(inv.amountPaid))).toFixed();
  const totals: [string, string, boolean][] = [
    ["Subtotal", money(inv.subtotal), false],
    ["Discount", toDecimal(inv.discount).isZero() ? money("0") : `-${money(inv.discount)}`, false],
    ["Tax", money(inv.tax), false],
    [`Total ${inv.currency}`, money(inv.total), true],
  ];
  if (inv.kind !== "credit_note") {
    totals.push(["Amount paid", money(inv.amountPaid), false]);
    totals.push([`Balance due ${inv.currency}`, money(balance), true]);
  }
  for (const [k, v, strong] of totals) {
    text(k, 340, y, { size: strong ? 11 : 10, f: strong ? bold : font });
    text(v, col.amount, y, { size: strong ? 11 : 10, f: strong ? bold : font, right: true });
    y -= strong ? 16 : 14;
  }
  if (inv.hostedUrl) {
    y -= 10;
    text(`Pay online: ${inv.hostedUrl}`, MARGIN, y, { size: 9, color: GREY });
  }
  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const label = `${inv.number} - page ${i + 1} of ${pages.length}`;
    p.drawText(label, { x: PAGE.width - MARGIN - font.widthOfTextAtSize(label, 8), y: 30, size: 8, font, color: GREY });
  });
  return doc.save();
}
