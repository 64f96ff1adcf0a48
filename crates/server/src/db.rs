//! The database: one pool over SQLite (default, embedded) or PostgreSQL (chosen by URL), with the
//! same embedded migrations for both. SQL in this crate must be portable: `$1`-style parameters,
//! TEXT ids, BIGINT numbers, times as UTC RFC 3339 text.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

/// Turns the configured database into a URL: a bare path means a SQLite file, created if missing.
pub fn database_url(configured: &str) -> (String, Backend) {
    if configured.starts_with("postgres://") || configured.starts_with("postgresql://") {
        (configured.to_owned(), Backend::Postgres)
    } else if configured.starts_with("sqlite:") {
        let url = if configured.contains("mode=") {
            configured.to_owned()
        } else if configured.contains('?') {
            format!("{configured}&mode=rwc")
        } else {
            format!("{configured}?mode=rwc")
        };
        (url, Backend::Sqlite)
    } else {
        (format!("sqlite://{configured}?mode=rwc"), Backend::Sqlite)
    }
}

impl Db {
    /// Connects and applies every pending migration.
    pub async fn open(configured: &str) -> Result<Db, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let (url, backend) = database_url(configured);
        if backend == Backend::Sqlite {
            if let Some(parent) = sqlite_file(configured).and_then(|p| Path::new(p).parent().map(Path::to_owned)) {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(&parent).map_err(sqlx::Error::Io)?;
                }
            }
        }
        let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
        let pool = AnyPoolOptions::new()
            // SQLite has one writer; a few readers are enough for a dealership's devices.
            .max_connections(if backend == Backend::Sqlite { 4 } else { 16 })
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; NORMAL is durable at each
                        // checkpoint and safe against corruption, the usual choice with WAL.
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Db { pool, backend })
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// Waits for the connections to finish and closes them, so SQLite checkpoints its WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

fn sqlite_file(configured: &str) -> Option<&str> {
    let rest = configured.strip_prefix("sqlite://").or_else(|| configured.strip_prefix("sqlite:")).unwrap_or(configured);
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_paths_are_sqlite_files_created_if_missing() {
        assert_eq!(database_url("data/lane.db"), ("sqlite://data/lane.db?mode=rwc".into(), Backend::Sqlite));
        assert_eq!(database_url("/tmp/x.db"), ("sqlite:///tmp/x.db?mode=rwc".into(), Backend::Sqlite));
        assert_eq!(database_url("sqlite://a.db?mode=ro"), ("sqlite://a.db?mode=ro".into(), Backend::Sqlite));
        assert_eq!(database_url("postgres://u@h/db").1, Backend::Postgres);
        assert_eq!(sqlite_file("sqlite://data/lane.db?x=1"), Some("data/lane.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }
}
