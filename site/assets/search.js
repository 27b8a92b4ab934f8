// codebook portal search: the same ranking as site/src/search.rs (read its module comment for the
// rules), over the prebuilt index. Shared cases in site/tests/search_cases.json hold both
// implementations to the same answers.
(function (root) {
  "use strict";

  var MAX_RESULTS = 50;
  var MAX_QUERY_CHARS = 200;
  var TIERS = ["number", "exact", "word", "prefix", "substring", "text", "anywhere", "partial", "listing"];
  var T = { number: 0, exact: 1, word: 2, prefix: 3, substring: 4, text: 5, anywhere: 6, partial: 7, listing: 8 };
  var WHOLE = 0, PREFIX = 1, INSIDE = 2, NONE = 255;
  // Unicode White_Space, as Rust's char::is_whitespace has it.
  var SPACE = /[\t\n\x0b\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  // Word separators: White_Space and every ASCII character that is not a letter or digit.
  var SEPARATOR = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  var SUFFIXES = ["ations", "ation", "ingly", "ings", "edly", "ion", "ing", "ures", "ure", "ies", "ied", "ed", "ly", "es", "s", "e", "y"];
  var UNDOUBLE = { ed: true, edly: true, ing: true, ings: true };

  function normalize(text) {
    return String(text).split(SPACE).filter(Boolean).join(" ").toLowerCase();
  }

  function words(text) {
    return String(text).toLowerCase().split(SEPARATOR).filter(Boolean);
  }

  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    for (var i = 0; i < SUFFIXES.length; i++) {
      var suffix = SUFFIXES[i];
      if (!word.endsWith(suffix)) continue;
      var base = word.slice(0, word.length - suffix.length);
      if (base.length < 3) continue;
      if (suffix === "s" && base.endsWith("s")) continue;
      if (UNDOUBLE[suffix]) {
        var n = base.length, last = base[n - 1];
        if (n >= 4 && last === base[n - 2] && "lszaeiou".indexOf(last) < 0) return base.slice(0, n - 1);
      }
      return base;
    }
    return word;
  }

  function chars(text) {
    return Array.from(text).length;
  }

  function keyField(text) {
    var list = words(text);
    var joined = list.join(" ");
    return { joined: joined, words: list, stems: list.map(stem), chars: chars(joined) };
  }

  // Precomputes the match keys of every code; call once per loaded index.
  function prepare(index) {
    var entries = index.codes.map(function (row) {
      var name = row[2], message = row[3], snake = row[5], text = row[6];
      var keys = [keyField(name.toLowerCase()), keyField(snake), keyField(message)];
      var seen = {};
      var all = [];
      keys.forEach(function (key) { all = all.concat(key.words); });
      all = all.concat(words(text)).filter(function (w) { if (seen["$" + w]) return false; seen["$" + w] = true; return true; });
      return {
        family: row[0], number: row[1], name: name, message: message, behaviour: row[4], action: row[7],
        keys: keys, allWords: all, allStems: all.map(stem), text: text, textChars: chars(text)
      };
    });
    return { families: index.families, entries: entries };
  }

  function parseQuery(raw) {
    var all = words(Array.from(String(raw)).slice(0, MAX_QUERY_CHARS).join(""));
    var isNumber = function (w) { return /^[0-9]+$/.test(w); };
    var numbers = [];
    all.forEach(function (w) {
      if (isNumber(w) && Number(w) <= 65535 && numbers.indexOf(Number(w)) < 0) numbers.push(Number(w));
    });
    var hasText = all.some(function (w) { return !isNumber(w); });
    var required = [];
    all.forEach(function (w) {
      if ((!hasText || !isNumber(w)) && required.indexOf(w) < 0) required.push(w);
    });
    return {
      joined: all.join(" "), numbers: numbers, required: required, stems: required.map(stem),
      loneNumber: all.length === 1 && isNumber(all[0]) ? all[0] : null, empty: all.length === 0
    };
  }

  // How query word i matches a word with the given stem: whole, prefix or not at all.
  function level(query, i, word, wordStem) {
    if (wordStem === query.stems[i]) return WHOLE;
    if (word.startsWith(query.required[i])) return PREFIX;
    return NONE;
  }

  function bestIn(query, i, list, stems) {
    var best = NONE;
    for (var j = 0; j < list.length; j++) best = Math.min(best, level(query, i, list[j], stems[j]));
    return best;
  }

  function less(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  }

  // [tier, first order, second order, field length] of one code, or null.
  function rank(entry, query) {
    var n = query.required.length;
    var anywhere = function (i) { return bestIn(query, i, entry.allWords, entry.allStems); };
    var matchedAnywhere = function () {
      var count = 0;
      for (var i = 0; i < n; i++) if (anywhere(i) <= PREFIX) count++;
      return count;
    };
    // Words missing from the name and the message: fewer means the code is more about them.
    var missingFromKeys = function () {
      var missing = 0;
      for (var k = 0; k < n; k++) {
        if (!entry.keys.some(function (key) { return bestIn(query, k, key.words, key.stems) <= PREFIX; })) missing++;
      }
      return missing;
    };
    if (query.numbers.indexOf(entry.number) >= 0) return [T.number, n - matchedAnywhere(), missingFromKeys(), 0];
    var exact = null;
    entry.keys.forEach(function (key) {
      if (key.joined === query.joined && (exact === null || key.chars < exact)) exact = key.chars;
    });
    if (exact !== null) return [T.exact, 0, 0, exact];
    var best = null;
    entry.keys.forEach(function (key) {
      var worst = WHOLE;
      for (var i = 0; i < n; i++) {
        var l = bestIn(query, i, key.words, key.stems);
        if (l === NONE && key.joined.includes(query.required[i])) l = INSIDE;
        worst = Math.max(worst, l);
      }
      if (key.joined.includes(query.joined)) worst = Math.min(worst, INSIDE);
      if (worst !== NONE && (best === null || less([worst, key.chars], best))) best = [worst, key.chars];
    });
    if (query.loneNumber !== null) {
      var number = String(entry.number);
      if (number.startsWith(query.loneNumber)) {
        var candidate = [PREFIX, number.length];
        if (best === null || less(candidate, best)) best = candidate;
      }
    }
    if (best !== null) return [best[0] === WHOLE ? T.word : best[0] === PREFIX ? T.prefix : T.substring, 0, 0, best[1]];
    var matched = matchedAnywhere();
    var missing = missingFromKeys();
    if (matched === n) return [T.text, 0, missing, entry.textChars];
    var inside = true;
    for (var i = 0; i < n && inside; i++) {
      var word = query.required[i];
      inside = entry.text.includes(word) || entry.keys.some(function (key) { return key.joined.includes(word); });
    }
    if (inside) return [T.anywhere, 0, missing, entry.textChars];
    if (n >= 3 && matched >= 2 && 2 * matched >= n) return [T.partial, n - matched, missing, entry.textChars];
    return null;
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

  // Returns {hits: [{family, number, name, tier, ...}], notes: [{family, number, behaviour, summary}]}.
  function search(prepared, rawQuery, filters) {
    filters = filters || {};
    var query = parseQuery(rawQuery || "");
    var familyFilter = null;
    if (filters.family) {
      familyFilter = prepared.families.findIndex(function (f) { return f.id === filters.family; });
      if (familyFilter < 0) return { hits: [], notes: [] };
    }
    var behaviourFilter = filters.behaviour || null;
    var actionFilter = filters.action || null;
    if (query.empty && familyFilter === null && behaviourFilter === null && actionFilter === null) return { hits: [], notes: [] };
    function passes(family, behaviour, action) {
      return (familyFilter === null || familyFilter === family) &&
        (behaviourFilter === null || behaviourFilter === behaviour) &&
        (actionFilter === null || actionFilter === action);
    }

    var ranked = [];
    prepared.entries.forEach(function (entry, position) {
      if (!passes(entry.family, entry.behaviour, entry.action)) return;
      var r = query.empty ? [T.listing, 0, 0] : rank(entry, query);
      if (r !== null) ranked.push({ entry: entry, key: r.concat([position]) });
    });
    ranked.sort(function (a, b) { return less(a.key, b.key) ? -1 : less(b.key, a.key) ? 1 : 0; });
    var hits = ranked.slice(0, MAX_RESULTS).map(function (hit) {
      var family = prepared.families[hit.entry.family];
      return {
        family: family.id, familyTitle: family.title, number: hit.entry.number, name: hit.entry.name,
        message: hit.entry.message, behaviour: hit.entry.behaviour, tier: TIERS[hit.key[0]],
        url: "/codes/" + family.id + "/" + hit.entry.number
      };
    });

    var notes = [];
    if (query.numbers.length === 1) {
      var number = query.numbers[0];
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

  var api = { normalize: normalize, words: words, stem: stem, prepare: prepare, search: search };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.CodebookSearch = api;
})(this);
