// Progressive help on the disclosure pages; every form works without it.
(function () {
  "use strict";
  document.querySelectorAll(".char-count[data-for]").forEach(function (counter) {
    var field = document.getElementById(counter.dataset.for);
    if (!field) return;
    var max = parseInt(field.getAttribute("maxlength"), 10) || 0;
    function update() {
      var used = field.value.length;
      counter.textContent = max ? "已输入 " + used + " / " + max + " 字" : "已输入 " + used + " 字";
      counter.classList.toggle("over", max > 0 && used > max);
    }
    field.addEventListener("input", update);
    update();
  });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  });
})();
