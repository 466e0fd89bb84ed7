/*
 * Questlet widget loader, served at /widget/questlet.js.
 *
 * It finds its own <script> tag, loads the WebAssembly widget once from its own base URL
 * (whatever page it is embedded in), and mounts one widget for this tag. It also defines
 * window.Questlet, the host page's API (see docs/embedding.md):
 *
 *   Questlet.ready                 a promise, resolved when the widget code is loaded
 *   Questlet.mount(element, opts)  mount a widget (opts: organization, campaign, api, userToken, ...)
 *   Questlet.setUserToken(token[, element])   log a user in (or out with null); progress reloads
 *   Questlet.on(name, cb) / off(name, cb)     event callbacks (names in docs/events.md)
 *   Questlet.open([element]) / close([element])  show or hide widgets
 *   Questlet.destroy([element])    remove one widget or all
 *
 * Calls made before the code has loaded are queued. Nothing here throws into the host page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var Q = window.Questlet;
  if (!Q || !Q.__installed) {
    var listeners = {};
    var glue = null;
    var queue = [];
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
      mount: function (element, options) { call(function (g) { g.mount(element, options || {}); }); },
      setUserToken: function (token, element) {
        call(function (g) { g.set_user_token(token == null ? undefined : String(token), element); });
      },
      destroy: function (element) { call(function (g) { g.destroy(element); }); },
      open: function (element) { toggle(element, false); },
      close: function (element) { toggle(element, true); },
      __emit: function (name, detail) {
        (listeners[name] || []).slice().forEach(function (callback) {
          try { callback(detail); } catch (error) { console.error("Questlet: an on('" + name + "') callback threw:", error); }
        });
      },
      __loaded: function (module) {
        if (glue) return;
        glue = module;
        queue.splice(0).forEach(function (f) { f(glue); });
        resolveReady(Q);
        document.dispatchEvent(new CustomEvent("questlet:ready", { detail: Q }));
        try { window.postMessage("widget::ready", "*"); } catch (e) { /* claimr's readiness signal */ }
      }
    };
    function call(f) {
      if (glue) {
        try { f(glue); } catch (error) { console.error("Questlet:", error); }
      } else {
        queue.push(f);
      }
    }
    function toggle(element, hidden) {
      var hosts = element ? [element] : document.querySelectorAll("[data-questlet-host]");
      Array.prototype.forEach.call(hosts, function (host) { host.hidden = hidden; });
    }
    // claimr compatibility: the same calls under claimr's names.
    window.claimr = window.claimr || {
      set_user_token: function (token) { Q.setUserToken(token); },
      logout: function () { Q.setUserToken(null); },
      destroy: function () { Q.destroy(); },
      set_theme: function (theme) {
        Array.prototype.forEach.call(document.querySelectorAll("[data-questlet-host]"), function (host) {
          var root = host.shadowRoot && host.shadowRoot.querySelector(".ql-root");
          if (root) root.setAttribute("data-theme", theme);
        });
      }
    };
  }
  if (!script || !script.src) {
    console.error("Questlet: load the widget with <script src=\".../widget/questlet.js\">.");
    return;
  }
  var base = script.src.replace(/[^/]*([?#].*)?$/, "");
  var modules = window.__questletModules || (window.__questletModules = {});
  if (!modules[base]) {
    modules[base] = import(base + "pkg/questlet.js").then(function (glue) {
      return glue.default({ module_or_path: base + "pkg/questlet_bg.wasm" }).then(function () {
        return glue;
      });
    });
  }
  modules[base]
    .then(function (glue) {
      Q.__loaded(glue);
      glue.mount_script(script);
    })
    .catch(function (error) {
      console.error("Questlet: the widget could not load from " + base + ": " + error);
    });
})();
