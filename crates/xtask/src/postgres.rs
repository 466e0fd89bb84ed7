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
    /// Initialises and starts a server using the binaries in `bin`. A `durable` one syncs
    /// its commits as a production server does (for benchmarks); otherwise `fsync` is off,
    /// which only a throwaway test server can afford.
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
        let options = format!(
            "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=200",
            data_dir.display(),
            if durable { "on" } else { "off" }
        );
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
