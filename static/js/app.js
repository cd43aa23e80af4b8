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
})();
