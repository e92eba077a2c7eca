// pb's only script: start GOV.UK Frontend's components. Everything works without it.
import { initAll } from "./vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// The voting-code page: the QR code on a letter opens it with the code in the URL's fragment, which
// browsers never send to the server (so no log holds it). Copy it into the field, then drop it from
// the address bar and history. Without JavaScript people type the code.
const codeField = document.querySelector("input.pb-code-input");
if (codeField && !codeField.value && location.hash.length > 1) {
  try {
    codeField.value = decodeURIComponent(location.hash.slice(1)).slice(0, 64);
  } catch (error) {
    // A malformed fragment: leave the field empty for typing.
  }
  history.replaceState(null, "", location.pathname + location.search);
}
