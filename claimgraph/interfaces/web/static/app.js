// Show a claim's card beside its highlighted text on hover or focus; hide it on leave or Escape.
// Without this script the claim list under the text shows the same details.
(function () {
  "use strict";
  var shown = null;

  function cardOf(el) {
    var n = el && el.getAttribute("data-claim");
    return n ? document.getElementById("card-" + n) : null;
  }

  function hide() {
    if (!shown) return;
    shown.card.hidden = true;
    var marks = document.querySelectorAll('.hl.active');
    for (var i = 0; i < marks.length; i++) marks[i].classList.remove("active");
    shown = null;
  }

  function show(el) {
    var card = cardOf(el);
    if (!card) return;
    if (shown && shown.card === card) return;
    hide();
    card.hidden = false;
    var r = el.getBoundingClientRect();
    var left = window.scrollX + r.left;
    var maxLeft = window.scrollX + document.documentElement.clientWidth - card.offsetWidth - 8;
    card.style.left = Math.max(window.scrollX + 8, Math.min(left, maxLeft)) + "px";
    card.style.top = (window.scrollY + r.bottom + 6) + "px";
    var same = document.querySelectorAll('.hl[data-claim="' + el.getAttribute("data-claim") + '"]');
    for (var i = 0; i < same.length; i++) same[i].classList.add("active");
    shown = { card: card, el: el };
  }

  function target(e) {
    return e.target && e.target.closest ? e.target.closest("[data-claim]") : null;
  }

  document.addEventListener("mouseover", function (e) {
    var el = target(e);
    if (el) show(el);
    else if (shown && !(e.target.closest && e.target.closest(".card"))) hide();
  });
  document.addEventListener("focusin", function (e) {
    var el = target(e);
    if (el) show(el);
    else hide();
  });
  document.addEventListener("focusout", function (e) {
    if (target(e)) hide();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") hide();
  });
})();
