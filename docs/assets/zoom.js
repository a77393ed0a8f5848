// Screenshot zoom: click (or Enter on) a screenshot to see it at its natural size in a native
// <dialog>. Replaces mkdocs-glightbox, whose Zensical integration loads glightbox from a CDN: this
// works the same under MkDocs and Zensical, offline. Without JavaScript the link opens the image.
//
// "Natural size" is the portal's own size in CSS pixels: a screenshot captured at device scale 2
// has two image pixels per CSS pixel. On a phone that is wider than the screen, so the image pane
// scrolls (pans) instead of shrinking the picture back to an unreadable width; the close button
// sits in its own bar above the pane, never over the picture.
(function () {
  "use strict";
  var dialog, pane, zoomed, current;

  // Image pixels per CSS pixel: how many times wider the file is than the width the page gives it
  // (a 2x capture shown at or below its CSS size has a ratio of at least 2). Rounded down: a 1x
  // image shown at 800 of its 1280 pixels is still 1x.
  function density(img, file) {
    var declared = parseFloat(img.getAttribute("width")) || file.naturalWidth;
    return Math.min(3, Math.max(1, Math.floor(file.naturalWidth / declared + 0.05)));
  }

  function ensureDialog() {
    if (dialog) return;
    dialog = document.createElement("dialog");
    dialog.className = "zoom";
    dialog.setAttribute("aria-label", "Screenshot, full size");
    dialog.innerHTML =
      '<form method="dialog" class="zoom__bar"><span class="zoom__hint" hidden>Drag or scroll to see the rest</span>' +
      '<button class="zoom__close" aria-label="Close">&times;</button></form>' +
      '<div class="zoom__pane" tabindex="0" role="group" aria-label="Screenshot; scroll to pan"><img alt=""></div>';
    pane = dialog.querySelector(".zoom__pane");
    zoomed = dialog.querySelector("img");
    zoomed.addEventListener("load", size);
    // A click on the backdrop, the empty pane or the image closes it, as in other lightboxes
    // (panning by touch or scroll bars is not a click).
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog || event.target === pane || event.target === zoomed) dialog.close();
    });
    document.body.appendChild(dialog);
  }

  // Size the zoomed picture once its file is in. On a phone or tablet: its natural CSS size (often
  // wider than the screen, so it pans, with a hint). On a wide screen (the CSS breakpoint, 60em):
  // as large as the window allows, up to one image pixel per CSS pixel, so a 2x capture is shown
  // larger than in the page and still sharp.
  function size() {
    if (!dialog.open || !zoomed.naturalWidth) return;
    var natural = zoomed.naturalWidth / density(current, zoomed);
    var wide = window.matchMedia("(min-width: 60em)").matches;
    var room = pane.clientWidth - 16;
    zoomed.style.width = (wide ? Math.max(natural, Math.min(zoomed.naturalWidth, room)) : natural) + "px";
    // On a small screen the picture is wider than the window: say that it pans.
    dialog.querySelector(".zoom__hint").hidden = pane.scrollWidth <= pane.clientWidth;
    pane.scrollTo(0, 0);
  }

  function open(img, href) {
    ensureDialog();
    current = img;
    zoomed.alt = img.alt;
    zoomed.style.width = "";
    dialog.showModal();  // first: sizes are measured in the open dialog
    zoomed.src = href;
    if (zoomed.complete) size();  // cached: no load event comes
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
        open(img, link.href);
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
