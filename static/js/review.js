/* 整改通: the review page. Picking an issue highlights its lines in the notice text; a text selection
 * becomes a missing issue or a status sentence. No inline scripts (CSP); text goes in via value/textContent. */
(function () {
  "use strict";

  function highlight(lines) {
    document.querySelectorAll("#notice-text li.hl").forEach(function (li) { li.classList.remove("hl"); });
    var first = null;
    lines.forEach(function (n) {
      var li = document.getElementById("line-" + n);
      if (li) { li.classList.add("hl"); first = first || li; }
    });
    if (first) first.scrollIntoView({ block: "center" });
  }

  function selectIssue(article) {
    document.querySelectorAll(".parsed-issue.selected").forEach(function (a) { a.classList.remove("selected"); });
    article.classList.add("selected");
    var lines = (article.getAttribute("data-lines") || "").split(" ").filter(Boolean);
    highlight(lines);
  }

  function selectedText(pane) {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed) return "";
    var node = selection.anchorNode;
    if (!node || !pane.contains(node)) return "";
    return selection.toString().trim();
  }

  function openEvidenceInput() {
    var open = document.querySelector(".parsed-issue details.issue-edit[open] .evidence-input");
    return open || null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".parsed-issue").forEach(function (article) {
      var pick = article.querySelector(".issue-pick");
      if (!pick) return;
      pick.addEventListener("click", function (e) {
        e.preventDefault();
        selectIssue(article);
        history.replaceState(null, "", pick.getAttribute("href"));
      });
    });
    var selected = document.querySelector(".parsed-issue.selected");
    if (selected) selectIssue(selected);

    var pane = document.getElementById("notice-text");
    var tools = document.getElementById("selection-tools");
    var asIssue = document.getElementById("use-as-new-issue");
    var asEvidence = document.getElementById("use-as-evidence");
    var text = document.getElementById("add-issue-text");
    var title = document.getElementById("add-issue-title");
    if (pane && tools && text) {
      var current = "";
      document.addEventListener("selectionchange", function () {
        current = selectedText(pane);
        tools.hidden = !current;
        asEvidence.hidden = !openEvidenceInput();
      });
      asIssue.addEventListener("click", function () {
        if (!current) return;
        text.value = current;
        if (title && !title.value) {
          /* the first clause is usually the issue's title: 「1.医保基金管理不规范。……」 */
          title.value = current.replace(/^[\s\d一二三四五六七八九十（）()、.．]+/, "").split(/[。；;\n]/)[0].slice(0, 60);
        }
        document.getElementById("add-issue").scrollIntoView({ block: "start" });
        title.focus();
      });
      asEvidence.addEventListener("click", function () {
        var input = openEvidenceInput();
        if (input && current) { input.value = current; input.focus(); }
      });
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
      });
    });
  });
})();
