// Solves the proof-of-work challenge of a form that carries one (tadamun/core/pow.py), then
// sends the form. Without JavaScript the form still works: the person waits and sends again.
(function () {
  "use strict";
  var holder = document.querySelector("[data-pow-challenge]");
  var form = holder && holder.closest("form");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var challenge = holder.getAttribute("data-pow-challenge");
  var difficulty = parseInt(holder.getAttribute("data-pow-difficulty"), 10);
  var output = form.querySelector("input[name=pow_solution]");
  var status = document.getElementById("pow-status");
  var encoder = new TextEncoder();

  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { bits += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { bits += 1; b <<= 1; }
      return bits;
    }
    return bits;
  }

  function attempt(nonce) {
    return crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + nonce))
      .then(function (hash) {
        if (zeroBits(new Uint8Array(hash)) >= difficulty) { return String(nonce); }
        return attempt(nonce + 1);
      });
  }

  form.addEventListener("submit", function (event) {
    if (output.value) { return; }
    event.preventDefault();
    if (status) { status.hidden = false; }
    attempt(0).then(function (solution) {
      output.value = solution;
      form.submit();
    });
  });
})();
