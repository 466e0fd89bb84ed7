/*
 * Questlet's leaderboard and rewards tabs, loaded by the loader (Questlet.__panel) when a
 * user first opens one, never with the widget: written as Leptos views they cost a fifth of
 * the widget's 120 KB first-load budget (see ARCHITECTURE.md). The widget
 * (src/components/panel.rs) owns everything else: when to show a tab, the user token, the
 * words (in its language), and the events (a claim is announced through `o.claimed`, so it
 * reaches the same DOM event, analytics sinks and callbacks as every other step).
 *
 * show(el, o) reads the tab from the widget API and writes it into `el` (in the widget's
 * shadow root, styled by its stylesheet):
 *   o.kind     "leaderboard" or "rewards"
 *   o.url      the campaign's widget API URL (…/v1/widget/<org>/campaigns/<campaign>)
 *   o.token    the user token, or null
 *   o.texts    the words, by key (all_time, this_week, this_month, no_one_yet, claim,
 *              claimed, copy, none_left, complete, rank, top)
 *   o.points   what the campaign calls its points
 *   o.claimed  function (key, title, kind), called after a successful claim
 * Every value from the server is escaped before it is written, except descriptions, which
 * the server has sanitized.
 */

var PERIODS = ["all", "week", "month"];
var PERIOD_TEXTS = ["all_time", "this_week", "this_month"];
var state = new WeakMap();

export function show(el, o) {
  var s = state.get(el);
  if (!s) {
    s = { period: 0 };
    state.set(el, s);
    el.addEventListener("click", function (event) { click(el, event); });
  }
  s.o = o;
  return load(el);
}

function load(el) {
  var s = state.get(el), o = s.o;
  var path = o.kind === "leaderboard" ? "/leaderboard?period=" + PERIODS[s.period] : "/rewards";
  var headers = o.token ? { Authorization: "Bearer " + o.token } : {};
  var asked = s.asked = {};
  return fetch(o.url + path, { headers: headers })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || "the server answered " + response.status);
        return body;
      });
    })
    .then(function (body) {
      return o.kind === "leaderboard" ? board(body, s.period, o.texts) : rewards(body, o);
    }, function (error) {
      return (o.kind === "leaderboard" ? periods(s.period, o.texts) : "") + note(error.message);
    })
    .then(function (html) {
      // Only the newest read is shown (a quicker later one may have finished first).
      if (s.asked === asked) el.innerHTML = html;
    });
}

function click(el, event) {
  var s = state.get(el), o = s.o;
  var button = event.target.closest("[data-period],[data-copy],[data-claim]");
  if (!button) return;
  if (button.dataset.period) {
    s.period = Number(button.dataset.period);
    load(el);
  } else if (button.dataset.copy) {
    if (navigator.clipboard) navigator.clipboard.writeText(button.dataset.copy).catch(function () {});
  } else if (o.token) {
    var d = button.dataset;
    button.disabled = true;
    fetch(o.url + "/rewards/" + encodeURIComponent(d.claim) + "/claim", {
      method: "POST",
      headers: { Authorization: "Bearer " + o.token }
    }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || "the server answered " + response.status);
        o.claimed(d.claim, d.title, d.kind);
        return load(el);
      });
    }).catch(function (error) {
      button.disabled = false;
      el.insertAdjacentHTML("afterbegin", note(error.message));
    });
  }
}

function escape(text) {
  return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
    return "&#" + c.charCodeAt(0) + ";";
  });
}

function note(text) {
  return '<p class="ql-note" part="note">' + escape(text) + "</p>";
}

function periods(period, texts) {
  return '<div class="ql-tabs" role="group">' + PERIOD_TEXTS.map(function (key, i) {
    return '<button type="button" class="ql-tab" data-period="' + i + '" aria-pressed="' +
      (i === period) + '">' + escape(texts[key]) + "</button>";
  }).join("") + "</div>";
}

/* A WidgetLeaderboardResponse: the top rows, then the user's own with its neighbours after a
 * gap in places. */
function board(body, period, texts) {
  var rows = body.rows || [];
  if (!rows.length) return periods(period, texts) + note(texts.no_one_yet);
  var last = 0;
  return periods(period, texts) + '<ol class="ql-board__rows">' + rows.map(function (row) {
    var classes = "ql-board__row" + (row.me ? " ql-board__row--me" : "") +
      (row.place > last + 1 ? " ql-board__row--gap" : "");
    last = row.place;
    return '<li class="' + classes + '" part="leaderboard-row"' + (row.me ? ' aria-current="true"' : "") +
      '><span class="ql-board__place">' + escape(row.place) + '</span><span class="ql-board__name">' +
      escape(row.name) + '</span><span class="ql-board__points">' + escape(row.points) + "</span></li>";
  }).join("") + "</ol>";
}

/* A RewardsResponse: each RewardView with its ConditionViews and the user's claim. */
function rewards(body, o) {
  var t = o.texts;
  return '<ul class="ql-rewards" part="rewards">' + (body.rewards || []).map(function (r) {
    var key = escape(r.key), title = escape(r.title), action;
    if (r.claim && r.claim.code) {
      var code = escape(r.claim.code);
      action = '<input class="ql-input" part="reward-code" readonly value="' + code + '" aria-label="' +
        title + '"><button class="ql-button" type="button" data-copy="' + code + '">' + escape(t.copy) + "</button>";
    } else if (r.claim) {
      action = note(t.claimed);
    } else if (r.left === 0) {
      action = note(t.none_left);
    } else {
      action = '<button class="ql-button" part="reward-claim" type="button" data-claim="' + key +
        '" data-title="' + title + '" data-kind="' + escape(r.kind) + '"' + (r.claimable ? "" : " disabled") +
        ">" + escape(t.claim) + "</button>";
    }
    return '<li class="ql-reward" part="reward" data-reward="' + key + '">' +
      (r.image_url ? '<img class="ql-reward__image" src="' + escape(r.image_url) + '" alt="" loading="lazy">' : "") +
      '<h3 class="ql-reward__title">' + title + '</h3><div class="ql-reward__description">' +
      r.description_html + '</div><ul class="ql-conditions">' + (r.conditions || []).map(function (c) {
        var met = c.met === true ? ' class="ql-condition ql-condition--met" data-met="true"'
          : c.met === false ? ' class="ql-condition" data-met="false"' : ' class="ql-condition"';
        return "<li" + met + ">" + escape(condition(c, o)) + "</li>";
      }).join("") + "</ul>" + action + "</li>";
  }).join("") + "</ul>";
}

/* A condition in words: "100 XP", "Complete: Welcome", "Rank: Gold", "Top 10 · This week". */
function condition(c, o) {
  var t = o.texts;
  switch (c.kind) {
    case "points": return c.value + " " + o.points;
    case "quest": return t.complete + ": " + c.name;
    case "rank": return t.rank + ": " + c.name;
    case "top": return t.top + " " + c.value + " · " + t[PERIOD_TEXTS[PERIODS.indexOf(c.name)] || "all_time"];
    default: return c.name;
  }
}
