// pb's only script: start GOV.UK Frontend's components. Everything works without it.
import { initAll } from "./vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
