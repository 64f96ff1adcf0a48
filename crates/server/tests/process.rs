//! The real binary: `--help`, start-up on an empty SQLite file, and a graceful shutdown on
//! SIGTERM and SIGINT that closes the database cleanly.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start(dir: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_lane-server"))
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .args(["--database-url", dir.join("data/lane.db").to_str().unwrap()])
        .args(["--static-dir", dir.join("dist").to_str().unwrap()])
        .env_remove("LANE_DATABASE_URL")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

fn wait_until_up(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if http_get(port, "/api/health").is_some_and(|r| r.contains("\"database\":true")) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not come up on port {port}");
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill").args(["-s", name, &child.id().to_string()]).status().unwrap();
    assert!(status.success());
}

fn wait_for_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not stop within 10 s");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn help_names_every_setting() {
    let output = Command::new(env!("CARGO_BIN_EXE_lane-server")).arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in ["--listen", "--database-url", "--static-dir", "--log-level", "LANE_DATABASE_URL"] {
        assert!(help.contains(flag), "--help mentions {flag}");
    }
}

#[test]
fn sigterm_and_sigint_shut_down_cleanly() {
    for name in ["TERM", "INT"] {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut child = start(dir.path(), port);
        wait_until_up(port);
        let wal = dir.path().join("data/lane.db-wal");
        assert!(wal.exists(), "SQLite runs in WAL mode while serving");
        signal(&child, name);
        let status = wait_for_exit(&mut child);
        let mut logs = String::new();
        child.stdout.take().unwrap().read_to_string(&mut logs).unwrap();
        assert!(status.success(), "SIG{name}: exit {status:?}\n{logs}");
        assert!(logs.contains("shut down cleanly"), "{logs}");
        // Closing the last connection checkpoints and removes the WAL: the file is complete.
        assert!(!wal.exists(), "SIG{name}: the WAL was not checkpointed");
        assert!(http_get(port, "/api/health").is_none(), "nothing listens after shutdown");
    }
}

#[test]
fn an_unusable_database_stops_start_up_with_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("not-a-db"), "this is not SQLite").unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_lane-server"))
        .args(["--listen", &format!("127.0.0.1:{}", free_port())])
        .args(["--database-url", dir.path().join("not-a-db").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!output.status.success());
}
