/*
 * Questlet with a wallet: loaded by the loader (questlet.js) only for a widget that shows a
 * wallet task (checked on chain), or that the host page gave a wallet (Questlet.mount's
 * `provider`, Questlet.setProvider). For each such widget:
 *
 *  - the wallet: the host's provider, else the first announced through EIP-6963
 *    (`eip6963:announceProvider`), else window.ethereum (EIP-1193);
 *  - "Connect wallet" on each wallet task until the user signs in with their wallet:
 *    Sign-In with Ethereum, with the message the server writes for the wallet, this page
 *    and the task's chain (`wallet/nonce`), signed with personal_sign and exchanged for a
 *    user token (linked to the partner's user when the widget has their token);
 *  - "Send transaction" on a contract transaction task that carries call data: the wallet
 *    switches to the task's chain if needed and sends it (or the host page does, through
 *    Questlet.onRequest), and once it is mined its hash goes in as the task's answer;
 *  - window.claimr.connect_wallet(address, signature, message): the same sign-in.
 *
 * Nothing here throws into the host page: a failure shows on its task (part
 * `wallet-message`) and in the console.
 */

/** Task types checked on chain (TaskKind::needs_wallet). */
var WALLET_KINDS = ["native_balance", "erc20_balance", "erc721_owner", "erc1155_balance",
  "transaction_count", "contract_transaction"];

/** Wallets announced through EIP-6963, in the order they arrived. */
var announced = [];
window.addEventListener("eip6963:announceProvider", function (event) {
  var detail = event.detail;
  if (!detail || !detail.info || !detail.provider) return;
  if (announced.some(function (known) { return known.info.uuid === detail.info.uuid; })) return;
  announced.push(detail);
});
window.dispatchEvent(new Event("eip6963:requestProvider"));

/** Each widget's wallet state, by host element. */
var widgets = new Map();
/** The last widget attached, for claimr's page-wide connect_wallet. */
var lastHost;

/**
 * Connects wallets for the widget in `host` (`provider`: the host page's, if it gave one).
 * Called again with a provider, it switches to that one.
 */
export function attach(host, provider, Questlet) {
  var state = widgets.get(host);
  if (!state) {
    state = { Questlet: Questlet, settings: null, address: null };
    widgets.set(host, state);
    watch(host, state);
  }
  if (provider) state.provider = provider;
  lastHost = host;
}

/**
 * Signs in with a message and signature the page made itself (claimr's
 * `connect_wallet(address, signature, message)`): the message must carry a nonce from
 * `wallet/nonce` and pass the same checks.
 */
export function connect(address, signature, message) {
  if (!lastHost) return Promise.reject(new Error("Questlet: no widget to connect a wallet to"));
  return exchange(lastHost, widgets.get(lastHost), message, signature).catch(function (error) {
    console.error("Questlet: connect_wallet failed:", error);
    throw error;
  });
}

/** The wallet to use: the host's, else the first announced, else window.ethereum. */
function walletOf(state) {
  if (state.provider) return state.provider;
  if (announced.length) return announced[0].provider;
  return window.ethereum || null;
}

/** Adds the wallet buttons to every wallet task the widget shows, now and as it repaints. */
function watch(host, state) {
  var shadow = host.shadowRoot;
  if (!shadow) return;
  var decorate = function () {
    WALLET_KINDS.forEach(function (kind) {
      shadow.querySelectorAll('[part~="task"][data-kind="' + kind + '"]').forEach(function (task) {
        if (!task.__questletWallet) {
          task.__questletWallet = true;
          decorateTask(host, state, task);
        }
      });
    });
  };
  new MutationObserver(decorate).observe(shadow, { childList: true, subtree: true });
  decorate();
}

