use server::settings::Settings;
use server::startup::{Application, Role};
use server::telemetry;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // An optional `.env` in the working directory; variables already set
    // in the environment win over it.
    if let Err(err) = dotenvy::dotenv()
        && !err.not_found()
    {
        eprintln!("sury: could not read .env: {err}");
        return std::process::ExitCode::from(2);
    }
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("sury: configuration error: {err}");
            return std::process::ExitCode::from(2);
        }
    };
    telemetry::init(settings.log_format);
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(code) = server::cli::run(&settings, &args).await {
        return code;
    }
    let stop = telemetry::shutdown_signal();
    // `server` runs the whole shop; `server catalog`, `server basket`,
    // `server ordering` and `server identity` run one service alone (the
    // distributed shape).
    let role = args.first().and_then(|name| Role::named(name));
    let built = match (args.first().map(String::as_str), role) {
        (None | Some("serve"), _) => Application::build(settings).await,
        (Some(_), Some(role)) if args.len() == 1 => {
            Application::build_service(role, settings).await
        }
        (Some(_), _) => {
            eprintln!("sury: unknown command {args:?}\n{}", server::cli::USAGE);
            return std::process::ExitCode::from(2);
        }
    };
    let app = match built {
        Ok(app) => app,
        Err(err) => {
            tracing::error!(error = %platform::error_chain(&err), "sury could not start");
            return std::process::ExitCode::FAILURE;
        }
    };
    match app.run_until_stopped(stop).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error = %platform::error_chain(&err), "sury stopped with an error");
            std::process::ExitCode::FAILURE
        }
    }
}
