// The API reference page (/api/v1/reference): Swagger UI from the swagger-ui-dist package,
// copied next to the console's build so that Envoy serves it from the same origin under the
// same strict CSP (no CDN, no inline script: the initialiser is its own file).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "build", "static", "reference");
const dist = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
const version = JSON.parse(readFileSync(join(dist, "package.json"), "utf8")).version;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) copyFileSync(join(dist, file), join(out, file));
writeFileSync(join(out, "init.js"), `// Swagger UI's own markup misses a few accessible names; the console's axe-core check
// (tests/e2e/test_console_browser.py) holds this page to the same bar as the console.
function label() {
  var servers = document.getElementById("servers");
  if (servers && !servers.getAttribute("aria-label")) servers.setAttribute("aria-label", "Server");
  document.querySelectorAll("input:not([aria-label]), select:not([aria-label])").forEach(function (el) {
    if (!el.id || !document.querySelector('label[for="' + el.id + '"]')) {
      el.setAttribute("aria-label", el.getAttribute("placeholder") || el.getAttribute("name") || "Filter");
    }
  });
  // Operation rows are buttons; links and buttons inside them stay clickable but leave the tab order.
  document.querySelectorAll(".opblock-summary-control a, .opblock-summary-control button").forEach(function (el) {
    el.setAttribute("tabindex", "-1");
  });
}
window.addEventListener("load", function () {
  window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#reference",
    deepLinking: false,
    tryItOutEnabled: false,
    validatorUrl: null,
    onComplete: label,
  });
  new MutationObserver(label).observe(document.getElementById("reference"), { childList: true, subtree: true });
});
`);
writeFileSync(join(out, "overrides.css"), readFileSync(join(here, "reference-overrides.css")));
// Absolute asset URLs: the page answers at /api/v1/reference and /api/v1/reference/.
writeFileSync(join(out, "index.html"), `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>BinoAuth API reference</title>
    <link rel="stylesheet" href="/api/v1/reference/swagger-ui.css?v=${version}" />
    <link rel="stylesheet" href="/api/v1/reference/overrides.css?v=${version}" />
  </head>
  <body>
    <main id="reference" aria-label="BinoAuth API reference"></main>
    <script src="/api/v1/reference/swagger-ui-bundle.js?v=${version}"></script>
    <script src="/api/v1/reference/init.js?v=${version}"></script>
  </body>
</html>
`);
console.log(`reference: swagger-ui-dist ${version} -> ${out}`);
