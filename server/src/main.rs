use server::settings::Settings;
use server::startup::Application;
use server::telemetry;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("sury: configuration error: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_format);
    // `server` runs the whole shop; `server catalog` runs the catalog
    // service alone (the distributed shape).
    let role = std::env::args().nth(1);
    let built = match role.as_deref() {
        None | Some("serve") => Application::build(settings).await,
        Some("catalog") => Application::build_catalog_service(settings).await,
        Some(other) => {
            eprintln!("sury: unknown command {other:?}; expected `serve` (default) or `catalog`");
            return std::process::ExitCode::from(2);
        }
    };
    let app = match built {
        Ok(app) => app,
        Err(err) => {
            tracing::error!(error = %telemetry::chain(&err), "sury could not start");
            return std::process::ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped(telemetry::shutdown_signal()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %telemetry::chain(&err), "sury stopped with an error");
            std::process::ExitCode::FAILURE
        }
    }
}
