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
  // A search box shows the rows whose name or ID holds what was typed.
  document.querySelectorAll("[data-filter]").forEach(function (input) {
    input.addEventListener("input", function () {
      var typed = input.value.trim().toLowerCase();
      document.querySelectorAll("#" + input.getAttribute("data-filter") + " [data-match]").forEach(function (row) {
        row.hidden = !typed || row.getAttribute("data-match").toLowerCase().indexOf(typed) < 0;
      });
    });
  });
  document.querySelectorAll("[data-go]").forEach(function (btn) {
    btn.addEventListener("click", function () { location.href = btn.getAttribute("data-go"); });
  });
})();
