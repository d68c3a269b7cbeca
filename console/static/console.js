// hoso console: document zoom and rotate, copy buttons, keyboard shortcuts. No inline scripts
// (the Content-Security-Policy allows only this file and htmx).
(function () {
  "use strict";

  function view(img) {
    return { zoom: Number(img.dataset.zoom || 1), turn: Number(img.dataset.turn || 0) };
  }
  function apply(img, v) {
    img.dataset.zoom = String(v.zoom);
    img.dataset.turn = String(v.turn);
    img.style.transform = "rotate(" + v.turn + "deg) scale(" + v.zoom + ")";
    img.style.transformOrigin = v.zoom > 1 ? "top left" : "center center";
  }
  function imageOf(el) {
    var figure = el.closest("figure");
    return figure ? figure.querySelector(".frame img") : null;
  }
  function zoom(img, step) {
    var v = view(img);
    v.zoom = Math.min(4, Math.max(0.5, v.zoom + step * 0.25));
    apply(img, v);
  }
  function rotate(img) {
    var v = view(img);
    v.turn = (v.turn + 90) % 360;
    apply(img, v);
  }
  var active = null; // the image the keyboard's +, - and o act on

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) { return; }
    var img = imageOf(button);
    if (button.dataset.zoom && img) { zoom(img, Number(button.dataset.zoom)); active = img; }
    else if (button.dataset.rotate && img) { rotate(img); active = img; }
    else if (button.hasAttribute("data-fit") && img) { apply(img, { zoom: 1, turn: 0 }); active = img; }
    else if (button.classList.contains("copy")) { copy(button); }
    else if (button.hasAttribute("data-print")) { window.print(); }
  });

  function copy(button) {
    var text = button.dataset.copy || "";
    var done = function () {
      var label = button.textContent;
      button.textContent = button.dataset.copied || "✓";
      setTimeout(function () { button.textContent = label; }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else { fallbackCopy(text); done(); }
  }
  function fallbackCopy(text) { // plain http on an office network: no clipboard API
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }

  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img.tagName !== "IMG" || !img.closest(".frame")) { return; }
    img.classList.add("failed");
    var note = document.createElement("p");
    note.className = "problem";
    note.textContent = img.dataset.failed || "";
    img.closest(".frame").after(note);
  }, true);

  function open(id) {
    var details = document.getElementById(id);
    if (!details) { return; }
    details.open = true;
    var first = details.querySelector("input:not([type=hidden]), select, textarea");
    if (first) { first.focus(); }
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    var typing = event.target.closest("input, textarea, select");
    if (typing) { return; }
    var img = active || document.querySelector(".frame img");
    switch (event.key) {
      case "a": open("act-accept"); break;
      case "n": open("act-needs-info"); break;
      case "r": open("act-reject"); break;
      case "j": var next = document.getElementById("next-link"); if (next) { next.click(); } break;
      case "/": var q = document.getElementById("q"); if (q) { q.focus(); event.preventDefault(); } break;
      case "+": if (img) { zoom(img, 1); } break;
      case "-": if (img) { zoom(img, -1); } break;
      case "o": if (img) { rotate(img); } break;
      default: return;
    }
  });
})();
