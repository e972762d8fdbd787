// Upload progress for forms marked <form data-upload-progress="#progress-element"> (htmx uploads).
(function () {
  function progressFor(form) {
    var selector = form && form.dataset ? form.dataset.uploadProgress : null;
    return selector ? document.querySelector(selector) : null;
  }
  document.body.addEventListener("htmx:beforeRequest", function (e) {
    var bar = progressFor(e.target);
    if (!bar) return;
    bar.value = 0;
    var label = bar.parentElement.querySelector("[data-progress-label]");
    if (label && !label.dataset.initial) label.dataset.initial = label.textContent;
    if (label) label.textContent = label.dataset.initial;
  });
  document.body.addEventListener("htmx:xhr:progress", function (e) {
    var bar = progressFor(e.target);
    if (!bar || !e.detail.lengthComputable) return;
    bar.value = Math.round((e.detail.loaded / e.detail.total) * 100);
    if (e.detail.loaded >= e.detail.total) {
      bar.removeAttribute("value"); // indeterminate while the server validates and imports
      var label = bar.parentElement.querySelector("[data-progress-label]");
      if (label) label.textContent = bar.dataset.processingText;
    }
  });
})();
