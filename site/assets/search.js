// codebook portal search: the same ranking as site/src/search.rs, over the prebuilt index.
// Shared cases in site/tests/search_cases.json hold both implementations to the same answers.
(function (root) {
  "use strict";

  var MAX_RESULTS = 50;
  var TIERS = ["number", "exact", "prefix", "substring", "listing"];

  function normalize(text) {
    return String(text).split(/\s+/).filter(Boolean).join(" ").toLowerCase();
  }

  // Precomputes the match keys of every code; call once per loaded index.
  function prepare(index) {
    var entries = index.codes.map(function (row) {
      var name = row[2], message = row[3], snake = row[5];
      return {
        family: row[0], number: row[1], name: name, message: message, behaviour: row[4], action: row[7],
        numberText: String(row[1]),
        keys: [name.toLowerCase(), snake, snake.split("_").join(" "), normalize(message)],
        text: row[6]
      };
    });
    return { families: index.families, entries: entries };
  }

  function segmentOf(family, number) {
    var segments = family.segments;
    for (var i = 0; i < segments.length; i++) {
      if (segments[i][1] >= number) return segments[i];
    }
    return segments[segments.length - 1];
  }

  function summary(family, number) {
    var s = segmentOf(family, number);
    var span = s[0] === s[1] ? String(s[0]) : s[0] + "-" + s[1];
    return number + ": not registered in " + family.title + "; " + span + " (" + s[2] + "): " + s[4] + ".";
  }

  // Returns {hits: [{entry, tier}], notes: [{family, number, behaviour, summary}]}.
  function search(prepared, rawQuery, filters) {
    filters = filters || {};
    var query = normalize(rawQuery || "");
    var familyFilter = null;
    if (filters.family) {
      familyFilter = prepared.families.findIndex(function (f) { return f.id === filters.family; });
      if (familyFilter < 0) return { hits: [], notes: [] };
    }
    var behaviourFilter = filters.behaviour || null;
    var actionFilter = filters.action || null;
    if (query === "" && familyFilter === null && behaviourFilter === null && actionFilter === null) return { hits: [], notes: [] };
    function passes(family, behaviour, action) {
      return (familyFilter === null || familyFilter === family) &&
        (behaviourFilter === null || behaviourFilter === behaviour) &&
        (actionFilter === null || actionFilter === action);
    }
    var digits = /^[0-9]+$/.test(query);
    var number = digits && Number(query) <= 65535 ? Number(query) : null;

    var hits = [];
    prepared.entries.forEach(function (entry) {
      if (!passes(entry.family, entry.behaviour, entry.action)) return;
      var tier;
      if (query === "") tier = 4;
      else if (number === entry.number) tier = 0;
      else if (entry.keys.some(function (k) { return k === query; })) tier = 1;
      else if (entry.keys.some(function (k) { return k.startsWith(query); }) ||
        (digits && entry.numberText.startsWith(query))) tier = 2;
      else if (entry.keys.some(function (k) { return k.includes(query); }) || entry.text.includes(query)) tier = 3;
      else return;
      hits.push({ entry: entry, tier: tier });
    });
    hits.sort(function (a, b) { return a.tier - b.tier; });
    hits = hits.slice(0, MAX_RESULTS).map(function (hit) {
      var family = prepared.families[hit.entry.family];
      return {
        family: family.id, familyTitle: family.title, number: hit.entry.number, name: hit.entry.name,
        message: hit.entry.message, behaviour: hit.entry.behaviour, tier: TIERS[hit.tier],
        url: "/codes/" + family.id + "/" + hit.entry.number
      };
    });

    var notes = [];
    if (number !== null) {
      prepared.families.forEach(function (family, index) {
        var registered = prepared.entries.some(function (e) { return e.family === index && e.number === number; });
        var segment = segmentOf(family, number);
        var behaviour = segment[3];
        if (!registered && passes(index, behaviour, segment[5])) {
          notes.push({ family: family.id, familyTitle: family.title, number: number, behaviour: behaviour,
            summary: summary(family, number), url: "/codes/" + family.id + "/" + number });
        }
      });
    }
    return { hits: hits, notes: notes };
  }

  var api = { normalize: normalize, prepare: prepare, search: search };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.CodebookSearch = api;
})(this);
