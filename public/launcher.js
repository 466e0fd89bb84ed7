/*
 * Questlet's launcher (data-mode="launcher"), loaded by the loader (Questlet.__mounted) for a
 * widget that asks for it, never for an inline one. It turns the widget into a floating
 * button in a corner of the page, showing how many tasks the user can work on, which opens
 * the widget as a panel (a full-screen modal dialog on narrow screens, which keeps Tab
 * inside). The panel closes with Escape, its close button or the launcher button, and gives
 * the focus back to where it was. Questlet.open / Questlet.close drive it too.
 *
 * attach(host, context) works in the widget's shadow root, so the host page's CSS cannot
 * reach it; its styles are one more constructable stylesheet (no inline <style>, which a
 * strict CSP forbids) and use the documented custom properties (--questlet-accent, ...),
 * so a host page themes the button like the rest; the button and close button are the
 * `launcher`, `launcher-count` and `launcher-close` parts. From the widget (src/mount.rs):
 *   context.position  "bottom-right" | "bottom-left" | "top-right" | "top-left"
 *   context.zIndex    the stacking level of the button and the panel
 *   context.label     the button's name ("Quests"), context.close the close button's
 * The count is the host's `data-questlet-available` attribute, which the widget keeps.
 */

var CSS =
  ".ql-launcher{position:fixed;display:flex;align-items:center;gap:8px;height:56px;min-width:56px;padding:0 18px;border:0;border-radius:28px;" +
  "background:var(--questlet-accent,#5b4cf0);color:var(--questlet-accent-text,#fff);font:600 16px/1 var(--questlet-font,system-ui,sans-serif);" +
  "box-shadow:0 6px 20px rgb(0 0 0/.25);cursor:pointer}" +
  ".ql-launcher:focus-visible{outline:3px solid var(--questlet-accent,#5b4cf0);outline-offset:3px}" +
  ".ql-launcher__count{display:grid;place-items:center;min-width:24px;height:24px;padding:0 6px;border-radius:12px;background:var(--questlet-accent-text,#fff);color:var(--questlet-accent,#5b4cf0);font-size:14px}" +
  ".ql-launcher__count:empty{display:none}" +
  ".ql-root.ql-panel{position:fixed;width:min(420px,calc(100vw - 32px));max-height:min(680px,calc(100vh - 104px));overflow:auto;box-shadow:0 12px 40px rgb(0 0 0/.3)}" +
  ".ql-root.ql-panel[hidden]{display:none}.ql-root.ql-panel:focus{outline:none}" +
  ".ql-at-bottom{bottom:16px}.ql-at-top{top:16px}.ql-at-left{left:16px}.ql-at-right{right:16px}" +
  ".ql-panel.ql-at-bottom{bottom:84px}.ql-panel.ql-at-top{top:84px}" +
  ".ql-launcher__close{display:block;position:sticky;top:0;z-index:1;width:36px;height:36px;margin:0 0 -36px auto;border:0;border-radius:50%;" +
  "background:var(--ql-color-surface);color:var(--ql-color-text);font:24px/1 var(--ql-font);cursor:pointer}" +
  ".ql-launcher__close:focus-visible{outline:2px solid var(--ql-color-accent);outline-offset:2px}" +
  "@media (max-width:480px){.ql-root.ql-panel{inset:0;width:auto;max-height:none;border-radius:0}.ql-launcher[aria-expanded=true]{display:none}}" +
  "@media (prefers-reduced-motion:no-preference){.ql-panel{animation:ql-rise .2s ease-out}}" +
  "@keyframes ql-rise{from{opacity:0;transform:translateY(12px)}}";

var STAR = '<svg width="22" height="22" viewBox="0 0 24 24" aria-hidden="true" fill="currentColor"><path d="M12 2l2.9 6.6 7.1.6-5.4 4.7 1.6 7L12 17.3 5.8 21l1.6-7L2 9.2l7.1-.6z"/></svg>';

export function attach(host, context) {
  var shadow = host.shadowRoot;
  var root = shadow && shadow.querySelector(".ql-root");
  // Once per mount: a new mount makes a new root.
  if (!root || root.__qlLauncher) return;
  root.__qlLauncher = true;
  addStyles(shadow);

  var at = context.position.split("-").map(function (side) { return "ql-at-" + side; });
  var button = document.createElement("button");
  button.type = "button";
  button.className = "ql-launcher " + at.join(" ");
  button.setAttribute("part", "launcher");
  button.setAttribute("aria-haspopup", "dialog");
  button.setAttribute("aria-expanded", "false");
  button.innerHTML = STAR + '<span class="ql-launcher__label"></span><span class="ql-launcher__count" part="launcher-count"></span>';
  button.children[1].textContent = context.label;
  var count = button.children[2];

  var close = document.createElement("button");
  close.type = "button";
  close.className = "ql-launcher__close";
  close.setAttribute("part", "launcher-close");
  close.setAttribute("aria-label", context.close);
  close.textContent = "×";

  root.classList.add("ql-panel");
  at.forEach(function (c) { root.classList.add(c); });
  root.setAttribute("role", "dialog");
  root.setAttribute("aria-label", context.label);
  root.tabIndex = -1;
  root.hidden = true;
  root.prepend(close);
  // Set through the CSSOM, which a strict CSP allows (a style attribute it would not).
  button.style.zIndex = root.style.zIndex = String(context.zIndex);
  shadow.append(button);

  var open = false;
  var previous = null;
  function toggle(wanted) {
    if (wanted === open) return;
    open = wanted;
    // Asked before hiding, which takes the focus away.
    var focused = root.contains(shadow.activeElement) || shadow.activeElement === button;
    root.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) {
      // Full screen on a narrow screen: then it is modal.
      root.setAttribute("aria-modal", String(matchMedia("(max-width: 480px)").matches));
      previous = shadow.activeElement || document.activeElement;
      root.focus();
    } else if (focused) {
      var back = previous && previous.isConnected && previous !== document.body ? previous : button;
      back.focus();
    }
  }
  button.addEventListener("click", function () { toggle(!open); });
  close.addEventListener("click", function () { toggle(false); });
  root.addEventListener("keydown", function (event) {
    // A pop-up inside the widget handles its own keys first.
    if (event.target.closest("[part=popup]")) return;
    if (event.key === "Escape") toggle(false);
    // Modal (full screen), Tab cycles inside the panel: its close button comes first.
    if (event.key === "Tab" && root.getAttribute("aria-modal") === "true") {
      var all = root.querySelectorAll("a[href],button:not([disabled]),input,select,textarea,[tabindex='0']");
      var last = all[all.length - 1];
      var active = shadow.activeElement;
      if (event.shiftKey ? active === close || active === root : active === last) {
        event.preventDefault();
        (event.shiftKey ? last : close).focus();
      }
    }
  });

  function showCount() {
    var n = host.getAttribute("data-questlet-available") || "";
    count.textContent = n === "0" ? "" : n;
  }
  new MutationObserver(showCount).observe(host, { attributes: true, attributeFilter: ["data-questlet-available"] });
  showCount();
  return toggle;
}

function addStyles(shadow) {
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = shadow.adoptedStyleSheets.concat(sheet);
  } catch (error) {
    var style = document.createElement("style");
    style.textContent = CSS;
    shadow.prepend(style);
  }
}
