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

// Photo pickers: with JavaScript each chosen photo is sent at once, one by one, with a
// preview and a progress bar; the post form then carries only the photos' ids (checkboxes).
// Without JavaScript the files go with the form itself.
(function () {
  "use strict";
  if (!window.FormData || !window.XMLHttpRequest || !window.FileReader) { return; }

  document.querySelectorAll(".photo-picker").forEach(function (picker) {
    var input = picker.querySelector("input[type=file]");
    var list = picker.querySelector(".photo-pending");
    var form = picker.closest("form");
    var token = form && form.querySelector("input[name=csrf_token]");
    if (!input || !list || !form) { return; }
    var max = parseInt(picker.dataset.max, 10) || 9;
    var maxBytes = parseInt(picker.dataset.maxBytes, 10) || 0;
    var busy = 0;
    var buttons = form.querySelectorAll("button[type=submit]");

    var setBusy = function (delta) {
      busy += delta;
      buttons.forEach(function (b) { b.disabled = busy > 0; });
    };
    var count = function () { return list.querySelectorAll("li:not(.photo-failed)").length; };
    var el = function (tag, cls, text) {
      var node = document.createElement(tag);
      if (cls) { node.className = cls; }
      if (text) { node.textContent = text; }
      return node;
    };
    var fail = function (chip, message) {
      chip.classList.add("photo-failed");
      var bar = chip.querySelector("progress");
      if (bar) { bar.remove(); }
      var note = el("p", "error", message);
      note.setAttribute("role", "alert");
      chip.appendChild(note);
      var remove = el("button", "link-button", picker.dataset.remove);
      remove.type = "button";
      remove.addEventListener("click", function () { chip.remove(); });
      chip.appendChild(remove);
    };

    var send = function (file) {
      var chip = el("li", "photo-chip photo-uploading");
      var img = el("img");
      img.alt = file.name;
      img.width = 96;
      img.height = 96;
      chip.appendChild(img);
      chip.appendChild(el("span", "photo-name", file.name));
      list.appendChild(chip);
      if (count() > max) { fail(chip, picker.dataset.tooMany); return; }
      if (maxBytes && file.size > maxBytes) { fail(chip, picker.dataset.tooBig); return; }
      var reader = new FileReader();  // a preview while it uploads (data: is allowed by CSP)
      reader.onload = function () { if (!img.dataset.done) { img.src = reader.result; } };
      if (file.size < 15 * 1024 * 1024) { reader.readAsDataURL(file); }
      var bar = el("progress");
      bar.max = 100;
      bar.value = 0;
      chip.appendChild(bar);
      var data = new FormData();
      data.append("csrf_token", token ? token.value : "");
      data.append("photo", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", picker.dataset.uploadUrl);
      xhr.setRequestHeader("Accept", "application/json");
      if (token) { xhr.setRequestHeader("X-CSRFToken", token.value); }
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = Math.round(100 * event.loaded / event.total); }
      });
      xhr.addEventListener("load", function () {
        setBusy(-1);
        var answer = null;
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = null; }
        if (xhr.status !== 201 || !answer || !answer.id) {
          fail(chip, (answer && (answer.error || answer.message)) || picker.dataset.failed);
          return;
        }
        chip.classList.remove("photo-uploading");
        bar.remove();
        img.dataset.done = "1";
        img.src = answer.thumb;
        img.width = answer.width;
        img.height = answer.height;
        var label = el("label");
        var box = el("input");
        box.type = "checkbox";
        box.name = "photo_id";
        box.value = answer.id;
        box.checked = true;
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + (picker.dataset.attach || "✓")));
        chip.querySelector(".photo-name").replaceWith(label);
      });
      xhr.addEventListener("error", function () { setBusy(-1); fail(chip, picker.dataset.failed); });
      setBusy(1);
      xhr.send(data);
    };

    input.addEventListener("change", function () {
      Array.prototype.forEach.call(input.files, send);
      input.value = "";  // the files are sent already: the form carries only their ids
    });
  });
})();
