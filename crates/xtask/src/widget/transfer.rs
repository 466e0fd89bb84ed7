//! What a host page downloads for the widget, measured on the files the server sends.

use std::path::Path;

use anyhow::Context;

/// The widget's transfer budget: loader + glue + wasm as the server sends them to a browser
/// that accepts brotli, in bytes. (A feature's chunk, such as the launcher's, is measured
/// and reported beside it.)
pub const BUDGET_BROTLI: usize = 120_000;

/// Each shipped file's size raw, gzip -9 and brotli (the `.gz` and `.br` files the server
/// sends), in load order.
pub struct Transfer {
    /// `(file, raw, gzip, brotli)` in bytes.
    pub files: Vec<(String, usize, usize, usize)>,
}

impl Transfer {
    /// Total brotli bytes: what a browser downloads.
    pub fn brotli_total(&self) -> usize {
        self.files.iter().map(|f| f.3).sum()
    }

    /// Whether the total fits [`BUDGET_BROTLI`].
    pub fn within_budget(&self) -> bool {
        self.brotli_total() <= BUDGET_BROTLI
    }

    /// Prints a table and the verdict.
    pub fn print(&self) {
        self.print_files();
        self.print_verdict("loader + glue + wasm, CSS inside");
    }

    /// Prints the total of `what` (the files it names), not held to the budget: a
    /// feature's first load, such as a launcher's.
    pub fn print_total(&self, what: &str) {
        println!(
            "transfer ({what}, brotli as served): {} bytes (reported; the budget holds loader + glue + wasm)",
            self.brotli_total()
        );
    }

    /// Prints the total of `what` (the files it names) against the budget.
    fn print_verdict(&self, what: &str) {
        let total = self.brotli_total();
        let verdict = if self.within_budget() {
            format!("within the {} KB budget", BUDGET_BROTLI / 1000)
        } else {
            format!(
                "OVER the {} KB budget by {} bytes",
                BUDGET_BROTLI / 1000,
                total - BUDGET_BROTLI
            )
        };
        println!("transfer ({what}, brotli as served): {total} bytes, {verdict}");
    }

    /// Prints the files, raw, gzip and brotli, and their totals.
    pub fn print_files(&self) {
        println!("{:<36} {:>9} {:>9} {:>9}", "file", "raw", "gzip", "brotli");
        for (name, raw, gz, br) in &self.files {
            println!("{name:<36} {raw:>9} {gz:>9} {br:>9}");
        }
        let sum = |pick: fn(&(String, usize, usize, usize)) -> usize| -> usize {
            self.files.iter().map(pick).sum()
        };
        println!(
            "{:<36} {:>9} {:>9} {:>9}",
            "total",
            sum(|f| f.1),
            sum(|f| f.2),
            sum(|f| f.3)
        );
    }
}

/// Measures the published widget in `dist/`: `files` relative to it.
pub fn transfer(dist: &Path, files: &[String]) -> anyhow::Result<Transfer> {
    let size = |name: &str| -> anyhow::Result<usize> {
        let path = dist.join(name);
        Ok(std::fs::metadata(&path)
            .with_context(|| format!("reading {}", path.display()))?
            .len() as usize)
    };
    let files = files
        .iter()
        .map(|name| {
            Ok((
                name.clone(),
                size(name)?,
                size(&format!("{name}.gz"))?,
                size(&format!("{name}.br"))?,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    Ok(Transfer { files })
}

/// The shipped files of the widget last published into `dist/`, in load order: the loader,
/// then the hashed glue and wasm.
pub fn shipped_files(dist: &Path) -> anyhow::Result<Vec<String>> {
    let mut files = vec!["questlet.js".to_owned()];
    for (prefix, suffix) in [("pkg/questlet.", ".js"), ("pkg/questlet_bg.", ".wasm")] {
        files.push(published(dist, prefix, suffix)?);
    }
    Ok(files)
}

/// What a widget in launcher mode downloads first: the [`shipped_files`] and the launcher
/// chunk, which draws its button.
pub fn launcher_files(dist: &Path) -> anyhow::Result<Vec<String>> {
    let mut files = shipped_files(dist)?;
    files.push(published(dist, "launcher.", ".js")?);
    Ok(files)
}

/// The chunks the loader imports only when a widget needs them (the puzzle solver, the
/// tabs, Telegram, wallets), as last published into `dist/`: not part of the first load.
pub fn on_demand_files(dist: &Path) -> anyhow::Result<Vec<String>> {
    super::publish::HASHED
        .iter()
        .filter(|(plain, _, _)| !plain.starts_with("pkg/"))
        .map(|(_, prefix, suffix)| published(dist, prefix, suffix))
        .collect()
}

/// The published name (relative to `dist/`) of the hashed file `<prefix><hash><suffix>`.
fn published(dist: &Path, prefix: &str, suffix: &str) -> anyhow::Result<String> {
    let (folder, name_prefix) = prefix.rsplit_once('/').unwrap_or(("", prefix));
    let found = std::fs::read_dir(dist.join(folder))
        .with_context(|| format!("reading dist/{folder} (build the widget first)"))?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .find(|name| name.starts_with(name_prefix) && name.ends_with(suffix))
        .ok_or_else(|| anyhow::anyhow!("no {prefix}*{suffix} in dist"))?;
    Ok(if folder.is_empty() {
        found
    } else {
        format!("{folder}/{found}")
    })
}