/** The buttons of one task element: connect (until signed in) and send (with call data). */
function decorateTask(host, state, task) {
  // A task that is done, waiting or closed has no input: nothing to do.
  var submit = task.querySelector('[part~="task-submit"]');
  if (!submit) return;
  var row = document.createElement("div");
  row.className = "ql-wallet";
  submit.parentNode.insertBefore(row, submit);
  if (!state.address) {
    row.appendChild(button("Connect wallet", "wallet-connect", function () {
      return signIn(host, state);
    }));
  }
  if (task.getAttribute("data-kind") === "contract_transaction") {
    settingsOf(host, state, task.getAttribute("data-task")).then(function (settings) {
      if (settings && settings.data) {
        row.appendChild(button("Send transaction", "wallet-send", function () {
          return send(host, state, task, settings);
        }));
      }
    }).catch(report);
  }
}

/** A widget button (the widget's own style) running `action` with a busy state. */
function button(label, part, action) {
  var element = document.createElement("button");
  element.type = "button";
  element.className = "ql-button";
  element.setAttribute("part", part);
  element.textContent = label;
  element.addEventListener("click", function () {
    var task = element.closest('[part~="task"]');
    element.disabled = true;
    Promise.resolve().then(action).then(null, function (error) {
      show(task, error);
    }).then(function () { element.disabled = false; });
  });
  return element;
}

/** Shows `error` on `task` (part `wallet-message`), and logs it. */
function show(task, error) {
  console.error("Questlet:", error);
  if (!task) return;
  var message = task.querySelector('[part~="wallet-message"]');
  if (!message) {
    message = document.createElement("p");
    message.className = "ql-task__message";
    message.setAttribute("part", "wallet-message");
    message.setAttribute("role", "alert");
    task.appendChild(message);
  }
  message.textContent = (error && error.message) || String(error);
}

function report(error) {
  console.error("Questlet:", error);
}

/** The public settings of task `id` (from the campaign's widget read, fetched once). */
function settingsOf(host, state, id) {
  if (!state.settings) {
    state.settings = fetch(endpoint(host.__ql, "")).then(function (response) {
      return response.json();
    }).then(function (campaign) {
      var byId = {};
      (campaign.groups || []).forEach(function (group) {
        (group.quests || []).forEach(function (quest) {
          (quest.tasks || []).forEach(function (task) { byId[task.id] = task.settings; });
        });
      });
      return byId;
    });
  }
  return state.settings.then(function (byId) { return byId[id]; });
}

/** The URL of `path` under the widget's campaign. */
function endpoint(context, path) {
  return context.api + "/v1/widget/" + encodeURIComponent(context.organization) +
    "/campaigns/" + encodeURIComponent(context.campaign) + path;
}

/** POSTs `body` to `path` of the widget's campaign; answers the JSON, or throws its message. */
function post(context, path, body, token) {
  var headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  return fetch(endpoint(context, path), {
    method: "POST", headers: headers, body: JSON.stringify(body)
  }).then(function (response) {
    return response.json().then(function (answer) {
      if (!response.ok) throw new Error(answer.message || "the server answered " + response.status);
      return answer;
    });
  });
}

/** `text` as 0x-prefixed hex of its UTF-8 bytes, as personal_sign takes a message. */
function utf8Hex(text) {
  return "0x" + Array.prototype.map.call(new TextEncoder().encode(text), function (byte) {
    return ("0" + byte.toString(16)).slice(-2);
  }).join("");
}

/** The wallet, with its user's accounts unlocked: answers the first account. */
function account(state) {
  var wallet = walletOf(state);
  if (!wallet) {
    return Promise.reject(new Error(
      "No wallet found: install a wallet extension, or open this page in your wallet's browser."));
  }
  return wallet.request({ method: "eth_requestAccounts" }).then(function (accounts) {
    if (!accounts || !accounts.length) throw new Error("The wallet shared no account.");
    return accounts[0];
  });
}

/**
 * Signs the user in with their wallet for the widget in `host`: the server writes the
 * message for the wallet and this page, on the chain the campaign's tasks are checked on.
 */
