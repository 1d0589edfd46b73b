/** Plain text plus a simple, inline-styled HTML version of one short message (what mail clients render reliably). */
export interface EmailContent {
  subject: string;
  bodyText: string;
  bodyHtml: string;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export function renderEmail(params: {
  subject: string;
  greeting?: string;
  paragraphs: string[];
  action?: { label: string; url: string };
  footer?: string;
}): EmailContent {
  const footer = params.footer ?? "You receive this because you are the billing contact of this account.";
  const text = [
    params.greeting ?? "Hello,",
    "",
    ...params.paragraphs.flatMap((p) => [p, ""]),
    ...(params.action ? [`${params.action.label}: ${params.action.url}`, ""] : []),
    "—",
    footer,
  ].join("\n");
  const html = [
    `<!doctype html><html><body style="margin:0;padding:24px;background:#f8fafc;font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;color:#0f172a">`,
    `<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e2e8f0;border-radius:12px;padding:24px">`,
    `<h1 style="font-size:18px;margin:0 0 16px">${escapeHtml(params.subject)}</h1>`,
    `<p style="margin:0 0 12px">${escapeHtml(params.greeting ?? "Hello,")}</p>`,
    ...params.paragraphs.map((p) => `<p style="margin:0 0 12px;line-height:1.5">${escapeHtml(p)}</p>`),
    params.action
      ? `<p style="margin:20px 0"><a href="${escapeHtml(params.action.url)}" style="background:#4338ca;color:#ffffff;padding:10px 16px;border-radius:8px;text-decoration:none;display:inline-block">${escapeHtml(params.action.label)}</a></p>`
      : "",
    `<p style="margin:16px 0 0;font-size:12px;color:#64748b">${escapeHtml(footer)}</p>`,
    `</div></body></html>`,
  ].join("");
  return { subject: params.subject, bodyText: text, bodyHtml: html };
}
