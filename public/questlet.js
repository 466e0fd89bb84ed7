/*
 * Questlet widget loader, served at /widget/questlet.js.
 *
 * It finds its own <script> tag, loads the WebAssembly widget once from its own base URL
 * (whatever page it is embedded in), and asks it to mount one widget for this tag. Several
 * tags on one page share the one module. Nothing here throws into the host page.
 */
(function () {
  "use strict";
  var script = document.currentScript;
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
      glue.mount_script(script);
    })
    .catch(function (error) {
      console.error("Questlet: the widget could not load from " + base + ": " + error);
    });
})();
