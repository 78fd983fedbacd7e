//! `tact-store`: the team store and sync server for Tact, and its admin commands.
//! Exit codes: 0 success, 1 runtime failure (database, network), 3 usage or input error.

mod api;
mod commit;
mod config;
mod dashboard;
mod db;
mod error;
mod events;
mod extract;
mod ratelimit;
mod registers;
mod report;
mod server;
mod tokens;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "tact-store",
    version,
    about = "Team store and sync server for Tact"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args)]
struct DbArg {
    /// sqlite://FILE (created if missing) or postgres://USER[:PASSWORD]@HOST[:PORT]/DB
    #[arg(long, default_value = "sqlite://tact.db")]
    db: String,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API and the dashboard.
    Serve {
        #[command(flatten)]
        db: DbArg,
        #[arg(long, default_value = "127.0.0.1:8787")]
        listen: String,
        /// An origin allowed to call the API from a browser (repeatable), e.g.
        /// chrome-extension://<extension id>. None: no cross-origin calls.
        #[arg(long = "cors-origin")]
        cors_origins: Vec<String>,
        /// Requests per second allowed per token (0: no limit).
        #[arg(long, default_value_t = 50)]
        rate_limit: u32,
        /// Requests a token may make in a burst above the rate.
        #[arg(long, default_value_t = 100)]
        burst: u32,
    },
    /// Manage teams.
    Team {
        #[command(subcommand)]
        action: TeamAction,
    },
    /// Manage member tokens.
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Subcommand)]
enum TeamAction {
    /// Create a team and print its first admin token (shown only once).
    Create {
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
enum TokenAction {
    /// Create a token for a member and print it (shown only once).
    Create {
        #[arg(long)]
        team: String,
        #[arg(long, value_parser = ["admin", "member"])]
        role: String,
        /// The member's name, as reports show it.
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Revoke every live token of a member.
    Revoke {
        #[arg(long)]
        team: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// List a team's tokens (names and roles; tokens themselves are never stored).
    List {
        #[arg(long)]
        team: String,
        #[command(flatten)]
        db: DbArg,
    },
}

fn main() -> ExitCode {
    let cli = match tact::cli::parse_args::<Cli>() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("tact-store: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tact-store: {message}");
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Serve {
            db,
            listen,
            cors_origins,
            rate_limit,
            burst,
        } => {
            let settings = server::Settings {
                cors_origins,
                rate_per_second: rate_limit,
                burst,
            };
            serve(&db.db, &listen, settings).await
        }
        Command::Team {
            action: TeamAction::Create { name, db },
        } => {
            let db = db::Db::open(&db.db).await?;
            let token = tokens::create_team(&db, &name).await?;
            eprintln!("Team {name:?} created. Its admin token (shown only once):");
            println!("{token}");
            Ok(())
        }
        Command::Token { action } => token_command(action).await,
    }
}

async fn token_command(action: TokenAction) -> Result<(), String> {
    match action {
        TokenAction::Create {
            team,
            role,
            name,
            db,
        } => {
            let db = db::Db::open(&db.db).await?;
            let role = tokens::Role::parse(&role).unwrap_or(tokens::Role::Member);
            let token = tokens::create_token(&db, &team, role, &name).await?;
            eprintln!(
                "Token for {name:?} ({}) in team {team:?} (shown only once):",
                role.as_str()
            );
            println!("{token}");
        }
        TokenAction::Revoke { team, name, db } => {
            let db = db::Db::open(&db.db).await?;
            let n = tokens::revoke_tokens(&db, &team, &name).await?;
            if n == 0 {
                return Err(format!("{name:?} has no live token in team {team:?}"));
            }
            println!("revoked {n} token(s) of {name:?}");
        }
        TokenAction::List { team, db } => {
            let db = db::Db::open(&db.db).await?;
            for (name, role, created, revoked) in tokens::list_tokens(&db, &team).await? {
                let state = match revoked {
                    Some(at) => format!("revoked {}", db::utc_day(at)),
                    None => "live".to_string(),
                };
                println!("{name}\t{role}\tcreated {}\t{state}", db::utc_day(created));
            }
        }
    }
    Ok(())
}

async fn serve(db_url: &str, listen: &str, settings: server::Settings) -> Result<(), String> {
    let db = db::Db::open(db_url).await?;
    let state = Arc::new(server::AppState {
        pushes: commit::Pushes::start(db.clone()),
        db,
        limiter: ratelimit::RateLimiter::new(settings.rate_per_second, settings.burst),
    });
    let app = server::router(state, &settings)?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    // Tests and scripts read this line to learn the port when listening on :0.
    println!("tact-store listening on http://{address}");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("the server stopped: {e}"))
}

/// Ctrl-C or SIGTERM (what service managers send): finish the requests in flight, then
/// stop. A push is acknowledged only after its transaction commits, so stopping loses
/// nothing either way.
async fn shutdown_signal() {
    let terminate = async {
        #[cfg(unix)]
        if let Ok(mut signal) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            signal.recv().await;
            return;
        }
        std::future::pending::<()>().await
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = terminate => {}
    }
}
