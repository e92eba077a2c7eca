// Builds pb/static from pinned npm packages: compiled CSS, htmx (file name carries its version),
// GOV.UK Frontend's JavaScript. Generated files are git-ignored; run by `make setup`.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, cpSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "pb", "static");
const vendor = join(out, "vendor");
mkdirSync(vendor, { recursive: true });

execFileSync(
  join(nm, ".bin", "sass"),
  ["--no-source-map", "--style=compressed", "--quiet-deps", `--load-path=${nm}`,
   join(root, "pb", "assets", "pb.scss"), join(out, "pb.css")],
  { stdio: "inherit" },
);

const htmxVersion = JSON.parse(readFileSync(join(nm, "htmx.org", "package.json"))).version;
copyFileSync(join(nm, "htmx.org", "dist", "htmx.min.js"), join(vendor, `htmx-${htmxVersion}.min.js`));
copyFileSync(join(nm, "govuk-frontend", "dist", "govuk", "govuk-frontend.min.js"), join(vendor, "govuk-frontend.min.js"));
// Images GOV.UK components refer to (not the crown or logotype, which pb never shows).
cpSync(join(nm, "govuk-frontend", "dist", "govuk", "assets", "images"), join(out, "govuk", "assets", "images"), { recursive: true });
copyFileSync(join(root, "pb", "assets", "pb.js"), join(out, "pb.js"));
console.log(`built pb/static (htmx ${htmxVersion})`);
