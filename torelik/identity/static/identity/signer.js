/*
 * TorelikSigner: a client of NCALayer, the signing program users in Kazakhstan run locally
 * (a WebSocket server, wss://127.0.0.1:13579), and of `torelik dev-signer`, which speaks the same
 * protocol with the demo keys.
 *
 *   TorelikSigner.sign(base64Data, "SIGNATURE" | "AUTHENTICATION") -> Promise<base64 detached CMS>
 *
 * The data is signed decoded (the bytes, not their base64) as a detached CMS. The newer API
 * (module kz.gov.pki.knca.basics, method sign) is tried first; if NCALayer does not know it, the
 * legacy commonUtils.createCAdESFromBase64 is used. Failures reject with a TorelikSignerError whose
 * `code` is "unavailable", "cancelled", "failed" or "timeout" and whose message is translated
 * (configured by the {% torelik_signer %} template tag).
 */
(function () {
  "use strict";

  var OIDS = { AUTHENTICATION: "1.3.6.1.5.5.7.3.2", SIGNATURE: "1.3.6.1.5.5.7.3.4" };
  var DEFAULT_MESSAGES = {
    unavailable: "The signing program (NCALayer) is not running or not installed. Start NCALayer and try again.",
    cancelled: "Signing was cancelled.",
    failed: "The signing program could not sign: %(reason)s",
    busy: "Waiting for the signing program…",
    timeout: "The signing program did not answer in time. Try again."
  };

  function readConfig() {
    var element = document.getElementById("torelik-signer-config");
    var config = {};
    if (element) {
      try { config = JSON.parse(element.textContent || "{}"); } catch (e) { config = {}; }
    }
    return {
      url: config.url || "wss://127.0.0.1:13579",
      locale: config.locale || document.documentElement.lang || "ru",
      messages: Object.assign({}, DEFAULT_MESSAGES, config.messages || {}),
      timeoutMs: config.timeoutMs || 5 * 60 * 1000
    };
  }

  function TorelikSignerError(code, message, reason) {
    this.name = "TorelikSignerError";
    this.code = code;
    this.reason = reason || "";
    this.message = message;
  }
  TorelikSignerError.prototype = Object.create(Error.prototype);

  function isCancel(text) {
    return /cancel/i.test(String(text || ""));
  }

  function basicsRequest(data, keyType, locale) {
    return {
      module: "kz.gov.pki.knca.basics",
      method: "sign",
      args: {
        allowedStorages: ["PKCS12", "AKKaztokenStore", "AKKZIDCardStore", "AKJaCartaStore", "AKEToken72KStore"],
        format: "cms",
        data: data,
        signingParams: { decode: true, encapsulate: false, digested: false, tsaProfile: {} },
        signerParams: { extKeyUsageOids: [OIDS[keyType]], chain: [] },
        locale: locale
      }
    };
  }

  function legacyRequest(data, keyType) {
    return {
      module: "kz.gov.pki.knca.commonUtils",
      method: "createCAdESFromBase64",
      args: ["PKCS12", keyType, data, false]
    };
  }

  /* Is this message a reply to a request (NCALayer may greet with {"result": {"version": ...}})? */
  function isReply(message) {
    return message && (message.status !== undefined || message.code !== undefined || message.responseObject !== undefined);
  }

  function sign(data, keyType, options) {
    var config = readConfig();
    options = options || {};
    keyType = keyType === "AUTHENTICATION" ? "AUTHENTICATION" : "SIGNATURE";
    var messages = config.messages;
    var url = options.url || config.url;
    return new Promise(function (resolve, reject) {
      var socket;
      var settled = false;
      var stage = "basics";
      var timer = setTimeout(function () { fail("timeout", messages.timeout); }, options.timeoutMs || config.timeoutMs);

      function finish() {
        settled = true;
        clearTimeout(timer);
        try { socket.close(); } catch (e) { /* already closed */ }
      }
      function fail(code, message, reason) {
        if (settled) { return; }
        finish();
        reject(new TorelikSignerError(code, message.replace("%(reason)s", reason || ""), reason));
      }
      function succeed(signature) {
        if (settled) { return; }
        finish();
        resolve(String(signature).replace(/\s+/g, ""));
      }

      try {
        socket = new WebSocket(url);
      } catch (e) {
        fail("unavailable", messages.unavailable, String(e));
        return;
      }
      socket.onopen = function () {
        socket.send(JSON.stringify(basicsRequest(data, keyType, config.locale)));
      };
      socket.onerror = function () {
        fail("unavailable", messages.unavailable);
      };
      socket.onclose = function () {
        fail("unavailable", messages.unavailable);
      };
      socket.onmessage = function (event) {
        var message;
        try { message = JSON.parse(event.data); } catch (e) { return; }
        if (!isReply(message)) { return; }
        if (stage === "basics") {
          if (message.status === true) {
            var result = message.body && message.body.result;
            if (result === undefined || result === null || (Array.isArray(result) && result.length === 0)) {
              fail("cancelled", messages.cancelled);  // NCALayer answers a cancelled dialog with an empty body
              return;
            }
            succeed(Array.isArray(result) ? result[0] : result);
            return;
          }
          if (message.status === false && isCancel(message.message || message.code)) {
            fail("cancelled", messages.cancelled);
            return;
          }
          // An older NCALayer without the basics module: ask again through the legacy API.
          stage = "legacy";
          socket.send(JSON.stringify(legacyRequest(data, keyType)));
          return;
        }
        if (String(message.code) === "200" && message.responseObject) {
          succeed(message.responseObject);
        } else if (isCancel(message.message)) {
          fail("cancelled", messages.cancelled);
        } else {
          fail("failed", messages.failed, message.message || String(message.code || ""));
        }
      };
    });
  }

  window.TorelikSigner = {
    sign: sign,
    Error: TorelikSignerError,
    config: readConfig,
    KEY_TYPES: ["AUTHENTICATION", "SIGNATURE"]
  };

  /* The EDS login form: <form data-torelik-eds-login> with data-challenge and a signature field. */
  function wireLoginForm(form) {
    var button = form.querySelector("[data-sign]");
    var status = form.querySelector("[data-status]");
    var field = form.querySelector("textarea[name=signature]");
    if (!button || !field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var messages = readConfig().messages;
      button.disabled = true;
      if (status) { status.textContent = messages.busy; status.className = "status"; }
      sign(form.getAttribute("data-challenge"), "AUTHENTICATION").then(function (signature) {
        field.value = signature;
        form.submit();
      }, function (error) {
        button.disabled = false;
        if (status) {
          status.textContent = error.message;
          status.className = "errors";
          status.setAttribute("data-code", error.code || "failed");
        }
      });
    });
  }

  function ready() {
    var forms = document.querySelectorAll("form[data-torelik-eds-login]");
    for (var i = 0; i < forms.length; i += 1) { wireLoginForm(forms[i]); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
}());
