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

  // Filing form: similar complaints as the owner types the title (debounced).
  var similar = document.getElementById("similar");
  var title = document.getElementById("title");
  if (similar && title && window.fetch) {
    var timer = null;
    var last = "";
    var look = function () {
      var text = title.value.trim();
      if (text.length < 2 || text === last) { return; }
      last = text;
      var url = similar.dataset.url + "&fragment=1&title=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { similar.innerHTML = html; })
        .catch(function () { /* offline or slow: the form works without it */ });
    };
    title.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(look, 400);
    });
  }
})();
