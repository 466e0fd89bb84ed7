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
 *   Questlet.open([element]) / close([element])  show or hide widgets
 *   Questlet.destroy([element])    remove one widget or all
 *
 * Every widget runs in its own instance of the WebAssembly module (compiled once): a Rust
 * panic aborts the instance it happens in, so this keeps a crash inside one widget. The
 * wasm-bindgen glue keeps its instance in a module-level variable, so each instance imports
 * its own copy of the glue (the URL differs by a query only).
 *
 * Calls made before the code has loaded are queued. Nothing here throws into the host page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var Q = window.Questlet;
  if (!Q || !Q.__installed) {
    var listeners = {};
    var glues = [];       // the live instances' glue modules
    var queue = [];       // calls made before the first instance loaded
    var compiled = {};    // base URL -> promise of the compiled module
    var created = 0;
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
        Q.destroy(element);
        instance(Q.__base, function (g) { g.mount(element, options || {}); });
      },
      setUserToken: function (token, element) {
        token = token == null ? undefined : String(token);
        if (!element) globalToken = { value: token };
        each(function (g) { g.set_user_token(token, element); });
      },
      destroy: function (element) {
        each(function (g) { g.destroy(element); });
        glues = glues.filter(function (g) { return safe(function () { return g.mounted_count() > 0; }); });
      },
      open: function (element) { toggle(element, false); },
      close: function (element) { toggle(element, true); },
      __emit: function (name, detail) {
        (listeners[name] || []).slice().forEach(function (callback) {
          try { callback(detail); } catch (error) { console.error("Questlet: an on('" + name + "') callback threw:", error); }
        });
      },
      __mountScript: function (tag, base) {
        Q.__base = Q.__base || base;
        instance(base, function (g) { g.mount_script(tag); });
      }
    };
    function safe(f) {
      try { return f(); } catch (error) { console.error("Questlet:", error); return false; }
    }
    // Runs f on every live instance, or queues it until the first one has loaded.
    function each(f) {
      if (glues.length) {
        glues.slice().forEach(function (g) { safe(function () { f(g); }); });
      } else {
        queue.push(f);
      }
    }
    function compile(url) {
      var response = fetch(url);
      return WebAssembly.compileStreaming(response).catch(function () {
        // A server that sends the wasm without `application/wasm` still works.
        return fetch(url).then(function (r) { return r.arrayBuffer(); }).then(WebAssembly.compile);
      });
    }
    // Starts a new instance of the module at `base` and runs `use` with its glue.
    function instance(base, use) {
      var n = created++;
      compiled[base] = compiled[base] || compile(base + "pkg/questlet_bg.wasm");
      Promise.all([import(base + "pkg/questlet.js" + (n ? "?instance=" + n : "")), compiled[base]])
        .then(function (loaded) {
          var glue = loaded[0];
          return glue.default({ module_or_path: loaded[1] }).then(function () {
            var first = !glues.length;
            glues.push(glue);
            if (first) {
              queue.splice(0).forEach(function (f) { safe(function () { f(glue); }); });
              resolveReady(Q);
              document.dispatchEvent(new CustomEvent("questlet:ready", { detail: Q }));
              try { window.postMessage("widget::ready", "*"); } catch (e) { /* claimr's readiness signal */ }
            }
            safe(function () { use(glue); });
            if (globalToken) safe(function () { glue.set_user_token(globalToken.value, undefined); });
          });
        })
        .catch(function (error) {
          console.error("Questlet: the widget could not load from " + base + ": " + error);
        });
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
  Q.__mountScript(script, script.src.replace(/[^/]*([?#].*)?$/, ""));
})();
