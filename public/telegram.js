/*
 * Questlet inside a Telegram Mini App: loaded by the loader (questlet.js) only when the page
 * runs in Telegram (window.Telegram.WebApp has initData), once per widget. For that widget:
 *
 *  - sign-in: Telegram's initData goes to the server, which checks Telegram's signature and
 *    answers a user token (for the partner's user, linked, when the widget already has
 *    their token); the widget then shows that user's progress;
 *  - look: Telegram's theme colours become the widget's documented custom properties
 *    (--questlet-*), following live theme changes; the stable viewport height and the safe
 *    areas are exposed as --questlet-viewport-height and padding;
 *  - Telegram's BackButton shows while a quest is open and closes it;
 *  - links (visit tasks) open through Telegram: t.me links inside Telegram, others in its
 *    browser;
 *  - a completed task buzzes (haptic feedback), a failed one too, differently.
 *
 * Nothing here throws into the host page: failures are logged.
 */

/** Telegram theme parameter -> the widget's custom property (docs/parts.md). */
var COLOURS = {
  bg_color: "--questlet-bg",
  secondary_bg_color: "--questlet-surface",
  text_color: "--questlet-text",
  hint_color: "--questlet-muted",
  button_color: "--questlet-accent",
  button_text_color: "--questlet-accent-text",
  destructive_text_color: "--questlet-error"
};

export function attach(host, context, Questlet) {
  var app = window.Telegram.WebApp;
  var shadow = host.shadowRoot;
  app.ready();

  function follow() {
    var theme = app.themeParams || {};
    Object.keys(COLOURS).forEach(function (key) {
      if (theme[key]) host.style.setProperty(COLOURS[key], theme[key]);
    });
    var root = shadow && shadow.querySelector(".ql-root");
    if (root && app.colorScheme) root.setAttribute("data-theme", app.colorScheme);
    if (app.viewportStableHeight) {
      host.style.setProperty("--questlet-viewport-height", app.viewportStableHeight + "px");
    }
    var inset = app.contentSafeAreaInset || app.safeAreaInset;
    if (inset) {
      ["top", "right", "bottom", "left"].forEach(function (side) {
        if (inset[side]) host.style.setProperty("padding-" + side, inset[side] + "px");
      });
    }
  }
  follow();
  ["themeChanged", "viewportChanged", "safeAreaChanged", "contentSafeAreaChanged"]
    .forEach(function (name) { app.onEvent(name, follow); });

  signIn(app, context, host, Questlet);

  // The BackButton mirrors the quest's own back button: shown while it exists.
  function back() { return shadow && shadow.querySelector('[part~="quest-back"]'); }
  function sync() {
    if (back()) app.BackButton.show(); else app.BackButton.hide();
  }
  if (shadow) new MutationObserver(sync).observe(shadow, { childList: true, subtree: true });
  app.BackButton.onClick(function () {
    var button = back();
    if (button) button.click();
  });

  if (shadow) {
    shadow.addEventListener("click", function (event) {
      var link = event.composedPath().filter(function (node) {
        return node.tagName === "A" && node.href;
      })[0];
      if (!link) return;
      // The widget's own click handlers still run (the visit is reported); only the
      // browser's navigation is replaced by Telegram's.
      event.preventDefault();
      if (/^https:\/\/t\.me\//.test(link.href)) app.openTelegramLink(link.href);
      else app.openLink(link.href);
    }, true);
  }

  function buzz(kind) {
    return function () {
      if (app.HapticFeedback) app.HapticFeedback.notificationOccurred(kind);
    };
  }
  host.addEventListener("questlet:task_completed", buzz("success"));
  host.addEventListener("questlet:task_failed", buzz("error"));
}

/** Exchanges initData for a user token and gives it to the widget in `host`. */
function signIn(app, context, host, Questlet) {
  var url = context.api + "/v1/widget/" + encodeURIComponent(context.organization) +
    "/campaigns/" + encodeURIComponent(context.campaign) + "/telegram/sign-in";
  var headers = { "Content-Type": "application/json" };
  if (context.token) headers.Authorization = "Bearer " + context.token;
  return fetch(url, {
    method: "POST",
    headers: headers,
    body: JSON.stringify({ init_data: app.initData })
  }).then(function (response) {
    return response.json().then(function (body) {
      if (!response.ok) throw new Error(body.message || "the server answered " + response.status);
      return Questlet.setUserToken(body.token, host);
    });
  }).catch(function (error) {
    console.error("Questlet: Telegram sign-in failed: " + error.message);
  });
}
