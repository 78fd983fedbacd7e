//! Test harness: a throwaway PostgreSQL cluster (initdb + pg_ctl on a free loopback port,
//! stopped on drop), the real `tact-store` binary started on a fresh database, and a small
//! HTTP client for the API. Shared by the integration tests and the load benchmark.
#![allow(dead_code)] // each test crate that includes this module uses a different part

use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tact::sync::wire::{PullResponse, PushRequest, PushResponse};
use tact::sync::Write;

pub const STORE_BIN: &str = env!("CARGO_BIN_EXE_tact-store");

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(label: &str) -> TempDir {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let path = std::env::temp_dir().join(format!(
            "tact-store-{label}-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&path).expect("create a temp dir");
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("find a free loopback port")
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// The PostgreSQL server binaries: `$PG_BIN`, else the newest /usr/lib/postgresql/*/bin.
fn pg_bin() -> PathBuf {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return PathBuf::from(dir);
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .filter(|bin| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: \
             install Debian's `postgresql` package (apt-get install postgresql) or set PG_BIN"
        )
    })
}

/// A private PostgreSQL cluster for one test run. PostgreSQL refuses to run as root, so
/// as root it runs as the `postgres` system user.
pub struct Pg {
    dir: TempDir,
    bin: PathBuf,
    pub port: u16,
    as_postgres: bool,
}

impl Pg {
    /// `durable`: keep fsync on (benchmarks measure the real thing); tests turn it off.
    pub fn start(durable: bool) -> Pg {
        let bin = pg_bin();
        let dir = TempDir::new("pg");
        let as_postgres = is_root();
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir.0)
                .status()
                .expect("run chown");
            assert!(status.success(), "chown of {:?} to postgres failed", dir.0);
        }
        let pg = Pg {
            port: free_port(),
            dir,
            bin,
            as_postgres,
        };
        let data = pg.dir.0.join("data");
        pg.run(
            "initdb",
            &[
                "-D",
                path(&data),
                "-A",
                "trust",
                "-U",
                "tact",
                "-E",
                "UTF8",
                "--no-instructions",
            ],
        );
        let fsync = if durable { "on" } else { "off" };
        let options = format!(
            "-p {} -c listen_addresses=127.0.0.1 -k {} -c fsync={fsync} -c max_connections=100",
            pg.port,
            path(&pg.dir.0)
        );
        let log = pg.dir.0.join("server.log");
        pg.run(
            "pg_ctl",
            &[
                "-D",
                path(&data),
                "-o",
                &options,
                "-l",
                path(&log),
                "-w",
                "-t",
                "60",
                "start",
            ],
        );
        pg
    }

    fn command(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(exe);
            cmd
        } else {
            Command::new(exe)
        }
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self
            .command(tool)
            .args(args)
            .current_dir(&self.dir.0)
            .output()
            .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
        let log = std::fs::read_to_string(self.dir.0.join("server.log")).unwrap_or_default();
        assert!(
            out.status.success(),
            "{tool} failed: {}\n{}\nserver log:\n{log}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Creates an empty database and returns its URL.
    pub fn create_db(&self, name: &str) -> String {
        let port = self.port.to_string();
        self.run(
            "createdb",
            &["-h", "127.0.0.1", "-p", &port, "-U", "tact", name],
        );
        format!("postgres://tact@127.0.0.1:{}/{name}", self.port)
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let data = self.dir.0.join("data");
        let _ = self
            .command("pg_ctl")
            .args(["-D", path(&data), "-m", "immediate", "-w", "stop"])
            .output();
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Where a suite gets fresh databases: a SQLite file or a database in a PostgreSQL cluster.
pub enum Backend {
    Sqlite(TempDir),
    Postgres(Pg),
}

impl Backend {
    pub fn sqlite() -> Backend {
        Backend::Sqlite(TempDir::new("sqlite"))
    }

    pub fn name(&self) -> &'static str {
        match self {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    pub fn fresh_db(&self, name: &str) -> String {
        match self {
            Backend::Sqlite(dir) => format!("sqlite://{}", path(&dir.0.join(format!("{name}.db")))),
            Backend::Postgres(pg) => pg.create_db(name),
        }
    }
}

/// Runs an admin command of the real binary; returns its standard output.
pub fn admin(db_url: &str, args: &[&str]) -> String {
    let out = Command::new(STORE_BIN)
        .args(args)
        .args(["--db", db_url])
        .output()
        .expect("run tact-store");
    assert!(
        out.status.success(),
        "tact-store {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A running `tact-store serve` process.
pub struct Store {
    child: Child,
    pub base: String,
    pub db_url: String,
    args: Vec<String>,
}

impl Store {
    pub fn start(db_url: &str, extra: &[&str]) -> Store {
        let args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
        let (child, base) = spawn(db_url, &args);
        Store {
            child,
            base,
            db_url: db_url.to_string(),
            args,
        }
    }

    /// SIGKILL: no chance to flush or finish anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the process again on the same database (a new port).
    pub fn restart(&mut self) {
        self.kill();
        let (child, base) = spawn(&self.db_url, &self.args);
        self.child = child;
        self.base = base;
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn(db_url: &str, extra: &[String]) -> (Child, String) {
    let mut child = Command::new(STORE_BIN)
        .args(["serve", "--db", db_url, "--listen", "127.0.0.1:0"])
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start tact-store serve");
    let stdout = child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("tact-store listening on ") {
                let _ = tx.send(url.to_string());
            }
        }
    });
    let base = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("tact-store did not report its address within 60 s");
    (child, base)
}

/// A team on a fresh database with a running store: tokens for an admin and a member.
pub struct Team {
    pub store: Store,
    pub admin: Api,
    pub member: Api,
}

impl Team {
    pub fn new(backend: &Backend, db_name: &str, extra: &[&str]) -> Team {
        let db = backend.fresh_db(db_name);
        let admin_token = admin(&db, &["team", "create", "alpha"]);
        let member_token = admin(
            &db,
            &[
                "token", "create", "--team", "alpha", "--role", "member", "--name", "Camille",
            ],
        );
        let store = Store::start(&db, extra);
        Team {
            admin: Api::new(&store.base, &admin_token),
            member: Api::new(&store.base, &member_token),
            store,
        }
    }

    /// Creates another token (and team if new) on the same database.
    pub fn token(&self, args: &[&str]) -> Api {
        Api::new(&self.store.base, &admin(&self.store.db_url, args))
    }
}

/// The API as one token sees it.
#[derive(Clone)]
pub struct Api {
    http: reqwest::Client,
    pub base: String,
    pub token: String,
}

impl Api {
    pub fn new(base: &str, token: &str) -> Api {
        Api {
            http: reqwest::Client::new(),
            base: base.to_string(),
            token: token.to_string(),
        }
    }

    /// Same token, another server address (after a restart).
    pub fn at(&self, base: &str) -> Api {
        Api::new(base, &self.token)
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        headers: &[(&str, &str)],
    ) -> Result<(StatusCode, reqwest::header::HeaderMap, Vec<u8>), reqwest::Error> {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .timeout(Duration::from_secs(30));
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await?.to_vec();
        Ok((status, headers, bytes))
    }

    /// A JSON call that must reach the server; returns status and parsed body (Null if none).
    pub async fn json(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let bytes = body.map(|b| serde_json::to_vec(b).expect("serialise"));
        let (status, _, out) = self
            .send(method, path, bytes, &[])
            .await
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        (status, serde_json::from_slice(&out).unwrap_or(Value::Null))
    }

    pub async fn push(&self, request: &PushRequest) -> Result<PushResponse, String> {
        let body = serde_json::to_vec(request).map_err(|e| e.to_string())?;
        let (status, _, out) = self
            .send(Method::POST, "/v1/push", Some(body), &[])
            .await
            .map_err(|e| e.to_string())?;
        if status != StatusCode::OK {
            return Err(format!("push: {status} {}", String::from_utf8_lossy(&out)));
        }
        serde_json::from_slice(&out).map_err(|e| e.to_string())
    }

    pub async fn pull(&self, cursor: u64, limit: u32) -> Result<PullResponse, String> {
        let path = format!("/v1/pull?cursor={cursor}&limit={limit}");
        let (status, _, out) = self
            .send(Method::GET, &path, None, &[])
            .await
            .map_err(|e| e.to_string())?;
        if status != StatusCode::OK {
            return Err(format!("pull: {status} {}", String::from_utf8_lossy(&out)));
        }
        serde_json::from_slice(&out).map_err(|e| e.to_string())
    }

    /// Every write of the team, following `more` to the end.
    pub async fn pull_all(&self) -> Vec<Write> {
        let mut cursor = 0;
        let mut all = Vec::new();
        loop {
            let page = self.pull(cursor, 1000).await.expect("pull");
            all.extend(page.changes);
            cursor = page.cursor;
            if !page.more {
                return all;
            }
        }
    }
}
