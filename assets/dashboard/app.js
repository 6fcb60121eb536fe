// asuh's dashboard: a Telegram Mini App without Telegram's script. initData and the theme come from the
// URL fragment (#tgWebAppData=…&tgWebAppThemeParams=…); a meeting link brings #meeting=TOKEN instead.
// Everything is drawn here (tables, SVG charts); the server decides what the viewer may see.
"use strict";
(function () {
  var ALL = JSON.parse(document.getElementById("labels").textContent);
  var L = ALL.id;
  var auth = null;
  var data = null;
  // A link may choose the first view: /app?period=lm&region=74.71 (the server checks the region).
  var search = new URLSearchParams(location.search);
  var state = { period: search.get("period") || "tm", from: search.get("from") || "",
    to: search.get("to") || "", region: search.get("region") || "" };
  var errors = 0;

  window.addEventListener("error", function () {
    errors += 1;
    document.body.setAttribute("data-errors", String(errors));
  });

  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "cls") e.className = attrs[k];
      else if (k === "on") e.addEventListener("click", attrs[k]);
      else e.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c) e.appendChild(c); });
    return e;
  }
  var SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function num(n) { return Number(n).toLocaleString(L === ALL.en ? "en-US" : "id-ID"); }
  function setLang(code) {
    L = ALL[code] || ALL.id;
    document.documentElement.lang = code === "en" ? "en" : "id";
    var nodes = document.querySelectorAll("[data-l]");
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = L[nodes[i].getAttribute("data-l")] || "";
    $("title").textContent = L.title;
  }
  function status(text, isError) {
    var s = $("status");
    if (!s) { s = el("p", { id: "status" }); $("main").replaceChildren(s); }
    s.textContent = text;
    s.className = isError ? "error" : "hint";
  }

  // --- Telegram's fragment, read by hand -----------------------------------------------------------
  var hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  var initData = hash.get("tgWebAppData");
  var meeting = hash.get("meeting");
  function theme() {
    var raw = hash.get("tgWebAppThemeParams");
    var p = null;
    try { p = raw ? JSON.parse(raw) : null; } catch (e) { p = null; }
    if (!p) return;
    var root = document.documentElement;
    var map = { bg_color: "--bg", text_color: "--text", hint_color: "--hint", link_color: "--link",
      button_color: "--button", button_text_color: "--button-text", secondary_bg_color: "--card" };
    for (var k in map) if (/^#[0-9a-fA-F]{3,8}$/.test(p[k] || "")) root.style.setProperty(map[k], p[k]);
    root.classList.add("themed");
    var bg = p.bg_color || "#ffffff";
    var rgb = bg.length >= 7 ? [1, 3, 5].map(function (i) { return parseInt(bg.substr(i, 2), 16); }) : [255, 255, 255];
    if ((0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2]) < 128) root.classList.add("dark");
  }
  function ready() {
    // Tells Telegram the page is ready, as telegram-web-app.js would (where a client listens).
    try {
      if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent("web_app_ready", "");
      else if (window.parent && window.parent !== window)
        window.parent.postMessage(JSON.stringify({ eventType: "web_app_ready", eventData: "" }), "*");
    } catch (e) { /* not inside Telegram */ }
  }

  // --- the API -------------------------------------------------------------------------------------
  function query(extra) {
    var q = new URLSearchParams();
    q.set("period", state.period);
    if (state.period === "custom") { q.set("from", state.from); q.set("to", state.to); }
    if (state.region) q.set("region", state.region);
    for (var k in extra || {}) q.set(k, extra[k]);
    return q.toString();
  }
  function call(method, path, body) {
    var headers = { "Content-Type": "application/json" };
    if (auth) headers.Authorization = auth;
    return fetch(path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined,
      credentials: "omit", cache: "no-store" })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (j) {
          if (!r.ok) throw new Error(L[(j.error || "dash-error-server").replace(/^dash-/, "")] || L["error-server"]);
          return j;
        });
      });
  }

  // --- drawing -------------------------------------------------------------------------------------
  function card(label, value, kind, color) {
    var attrs = { cls: kind ? "card" : "card static", "data-kind": kind || "" };
    if (kind) attrs.on = function () { openList(kind, label); };
    var b = el("b", { text: value });
    if (color) b.style.color = color;
    return el(kind ? "button" : "div", attrs, [b, el("span", { text: label })]);
  }
  function table(id, head, rows, totalRows) {
    var t = el("table", { id: id });
    t.appendChild(el("thead", {}, [el("tr", {}, head.map(function (h) { return el("th", { text: h }); }))]));
    var body = el("tbody");
    rows.concat(totalRows || []).forEach(function (r, i) {
      var tr = el("tr", { cls: i >= rows.length ? "total" : "" },
        r.map(function (c) { return el("td", { text: typeof c === "number" ? num(c) : c }); }));
      body.appendChild(tr);
    });
    t.appendChild(body);
    return el("div", { cls: "scroll" }, [t]);
  }
  function section(title, content) {
    return el("section", {}, [el("h2", { text: title })].concat(content));
  }
  function legend(items) {
    return el("div", { cls: "legend" }, items.map(function (it) {
      var i = el("i"); i.style.background = it[1];
      return el("span", {}, [i, document.createTextNode(it[0])]);
    }));
  }
  var COLORS = { on_time: "var(--on-time)", late: "var(--late)", overdue: "var(--overdue)",
    missed: "var(--missed)", due_today: "var(--today)" };
  function deliveryBar(d) {
    var parts = [["on_time", d.on_time], ["late", d.late], ["overdue", d.overdue], ["missed", d.missed],
      ["due_today", d.due_today]];
    var total = d.due || 1;
    var s = svg("svg", { viewBox: "0 0 300 28", id: "chart-deliveries", role: "img" });
    var x = 0;
    parts.forEach(function (p) {
      var w = 300 * p[1] / total;
      if (w > 0) s.appendChild(svg("rect", { x: x, y: 4, width: w, height: 20, fill: COLORS[p[0]] }));
      x += w;
    });
    if (!d.due) s.appendChild(svg("rect", { x: 0, y: 4, width: 300, height: 20, fill: "var(--card)" }));
    return s;
  }
  function barChart(id, items, max, color, second) {
    // Horizontal bars: label, value, and an optional lighter bar behind (of a larger total).
    var rowH = 22, labelW = 110, w = 300;
    var s = svg("svg", { viewBox: "0 0 " + w + " " + Math.max(rowH * items.length, rowH), id: id, role: "img" });
    items.forEach(function (it, i) {
      var y = i * rowH;
      var scale = (w - labelW - 40) / (max || 1);
      if (second) s.appendChild(svg("rect", { x: labelW, y: y + 4, width: Math.max(scale * it.of, 0), height: 14,
        fill: "var(--card)" }));
      s.appendChild(svg("rect", { x: labelW, y: y + 4, width: Math.max(scale * it.value, 0), height: 14, fill: color }));
      s.appendChild(svg("text", { x: 0, y: y + 15 }, it.label.length > 18 ? it.label.slice(0, 17) + "…" : it.label));
      s.appendChild(svg("text", { x: labelW + scale * Math.max(it.value, second ? it.of : 0) + 4, y: y + 15 },
        second ? num(it.value) + "/" + num(it.of) : num(it.value)));
    });
    return s;
  }
  function monthChart(months) {
    var w = 300, h = 140, pad = 22;
    var s = svg("svg", { viewBox: "0 0 " + w + " " + h, id: "chart-stunted", role: "img" });
    var max = 1;
    months.forEach(function (m) { max = Math.max(max, m.measured); });
    var bw = (w - pad) / Math.max(months.length, 1);
    months.forEach(function (m, i) {
      var x = pad + i * bw;
      var hm = (h - 34) * m.measured / max, hs = (h - 34) * m.stunted / max;
      s.appendChild(svg("rect", { x: x + 2, y: h - 18 - hm, width: bw - 4, height: hm, fill: "var(--card)" }));
      s.appendChild(svg("rect", { x: x + 2, y: h - 18 - hs, width: bw - 4, height: hs, fill: "var(--overdue)" }));
      s.appendChild(svg("text", { x: x + bw / 2, y: h - 18 - hm - 3, "text-anchor": "middle" }, num(m.stunted)));
      s.appendChild(svg("text", { x: x + bw / 2, y: h - 4, "text-anchor": "middle" }, m.month.slice(2)));
    });
    s.appendChild(svg("line", { x1: pad, y1: h - 18, x2: w, y2: h - 18, stroke: "var(--hint)" }));
    return s;
  }
  function plainList(items, text) {
    if (!items.length) return el("p", { cls: "hint", text: L.none });
    return el("ul", { cls: "plain" }, items.map(function (it) { return el("li", { text: text(it) }); }));
  }
  function officeRow(o, name) {
    return [name || o.name || L.community, o.sponsors, o.children, o.due, o.on_time, o.late, o.overdue, o.missed];
  }

  function render(d) {
    data = d;
    setLang(d.lang);
    $("area").textContent = d.area + " · " + d.from + " – " + d.to + (d.read_only ? " · " + L["read-only"] : "");
    var regions = $("region");
    regions.replaceChildren.apply(regions, d.regions.map(function (r) {
      var o = el("option", { value: r.code, text: r.name + (r.code ? " (" + r.code + ")" : "") });
      if ((d.region || "") === r.code) o.selected = true;
      return o;
    }));
    $("period").value = d.preset;
    $("custom").hidden = d.preset !== "custom";
    $("controls").hidden = false;
    var c = d.children, dl = d.deliveries;
    var pct = dl.on_time_pct === null ? "—" : Math.round(dl.on_time_pct) + "%";
    var main = [
      section(L.children, [el("div", { cls: "cards", id: "cards-children" }, [
        card(L.registered, num(c.registered)), card(L.sponsored, num(c.sponsored)),
        card(L.waiting, num(c.waiting), "waiting"), card(L["left-stunting"], num(c.left_stunting), "left_stunting", "var(--on-time)")])]),
      section(L.deliveries, [el("div", { cls: "cards", id: "cards-deliveries" }, [
        card(L.due, num(dl.due), "due"), card(L["on-time"], num(dl.on_time), "on_time", "var(--on-time)"),
        card(L.late, num(dl.late), "late", "var(--late)"), card(L.overdue, num(dl.overdue), "overdue", "var(--overdue)"),
        card(L.missed, num(dl.missed), "missed", "var(--missed)"), card(L["due-today"], num(dl.due_today), "due_today"),
        card(L["on-time-share"], pct)]), deliveryBar(dl),
        legend([[L["on-time"], COLORS.on_time], [L.late, COLORS.late], [L.overdue, COLORS.overdue],
          [L.missed, COLORS.missed], [L["due-today"], COLORS.due_today]])]),
      section(L.offices, [table("offices",
        [L.office, L.sponsors, L.children, L.due, L["on-time"], L.late, L.overdue, L.missed],
        d.offices.map(function (o) { return officeRow(o); }),
        [officeRow(d.community, L.community), officeRow(d.total, L.total)])]),
      section(L["coverage-kecamatan"], d.kecamatan.length ? [barChart("chart-kecamatan",
        d.kecamatan.map(function (k) { return { label: k.name, value: k.sponsored, of: k.registered }; }),
        Math.max.apply(null, d.kecamatan.map(function (k) { return k.registered; }).concat([1])), "var(--on-time)", true),
        legend([[L.sponsored, COLORS.on_time], [L.registered, "var(--card)"]])] : [el("p", { cls: "hint", text: L.none })]),
    ];
    if (d.puskesmas.some(function (p) { return p.name; })) {
      main.push(section(L["coverage-puskesmas"], [table("puskesmas",
        [L["coverage-puskesmas"].split(" ").pop(), L.registered, L.sponsored, L.waiting, L.due, L["on-time"], L.overdue],
        d.puskesmas.map(function (p) {
          return [p.name || L["no-puskesmas"], p.registered, p.sponsored, p.waiting, p.due, p.on_time, p.overdue];
        }),
        [[L.total, d.puskesmas_total.registered, d.puskesmas_total.sponsored, d.puskesmas_total.waiting,
          d.puskesmas_total.due, d.puskesmas_total.on_time, d.puskesmas_total.overdue]])]));
    }
    main.push(section(L["stunted-by-month"], d.stunted.length ? [monthChart(d.stunted),
      legend([[L.stunted, COLORS.overdue], [L.measured, "var(--card)"]])] : [el("p", { cls: "hint", text: L.none })]));
    main.push(el("div", { cls: "grid2" }, [
      section(L["overdue-by-sponsor"], [plainList(d.overdue_by_sponsor, function (g) {
        return (g.name || L.community) + (g.office ? " (" + g.office + ")" : "") + " — " + num(g.deliveries) +
          " · " + g.oldest_days + " " + L.days; })]),
      section(L["overdue-by-office"], [plainList(d.overdue_by_office, function (g) {
        return (g.name || L.community) + " — " + num(g.deliveries) + " · " + g.oldest_days + " " + L.days; })]),
      section(L["waiting-longest"], [plainList(d.waiting, function (w) {
        return w.name + " (" + w.kecamatan + ") — " + w.days + " " + L.days; })]),
      section(L["open-cases"], [plainList(d.cases, function (k) {
        return k.opened + " · " + k.child + " — " + (k.partial ? L["case-partial"] : L["case-not-received"]) +
          (k.problem ? " (" + k.problem + ")" : ""); })]),
    ]));
    if (!d.read_only) {
      var note = el("p", { cls: "hint", id: "report-note" });
      main.push(el("p", {}, [el("button", { id: "send-report", type: "button", text: L["send-report"], on: function () {
        call("POST", "/app/api/report?" + query()).then(function () { note.textContent = L["report-sent"]; },
          function (e) { note.textContent = e.message; });
      } })]), note);
    }
    $("main").replaceChildren.apply($("main"), main);
    document.body.setAttribute("data-ready", "1");
  }

  function load() {
    status(L.loading);
    return call("GET", "/app/api/dashboard?" + query()).then(render, function (e) { status(e.message, true); });
  }

  function openList(kind, label) {
    $("list").hidden = false;
    $("list-title").textContent = label;
    $("list-body").replaceChildren(el("p", { cls: "hint", text: L.loading }));
    call("GET", "/app/api/list?" + query({ kind: kind })).then(function (l) {
      var head = l.columns.map(function (k) { return L[k.replace(/^dash-/, "")] || k; });
      var parts = [table("list-table", head, l.rows)];
      if (l.total > l.rows.length) parts.push(el("p", { cls: "hint", text: num(l.total - l.rows.length) + " " + L.more }));
      $("list-body").replaceChildren.apply($("list-body"), parts);
    }, function (e) { $("list-body").replaceChildren(el("p", { cls: "error", text: e.message })); });
  }

  function start() {
    theme();
    var tgUser = null;
    try { tgUser = initData ? JSON.parse(new URLSearchParams(initData).get("user") || "null") : null; } catch (e) { tgUser = null; }
    var guess = (tgUser && tgUser.language_code) || navigator.language || "id";
    setLang(/^en/i.test(guess) ? "en" : "id");
    $("period").addEventListener("change", function (e) {
      state.period = e.target.value;
      $("custom").hidden = state.period !== "custom";
      if (state.period !== "custom") load();
    });
    $("apply").addEventListener("click", function () {
      state.from = $("from").value; state.to = $("to").value; load();
    });
    $("region").addEventListener("change", function (e) { state.region = e.target.value; load(); });
    $("back").addEventListener("click", function () { $("list").hidden = true; });
    ready();
    if (meeting) {
      auth = "Meeting " + meeting;
      load();
    } else if (initData) {
      status(L.loading);
      call("POST", "/app/api/session", { init_data: initData }).then(function (s) {
        auth = "Session " + s.token;
        setLang(s.lang);
        return load();
      }, function (e) { status(e.message, true); });
    } else {
      status(L["error-open-in-telegram"], true);
    }
  }
  start();
})();
