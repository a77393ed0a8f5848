// Tiny behaviours of the portal model. `?model=STATE` selects account states that the live
// portal shows for real accounts (an app verified, a product approved, no product yet).
(function () {
  var state = new URLSearchParams(location.search).get("model") || "";
  document.querySelectorAll("[data-model]").forEach(function (el) {
    var want = el.getAttribute("data-model");
    var show = want.charAt(0) === "!" ? state !== want.slice(1) : state === want;
    if (!show) el.remove();
  });
  document.querySelectorAll("[data-open]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      document.getElementById(btn.getAttribute("data-open")).classList.add("open");
    });
  });
  document.querySelectorAll("[data-close]").forEach(function (btn) {
    btn.addEventListener("click", function () { btn.closest(".dialog-backdrop").classList.remove("open"); });
  });
  document.querySelectorAll("[data-go]").forEach(function (btn) {
    btn.addEventListener("click", function () { location.href = btn.getAttribute("data-go"); });
  });
})();
