/* 整改通: upload several notices with per-file progress, then follow each parse until it ends.
 * Also keeps state badges on the list and the detail page current by polling the status JSON.
 * No inline scripts (CSP): everything is wired from data-* attributes. All server text goes in via textContent. */
(function () {
  "use strict";
  var POLL_MS = 1500;
  var DONE = { parsed: true, failed: true, cancelled: true };

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function formatSize(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  function getJSON(url, onDone) {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* keep polling */ }
      onDone(xhr.status, data);
    };
    xhr.onerror = function () { onDone(0, null); };
    xhr.send();
  }

  /* Poll a status URL until the parse is parsed or failed; network hiccups just wait for the next round. */
  function follow(url, onUpdate) {
    function tick() {
      getJSON(url, function (code, data) {
        if (code === 200 && data) {
          onUpdate(data);
          if (DONE[data.state]) return;
        }
        if (code === 403 || code === 404) return;
        window.setTimeout(tick, POLL_MS);
      });
    }
    tick();
  }

  /* 「正在识别第 3/7 页」 while a scan is being recognised, else "" */
  function ocrText(status) {
    var p = status.progress;
    if (status.state !== "parsing" || !p || !p.total) return "";
    return "扫描件文字识别中：已完成 " + p.done + " / " + p.total + " 页";
  }

  function setBadge(badge, state, label) {
    badge.className = "badge state-" + state;
    badge.textContent = label;
  }

  function renderSummary(container, data) {
    container.textContent = "";
    if (data.state === "failed") {
      container.appendChild(el("p", "error", data.error || "解析失败"));
      return;
    }
    var s = data.summary;
    if (!s) return;
    var verdict = el("p", "review-line");
    verdict.appendChild(el("span", "badge review-" + (s.review_state || "none"), s.review_label));
    verdict.appendChild(document.createTextNode(" 解析置信度："));
    verdict.appendChild(el("span", "badge confidence-" + (s.confidence || "none"), s.confidence_label || "—"));
    container.appendChild(verdict);
    if (s.review_explained) container.appendChild(el("p", "review-explained review-explained-" + s.review_state, s.review_explained));
    if (data.duplicate_of_url) {
      var original = el("a", "upload-link", "查看原通报");
      original.href = data.duplicate_of_url;
      container.appendChild(original);
    }
    if (s.review_reasons && s.review_reasons.length) {
      var reasons = el("ul", "review-reasons small");
      s.review_reasons.forEach(function (r) { reasons.appendChild(el("li", null, r)); });
      container.appendChild(reasons);
    }
    var line = el("p", "summary-line");
    /* an inspection's name already starts with its institution */
    var where = s.inspection ? s.inspection.name : (s.institution ? s.institution.name + " · 巡察未确定" : "单位未确定");
    line.appendChild(el("span", null, where + " · "));
    line.appendChild(el("strong", null, s.issues + " 个问题"));
    if (!s.counted) line.appendChild(el("span", "muted small", "（不计入统计）"));
    container.appendChild(line);
    var counts = el("p", "summary-counts");
    s.by_status.forEach(function (c) {
      counts.appendChild(el("span", "badge status-" + c.status, c.label + " " + c.count));
      counts.appendChild(document.createTextNode(" "));
    });
    container.appendChild(counts);
    if (s.warnings.length) {
      var list = el("ul", "warnings");
      s.warnings.forEach(function (w) { list.appendChild(el("li", "warning-" + w.code, w.message)); });
      container.appendChild(list);
    }
  }

  function errorText(code, data) {
    if (data && data.detail) return data.detail;
    if (data && data.file) return [].concat(data.file).join("；");
    if (data && typeof data === "object") {
      return Object.keys(data).map(function (k) { return [].concat(data[k]).join("；"); }).join("；");
    }
    if (code === 413) return "文件过大，服务器拒绝接收";
    return code ? "上传失败（HTTP " + code + "）" : "网络中断，上传失败，请重试";
  }

  function setupUpload(form) {
    var input = form.querySelector("input[type=file]");
    var zone = document.getElementById("dropzone");
    var queue = document.getElementById("upload-queue");
    var submit = document.getElementById("upload-submit");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    var accepted = (form.getAttribute("data-accept") || "").split(",");
    var apiUrl = form.getAttribute("data-api-url");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var institution = form.querySelector("select[name=institution]");
    if (submit) submit.hidden = true;  /* with JavaScript, choosing files starts the upload */

    /* Files go up one after another: each still has its own bar, and a small server is not swamped. */
    var waiting = [];
    var busy = false;

    function pump() {
      if (busy || !waiting.length) return;
      busy = true;
      waiting.shift()(function () { busy = false; pump(); });
    }

    function uploadOne(file) {
      var item = el("li", "upload-item");
      var head = el("div", "upload-head");
      head.appendChild(el("span", "upload-name", file.name));
      head.appendChild(el("span", "muted small", formatSize(file.size)));
      var badge = el("span", "badge state-queued", "等待上传");
      head.appendChild(badge);
      item.appendChild(head);
      var bar = el("progress", "upload-progress");
      bar.max = 100;
      bar.value = 0;
      item.appendChild(bar);
      var detail = el("div", "upload-detail");
      item.appendChild(detail);
      queue.insertBefore(item, queue.firstChild);

      var ext = "." + (file.name.split(".").pop() || "").toLowerCase();
      if (file.name.indexOf(".") < 0 || accepted.indexOf(ext) < 0) {
        return fail("格式不受支持，请上传 " + accepted.join(" ") + " 文件");
      }
      if (file.size > maxBytes) return fail("文件超过 " + formatSize(maxBytes) + " 的上限");

      function fail(message) {
        setBadge(badge, "failed", "未上传");
        bar.remove();
        detail.appendChild(el("p", "error", message));
      }

      waiting.push(send);
      pump();

      function send(done) {
        badge.textContent = "上传中";
        var body = new FormData();
        body.append("file", file);
        if (institution && institution.value) body.append("institution", institution.value);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", apiUrl);
        xhr.setRequestHeader("X-CSRFToken", token);
        xhr.setRequestHeader("Accept", "application/json");
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
        };
        xhr.onerror = function () { fail(errorText(0, null)); done(); };
        xhr.onload = function () {
          done();
          var data = null;
          try { data = JSON.parse(xhr.responseText); } catch (e) { /* handled below */ }
          if ((xhr.status !== 202 && xhr.status !== 200) || !data) return fail(errorText(xhr.status, data));
          bar.value = 100;
          var link = el("a", "upload-link", xhr.status === 200 ? "此文件此前已上传过，查看原有通报" : "查看通报");
          link.href = data.detail_url;
          detail.appendChild(link);
          var summary = el("div", "upload-summary");
          var ocrNote = el("p", "muted small ocr-progress");
          detail.appendChild(ocrNote);
          detail.appendChild(summary);
          follow(data.status_url, function (status) {
            setBadge(badge, status.status || status.state, status.status_label || status.state_label);
            if (DONE[status.state]) {
              bar.remove();
              ocrNote.remove();
              renderSummary(summary, status);
              return;
            }
            /* a scan: the bar now follows the pages recognised by OCR */
            var text = ocrText(status);
            if (text) {
              bar.value = Math.round((status.progress.done / status.progress.total) * 100);
              ocrNote.textContent = text;
            }
          });
        };
        xhr.send(body);
      }
    }

    function uploadAll(files) {
      for (var i = 0; i < files.length; i++) uploadOne(files[i]);
    }

    input.addEventListener("change", function () {
      uploadAll(input.files);
      input.value = "";
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      uploadAll(input.files);
    });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("dragover"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("dragover"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) uploadAll(e.dataTransfer.files);
    });
  }

  function setupListBadges() {
    var badges = document.querySelectorAll("[data-poll]");
    Array.prototype.forEach.call(badges, function (badge) {
      follow(badge.getAttribute("data-poll"), function (status) {
        setBadge(badge, status.status || status.state, status.status_label || status.state_label);
      });
    });
  }

  function setupDetail(section) {
    var state = section.getAttribute("data-state");
    if (DONE[state]) return;
    var badge = document.getElementById("state-badge");
    var hint = document.getElementById("state-hint");
    follow(section.getAttribute("data-status-url"), function (status) {
      setBadge(badge, status.status || status.state, status.status_label || status.state_label);
      var text = ocrText(status);
      if (text && hint) hint.textContent = text + "，本页会在解析完成后自动更新。";
      /* the finished page has the summary, the error and the right buttons: load it;
         another format of a notice already uploaded sends the uploader to that notice */
      if (DONE[status.state]) {
        if (status.duplicate_of_url) window.location.assign(status.duplicate_of_url);
        else window.location.reload();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("upload-form");
    if (form) setupUpload(form);
    setupListBadges();
    var section = document.getElementById("parse-state");
    if (section) setupDetail(section);
  });
})();