function signIn(host, state) {
  var wallet = walletOf(state);
  return account(state).then(function (address) {
    return post(host.__ql, "/wallet/nonce", { address: address, uri: location.href }).then(function (issued) {
      return wallet.request({ method: "personal_sign", params: [utf8Hex(issued.message), address] })
        .then(function (signature) { return exchange(host, state, issued.message, signature); });
    });
  });
}

/** The address a sign-in message is for (its second line), as the server checksummed it. */
function addressOf(message) {
  return message.split("\n")[1];
}

/** Exchanges a signed message for a user token and hands it to the widget. */
function exchange(host, state, message, signature) {
  var context = host.__ql;
  return post(context, "/wallet/sign-in", { message: message, signature: signature }, context.token)
    .then(function (answer) {
      state.address = addressOf(message);
      // Announced by the widget, like every other step (DOM event, analytics, callbacks).
      context.walletConnected({
        organization: context.organization,
        campaign: context.campaign,
        address: addressOf(message)
      });
      return state.Questlet.setUserToken(answer.token, host);
    });
}

/**
 * Sends the transaction of contract transaction `task` (its public `settings`): signs in
 * first if needed, then through the host page's Questlet.onRequest when it has one, else
 * the wallet (on the task's chain); once mined, its hash is the task's answer.
 */
function send(host, state, task, settings) {
  var ready = state.address ? Promise.resolve() : signIn(host, state);
  return ready.then(function () { return account(state); }).then(function (from) {
    var request = {
      chainId: "0x" + Number(settings.chain).toString(16),
      from: from,
      to: settings.contract,
      data: settings.data,
      value: "0x" + BigInt(settings.value || "0").toString(16)
    };
    var onRequest = state.Questlet.onRequest;
    var sent = typeof onRequest === "function"
      ? Promise.resolve(onRequest(Object.assign({ task: task.getAttribute("data-task") }, request)))
      : viaWallet(walletOf(state), request);
    return sent.then(function (hash) {
      if (typeof hash !== "string") throw new Error("No transaction hash came back.");
      var wallet = walletOf(state);
      // Without a wallet to ask (the host sent it its own way), the server's check says
      // whether it is mined yet.
      var done = wallet ? mined(wallet, hash) : Promise.resolve();
      return done.then(function () { answer(host, task, hash); });
    });
  });
}

/** Sends `request` through `wallet`, switching it to the request's chain first. */
function viaWallet(wallet, request) {
  return wallet.request({ method: "eth_chainId" }).then(function (current) {
    if (parseInt(current, 16) === parseInt(request.chainId, 16)) return null;
    return wallet.request({ method: "wallet_switchEthereumChain", params: [{ chainId: request.chainId }] });
  }).then(function () {
    return wallet.request({
      method: "eth_sendTransaction",
      params: [{ from: request.from, to: request.to, data: request.data, value: request.value }]
    });
  });
}

/** Waits (up to two minutes) until transaction `hash` has a receipt. */
function mined(wallet, hash) {
  var deadline = Date.now() + 120000;
  function poll() {
    return wallet.request({ method: "eth_getTransactionReceipt", params: [hash] }).then(function (receipt) {
      if (receipt) return receipt;
      if (Date.now() > deadline) throw new Error("The transaction was not mined in two minutes.");
      return new Promise(function (resolve) { setTimeout(resolve, 1000); }).then(poll);
    });
  }
  return poll();
}

/** Puts `hash` in the task's answer field and submits it through the widget. */
function answer(host, task, hash) {
  var live = host.shadowRoot.querySelector('[part~="task"][data-task="' + task.getAttribute("data-task") + '"]') || task;
  var input = live.querySelector('[part~="task-input"]');
  if (!input) return;
  input.value = hash;
  input.dispatchEvent(new Event("input", { bubbles: true, composed: true }));
  var form = input.form;
  if (form && form.requestSubmit) form.requestSubmit();
  else live.querySelector('[part~="task-submit"]').click();
}
