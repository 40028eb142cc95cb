/* adr site: search and list filters. Hand-written, no dependencies, works from file://.
   The search index is the global ADR_SEARCH set by search-index.js. */
(function () {
  "use strict";

  var root = document.body.getAttribute("data-root") || "";

  function lower(value) {
    return String(value || "").toLowerCase();
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  /* ---- search ---------------------------------------------------------------------- */

  var WEIGHTS = { title: 8, tags: 4, costs: 2, text: 1 };

  function prepare(entries) {
    return entries.map(function (entry) {
      return {
        entry: entry,
        id: entry.id,
        title: lower(entry.title),
        tags: lower((entry.tags || []).join(" ")),
        costs: lower(entry.costs),
        text: lower(entry.text)
      };
    });
  }

  function score(item, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var word = words[i];
      var best = 0;
      if (/^\d+$/.test(word) && parseInt(word, 10) === parseInt(item.id, 10)) { best = 20; }
      for (var field in WEIGHTS) {
        if (item[field].indexOf(word) !== -1 && WEIGHTS[field] > best) { best = WEIGHTS[field]; }
      }
      if (!best) { return 0; }  /* every word must match somewhere */
      total += best;
    }
    return total;
  }

  function setupSearch() {
    var input = document.getElementById("search");
    var list = document.getElementById("search-results");
    if (!input || !list) { return; }
    var items = prepare(window.ADR_SEARCH || []);
    var active = -1;

    function show(hits) {
      list.textContent = "";
      active = -1;
      if (!hits.length) {
        list.appendChild(element("li", "none", list.getAttribute("data-empty")));
      }
      hits.forEach(function (hit) {
        var li = element("li", "hit");
        var a = element("a");
        a.href = root + hit.entry.url;
        a.appendChild(element("span", "id", hit.entry.id));
        a.appendChild(element("span", "title", hit.entry.title));
        a.appendChild(element("span", "status", hit.entry.status));
        li.appendChild(a);
        list.appendChild(li);
      });
      list.hidden = false;
    }

    function run() {
      var words = lower(input.value).split(/\s+/).filter(Boolean);
      if (!words.length) { list.hidden = true; list.textContent = ""; return; }
      var hits = [];
      items.forEach(function (item) {
        var s = score(item, words);
        if (s) { hits.push({ score: s, entry: item.entry }); }
      });
      hits.sort(function (a, b) {
        return b.score - a.score || (a.entry.id < b.entry.id ? -1 : a.entry.id > b.entry.id ? 1 : 0);
      });
      show(hits.slice(0, 20));
    }

    function move(step) {
      var links = list.querySelectorAll("li.hit");
      if (!links.length) { return; }
      if (active >= 0) { links[active].classList.remove("active"); }
      active = (active + step + links.length) % links.length;
      links[active].classList.add("active");
      links[active].scrollIntoView({ block: "nearest" });
    }

    input.addEventListener("input", run);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { move(1); event.preventDefault(); }
      else if (event.key === "ArrowUp") { move(-1); event.preventDefault(); }
      else if (event.key === "Escape") { input.value = ""; run(); }
      else if (event.key === "Enter") {
        var links = list.querySelectorAll("li.hit a");
        if (links.length) { window.location.href = links[Math.max(active, 0)].href; }
      }
    });
    document.addEventListener("click", function (event) {
      if (!list.contains(event.target) && event.target !== input) { list.hidden = true; }
    });
    input.addEventListener("focus", function () { if (input.value) { run(); } });
  }

  /* ---- list filters ------------------------------------------------------------------ */

  function setupFilters() {
    var form = document.getElementById("filters");
    var listing = document.getElementById("decision-list");
    if (!form || !listing) { return; }
    var rows = Array.prototype.map.call(listing.children, function (li) {
      return {
        node: li,
        status: li.getAttribute("data-status"),
        inforce: li.getAttribute("data-inforce") === "1",
        tags: JSON.parse(li.getAttribute("data-tags") || "[]"),
        sides: JSON.parse(li.getAttribute("data-sides") || "[]")
      };
    });
    var counter = document.getElementById("shown-count");

    function current() {
      return {
        status: form.elements.status.value,
        tag: form.elements.tag.value,
        side: form.elements.side.value,
        inforce: form.elements.inforce.checked
      };
    }

    function apply() {
      var f = current();
      var shown = 0;
      rows.forEach(function (row) {
        var ok = (!f.status || row.status === f.status) &&
          (!f.tag || row.tags.indexOf(f.tag) !== -1) &&
          (!f.side || row.sides.indexOf(f.side) !== -1) &&
          (!f.inforce || row.inforce);
        row.node.hidden = !ok;
        if (ok) { shown += 1; }
      });
      counter.textContent = String(shown);
    }

    function choose(select, value) {
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === value) { select.value = value; return; }
      }
      select.value = "";
    }

    function fromHash() {
      var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
      choose(form.elements.status, params.get("status") || "");
      choose(form.elements.tag, params.get("tag") || "");
      choose(form.elements.side, params.get("side") || "");
      form.elements.inforce.checked = params.get("inforce") === "1";
      apply();
    }

    function toHash() {
      var f = current();
      var params = new URLSearchParams();
      ["status", "tag", "side"].forEach(function (key) { if (f[key]) { params.set(key, f[key]); } });
      if (f.inforce) { params.set("inforce", "1"); }
      var hash = params.toString();
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname);
      }
      apply();
    }

    form.addEventListener("change", toHash);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(toHash, 0); });
    window.addEventListener("hashchange", fromHash);
    fromHash();
  }

  /* ---- graph: zoom, drag to pan, highlight ------------------------------------------ */

  function setupGraph() {
    var view = document.getElementById("graph-view");
    var svg = document.getElementById("decision-graph");
    if (!view || !svg) { return; }
    var width = parseFloat(view.getAttribute("data-width")) || 1;
    var height = parseFloat(view.getAttribute("data-height")) || 1;
    var scale = 1;

    function fit() { return Math.min(1, (view.clientWidth - 2) / width); }

    function zoom(next, cx, cy) {
      var old = scale;
      scale = Math.max(0.05, Math.min(3, next));
      var px = cx === undefined ? view.clientWidth / 2 : cx;
      var py = cy === undefined ? view.clientHeight / 2 : cy;
      var gx = (view.scrollLeft + px) / old;
      var gy = (view.scrollTop + py) / old;
      svg.setAttribute("width", String(Math.round(width * scale)));
      svg.setAttribute("height", String(Math.round(height * scale)));
      view.scrollLeft = gx * scale - px;
      view.scrollTop = gy * scale - py;
    }

    document.querySelectorAll("[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "in") { zoom(scale * 1.25); }
        else if (how === "out") { zoom(scale / 1.25); }
        else if (how === "fit") { zoom(fit()); }
        else { zoom(1); }
      });
    });
    view.addEventListener("wheel", function (event) {
      if (!event.ctrlKey && !event.metaKey) { return; }
      event.preventDefault();
      var box = view.getBoundingClientRect();
      zoom(scale * (event.deltaY < 0 ? 1.15 : 1 / 1.15), event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    var drag = null;
    view.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || event.pointerType === "touch") { return; }
      drag = { x: event.clientX, y: event.clientY, left: view.scrollLeft, top: view.scrollTop, moved: false };
    });
    window.addEventListener("pointermove", function (event) {
      if (!drag) { return; }
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) { return; }
      drag.moved = true;
      view.classList.add("dragging");
      view.scrollLeft = drag.left - dx;
      view.scrollTop = drag.top - dy;
    });
    window.addEventListener("pointerup", function () {
      if (drag && drag.moved) {
        /* a drag is not a click on the box under the pointer */
        view.addEventListener("click", function (event) { event.preventDefault(); }, { capture: true, once: true });
      }
      drag = null;
      view.classList.remove("dragging");
    });

    var filter = document.getElementById("graph-filter");
    var nodes = Array.prototype.slice.call(svg.querySelectorAll("a.node"));
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge-group"));
    if (filter) {
      filter.addEventListener("input", function () {
        var words = lower(filter.value).split(/\s+/).filter(Boolean);
        var lit = {};
        nodes.forEach(function (node) {
          var text = lower(node.textContent);
          var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
          node.classList.toggle("dim", words.length > 0 && !ok);
          if (ok) { lit[node.getAttribute("data-number")] = true; }
        });
        edges.forEach(function (edge) {
          var ends = edge.getAttribute("data-ends").split(" ");
          edge.classList.toggle("dim", words.length > 0 && !(lit[ends[0]] || lit[ends[1]]));
        });
      });
    }
    if (width > view.clientWidth) { zoom(Math.max(fit(), 0.6)); }  /* small text is no use */
  }

  setupSearch();
  setupFilters();
  setupGraph();
})();
