//! Identity's SQL, and nothing else. Every function runs on the caller's
//! connection, so a command can put several in one transaction.

use contracts::identity::{AddressFieldsV1, Role};
use sqlx::{AnyConnection, Row};

pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: Role,
    pub verified: bool,
    pub token_version: i64,
    pub phone: Option<String>,
    pub pending_email: Option<String>,
    pub default_address_id: Option<String>,
}

/// What `user` reads; `user_in_live_session` names the same columns.
const USER_COLUMNS: &str = "id, email, name, password_hash, role, email_verified_at_ms, \
     token_version, phone, pending_email, default_address_id";

fn user(row: sqlx::any::AnyRow) -> Result<UserRow, sqlx::Error> {
    let role: String = row.try_get("role")?;
    Ok(UserRow {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        role: Role::parse(&role).unwrap_or(Role::Customer),
        verified: row
            .try_get::<Option<i64>, _>("email_verified_at_ms")?
            .is_some(),
        token_version: row.try_get("token_version")?,
        phone: row.try_get("phone")?,
        pending_email: row.try_get("pending_email")?,
        default_address_id: row.try_get("default_address_id")?,
    })
}

pub async fn user_by_email(
    conn: &mut AnyConnection,
    email: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {USER_COLUMNS} FROM users WHERE email = $1"
    ))
    .bind(email)
    .fetch_optional(conn)
    .await?
    .map(user)
    .transpose()
}

