//! Lane's backend. `main.rs` only parses the configuration and calls [`run`]; everything else is
//! here so that tests build the same router the binary serves.

pub mod advisors;
pub mod audit;
pub mod auth;
pub mod config;
pub mod dealership;
pub mod db;
pub mod devices;
pub mod error;
pub mod http;
pub mod kiosk;
pub mod photos;
pub mod records;
pub mod seed;
pub mod signatures;
pub mod sync;
pub mod time;
pub mod versions;
pub mod web;

use config::Config;
use db::Db;
use http::AppState;
use web::WebApp;

/// Opens the database (migrating it, seeding the demo if empty), serves until SIGINT or SIGTERM,
/// lets in-flight requests finish, then closes the database cleanly.
pub async fn run(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::open(&config.database_url).await?;
    tracing::info!(backend = ?db.backend, "database ready, migrations applied");
    if !config.no_demo && seed::seed_if_empty(&db).await? {
        tracing::info!("seeded the demo dealership");
    }
    if let Some(config::Command::EnrolmentCode { kind, name }) = &config.command {
        let state = AppState { db: db.clone(), admin_token: None };
        let dealership = state.dealership().await.map_err(|e| e.problem().message)?;
        let request = lane_domain::device::NewEnrolmentCode { kind: *kind, name: name.clone() };
        let code = devices::create_code(&state, &dealership, &request).await.map_err(|e| e.problem().message)?;
        println!("{} (enrols one {}, until {})", code.code, kind.tag(), time::format_utc(code.expires_at));
        db.close().await;
        return Ok(());
    }
    let app = WebApp::load(&config.static_dir);
    let router = http::router(AppState { db: db.clone(), admin_token: config.admin_token.clone() }, &app);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(address = %listener.local_addr()?, "listening");
    axum::serve(listener, router).with_graceful_shutdown(shutdown_signal()).await?;
    db.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT: finishing in-flight requests"),
        () = terminate => tracing::info!("SIGTERM: finishing in-flight requests"),
    }
}
