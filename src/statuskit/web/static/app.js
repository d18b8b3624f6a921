// statuskit reference page: search and filters, language switch, detail by
// link, and Try it. The HTML already holds every fact in one language; this
// script only re-renders texts from the embedded data (#sk-data, cut from
// status_document) and talks to the server it was loaded from.
"use strict";
(() => {
  const doc = document;
  const root = doc.documentElement;
  const data = JSON.parse(doc.getElementById("sk-data").textContent);
  const codes = new Map(data.codes.map((c) => [String(c.code), c]));
  const articles = [...doc.querySelectorAll("article.code")];
  const params = new URLSearchParams(location.search);
  const STORE = "statuskit.lang";
  const TIMEOUT_MS = 20000; // Try it never waits on a silent server for longer
  let lang = root.lang;

  // -- words ----------------------------------------------------------------

  // "{shown} of {total}" with values from a data-tv attribute (JSON).
  const fmt = (template, json) => {
    if (!json) return template;
    const values = JSON.parse(json);
    return template.replace(/\{(\w+)\}/g, (all, name) => (name in values ? values[name] : all));
  };

  const el = (tag, attrs, ...kids) => {
    const node = doc.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    node.append(...kids);
    return node;
  };

  // An interface word, marked so that a language switch re-renders it.
  const word = (key, values, tag = "span", cls = null) => {
    const tv = values ? JSON.stringify(values) : null;
    const node = el(tag, { "data-t": key, "data-tv": tv, class: cls });
    node.textContent = fmt(data.ui[lang][key], tv);
    return node;
  };

  // -- language ---------------------------------------------------------------

  const titleOf = (words) => {
    if (data.page !== "code") return words.site;
    const c = data.codes[0];
    return `${c.code} ${c.reason} – ${words.site}`;
  };

  const applyLang = (next) => {
    const words = data.ui[next];
    if (!words) return;
    lang = next;
    root.lang = next;
    for (const node of doc.querySelectorAll("[data-t]")) node.textContent = fmt(words[node.dataset.t], node.dataset.tv);
    for (const node of doc.querySelectorAll("[data-t-label]")) node.setAttribute("aria-label", words[node.dataset.tLabel]);
    // Links whose target depends on the language (Wikipedia in the reader's language).
    for (const node of doc.querySelectorAll("[data-t-href]")) node.setAttribute("href", words[node.dataset.tHref]);
    for (const node of doc.querySelectorAll("[data-t-hreflang]")) node.setAttribute("hreflang", words[node.dataset.tHreflang]);
    for (const node of doc.querySelectorAll("[data-c]")) {
      const [digit, key] = node.dataset.c.split(".");
      node.textContent = data.classes[digit][next][key];
    }
    for (const article of articles) {
      const info = codes.get(article.dataset.code);
      const texts = info.texts[next];
      for (const node of article.querySelectorAll("[data-f]")) {
        node.textContent = texts[node.dataset.f];
        if (node.dataset.f === "title") node.hidden = texts.title === info.reason;
      }
    }
    for (const link of doc.querySelectorAll(".langs a[data-lang]")) {
      if (link.dataset.lang === next) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    }
    doc.title = titleOf(words);
    const meta = doc.querySelector('meta[name="description"]');
    if (meta) meta.content = words.intro;
  };

  const chooseLang = (next) => {
    try {
      localStorage.setItem(STORE, next);
    } catch (e) {
      // Storage can be off (private modes, policies); the switch still works.
    }
    if (params.has("lang")) {
      // Keep an explicit ?lang= in the address truthful, or a reload would undo the choice.
      params.set("lang", next);
      history.replaceState(history.state, "", `${location.pathname}?${params}${location.hash}`);
    }
    applyLang(next);
  };

  // A language in the address was asked for explicitly and wins; otherwise
  // the remembered choice; otherwise what the server rendered (Accept-Language).
  if (!params.has("lang")) {
    let stored = null;
    try {
      stored = localStorage.getItem(STORE);
    } catch (e) {
      stored = null;
    }
    if (stored && stored !== lang && data.languages.includes(stored)) applyLang(stored);
  }

  // -- search and filters (index only) ------------------------------------------

  const form = doc.querySelector("form.filters");
  const search = doc.getElementById("q");

  // Folded like statuskit.registry.normalize_name: "I'm a teapot" -> "im a teapot".
  const normalize = (text) =>
    text.replace(/['\u2019]/g, "").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();

  // The same text `statuskit search` looks in: names, titles, summaries and
  // paragraphs in every language, the owner. A word matches as a substring,
  // so Chinese (written without spaces) matches too.
  const haystack = (info) => {
    const names = [String(info.code), info.phrase, info.reason, ...info.aliases];
    const rest = [info.owner];
    for (const texts of Object.values(info.texts)) {
      names.push(texts.title);
      rest.push(texts.summary, texts.server, texts.client);
    }
    return [...names, ...names.map(normalize), ...rest].join("\n").toLowerCase();
  };

  let applyFilters = () => {};
  let resetFilters = null;
  if (form && search) {
    const sections = [...doc.querySelectorAll("section.cls")];
    const boxes = [...form.querySelectorAll('input[name="class"]')];
    const standing = doc.getElementById("standing");
    const count = doc.querySelector("#count [data-t]");
    const none = doc.querySelector("p.none");
    let texts = null; // built on the first search: loading the page does not pay for it

    const standingMatches = (article, wanted) => {
      if (!wanted) return true;
      if (wanted.startsWith("flag:")) return article.dataset.flags.split(" ").includes(wanted.slice(5));
      return article.dataset.standing === wanted;
    };

    applyFilters = () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length && !texts) texts = new Map(articles.map((a) => [a, haystack(codes.get(a.dataset.code))]));
      const classes = new Set(boxes.filter((b) => b.checked).map((b) => b.value));
      const wanted = standing.value;
      let shown = 0;
      for (const article of articles) {
        const ok =
          classes.has(article.dataset.class) &&
          standingMatches(article, wanted) &&
          words.every((w) => texts.get(article).includes(w));
        article.hidden = !ok;
        if (ok) shown += 1;
      }
      for (const section of sections) {
        const empty = !section.querySelector("article.code:not([hidden])");
        section.hidden = empty;
        const entry = doc.querySelector(`.toc a[href="#${section.id}"]`);
        if (entry) entry.parentElement.hidden = empty;
      }
      count.dataset.tv = JSON.stringify({ shown, total: articles.length });
      count.textContent = fmt(data.ui[lang].count, count.dataset.tv);
      none.hidden = shown > 0;
    };

    resetFilters = () => {
      search.value = "";
      for (const box of boxes) box.checked = true;
      standing.value = "";
      applyFilters();
    };

    form.addEventListener("input", applyFilters);
    form.addEventListener("change", applyFilters);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("reset", () => setTimeout(applyFilters));
    search.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && search.value) {
        event.preventDefault();
        search.value = "";
        applyFilters();
      }
    });
    doc.addEventListener("keydown", (event) => {
      const target = event.target;
      const typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
      if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    });
    // /?q=... links here; a restored form (back button) keeps its values.
    if (params.has("q")) search.value = params.get("q");
    if (search.value || standing.value || boxes.some((b) => !b.checked)) applyFilters();
  }

  // -- stable links: /#404 opens 404 ---------------------------------------------

  const openFromHash = () => {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!/^\d{3}$/.test(id)) return;
    const article = doc.getElementById(id);
    if (!article || !article.matches("article.code")) return;
    if (article.hidden && resetFilters) resetFilters();
    const details = article.querySelector("details");
    if (details) details.open = true;
    article.focus({ preventScroll: true });
    article.scrollIntoView({ block: "start" });
  };
  window.addEventListener("hashchange", openFromHash);
  openFromHash();

  // -- Try it -------------------------------------------------------------------

  const withTimeout = async (url, options) => {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(url, { ...options, signal: ctrl.signal });
      const body = await response.text();
      return { response, body };
    } finally {
      clearTimeout(timer);
    }
  };

  // HTTP version of the last load of `url`, which fetch itself does not expose.
  const protocolOf = (url) => {
    const entries = performance.getEntriesByName(url, "resource");
    const last = entries[entries.length - 1];
    performance.clearResourceTimings(); // the buffer is small; Try it reads only its own entry
    return last && last.nextHopProtocol ? last.nextHopProtocol.toUpperCase() : "";
  };

  const exchangeOf = async (code) => {
    try {
      const { response, body } = await withTimeout(`/_statuskit/exchange/${code}`, { cache: "no-store" });
      if (response.ok) return { text: body };
      return { missing: `${response.status} ${response.statusText}`.trim() };
    } catch (error) {
      return { missing: String(error) };
    }
  };

  const tryIt = async (button) => {
    const code = button.dataset.try;
    const info = codes.get(code);
    const article = button.closest("article");
    const out = article.querySelector(".try-out");
    const level = Math.min(6, Number(article.querySelector(".code-h").tagName.slice(1)) + 1);
    const heading = (key) => el(`h${level}`, {}, word(key));
    const url = new URL(`/${code}`, location.href).href;

    button.disabled = true;
    out.hidden = false;
    out.setAttribute("aria-busy", "true");
    out.replaceChildren(word("try_running", null, "p"));

    const parts = [heading("try_result")];
    const started = performance.now();
    let result = null;
    let failure = null;
    try {
      // no-store: 301, 404 and others are heuristically cacheable, and a
      // cached answer would not be a request to the server. credentials:
      // omit keeps 401 from opening the browser's login dialog.
      result = await withTimeout(url, { cache: "no-store", credentials: "omit", redirect: "follow" });
    } catch (error) {
      failure = error;
    }
    const ms = Math.round(performance.now() - started);

    // What fetch cannot show: interim responses, redirects it followed,
    // connections closed without an answer, answers other than the code.
    let why = null;
    if (code === "101" && result) why = ["try_upgrade", { got: result.response.status }];
    else if (info && info.interim) why = ["try_interim", null];
    else if (!result && failure && failure.name === "AbortError") why = ["try_timeout", { s: TIMEOUT_MS / 1000 }];
    else if (!result) why = ["try_network", null];
    else if (result.response.redirected) why = ["try_redirected", { url: result.response.url }];
    else if (String(result.response.status) !== code) why = ["try_other", { got: result.response.status, code }];

    if (result) {
      const { response, body } = result;
      const proto = protocolOf(url);
      const lines = [`${proto} ${response.status} ${response.statusText}`.trim()];
      for (const [name, value] of response.headers) lines.push(`${name}: ${value}`);
      parts.push(el("p", { class: "line" }, el("strong", {}, `${response.status} ${response.statusText}`), " · ", word("try_time", { ms })));
      if (why) parts.push(word(why[0], why[1], "p", "why"));
      parts.push(el("pre", { class: "head" }, lines.join("\n")), word("try_fields_note", null, "p", "note"));
      if (body) parts.push(el("p", {}, el("strong", {}, word("try_body"))), el("pre", { class: "body" }, body.slice(0, 20000)));
      else parts.push(word("try_no_body", null, "p"));
    } else {
      parts.push(word("try_error", { error: String(failure) }, "p"), word(why[0], why[1], "p", "why"));
    }

    if (why) {
      parts.push(heading("try_exchange"));
      const exchange = await exchangeOf(code);
      if (exchange.text) parts.push(el("pre", { class: "exchange-text" }, exchange.text));
      else if (exchange.text === "") parts.push(word("try_exchange_empty", null, "p"));
      else parts.push(word("try_exchange_missing", { status: exchange.missing }, "p"));
    }

    const command = `curl -i ${url}`;
    parts.push(
      heading("curl"),
      el(
        "div",
        { class: "curl" },
        el("pre", {}, el("code", {}, command)),
        el("button", { type: "button", "data-copy": command }, word("copy")),
        el("span", { role: "status", class: "copy-status" }),
      ),
    );
    out.replaceChildren(...parts);
    out.removeAttribute("aria-busy");
    button.disabled = false;
  };

  // -- copy -----------------------------------------------------------------------

  const copy = async (button) => {
    const text = button.dataset.copy;
    const status = button.parentElement.querySelector(".copy-status");
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (error) {
      // No clipboard API (insecure origin, permission): select the command
      // so it can be copied by hand, and try the older command.
      const range = doc.createRange();
      range.selectNodeContents(button.parentElement.querySelector("code"));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      try {
        ok = doc.execCommand("copy");
      } catch (ignored) {
        ok = false;
      }
    }
    status.replaceChildren(word(ok ? "copied" : "copy_failed"));
  };

  // -- one listener for every button and language link ------------------------------

  doc.addEventListener("click", (event) => {
    const target = event.target.closest("button[data-try], button[data-copy], .langs a[data-lang]");
    if (!target) return;
    if (target.matches("button[data-try]")) tryIt(target);
    else if (target.matches("button[data-copy]")) copy(target);
    else if (!event.ctrlKey && !event.metaKey && !event.shiftKey && event.button === 0) {
      event.preventDefault();
      chooseLang(target.dataset.lang);
    }
  });
})();