pub async fn user_by_id(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(user)
        .transpose()
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    id: &str,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO users (id, email, name, password_hash, role, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_role(
    conn: &mut AnyConnection,
    user_id: &str,
    role: Role,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Replaces the password and makes every access token issued so far stop
/// working.
pub async fn set_password(
    conn: &mut AnyConnection,
    user_id: &str,
    password_hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET password_hash = $1, token_version = token_version + 1 WHERE id = $2",
    )
    .bind(password_hash)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn bump_token_version(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET token_version = token_version + 1 WHERE id = $1")
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks `email` verified, if it is still the account's address.
pub async fn set_verified(
    conn: &mut AnyConnection,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE users SET email_verified_at_ms = $1
         WHERE id = $2 AND email = $3 AND email_verified_at_ms IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .bind(email)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_session(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO sessions (id, user_id, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(user_id)
    .bind(now)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// The user, if `session_id` is one of theirs, not revoked and not expired:
/// what every authenticated request checks, in one query.
pub async fn user_in_live_session(
    conn: &mut AnyConnection,
    user_id: &str,
    session_id: &str,
    now: i64,
) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query(
        "SELECT u.id, u.email, u.name, u.password_hash, u.role, u.email_verified_at_ms,
                u.token_version, u.phone, u.pending_email, u.default_address_id
         FROM users u JOIN sessions s ON s.user_id = u.id
         WHERE u.id = $1 AND s.id = $2 AND s.revoked_at_ms IS NULL AND s.expires_at_ms > $3",
    )
    .bind(user_id)
    .bind(session_id)
    .bind(now)
    .fetch_optional(conn)
    .await?
    .map(user)
    .transpose()
}

pub async fn revoke_session(
    conn: &mut AnyConnection,
    session_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET revoked_at_ms = $1 WHERE id = $2 AND revoked_at_ms IS NULL")
        .bind(now)
        .bind(session_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Revokes every session of the user except `keep` (if given).
pub async fn revoke_sessions(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sessions SET revoked_at_ms = $1
         WHERE user_id = $2 AND revoked_at_ms IS NULL AND id <> $3",
    )
    .bind(now)
    .bind(user_id)
    .bind(keep.unwrap_or(""))
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn insert_refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    session_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO refresh_tokens (token_hash, session_id, issued_at_ms) VALUES ($1, $2, $3)",
    )
    .bind(token_hash)
    .bind(session_id)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

pub struct RefreshRow {
    pub session_id: String,
    pub user_id: String,
    pub used_at: Option<i64>,
    pub session_live: bool,
}

pub async fn refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<RefreshRow>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT r.session_id, s.user_id, r.used_at_ms, s.revoked_at_ms, s.expires_at_ms
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
         WHERE r.token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        let revoked: Option<i64> = row.try_get("revoked_at_ms")?;
        let expires: i64 = row.try_get("expires_at_ms")?;
        Ok(RefreshRow {
            session_id: row.try_get("session_id")?,
            user_id: row.try_get("user_id")?,
            used_at: row.try_get("used_at_ms")?,
            session_live: revoked.is_none() && expires > now,
        })
    })
    .transpose()
}

/// Marks a refresh token used. `false` if another request used it first.
pub async fn use_refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE refresh_tokens SET used_at_ms = $1 WHERE token_hash = $2 AND used_at_ms IS NULL",
    )
    .bind(now)
    .bind(token_hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn insert_email_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &str,
    purpose: &str,
    email: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, email, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(purpose)
    .bind(email)
    .bind(expires_at)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Uses up an emailed token in one statement, so two clicks on one link
/// cannot both succeed. Returns the user and address it was sent to.
pub async fn consume_email_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE email_tokens SET consumed_at_ms = $1
         WHERE token_hash = $2 AND purpose = $3 AND consumed_at_ms IS NULL AND expires_at_ms > $1
         RETURNING user_id, email",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose)
    .fetch_optional(conn)
    .await?;
    row.map(|row| Ok((row.try_get("user_id")?, row.try_get("email")?)))
        .transpose()
}

/// Spends every emailed link of the user still open: after the address
/// changes, links sent to the old one must not work.
pub async fn consume_email_tokens(
    conn: &mut AnyConnection,
    user_id: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE email_tokens SET consumed_at_ms = $1 WHERE user_id = $2 AND consumed_at_ms IS NULL",
    )
    .bind(now)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ())
}

pub async fn set_profile(
    conn: &mut AnyConnection,
    user_id: &str,
    name: &str,
    phone: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET name = $1, phone = $2 WHERE id = $3")
        .bind(name)
        .bind(phone)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

pub async fn set_pending_email(
    conn: &mut AnyConnection,
    user_id: &str,
    email: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET pending_email = $1 WHERE id = $2")
        .bind(email)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Moves the account to `email`, verified (the link reached it). Fails
/// with a unique violation if another account has the address.
pub async fn change_email(
    conn: &mut AnyConnection,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE users SET email = $1, email_verified_at_ms = $2, pending_email = NULL WHERE id = $3",
    )
    .bind(email)
    .bind(now)
    .bind(user_id)
    .execute(conn)
    .await
    .map(|_| ())
}

const ADDRESS_COLUMNS: &str =
    "id, recipient, line1, line2, city, region, postal_code, country, phone";

fn address(row: sqlx::any::AnyRow) -> Result<(String, AddressFieldsV1), sqlx::Error> {
    Ok((
        row.try_get("id")?,
        AddressFieldsV1 {
            recipient: row.try_get("recipient")?,
            line1: row.try_get("line1")?,
            line2: row.try_get("line2")?,
            city: row.try_get("city")?,
            region: row.try_get("region")?,
            postal_code: row.try_get("postal_code")?,
            country: row.try_get("country")?,
            phone: row.try_get("phone")?,
        },
    ))
}

/// The user's addresses, oldest first.
pub async fn addresses(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<(String, AddressFieldsV1)>, sqlx::Error> {
    sqlx::query(&format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY created_at_ms, id"
    ))
    .bind(user_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(address)
    .collect()
}

pub async fn count_addresses(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM addresses WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(conn)
        .await
}

pub async fn insert_address(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    fields: &AddressFieldsV1,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO addresses
            (id, user_id, recipient, line1, line2, city, region, postal_code, country, phone,
             created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(user_id)
    .bind(&fields.recipient)
    .bind(&fields.line1)
    .bind(&fields.line2)
    .bind(&fields.city)
    .bind(&fields.region)
    .bind(&fields.postal_code)
    .bind(&fields.country)
    .bind(&fields.phone)
    .bind(now)
    .execute(conn)
    .await
    .map(|_| ())
}

/// `false` if the user has no address `id`.
pub async fn update_address(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    fields: &AddressFieldsV1,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE addresses SET recipient = $1, line1 = $2, line2 = $3, city = $4, region = $5,
                postal_code = $6, country = $7, phone = $8
         WHERE id = $9 AND user_id = $10",
    )
    .bind(&fields.recipient)
    .bind(&fields.line1)
    .bind(&fields.line2)
    .bind(&fields.city)
    .bind(&fields.region)
    .bind(&fields.postal_code)
    .bind(&fields.country)
    .bind(&fields.phone)
    .bind(id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// `false` if the user has no address `id`.
pub async fn delete_address(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM addresses WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn set_default_address(
    conn: &mut AnyConnection,
    user_id: &str,
    address_id: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET default_address_id = $1 WHERE id = $2")
        .bind(address_id)
        .bind(user_id)
        .execute(conn)
        .await
        .map(|_| ())
}
