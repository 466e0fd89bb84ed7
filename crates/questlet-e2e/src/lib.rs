//! End-to-end fixtures: the real `questlet-server` binary serving the release-built widget,
//! host pages on a second origin (as a partner's site would be), and headless Chromium
//! driven through ChromeDriver.
//!
//! The tests in `tests/` each load a host page from `fixtures/pages/`. The environment comes
//! from `cargo xtask test`: `QUESTLET_SERVER_BIN`, `QUESTLET_WIDGET_DIR`, `CHROMEDRIVER`.

pub mod fixtures;
