// Screenshot zoom: click (or Enter on) a screenshot to see it full size in a native <dialog>.
// Replaces mkdocs-glightbox, whose Zensical integration loads glightbox from a CDN: this works
// the same under MkDocs and Zensical, offline. Without JavaScript the link opens the image.
(function () {
  "use strict";
  var dialog, zoomed;

  function ensureDialog() {
    if (dialog) return;
    dialog = document.createElement("dialog");
    dialog.className = "zoom";
    dialog.setAttribute("aria-label", "Screenshot, full size");
    dialog.innerHTML = '<form method="dialog"><button class="zoom__close" aria-label="Close">&times;</button></form><img alt="">';
    zoomed = dialog.querySelector("img");
    // A click on the backdrop or the image closes it, as in other lightboxes.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === zoomed) dialog.close();
    });
    document.body.appendChild(dialog);
  }

  function setup() {
    document.querySelectorAll('.md-typeset img[src*="res/"]').forEach(function (img) {
      if (img.closest("a")) return;
      var link = document.createElement("a");
      link.href = img.getAttribute("src");
      link.className = "zoom__link";
      img.parentNode.insertBefore(link, img);
      link.appendChild(img);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        ensureDialog();
        zoomed.src = link.href;
        zoomed.alt = img.alt;
        dialog.showModal();
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
