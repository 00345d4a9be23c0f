/* The act's signing page: the prepared PDF's signed bytes go to NCALayer (TorelikSigner), the
   detached CMS comes back into the form, which is sent. */
(function () {
  "use strict";
  function wire() {
    var form = document.getElementById("act-sign-form");
    if (!form || !window.TorelikSigner) { return; }
    var button = form.querySelector("[data-act-sign]");
    var status = form.querySelector("[data-status]");
    button.addEventListener("click", function () {
      var messages = window.TorelikSigner.config().messages;
      button.disabled = true;
      status.textContent = messages.busy;
      window.TorelikSigner.sign(form.getAttribute("data-content"), "SIGNATURE").then(function (signature) {
        form.querySelector("textarea[name=signature]").value = signature;
        form.submit();
      }, function (error) {
        button.disabled = false;
        status.textContent = error.message;
        status.className = "errors";
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); } else { wire(); }
}());
