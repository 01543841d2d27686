// The page shell every dashboard page shares: landmarks, a skip link, the navigation with the
// current page marked, the tenant, sign-out, and the locally served styles and scripts.
import { html, type Html } from "./html.js";

export const NAV = [
  { href: "/ui", label: "Overview" },
  { href: "/ui/traces", label: "Traces" },
  { href: "/ui/findings", label: "Findings" },
  { href: "/ui/versions", label: "Versions" },
  { href: "/ui/learning", label: "Learning" },
] as const;

export interface PageContext {
  tenant: string;
  /** The CSRF token forms post back. */
  csrf: string;
  /** True when the service is open on loopback (no key exists): no sign-out. */
  open: boolean;
}

export interface PageOptions {
  title: string;
  /** Which NAV entry is current. */
  section: (typeof NAV)[number]["href"] | null;
  body: Html;
  ctx?: PageContext;
}

export function page(options: PageOptions): Html {
  const { ctx } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · meta-agent</title>
<link rel="stylesheet" href="/ui/assets/uplot.css">
<link rel="stylesheet" href="/ui/assets/app.css">
<script src="/ui/assets/uplot.js" defer></script>
<script src="/ui/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">meta-agent</span>
  ${ctx
    ? html`<nav aria-label="Main"><ul>${NAV.map((n) => html`<li><a href="${n.href}"${n.href === options.section ? html` aria-current="page"` : ""}>${n.label}</a></li>`)}</ul></nav>
  <span class="tenant">tenant <strong data-testid="tenant">${ctx.tenant}</strong></span>
  ${ctx.open ? html`<span class="open" title="No API key exists: the service is open on loopback">open (loopback)</span>` : html`<form method="post" action="/ui/sign-out" class="inline"><input type="hidden" name="csrf" value="${ctx.csrf}"><button type="submit">Sign out</button></form>`}`
    : ""}
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${options.body}
</main>
</body>
</html>`;
}
