// The reading grade beside each plain-language field of a trial's admin page, as the curator
// types: the field's text goes to the admin's readability endpoint (the same measure as on save,
// trials/plain_language.py) a moment after typing stops. Without this script the grade as saved
// is in the field's help text.
(function () {
  "use strict";

  function measure(field, output) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    var body = new FormData();
    body.append("text", field.value);
    fetch(field.dataset.readabilityUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (result.empty) {
          output.textContent = "Now: empty. Aim for reading grade " + result.target + " or lower.";
        } else if (result.summary) {
          output.textContent = "Now: " + result.summary;
        } else {
          output.textContent = result.error || "";
        }
        output.classList.toggle("readability-above", result.meets_target === false);
      })
      .catch(function () { output.textContent = ""; });
  }

  function watch(field) {
    var output = document.createElement("p");
    output.className = "readability";
    output.setAttribute("aria-live", "polite");
    output.id = field.id + "_readability";
    field.insertAdjacentElement("afterend", output);
    var timer = null;
    field.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { measure(field, output); }, 500);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-readability-url]").forEach(watch);
  });
})();
