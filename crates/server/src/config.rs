//! Server configuration from flags and environment variables (`lane-server --help`).

use clap::{Parser, Subcommand, ValueEnum};
use lane_domain::device::DeviceKind;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, Parser)]
#[command(name = "lane-server", version, about = "Lane's backend: the service lane's API and the kiosk and tablet app.")]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "LANE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database: a SQLite file path (created if missing), a `sqlite:` URL, or a `postgres://` URL.
    #[arg(long, env = "LANE_DATABASE_URL", default_value = "data/lane.db")]
    pub database_url: String,

    /// Directory of the built app (Trunk's `dist/`).
    #[arg(long, env = "LANE_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Log filter, such as `info` or `lane_server=debug,tower_http=debug`.
    #[arg(long, env = "LANE_LOG", default_value = "info")]
    pub log_level: String,

    /// Log line format.
    #[arg(long, env = "LANE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Bearer token of the admin API (enrolment codes, device list, revocation); unset disables it.
    #[arg(long, env = "LANE_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,

    /// Do not seed the demo dealership into an empty database.
    #[arg(long, env = "LANE_NO_DEMO")]
    pub no_demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Subcommand)]
pub enum Command {
    /// Prints a one-time code that enrols one device (valid 24 hours), then exits.
    EnrolmentCode {
        /// `kiosk` or `tablet`.
        #[arg(long, value_parser = parse_kind)]
        kind: DeviceKind,
        /// A name the staff recognise, such as "Lobby kiosk".
        #[arg(long)]
        name: String,
    },
}

fn parse_kind(text: &str) -> Result<DeviceKind, String> {
    DeviceKind::from_tag(text).ok_or_else(|| format!("`{text}` is not a device kind: use `kiosk` or `tablet`"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}
