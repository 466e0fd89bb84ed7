/*
 * Questlet widget loader, served at /widget/questlet.js.
 *
 * It finds its own <script> tag, loads the WebAssembly widget from its own base URL
 * (whatever page it is embedded in), and mounts one widget for this tag. It also defines
 * window.Questlet, the host page's API (see docs/embedding.md):
 *
 *   Questlet.ready                 a promise, resolved when the widget code is loaded
 *   Questlet.mount(element, opts)  mount a widget (opts: organization, campaign, api, userToken, ...)
 *   Questlet.setUserToken(token[, element])   log a user in (or out with null); progress reloads
 *   Questlet.on(name, cb) / off(name, cb)     event callbacks (names in docs/events.md)
 *   Questlet.open([element]) / close([element])  show or hide widgets (a launcher's panel)
 *   Questlet.destroy([element])    remove one widget or all
 *   Questlet.setProvider(provider[, element])  a wallet (EIP-1193) the host has connected
 *
 * A widget with wallet tasks, or given a provider (here or as Questlet.mount's `provider`),
 * also loads wallet.js: connecting a wallet, Sign-In with Ethereum, sending a task's
 * transaction (docs/wallets.md).
 *
 * Inside a Telegram Mini App (window.Telegram.WebApp with initData), each widget also
 * loads telegram.js: Telegram sign-in, theme, BackButton, links and haptics.
 *
 * The instance model: the module is compiled once per page and the glue (pkg/questlet.js,
 * which the build wraps in a factory) is imported once; every widget gets its own instance
 * of both, because a Rust panic aborts the instance it happens in. So a crash stays inside
 * one widget, and `widgets` below is the page's list of widgets, one instance each.
 *
 * Calls run in the order they are made: a call made while a mount is still loading waits
 * for it (and for the code), so nothing called early is lost and hosts never need timeouts.
 * Every call returns a promise of its completion. Nothing here throws into the host page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var Q = window.Questlet;
  if (!Q || !Q.__installed) {
    var listeners = {};
    var widgets = [];     // {host, api, memory}: one per widget, each with its own instance
    var code = {};        // base URL -> promise of {factory, module}
    var tail;             // the newest queued call's completion
    var busy = 0;         // queued calls not finished yet
    var globalToken;      // the last token set for all widgets, for widgets mounted later
    var resolveReady;
    Q = window.Questlet = {
      __installed: true,
      ready: new Promise(function (resolve) { resolveReady = resolve; }),
      on: function (name, callback) {
        (listeners[name] = listeners[name] || []).push(callback);
      },
      off: function (name, callback) {
        listeners[name] = (listeners[name] || []).filter(function (f) { return f !== callback; });
      },
      mount: function (element, options) {
        return run(function () {
          remove(element);
          return start(Q.__base, function (api) {
            api.mount(element, options || {}, new URL(Q.__base).origin);
            if (options && options.provider) Q.__wallet(element, options.provider);
            return element;
          });
        });
      },
      setProvider: function (provider, element) { return Q.__wallet(element, provider); },
      setUserToken: function (token, element) {
        token = token == null ? undefined : String(token);
        return run(function () {
          if (!element) globalToken = { value: token };
          each(element, function (w) { w.api.set_user_token(token); (w.host.__ql || {}).token = token; });
        });
      },
      destroy: function (element) {
        return run(function () { remove(element); });
      },
      open: function (element) { return run(function () { toggle(element, false); }); },
      close: function (element) { return run(function () { toggle(element, true); }); },
      __emit: function (name, detail) {
        (listeners[name] || []).slice().forEach(function (callback) {
          try { callback(detail); } catch (error) { console.error("Questlet: an on('" + name + "') callback threw:", error); }
        });
      },
      // Makes the widget in `element` panic, so tests can check that a crash stays inside it.
      __crashForTest: function (element) {
        return run(function () { each(element, function (w) { w.api.crash_for_test(); }); });
      },
      // Diagnostics for benchmarks: the widgets and their instances' linear memory.
      __stats: function () {
        return {
          widgets: widgets.length,
          wasmMemoryBytes: widgets.reduce(function (sum, w) { return sum + w.memory.buffer.byteLength; }, 0)
        };
      },
      // Solves a proof-of-work task's puzzle (pow.js, loaded on first use only).
      __solve: function (url, token, bar) {
        return import(Q.__base + "pow.js").then(function (pow) { return pow.solve(url, token, bar); });
      },
      // Shows a leaderboard or rewards tab (panels.js, loaded on first use only).
      __panel: function (element, options) {
        return import(Q.__base + "panels.js").then(function (panels) { return panels.show(element, options); });
      },
      // A widget mounted (context: api, organization, campaign, token). A launcher
      // (data-mode="launcher") gets launcher.js: its button opens the widget as a panel.
      // Inside a Telegram Mini App, telegram.js (loaded there only) signs its user in and
      // follows Telegram.
      __mounted: function (host, context) {
        host.__ql = context;
        // A signed-in user's first open of a quest is the first step of the quest's funnel
        // on the partner's results page. Sent from here rather than from the wasm, where
        // the same call cost the bundle three times the bytes; a failure only loses a count.
        host.addEventListener("questlet:quest_opened", function (event) {
          var c = host.__ql;
          if (c.token) {
            fetch(c.api + "/v1/widget/" + c.organization + "/campaigns/" + c.campaign + "/quests/" +
              encodeURIComponent(event.detail.quest_id) + "/opened",
              { method: "POST", headers: { Authorization: "Bearer " + c.token } }).catch(function () {});
          }
        });
        host.__qlLauncher = context.mode === "launcher" &&
          import(Q.__base + "launcher.js").then(function (l) { return l.attach(host, context); });
        if (host.__qlLauncher) host.__qlLauncher.catch(report);
        var app = window.Telegram && window.Telegram.WebApp;
        if (app && app.initData) {
          import(Q.__base + "telegram.js").then(function (t) { t.attach(host, context, Q); }).catch(report);
        }
      },
      // Wallets for the widgets in `element` (or all), with the host's `provider` if given
      // (wallet.js, loaded on first use only).
      __wallet: function (element, provider) {
        return run(function () {
          return import(Q.__base + "wallet.js").then(function (wallet) {
            each(element, function (w) { wallet.attach(w.host, provider, Q); });
            return wallet;
          });
        });
      },
      __mountScript: function (tag, base) {
        Q.__base = Q.__base || base;
        return run(function () {
          return start(base, function (api) { return api.mount_script(tag); });
        });
      }
    };
    function report(error) {
      console.error("Questlet:", error);
    }
    function call(f) {
      try { return f(); } catch (error) { report(error); }
    }
    // Runs `op` now when no earlier call is pending, else after the earlier calls.
    function run(op) {
      var result = busy ? tail.then(op) : call(op);
      if (!result || typeof result.then !== "function") return Promise.resolve(result);
      busy++;
      tail = result.then(null, report).then(function (value) { busy--; return value; });
      return tail;
    }
    // The widgets in `element`, or all of them, each with `f` (a failing one is logged).
    function each(element, f) {
      widgets.filter(function (w) { return !element || w.host === element; })
        .forEach(function (w) { call(function () { f(w); }); });
    }
    function remove(element) {
      each(element, function (w) {
        try { w.api.destroy(); } catch (error) {
          // A crashed instance cannot run any more: clear its widget from here.
          if (w.host.shadowRoot) w.host.shadowRoot.innerHTML = "";
        }
      });
      widgets = widgets.filter(function (w) { return element && w.host !== element; });
    }
    function compile(url) {
      var response = fetch(url);
      return WebAssembly.compileStreaming(response).catch(function () {
        // A server that sends the wasm without `application/wasm` still works.
        return fetch(url).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
      });
    }
    // The glue's factory and the compiled module at `base`, loaded once.
    function load(base) {
      if (!code[base]) {
        code[base] = Promise.all([import(base + "pkg/questlet.js"), compile(base + "pkg/questlet_bg.wasm")])
          .then(function (loaded) {
            resolveReady(Q);
            document.dispatchEvent(new CustomEvent("questlet:ready", { detail: Q }));
            try { window.postMessage("widget::ready", "*"); } catch (e) { /* claimr's readiness signal */ }
            return { factory: loaded[0].default, module: loaded[1] };
          });
        code[base].catch(function (error) {
          console.error("Questlet: the widget could not load from " + base + ": " + error);
        });
      }
      return code[base];
    }
    // A new instance of the widget at `base`; `use` mounts with it and returns the host.
    function start(base, use) {
      return load(base).then(function (loaded) {
        var api = loaded.factory();
        return api.default({ module_or_path: loaded.module }).then(function (exports) {
          var host = use(api);
          widgets.push({ host: host, api: api, memory: exports.memory });
          if (globalToken) call(function () { api.set_user_token(globalToken.value); });
        });
      });
    }
    // Shows or hides widgets: a launcher's panel opens or closes, an inline widget's host
    // is shown or hidden.
    function toggle(element, hidden) {
      var hosts = element ? [element] : widgets.map(function (w) { return w.host; });
      return Promise.all(hosts.map(function (host) {
        if (!host.__qlLauncher) { host.hidden = hidden; return; }
        return host.__qlLauncher.then(function (open) { if (open) open(!hidden); });
      }));
    }
    // claimr compatibility: the same calls under claimr's names.
    window.claimr = window.claimr || {
      set_user_token: function (token) { return Q.setUserToken(token); },
      connect_wallet: function (address, signature, message) {
        return Q.__wallet().then(function (wallet) { return wallet.connect(address, signature, message); });
      },
      logout: function () { return Q.setUserToken(null); },
      destroy: function () { return Q.destroy(); },
      set_theme: function (theme) {
        return run(function () {
          widgets.forEach(function (w) {
            var root = w.host.shadowRoot && w.host.shadowRoot.querySelector(".ql-root");
            if (root) root.setAttribute("data-theme", theme);
          });
        });
      }
    };
  }
  if (!script || !script.src) {
    console.error("Questlet: load the widget with <script src=\".../widget/questlet.js\">.");
    return;
  }
  Q.__mountScript(script, script.src.replace(/[^/]*([?#].*)?$/, ""));
})();
