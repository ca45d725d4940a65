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
    let app = match Application::build(settings).await {
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
