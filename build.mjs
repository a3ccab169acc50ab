// Builds the front end into static/build (git-ignored), which Django's staticfiles collects.
// GOV.UK Frontend and MOJ Frontend come from node_modules; nothing third-party is committed.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import * as sass from "sass";

const out = "static/build";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/css`, { recursive: true });
mkdirSync(`${out}/js`, { recursive: true });

const css = sass.compile("static/scss/application.scss", {
  loadPaths: ["."],
  style: "compressed",
  quietDeps: true,
  logger: sass.Logger.silent, // the libraries' own deprecation notices are not ours to fix
});
writeFileSync(`${out}/css/application.css`, css.css);

// Fonts and images sit beside css/, and the Sass points at them with relative URLs so the
// stylesheet works under any STATIC_URL and survives hashing by the manifest storage.
cpSync("node_modules/govuk-frontend/dist/govuk/assets", `${out}/assets`, { recursive: true });
cpSync("node_modules/@ministryofjustice/frontend/moj/assets/images", `${out}/assets/images`, {
  recursive: true,
});

// ES modules with their source maps (collectstatic follows sourceMappingURL comments).
for (const [from, to] of [
  ["node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js", "govuk-frontend.min.js"],
  ["node_modules/@ministryofjustice/frontend/moj/moj-frontend.min.js", "moj-frontend.min.js"],
]) {
  cpSync(from, `${out}/js/${to}`);
  cpSync(`${from}.map`, `${out}/js/${to}.map`);
}
cpSync("static/js/application.mjs", `${out}/js/application.mjs`);
console.log(`Front end built into ${out}`);
