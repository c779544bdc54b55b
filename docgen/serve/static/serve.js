// docgen serve: the little the page needs beyond htmx.
// - each finding of the last check is shown under the input it is about;
// - a 二级指标 list offers only the 二级 of the row's 一级 (the version's taxonomy);
// - files dropped on the import card are put into its file input;
// - a finding's link (and a link from the review page, #f-…) focuses the input it is about.
(function () {
  "use strict";

  function placeFindings() {
    document.querySelectorAll(".ff").forEach(function (el) { el.textContent = ""; el.className = "ff"; });
    document.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    document.querySelectorAll("#field-findings li").forEach(function (li) {
      var id = li.getAttribute("data-field");
      var slot = document.getElementById("ff-" + id);
      var input = document.getElementById(id);
      if (!slot) { return; }
      slot.textContent = (slot.textContent ? slot.textContent + "\n" : "") + li.textContent;
      slot.className = "ff " + li.className;
      if (input && li.className === "error") { input.setAttribute("aria-invalid", "true"); }
    });
  }

  function level2Options(select) {
    var table = select.closest("table[data-taxonomy]");
    var row = select.closest("tr");
    if (!table || !row) { return; }
    var taxonomy = JSON.parse(table.getAttribute("data-taxonomy"));
    var level2 = row.querySelector("select[data-level2]");
    if (!level2) { return; }
    var current = level2.value;
    var allowed = taxonomy[select.value] || [];
    while (level2.options.length > 1) { level2.remove(1); }
    allowed.forEach(function (name) {
      var option = new Option(name, name, false, name === current);
      level2.add(option);
    });
    if (allowed.indexOf(current) < 0) { level2.value = ""; }
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[data-level1]")) { level2Options(event.target); }
  }, true);

  // The live check sends only the inputs typed in since the last check (the server
  // holds the rest); saving and the row buttons send the whole form.
  var typed = new Set();
  document.addEventListener("input", function (event) { if (event.target.name) { typed.add(event.target.name); } }, true);
  document.addEventListener("change", function (event) { if (event.target.name) { typed.add(event.target.name); } }, true);
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!detail.elt || detail.elt.id !== "editor-form") { return; }
    var form = detail.elt;
    var params = detail.parameters;
    Array.from(params.keys()).forEach(function (key) { if (key !== "csrf" && !typed.has(key)) { params.delete(key); } });
    typed.forEach(function (name) {  // an `extra:` line goes with all the lines of its mapping
      var input = form.elements.namedItem(name);
      var group = input && input.getAttribute && input.getAttribute("data-group");
      if (group) {
        form.querySelectorAll("[data-group]").forEach(function (el) {
          if (el.getAttribute("data-group") === group && !params.has(el.name)) { params.append(el.name, el.value); }
        });
      }
    });
    typed.forEach(function (name) {
      var input = form.elements.namedItem(name);
      if (input && !params.has(name)) { params.append(name, input.value); }
    });
    typed.clear();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
  });

  // After a row or project was added, moved or removed (the editor is swapped anew),
  // the keyboard focus goes to what the button acted on, not to the top of the page.
  // Only the button's own swap moves the focus: a live check of the inputs typed before
  // the click (its own request, settled before or after) leaves it alone.
  var refocus = null;
  var refocusFor = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = event.detail.elt;
    var vals = button && button.getAttribute && button.getAttribute("hx-vals");
    if (!vals) { return; }
    refocus = null;
    refocusFor = button;
    var v = JSON.parse(vals);
    var parts = v.target.split(".");
    var prefix = "f-" + parts.join("-");
    if (parts.indexOf("extra") >= 0) {  // the blank line of the mapping, after the swap
      refocus = function () {
        var keys = document.querySelectorAll("input[data-group='" + parts.slice(0, parts.indexOf("extra") + 1).join(".") + "'][name*='.*key.']");
        return keys.length ? keys[keys.length - 1] : null;
      };
    } else if (v.op === "add" && parts.length === 3) {
      var rows = document.querySelectorAll("#project-" + parts[1] + " table.indicators tbody tr").length;
      refocus = prefix + "-" + rows + "-level1";
    } else if (v.op === "add") {
      refocus = "f-projects-" + document.querySelectorAll("section.project").length + "-name";
    } else if ((v.op === "up" || v.op === "down") && parts.length === 4) {
      var to = Number(parts[3]) + (v.op === "up" ? -1 : 1);
      refocus = "f-projects-" + parts[1] + "-indicators-" + Math.max(to, 0) + "-name";
    } else if (v.op === "up" || v.op === "down") {
      refocus = "f-projects-" + Math.max(Number(parts[1]) + (v.op === "up" ? -1 : 1), 0) + "-name";
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    placeFindings();
    var config = event.detail && event.detail.requestConfig;
    if (config && config.elt && config.elt !== refocusFor) { return; }
    if (refocus) {
      var el = typeof refocus === "function" ? refocus() : document.getElementById(refocus);
      if (el) { el.focus(); }
      refocus = null;
    }
  });

  // The input a finding is about: shown (a closed <details> opened), scrolled clear of
  // the sticky toolbar and focused, so the clerk types the correction straight away.
  function focusInput(id) {
    var el = document.getElementById(id);
    if (!el || !el.matches("input, select, textarea, button")) { return false; }
    for (var d = el.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) { d.open = true; }
    el.scrollIntoView({ block: "center" });
    el.focus({ preventScroll: true });
    return true;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-focus]");
    if (link && focusInput(link.getAttribute("data-focus"))) {
      event.preventDefault();
      history.replaceState(null, "", "#" + link.getAttribute("data-focus"));
    }
  });
  function focusHash() {
    if (location.hash.indexOf("#f-") === 0) { focusInput(decodeURIComponent(location.hash.slice(1))); }
  }
  window.addEventListener("hashchange", focusHash);
  window.addEventListener("load", focusHash);  // again after the browser's own scroll to the fragment

  document.addEventListener("DOMContentLoaded", function () {
    placeFindings();
    focusHash();
    var drop = document.querySelector("form.drop");
    if (!drop) { return; }
    var input = drop.querySelector("input[type=file]");
    drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
    drop.addEventListener("drop", function (e) {
      e.preventDefault();
      drop.classList.remove("over");
      input.files = e.dataTransfer.files;
      drop.submit();
    });
  });
})();
