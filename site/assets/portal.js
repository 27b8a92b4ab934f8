// codebook portal behaviour: search as you type, "/" to search, in-page table filters, copy buttons,
// language tabs that remember the reader's language, copyable anchors, and the static export's 404
// page explaining an unregistered number.
// Every page works without this file; it only adds speed.
(function () {
  "use strict";
  var Search = window.CodebookSearch;
  var prepared = null;
  var loading = null;

  function loadIndex() {
    if (prepared) return Promise.resolve(prepared);
    if (!loading) {
      loading = fetch(document.body.dataset.index, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("search index: HTTP " + response.status);
          return response.json();
        })
        .then(function (index) { prepared = Search.prepare(index); return prepared; });
    }
    return loading;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function resultItem(hit, asOption) {
    var item = el("li");
    var link = el("a");
    link.href = hit.url;
    link.appendChild(el("span", "number", String(hit.number)));
    link.appendChild(document.createTextNode(" " + hit.name));
    // Same-name codes of two families read apart: the link names the family (as the server's page).
    if (hit.familyInLink) {
      link.appendChild(document.createTextNode(" "));
      link.appendChild(el("span", "family", "in " + hit.familyTitle));
    }
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(el("code", null, hit.message));
    item.appendChild(document.createTextNode(" "));
    item.appendChild(el("span", "badge " + hit.behaviour, hit.behaviour));
    if (!hit.familyInLink) {
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("span", "meta", hit.familyTitle));
    }
    if (asOption) {
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      link.tabIndex = -1;
    }
    return item;
  }

  function noteItem(note, asOption) {
    var item = el("li");
    var link = el("a", null, note.familyTitle);
    link.href = note.url;
    item.appendChild(link);
    item.appendChild(document.createTextNode(": " + note.summary));
    if (asOption) {
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      link.tabIndex = -1;
    }
    return item;
  }

  // Search as you type in the header box.
  function setUpSuggestions() {
    var input = document.getElementById("q");
    var list = document.getElementById("suggestions");
    if (!input || !list) return;
    var active = -1;

    function options() { return list.querySelectorAll("[role=option]"); }
    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.id = "suggestion-" + i;
      });
      input.setAttribute("aria-activedescendant", "suggestion-" + active);
      items[active].scrollIntoView({ block: "nearest" });
    }
    function render() {
      var query = input.value;
      loadIndex().then(function (index) {
        if (input.value !== query) return;
        var results = Search.search(index, query, {});
        list.replaceChildren();
        results.hits.slice(0, 8).forEach(function (hit) { list.appendChild(resultItem(hit, true)); });
        results.notes.slice(0, 3).forEach(function (note) { list.appendChild(noteItem(note, true)); });
        active = -1;
        if (list.children.length) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        } else {
          close();
        }
      }).catch(function () { close(); });
    }

    input.addEventListener("input", render);
    input.addEventListener("focus", function () { loadIndex().catch(function () {}); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (!list.hidden) highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); if (!list.hidden) highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && active >= 0 && !list.hidden) {
        event.preventDefault();
        var link = options()[active].querySelector("a");
        if (link) window.location.assign(link.href);
      }
    });
    list.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", close);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      var tag = target && target.tagName;
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  // The static export's search page: results computed here from the query string.
  function setUpClientResults() {
    var section = document.getElementById("search-results");
    if (!section || !section.hasAttribute("data-client-search")) return;
    var params = new URLSearchParams(window.location.search);
    var query = params.get("q") || "";
    var filters = {
      family: params.get("family") || null, behaviour: params.get("behaviour") || null, action: params.get("action") || null
    };
    ["q", "search-q"].forEach(function (id) { var box = document.getElementById(id); if (box) box.value = query; });
    ["family", "behaviour", "action"].forEach(function (name) {
      var select = document.getElementById("search-" + name);
      if (select && filters[name]) select.value = filters[name];
    });
    if (!query.trim() && !filters.family && !filters.behaviour && !filters.action) return;
    loadIndex().then(function (index) {
      var results = Search.search(index, query, filters);
      var list = document.getElementById("results");
      var notes = document.getElementById("notes");
      results.hits.forEach(function (hit) { list.appendChild(resultItem(hit, false)); });
      results.notes.forEach(function (note) { notes.appendChild(noteItem(note, false)); });
      var suggestion = document.getElementById("suggestion");
      var suggestionLink = document.getElementById("suggestion-link");
      if (results.suggestion && suggestion && suggestionLink) {
        suggestionLink.href = "/search?q=" + encodeURIComponent(results.suggestion);
        suggestionLink.textContent = results.suggestion;
        suggestion.hidden = false;
      }
      var count = results.hits.length;
      document.getElementById("results-heading").textContent = count || results.notes.length
        ? count + " matching code" + (count === 1 ? "" : "s")
        : "No codes match \u201c" + query.trim() + "\u201d.";
    });
  }

  // Family pages: filter the table in place while typing.
  function setUpTableFilters() {
    document.querySelectorAll("form[data-filter-table]").forEach(function (form) {
      var table = document.getElementById(form.dataset.filterTable);
      var text = form.querySelector("input[type=search]");
      var behaviour = form.querySelector("select");
      var action = form.querySelector("select[name=action]");
      var count = form.querySelector("output");
      if (!table || !text || !behaviour) return;
      function apply() {
        var wanted = Search.normalize(text.value);
        var shown = 0;
        table.querySelectorAll("tbody tr").forEach(function (row) {
          var visible = (!wanted || row.dataset.text.includes(wanted)) &&
            (!behaviour.value || row.dataset.behaviour === behaviour.value) &&
            (!action || !action.value || row.dataset.action === action.value);
          row.hidden = !visible;
          if (visible) shown++;
        });
        if (count) count.textContent = shown + (shown === 1 ? " code" : " codes");
      }
      text.addEventListener("input", apply);
      behaviour.addEventListener("change", apply);
      if (action) action.addEventListener("change", apply);
    });
  }

  function setUpCopyButtons() {
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      var source = document.getElementById(button.dataset.copy);
      if (!source || !navigator.clipboard) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        }, function () { button.textContent = "Copy failed"; });
      });
    });
  }

  // Examples as one tab per language; the chosen language is remembered for every page. Without
  // this script every example is shown.
  var LANGUAGE_KEY = "codebook-language";
  function storedLanguage() {
    try { return window.localStorage.getItem(LANGUAGE_KEY); } catch (e) { return null; }
  }
  function storeLanguage(language) {
    try { window.localStorage.setItem(LANGUAGE_KEY, language); } catch (e) { /* private mode */ }
  }
  function setUpTabs() {
    document.querySelectorAll("[data-tabs]").forEach(function (bar) {
      var tabs = Array.prototype.slice.call(bar.querySelectorAll("button.tab"));
      if (tabs.length < 2) return;
      var panels = tabs.map(function (tab) { return document.getElementById(tab.getAttribute("aria-controls")); });
      if (panels.some(function (panel) { return !panel; })) return;
      bar.setAttribute("role", "tablist");
      bar.setAttribute("aria-label", "Language");
      function select(index, focus) {
        tabs.forEach(function (tab, i) {
          var chosen = i === index;
          tab.setAttribute("aria-selected", chosen ? "true" : "false");
          tab.tabIndex = chosen ? 0 : -1;
          panels[i].hidden = !chosen;
        });
        if (focus) tabs[index].focus();
      }
      tabs.forEach(function (tab, i) {
        tab.setAttribute("role", "tab");
        panels[i].setAttribute("role", "tabpanel");
        panels[i].setAttribute("aria-labelledby", tab.id);
        tab.addEventListener("click", function () { select(i, false); storeLanguage(tab.dataset.language); });
        tab.addEventListener("keydown", function (event) {
          var next = event.key === "ArrowRight" ? i + 1 : event.key === "ArrowLeft" ? i - 1
            : event.key === "Home" ? 0 : event.key === "End" ? tabs.length - 1 : null;
          if (next === null) return;
          event.preventDefault();
          next = (next + tabs.length) % tabs.length;
          select(next, true);
          storeLanguage(tabs[next].dataset.language);
        });
      });
      var wanted = storedLanguage();
      var start = tabs.findIndex(function (tab) { return tab.dataset.language === wanted; });
      select(start < 0 ? 0 : start, false);
      bar.hidden = false;
    });
  }

  // Anchors: a click copies the section's or row's full address as well as following it.
  function setUpAnchors() {
    if (!navigator.clipboard) return;
    var status = el("p", "visually-hidden");
    status.setAttribute("role", "status");
    document.body.appendChild(status);
    document.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a.anchor");
      if (!link) return;
      var url = window.location.origin + window.location.pathname + link.getAttribute("href");
      navigator.clipboard.writeText(url).then(function () { status.textContent = "Link copied: " + url; }, function () {});
    });
  }

  // The static export's 404 page: /codes/{family}/{number} for a number nobody registered is
  // explained from the family's ranges, as the live portal's number page does.
  function setUpUnregistered() {
    var section = document.getElementById("unregistered");
    if (!section || !section.dataset.ranges) return;
    var match = /^\/codes\/([a-z0-9-]+)\/(\d{1,5})\/?$/.exec(window.location.pathname);
    if (!match) return;
    var number = Number(match[2]);
    if (number > 65535) return;
    fetch(section.dataset.ranges, { credentials: "same-origin" })
      .then(function (response) { if (!response.ok) throw new Error("ranges: HTTP " + response.status); return response.json(); })
      .then(function (data) {
        var family = data.families.find(function (f) { return f.id === match[1]; });
        if (!family || family.codes.indexOf(number) >= 0) return;
        var range = family.ranges.find(function (r) { return r.from <= number && number <= r.to; });
        if (!range) return;
        var span = range.from === range.to ? String(range.from) : range.from + "-" + range.to;
        document.title = number + " in " + family.title + " \u00b7 codebook";
        var heading = document.getElementById("not-found-heading");
        heading.replaceChildren(el("span", "number", String(number)), document.createTextNode(" is not registered"));
        var crumbs = el("nav", "crumbs");
        crumbs.setAttribute("aria-label", "Breadcrumb");
        var home = el("a", null, "Families"); home.href = "/";
        var up = el("a", null, family.title); up.href = "/families/" + family.id;
        crumbs.append(home, " \u203a ", up, " \u203a " + number);
        heading.before(crumbs);
        section.replaceChildren();
        section.appendChild(el("p", "summary",
          number + ": not registered in " + family.title + "; " + span + " (" + range.scope + "): " + range.label + "."));
        var facts = el("dl", "facts");
        function fact(term, node) { facts.append(el("dt", null, term)); var dd = el("dd"); dd.append(node); facts.append(dd); }
        fact("Behaviour", el("span", "badge " + range.behaviour, range.behaviour));
        fact("Range", span + ": " + range.label + " (" + range.scope + ")");
        var retired = family.retired.find(function (r) { return r.number === number; });
        if (retired) {
          fact("Retired", number + " was retired" + (retired.moved_to !== null ? " and moved to " + retired.moved_to : "") + ": " + retired.note);
        }
        section.appendChild(facts);
        section.appendChild(el("h2", null, "What a client should do"));
        var advice = el("p", null, range.advice + " ");
        var meta = el("span", "meta", "(action ");
        meta.append(el("code", null, range.action), ")");
        advice.append(meta);
        section.appendChild(advice);
        if (range.backoff) section.appendChild(el("p", null, range.backoff));
        section.hidden = false;
      })
      .catch(function () { /* the plain 404 text stays */ });
  }

  setUpSuggestions();
  setUpClientResults();
  setUpTableFilters();
  setUpCopyButtons();
  setUpTabs();
  setUpAnchors();
  setUpUnregistered();
})();
