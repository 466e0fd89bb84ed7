//! A throwaway PostgreSQL server for the test suite: initialised in a temporary folder,
//! listening on loopback, stopped (and its folder removed) when dropped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context};

use crate::step;

/// A running test PostgreSQL.
pub struct TestPostgres {
    bin: PathBuf,
    data_dir: PathBuf,
    as_postgres_user: bool,
    /// `postgres://` URL of its `postgres` database, for the superuser `questlet`.
    pub url: String,
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

impl TestPostgres {
    /// Initialises and starts a server using the binaries in `bin`. A `durable` one is set
    /// up as a production server is (for benchmarks): it syncs its commits, and its shared
    /// buffers take a quarter of the machine's memory (see [`production_shared_buffers`]).
    /// Otherwise `fsync` is off, which only a throwaway test server can afford.
    pub fn start(bin: &Path, durable: bool) -> anyhow::Result<Self> {
        step("postgres: starting a throwaway server");
        // PostgreSQL refuses to run as root: as root, run it as the `postgres` user.
        let as_postgres_user = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        let data_dir = std::env::temp_dir().join(format!("questlet-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        std::fs::create_dir_all(&data_dir)?;
        let port = free_port()?;
        let pg = Self {
            bin: bin.to_path_buf(),
            data_dir: data_dir.clone(),
            as_postgres_user,
            url: format!("postgres://questlet@127.0.0.1:{port}/postgres"),
        };
        if as_postgres_user {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&data_dir)
                .status()?;
            anyhow::ensure!(status.success(), "chown of {} failed", data_dir.display());
        }
        let pgdata = data_dir.join("data");
        pg.run(
            "initdb",
            &[
                "-D",
                &pgdata.to_string_lossy(),
                "-U",
                "questlet",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        )?;
        let mut options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c max_connections=200",
            data_dir.display(),
        );
        if durable {
            options += &format!(
                " -c fsync=on -c shared_buffers={}",
                production_shared_buffers()
            );
        } else {
            options += " -c fsync=off";
        }
        pg.run(
            "pg_ctl",
            &[
                "-D",
                &pgdata.to_string_lossy(),
                "-o",
                &options,
                "-l",
                &data_dir.join("server.log").to_string_lossy(),
                "-w",
                "start",
            ],
        )?;
        println!("{}", pg.url);
        Ok(pg)
    }

    fn run(&self, tool: &str, args: &[&str]) -> anyhow::Result<()> {
        let program = self.bin.join(tool);
        let mut command = if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        let output = command
            .args(args)
            .current_dir(&self.data_dir)
            .output()
            .with_context(|| format!("running {}", program.display()))?;
        if !output.status.success() {
            bail!(
                "{tool} failed: {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(())
    }
}

/// A quarter of the machine's memory, at most 8 GB, in megabytes: the starting value
/// PostgreSQL's manual gives a dedicated server (the default, 128 MB, is sized to start
/// anywhere). Why: with the default, at a million users the connections evict and write
/// dirty buffers themselves; on a 2-core machine the large campaign's completions then
/// ran at 263-312/s with a p99 of 388-466 ms, and with a quarter of memory at 491-535/s
/// with a p99 of 60 ms (no connection wrote a buffer while they ran).
fn production_shared_buffers() -> String {
    let total_kb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|meminfo| {
            let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .unwrap_or(4 * 1024 * 1024);
    format!("{}MB", (total_kb / 4 / 1024).clamp(128, 8 * 1024))
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let pgdata = self.data_dir.join("data");
        let _ = self.run(
            "pg_ctl",
            &["-D", &pgdata.to_string_lossy(), "-m", "immediate", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
