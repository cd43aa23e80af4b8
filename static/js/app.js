// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";

  // Ask before an irreversible step: a submit button with data-confirm="question"
  // (the question is translated by the page).
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Filing form: show the handling standard and limits of the chosen category.
  var standards = document.getElementById("standards");
  var category = document.getElementById("category_id");
  if (standards && category) {
    standards.classList.add("js-filter");
    var showCurrent = function () {
      standards.querySelectorAll(".standard").forEach(function (item) {
        var current = item.dataset.category === category.value;
        item.classList.toggle("is-current", current);
        item.open = current;
      });
    };
    category.addEventListener("change", showCurrent);
    showCurrent();
  }
})();
