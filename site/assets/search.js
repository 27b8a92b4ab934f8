// codebook portal search: the same ranking as site/src/search.rs (read its module comment for the
// rules), over the prebuilt index. The stemmer's suffixes and the typo rules come from the index
// (`rules`, written by search.rs), so they are written once. Shared cases in
// site/tests/search_cases.json hold both implementations to the same answers.
(function (root) {
  "use strict";

  var TIERS = ["number", "exact", "word", "prefix", "substring", "typo", "text", "anywhere", "typo_text", "partial", "listing"];
  var T = {};
  TIERS.forEach(function (name, i) { T[name] = i; });
  // Match levels of a query word against a registry word; a typo is INSIDE plus its edits.
  var WHOLE = 0, PREFIX = 1, INSIDE = 2, TYPO = 3, NONE = 255;
  // Unicode White_Space, as Rust's char::is_whitespace has it.
  var SPACE = /[\t\n\x0b\f\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
  // Word separators: White_Space and every ASCII character that is not a letter or digit.
  var SEPARATOR = /[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

  function normalize(text) {
    return String(text).split(SPACE).filter(Boolean).join(" ").toLowerCase();
  }

  function words(text) {
    return String(text).toLowerCase().split(SEPARATOR).filter(Boolean);
  }

  function isNumber(word) {
    return /^[0-9]+$/.test(word);
  }

  // The stemmer of search.rs, from the suffix tables the index carries.
  function stemmer(rules) {
    var undouble = {};
    rules.undouble_suffixes.forEach(function (suffix) { undouble[suffix] = true; });
    return function stem(word) {
      if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
      for (var i = 0; i < rules.stem_suffixes.length; i++) {
        var suffix = rules.stem_suffixes[i];
        if (!word.endsWith(suffix)) continue;
        var base = word.slice(0, word.length - suffix.length);
        if (base.length < 3) continue;
        if (suffix === "s" && base.endsWith("s")) continue;
        if (undouble[suffix]) {
          var n = base.length, last = base[n - 1];
          if (n >= 4 && last === base[n - 2] && rules.keep_double.indexOf(last) < 0) return base.slice(0, n - 1);
        }
        return base;
      }
      return word;
    };
  }

  function chars(text) {
    return Array.from(text).length;
  }

  // How many edits a word the registry lacks may be from a registry word (0: not a typo).
  function typoBudget(rules, word) {
    var n = chars(word);
    if (n < rules.typo_min_chars || n > rules.typo_max_chars || isNumber(word)) return 0;
    return n >= rules.typo_two_from_chars ? 2 : 1;
  }

  // Levenshtein distance in characters (code points), as the server's automaton counts it.
  function editDistance(a, b) {
    var x = Array.from(a), y = Array.from(b);
    var row = [];
    for (var j = 0; j <= y.length; j++) row.push(j);
    for (var i = 0; i < x.length; i++) {
      var diagonal = row[0];
      row[0] = i + 1;
      for (var k = 0; k < y.length; k++) {
        var above = row[k + 1];
        row[k + 1] = Math.min(above + 1, row[k] + 1, diagonal + (x[i] === y[k] ? 0 : 1));
        diagonal = above;
      }
    }
    return row[y.length];
  }

  // Precomputes the match keys of every code and the registry's words; call once per loaded index.
  function prepare(index) {
    var stem = stemmer(index.rules);
    function keyField(text) {
      var list = words(text);
      var joined = list.join(" ");
      return { joined: joined, words: list, stems: list.map(stem), chars: chars(joined) };
    }
    // Each distinct word and how many codes hold it (the "did you mean" tie-break).
    var frequency = new Map();
    var entries = index.codes.map(function (row) {
      var name = row[2], message = row[3], snake = row[5], text = row[6];
      var keys = [keyField(name.toLowerCase()), keyField(snake), keyField(message)];
      var seen = new Set();
      var all = [];
      keys.forEach(function (key) { all = all.concat(key.words); });
      all = all.concat(words(text)).filter(function (w) { if (seen.has(w)) return false; seen.add(w); return true; });
      all.forEach(function (w) { frequency.set(w, (frequency.get(w) || 0) + 1); });
      return {
        family: row[0], number: row[1], name: name, message: message, behaviour: row[4], action: row[7],
        keys: keys, allWords: all, allStems: all.map(stem), textChars: chars(text)
      };
    });
    var vocabulary = Array.from(frequency.keys());
    return {
      rules: index.rules, stem: stem, families: index.families, entries: entries,
      vocabulary: vocabulary, vocabularyStems: vocabulary.map(stem), frequency: frequency
    };
  }

  function parseQuery(prepared, raw) {
    var rules = prepared.rules;
    var all = words(Array.from(String(raw)).slice(0, rules.max_query_chars).join(""));
    var numbers = [];
    all.forEach(function (w) {
      if (isNumber(w) && Number(w) <= 65535 && numbers.indexOf(Number(w)) < 0) numbers.push(Number(w));
    });
    var hasText = all.some(function (w) { return !isNumber(w); });
    var required = [];
    all.forEach(function (w) {
      if ((!hasText || !isNumber(w)) && required.indexOf(w) < 0) required.push(w);
    });
    var query = {
      all: all, joined: all.join(" "), numbers: numbers, required: required, stems: required.map(prepared.stem),
      loneNumber: all.length === 1 && isNumber(all[0]) ? all[0] : null, empty: all.length === 0,
      typos: required.map(function () { return null; })
    };
    // A word the registry lacks (as a word, a stem, a prefix or a part of a word) is a typo.
    var unknown = [];
    required.forEach(function (w, i) {
      var known = prepared.vocabulary.some(function (v, j) { return prepared.vocabularyStems[j] === query.stems[i] || v.includes(w); });
      if (!known && typoBudget(rules, w) > 0) unknown.push(i);
    });
    if (unknown.length <= rules.typo_max_words) {
      unknown.forEach(function (i) {
        var w = required[i], budget = typoBudget(rules, w), n = chars(w);
        var near = new Map();
        prepared.vocabulary.forEach(function (v) {
          if (Math.abs(chars(v) - n) > budget) return;
          var d = editDistance(w, v);
          if (d <= budget) near.set(v, d);
        });
        query.typos[i] = near;
      });
    }
    return query;
  }

  // The query with each typo replaced by its closest registry word: fewest edits, then the word
  // found in the most codes, then alphabetical order; null unless every typo has one.
  function suggestion(prepared, query) {
    if (query.typos.some(function (near) { return near !== null && !near.size; })) return null;
    var corrections = new Map();
    query.required.forEach(function (w, i) {
      var near = query.typos[i];
      if (!near) return;
      var best = null;
      near.forEach(function (d, v) {
        var key = [d, -prepared.frequency.get(v), v];
        if (best === null || key[0] < best[0] || (key[0] === best[0] && (key[1] < best[1] || (key[1] === best[1] && key[2] < best[2])))) best = key;
      });
      corrections.set(w, best[2]);
    });
    if (!corrections.size) return null;
    return query.all.map(function (w) { return corrections.has(w) ? corrections.get(w) : w; }).join(" ");
  }

  // How query word i matches a registry word with the given stem.
  function level(query, i, word, wordStem) {
    if (wordStem === query.stems[i]) return WHOLE;
    var w = query.required[i];
    if (word.startsWith(w)) return PREFIX;
    if (word.includes(w)) return INSIDE;
    var near = query.typos[i];
    if (near && near.has(word)) return INSIDE + near.get(word);
    return NONE;
  }

  function bestIn(query, i, list, stems) {
    var best = NONE;
    for (var j = 0; j < list.length; j++) best = Math.min(best, level(query, i, list[j], stems[j]));
    return best;
  }

  function typoCost(l) {
    return l >= TYPO && l !== NONE ? l - INSIDE : 0;
  }

  function keyTier(worst) {
    return worst === WHOLE ? T.word : worst === PREFIX ? T.prefix : worst === INSIDE ? T.substring : T.typo;
  }

  function less(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i];
    return false;
  }

  // [tier, first order, second order, field length] of one code, or null.
  function rank(entry, query) {
    var n = query.required.length;
    var anywhere = [], matched = 0, i;
    for (i = 0; i < n; i++) {
      anywhere.push(bestIn(query, i, entry.allWords, entry.allStems));
      if (anywhere[i] <= PREFIX) matched++;
    }
    // Words missing from the name and the message: fewer means the code is more about them.
    var missingFromKeys = function () {
      var missing = 0;
      for (var k = 0; k < n; k++) {
        if (!entry.keys.some(function (key) { return bestIn(query, k, key.words, key.stems) <= PREFIX; })) missing++;
      }
      return missing;
    };
    if (query.numbers.indexOf(entry.number) >= 0) return [T.number, n - matched, missingFromKeys(), 0];
    var exact = null;
    entry.keys.forEach(function (key) {
      if (key.joined === query.joined && (exact === null || key.chars < exact)) exact = key.chars;
    });
    if (exact !== null) return [T.exact, 0, 0, exact];
    // The best key field: every word in it, at the worst of their levels, fewest edits.
    var best = null;
    entry.keys.forEach(function (key) {
      var worst = WHOLE, cost = 0;
      for (var j = 0; j < n; j++) {
        var l = bestIn(query, j, key.words, key.stems);
        worst = Math.max(worst, l);
        cost += typoCost(l);
      }
      var candidate = [Math.min(worst, TYPO), cost, key.chars];
      if (worst !== NONE && (best === null || less(candidate, best))) best = candidate;
    });
    if (query.loneNumber !== null) {
      var number = String(entry.number);
      if (number.startsWith(query.loneNumber)) {
        var lone = [PREFIX, 0, number.length];
        if (best === null || less(lone, best)) best = lone;
      }
    }
    if (best !== null) return [keyTier(best[0]), best[1], 0, best[2]];
    var worstAnywhere = Math.max.apply(null, anywhere);
    var tier;
    if (matched === n) tier = T.text;
    else if (worstAnywhere <= INSIDE) tier = T.anywhere;
    else if (worstAnywhere !== NONE) tier = T.typo_text;
    else if (n >= 3 && matched >= 2 && 2 * matched >= n) return [T.partial, n - matched, missingFromKeys(), entry.textChars];
    else return null;
    var total = 0;
    anywhere.forEach(function (l) { total += typoCost(l); });
    return [tier, total, missingFromKeys(), entry.textChars];
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

  // Returns {hits: [{family, number, name, tier, familyInLink, ...}],
  // notes: [{family, number, behaviour, summary}], suggestion: "corrected query" or null}.
  function search(prepared, rawQuery, filters) {
    filters = filters || {};
    var none = { hits: [], notes: [], suggestion: null };
    var query = parseQuery(prepared, rawQuery || "");
    var familyFilter = null;
    if (filters.family) {
      familyFilter = prepared.families.findIndex(function (f) { return f.id === filters.family; });
      if (familyFilter < 0) return none;
    }
    var behaviourFilter = filters.behaviour || null;
    var actionFilter = filters.action || null;
    if (query.empty && familyFilter === null && behaviourFilter === null && actionFilter === null) return none;
    function passes(family, behaviour, action) {
      return (familyFilter === null || familyFilter === family) &&
        (behaviourFilter === null || behaviourFilter === behaviour) &&
        (actionFilter === null || actionFilter === action);
    }

    var ranked = [];
    prepared.entries.forEach(function (entry, position) {
      if (!passes(entry.family, entry.behaviour, entry.action)) return;
      var r = query.empty ? [T.listing, 0, 0, 0] : rank(entry, query);
      if (r !== null) ranked.push({ entry: entry, key: r.concat([position]) });
    });
    ranked.sort(function (a, b) { return less(a.key, b.key) ? -1 : less(b.key, a.key) ? 1 : 0; });
    ranked = ranked.slice(0, prepared.rules.max_results);
    var names = new Map();
    ranked.forEach(function (hit) { names.set(hit.entry.name, (names.get(hit.entry.name) || 0) + 1); });
    var hits = ranked.map(function (hit) {
      var family = prepared.families[hit.entry.family];
      return {
        family: family.id, familyTitle: family.title, number: hit.entry.number, name: hit.entry.name,
        message: hit.entry.message, behaviour: hit.entry.behaviour, tier: TIERS[hit.key[0]],
        familyInLink: names.get(hit.entry.name) > 1,
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
    return { hits: hits, notes: notes, suggestion: query.empty ? null : suggestion(prepared, query) };
  }

  var api = { normalize: normalize, words: words, prepare: prepare, search: search, editDistance: editDistance };
  if (typeof module === "object" && module.exports) module.exports = api;
  else root.CodebookSearch = api;
})(this);
