//! Operator commands: `server <command> …`. They act on the databases and
//! the broker named by the same settings as the server.

use std::process::ExitCode;

use catalog::{Catalog, CategoryName, Slug};
use uuid::Uuid;

use crate::settings::Settings;
use crate::startup::event_bus;
use platform::error_chain as chain;

pub const USAGE: &str = "\
usage: server [serve]                       the shop (every service without a URL runs inside)
       server catalog                       the catalog service alone
       server basket                        the basket service alone (needs SURY_CATALOG_URL)
       server ordering                      the ordering service alone (needs SURY_CATALOG_URL)
       server identity                      the identity service alone (signs access tokens)
       server grant-role EMAIL ROLE NAME    make an account staff or admin (customer to demote);
                                            a new account's password is read from stdin
       server identity-public-key           print the public key other services check tokens with
                                            (give it to them as SURY_IDENTITY_PUBLIC_KEY_FILE)
       server seed-demo                     load the demo catalog into an empty shop
       server rename-category SLUG NAME     rename a category (announced to readers)
       server outbox-backlog                catalog events not yet published
       server dead-letters QUEUE            messages a consumer gave up on, with their errors
       server replay QUEUE MESSAGE_ID       put a dead-lettered message back on its queue";

/// Runs an operator command; `None` if `args` names none.
pub async fn run(settings: &Settings, args: &[String]) -> Option<ExitCode> {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match words.as_slice() {
        ["grant-role", email, role, name] => grant_role(settings, email, role, name).await,
        ["rename-category", slug, name] => rename_category(settings, slug, name).await,
        ["seed-demo"] => seed_demo(settings).await,
        ["identity-public-key"] => crate::startup::signing_key(settings)
            .map(|key| print!("{}", key.public_pem()))
            .map_err(|e| chain(&e)),
        ["outbox-backlog"] => outbox_backlog(settings).await,
        ["dead-letters", queue] => dead_letters(settings, queue).await,
        ["replay", queue, id] => replay(settings, queue, id).await,
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => return None,
    };
    Some(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("sury: {message}");
            ExitCode::FAILURE
        }
    })
}

async fn open_catalog(settings: &Settings) -> Result<Catalog, String> {
    let catalog = Catalog::open(settings.catalog.database_url.expose())
        .await
        .map_err(|e| chain(&e))?;
    Ok(catalog.with_media(crate::startup::media(settings).await))
}

async fn seed_demo(settings: &Settings) -> Result<(), String> {
    let catalog = open_catalog(settings).await?;
    let made = catalog.seed_demo().await.map_err(|e| chain(&e))?;
    if made == 0 {
        println!("the shop already has products; nothing loaded");
    } else {
        println!("loaded {made} demo products");
    }
    Ok(())
}

async fn rename_category(settings: &Settings, slug: &str, name: &str) -> Result<(), String> {
    let slug = Slug::parse(slug).map_err(|e| e.to_string())?;
    let name = CategoryName::parse(name).map_err(|e| e.to_string())?;
    let catalog = open_catalog(settings).await?;
    let renamed = catalog
        .rename_category(&slug, &name)
        .await
        .map_err(|e| chain(&e))?;
    catalog.close().await;
    if renamed {
        println!(
            "renamed {slug} to {:?}; the catalog's relay announces it",
            name.as_str()
        );
        Ok(())
    } else {
        Err(format!("no category is called {slug}"))
    }
}

async fn outbox_backlog(settings: &Settings) -> Result<(), String> {
    let pool = platform::db::connect(settings.catalog.database_url.expose(), 1)
        .await
        .map_err(|e| chain(&e))?;
    let backlog = platform::outbox::backlog(&pool)
        .await
        .map_err(|e| chain(&e))?;
    println!("catalog outbox: {backlog} event(s) waiting to be published");
    Ok(())
}

async fn dead_letters(settings: &Settings, queue: &str) -> Result<(), String> {
    if settings.amqp_url.is_none() {
        return Err("SURY_AMQP_URL is not set: the in-process bus keeps dead letters in the server's memory only".into());
    }
    let bus = event_bus(settings).await.map_err(|e| chain(&e))?;
    let letters = bus.dead_letters(queue).await.map_err(|e| chain(&e))?;
    if letters.is_empty() {
        println!("{queue}: no dead letters");
    }
    for letter in letters {
        println!(
            "{}\t{}\tattempts={}\terror={}",
            letter.message.id, letter.message.topic, letter.attempts, letter.error
        );
    }
    Ok(())
}

async fn replay(settings: &Settings, queue: &str, id: &str) -> Result<(), String> {
    let id = Uuid::parse_str(id).map_err(|e| format!("{id:?} is not a message id: {e}"))?;
    if settings.amqp_url.is_none() {
        return Err("SURY_AMQP_URL is not set: nothing to replay from".into());
    }
    let bus = event_bus(settings).await.map_err(|e| chain(&e))?;
    if bus.replay(queue, id).await.map_err(|e| chain(&e))? {
        println!("{id} is back on {queue}");
        Ok(())
    } else {
        Err(format!("{queue} has no dead letter {id}"))
    }
}

/// Gives an account a role, creating it (verified, with the password read
/// from standard input) if the address has none. The first admin is made
/// this way: there is no default password anywhere.
async fn grant_role(
    settings: &Settings,
    email: &str,
    role: &str,
    name: &str,
) -> Result<(), String> {
    use contracts::identity::Role;
    use identity::{Email, NewPassword, PersonName};

    let email = Email::parse(email).map_err(|e| format!("EMAIL: {e}"))?;
    let role = Role::parse(role).ok_or("ROLE must be customer, staff or admin")?;
    let name = PersonName::parse(name).map_err(|e| format!("NAME: {e}"))?;
    eprintln!("Password for {email} (used only if the account is new), then Enter:");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("could not read the password: {e}"))?;
    let password = NewPassword::parse(line.trim_end_matches(['\r', '\n']), Some(&email))
        .map_err(|e| format!("password: {e}"))?;
    let identity = crate::startup::open_identity(settings)
        .await
        .map_err(|e| chain(&e))?;
    let created = identity
        .grant_role(&email, &name, &password, role)
        .await
        .map_err(|e| chain(&e))?;
    identity.close().await;
    if created {
        println!("created {email} as {}", role.as_str());
    } else {
        println!("{email} is now {} (password unchanged)", role.as_str());
    }
    Ok(())
}
