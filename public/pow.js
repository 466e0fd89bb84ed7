/*
 * Questlet's proof-of-work solver, loaded by the loader (Questlet.__solve) only when a user
 * starts a proof_of_work task, never with the widget.
 *
 * solve(url, token, bar) asks the server for a puzzle (POST url, with the user's token),
 * then searches for a nonce such that SHA-256("<prefix>:<nonce>") starts with `difficulty`
 * zero bits, and resolves to {challenge, nonce} for the widget to send as its answer. The
 * search runs in a Web Worker made from this file's `search` function (a blob URL, since a
 * worker must share the page's origin); where the page's CSP forbids that, it runs on the
 * main thread in slices of a few milliseconds, so the page stays responsive either way.
 * `bar` (a <progress>) shows the chance that a nonce has been found by now.
 */

/* Searches nonces from..from+count-1; answers the first that solves the puzzle, or -1.
 * Self-contained (it runs inside the worker from its source text). The message is one
 * SHA-256 block: prefix, ':', the nonce in decimal. */
function search(prefix, bits, from, count) {
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var w = new Int32Array(64);
  var m = new Uint8Array(64);
  var i, start = prefix.length + 1;
  for (i = 0; i < prefix.length; i++) m[i] = prefix.charCodeAt(i);
  m[prefix.length] = 58;
  for (var n = from; n < from + count; n++) {
    var digits = String(n), len = start + digits.length;
    for (i = 0; i < digits.length; i++) m[start + i] = digits.charCodeAt(i);
    m[len] = 0x80;
    for (i = len + 1; i < 62; i++) m[i] = 0;
    m[62] = (len * 8) >>> 8;
    m[63] = (len * 8) & 255;
    for (i = 0; i < 16; i++) {
      w[i] = (m[4 * i] << 24) | (m[4 * i + 1] << 16) | (m[4 * i + 2] << 8) | m[4 * i + 3];
    }
    for (i = 16; i < 64; i++) {
      var x = w[i - 15], y = w[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
    }
    var a = 0x6a09e667, b = 0xbb67ae85 | 0, c = 0x3c6ef372, d = 0xa54ff53a | 0;
    var e = 0x510e527f, f = 0x9b05688c | 0, g = 0x1f83d9ab, h = 0x5be0cd19;
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    var h0 = (0x6a09e667 + a) >>> 0;
    if (h0 >>> (32 - bits) === 0) return n;
  }
  return -1;
}

/* Nonces per worker message (progress) and per main-thread slice. */
var CHUNK = 1 << 16;
var SLICE = 1 << 12;

/* The worker's source: `search`, and a loop that reports progress after each chunk. */
var WORKER = "var search = " + search.toString() + ";\n" +
  "onmessage = function (e) {\n" +
  "  var p = e.data.prefix, bits = e.data.bits;\n" +
  "  for (var from = 0; ; from += " + CHUNK + ") {\n" +
  "    var n = search(p, bits, from, " + CHUNK + ");\n" +
  "    if (n >= 0) { postMessage({ nonce: n }); return; }\n" +
  "    postMessage({ tried: from + " + CHUNK + " });\n" +
  "  }\n" +
  "};\n";

function show(bar, tried, bits) {
  if (bar) bar.value = 1 - Math.exp(-tried / Math.pow(2, bits));
}

/* Solves on the main thread, SLICE nonces at a time between macrotasks. */
function onMainThread(prefix, bits, bar) {
  return new Promise(function (resolve) {
    var from = 0;
    (function step() {
      var n = search(prefix, bits, from, SLICE);
      if (n >= 0) return resolve(n);
      from += SLICE;
      show(bar, from, bits);
      setTimeout(step, 0);
    })();
  });
}

/* Solves in a Web Worker, or on the main thread where no worker can start. */
function find(prefix, bits, bar) {
  var worker;
  try {
    worker = new Worker(URL.createObjectURL(new Blob([WORKER], { type: "text/javascript" })));
  } catch (error) {
    return onMainThread(prefix, bits, bar);
  }
  return new Promise(function (resolve) {
    var heard = false;
    worker.onmessage = function (event) {
      heard = true;
      if (event.data.nonce !== undefined) {
        worker.terminate();
        resolve(event.data.nonce);
      } else {
        show(bar, event.data.tried, bits);
      }
    };
    // A worker that a CSP blocks fails here rather than at construction.
    worker.onerror = function () {
      worker.terminate();
      if (!heard) resolve(onMainThread(prefix, bits, bar));
    };
    worker.postMessage({ prefix: prefix, bits: bits });
  });
}

export function solve(url, token, bar) {
  return fetch(url, { method: "POST", headers: { Authorization: "Bearer " + token } })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) throw new Error(body.message || "The puzzle could not be loaded.");
        return body;
      });
    })
    .then(function (puzzle) {
      var started = performance.now();
      return find(puzzle.prefix, puzzle.difficulty, bar).then(function (nonce) {
        if (bar) bar.value = 1;
        // For benchmarks: how long the search took.
        if (performance.mark) performance.mark("questlet:pow-solved", { detail: performance.now() - started });
        return { challenge: puzzle.challenge, nonce: String(nonce) };
      });
    });
}
