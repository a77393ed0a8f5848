// Material for MkDocs 9.x renders its search panel as role="dialog" without a name (axe:
// aria-dialog-name). A template override would fix it, but would also replace Zensical's
// different search UI, so name the dialog here, for whichever engine built the page.
(function () {
  "use strict";
  function nameSearchDialog() {
    var panel = document.querySelector('.md-search[role="dialog"]:not([aria-label])');
    if (panel) panel.setAttribute("aria-label", "Search");
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", nameSearchDialog);
  else nameSearchDialog();
})();
