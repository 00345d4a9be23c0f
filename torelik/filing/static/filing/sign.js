/* Signs the filing's manifest with the SIGNING key through identity's NCALayer client
   (window.TorelikSigner, which also talks to `torelik dev-signer`), then posts the signature. */
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  if (!form) { return; }
  var status = document.getElementById("sign-status");
  document.getElementById("sign-button").addEventListener("click", function () {
    if (!window.TorelikSigner) { status.textContent = form.dataset.unavailable; return; }
    status.textContent = form.dataset.waiting;
    window.TorelikSigner.sign(form.dataset.manifest, "SIGNATURE").then(function (signature) {
      document.getElementById("signature").value = signature;
      form.submit();
    }, function (error) {
      status.textContent = error.message;
    });
  });
})();
