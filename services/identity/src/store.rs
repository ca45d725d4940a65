//! Identity's SQL, and nothing else. Every function runs on the caller's
//! connection, so a command can put several in one transaction. Each is
//! its statement and the values that go in, run by [`platform::sql`].

use contracts::identity::{AddressFieldsV1, Role};
use platform::sql::{Param, Result, change_one, execute, fetch_optional, query};
use sqlx::any::AnyRow;
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

fn user(row: &AnyRow) -> Result<UserRow> {
    let text = |column: &str| row.try_get::<String, _>(column);
    let maybe = |column: &str| row.try_get::<Option<String>, _>(column);
    let verified_at: Option<i64> = row.try_get("email_verified_at_ms")?;
    Ok(UserRow {
        id: text("id")?,
        email: text("email")?,
        name: text("name")?,
        password_hash: text("password_hash")?,
        role: Role::parse(&text("role")?).unwrap_or(Role::Customer),
        verified: verified_at.is_some(),
        token_version: row.try_get("token_version")?,
        phone: maybe("phone")?,
        pending_email: maybe("pending_email")?,
        default_address_id: maybe("default_address_id")?,
    })
}

/// Runs a statement whose effect the caller does not need counted.
async fn run(conn: &mut AnyConnection, sql: &str, params: &[Param<'_>]) -> Result<()> {
    execute(conn, sql, params).await.map(drop)
}

pub async fn user_by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
    fetch_optional(conn, &sql, &[email.into()], user).await
}

pub async fn user_by_id(conn: &mut AnyConnection, id: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    fetch_optional(conn, &sql, &[id.into()], user).await
}

pub async fn insert_user(
    conn: &mut AnyConnection,
    id: &str,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> Result<()> {
    run(
        conn,
        "INSERT INTO users (id, email, name, password_hash, role, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6)",
        &[
            id.into(),
            email.into(),
            name.into(),
            password_hash.into(),
            role.as_str().into(),
            now.into(),
        ],
    )
    .await
}

/// One change to a user's row, for [`update_user`]: each names the
/// columns it sets, the values going in and the user, so every update
/// of the table is one statement run the same way.
pub enum UserChange<'a> {
    Role(Role),
    /// A new password, which also makes every access token issued so far
    /// stop working.
    Password(&'a str),
    /// Makes every access token issued so far stop working.
    BumpTokenVersion,
    Profile {
        name: &'a str,
        phone: Option<&'a str>,
    },
    PendingEmail(&'a str),
    DefaultAddress(Option<&'a str>),
    /// Moves the account to the address, verified (the link reached it).
    /// Fails with a unique violation if another account has the address.
    Email {
        email: &'a str,
        now: i64,
    },
}

impl<'a> UserChange<'a> {
    /// The `SET` list (with `$1`…) and its values, the user's id last.
    fn assignments(&self) -> (&'static str, Vec<Param<'a>>) {
        match *self {
            Self::Role(role) => ("role = $1", vec![role.as_str().into()]),
            Self::Password(hash) => (
                "password_hash = $1, token_version = token_version + 1",
                vec![hash.into()],
            ),
            Self::BumpTokenVersion => ("token_version = token_version + 1", vec![]),
            Self::Profile { name, phone } => {
                ("name = $1, phone = $2", vec![name.into(), phone.into()])
            }
            Self::PendingEmail(email) => ("pending_email = $1", vec![email.into()]),
            Self::DefaultAddress(id) => ("default_address_id = $1", vec![id.into()]),
            Self::Email { email, now } => (
                "email = $1, email_verified_at_ms = $2, pending_email = NULL",
                vec![email.into(), now.into()],
            ),
        }
    }
}

pub async fn update_user(
    conn: &mut AnyConnection,
    user_id: &str,
    change: UserChange<'_>,
) -> Result<()> {
    let (set, mut params) = change.assignments();
    params.push(user_id.into());
    let sql = format!("UPDATE users SET {set} WHERE id = ${}", params.len());
    run(conn, &sql, &params).await
}

/// Marks `email` verified, if it is still the account's address.
pub async fn set_verified(
    conn: &mut AnyConnection,
    user_id: &str,
    email: &str,
    now: i64,
) -> Result<bool> {
    change_one(
        conn,
        "UPDATE users SET email_verified_at_ms = $1
         WHERE id = $2 AND email = $3 AND email_verified_at_ms IS NULL",
        &[now.into(), user_id.into(), email.into()],
    )
    .await
}

/// Starts a session of the user's, live from `now` until `expires_at`.
pub async fn insert_session(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    now: i64,
    expires_at: i64,
) -> Result<()> {
    run(
        conn,
        "INSERT INTO sessions (id, user_id, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4)",
        &[id.into(), user_id.into(), now.into(), expires_at.into()],
    )
    .await
}

/// The user, if `session_id` is one of theirs, not revoked and not expired:
/// what every authenticated request checks, in one query.
pub async fn user_in_live_session(
    conn: &mut AnyConnection,
    user_id: &str,
    session_id: &str,
    now: i64,
) -> Result<Option<UserRow>> {
    fetch_optional(
        conn,
        "SELECT u.id, u.email, u.name, u.password_hash, u.role, u.email_verified_at_ms,
                u.token_version, u.phone, u.pending_email, u.default_address_id
         FROM users u JOIN sessions s ON s.user_id = u.id
         WHERE u.id = $1 AND s.id = $2 AND s.revoked_at_ms IS NULL AND s.expires_at_ms > $3",
        &[user_id.into(), session_id.into(), now.into()],
        user,
    )
    .await
}

pub async fn revoke_session(conn: &mut AnyConnection, session_id: &str, now: i64) -> Result<()> {
    let sql = "UPDATE sessions SET revoked_at_ms = $1 WHERE id = $2 AND revoked_at_ms IS NULL";
    run(conn, sql, &[now.into(), session_id.into()]).await
}

/// Revokes every session of the user except `keep` (if given).
pub async fn revoke_sessions(
    conn: &mut AnyConnection,
    user_id: &str,
    keep: Option<&str>,
    now: i64,
) -> Result<()> {
    run(
        conn,
        "UPDATE sessions SET revoked_at_ms = $1
         WHERE user_id = $2 AND revoked_at_ms IS NULL AND id <> $3",
        &[now.into(), user_id.into(), keep.unwrap_or("").into()],
    )
    .await
}

pub async fn insert_refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    session_id: &str,
    now: i64,
) -> Result<()> {
    let sql =
        "INSERT INTO refresh_tokens (token_hash, session_id, issued_at_ms) VALUES ($1, $2, $3)";
    run(
        conn,
        sql,
        &[token_hash.into(), session_id.into(), now.into()],
    )
    .await
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
) -> Result<Option<RefreshRow>> {
    fetch_optional(
        conn,
        "SELECT r.session_id, s.user_id, r.used_at_ms, s.revoked_at_ms, s.expires_at_ms
         FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
         WHERE r.token_hash = $1",
        &[token_hash.into()],
        |row| {
            let revoked: Option<i64> = row.try_get("revoked_at_ms")?;
            let expires: i64 = row.try_get("expires_at_ms")?;
            Ok(RefreshRow {
                session_id: row.try_get("session_id")?,
                user_id: row.try_get("user_id")?,
                used_at: row.try_get("used_at_ms")?,
                session_live: revoked.is_none() && expires > now,
            })
        },
    )
    .await
}

/// Marks a refresh token used. `false` if another request used it first.
pub async fn use_refresh_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<bool> {
    let sql =
        "UPDATE refresh_tokens SET used_at_ms = $1 WHERE token_hash = $2 AND used_at_ms IS NULL";
    change_one(conn, sql, &[now.into(), token_hash.into()]).await
}

pub async fn insert_email_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &str,
    purpose: &str,
    email: &str,
    expires_at: i64,
) -> Result<()> {
    run(
        conn,
        "INSERT INTO email_tokens (token_hash, user_id, purpose, email, expires_at_ms)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            token_hash.into(),
            user_id.into(),
            purpose.into(),
            email.into(),
            expires_at.into(),
        ],
    )
    .await
}

/// Uses up an emailed token in one statement, so two clicks on one link
/// cannot both succeed. Returns the user and address it was sent to.
pub async fn consume_email_token(
    conn: &mut AnyConnection,
    token_hash: &str,
    purpose: &str,
    now: i64,
) -> Result<Option<(String, String)>> {
    fetch_optional(
        conn,
        "UPDATE email_tokens SET consumed_at_ms = $1
         WHERE token_hash = $2 AND purpose = $3 AND consumed_at_ms IS NULL AND expires_at_ms > $1
         RETURNING user_id, email",
        &[now.into(), token_hash.into(), purpose.into()],
        |row| Ok((row.try_get("user_id")?, row.try_get("email")?)),
    )
    .await
}

/// Spends every emailed link of the user still open: after the address
/// changes, links sent to the old one must not work.
pub async fn consume_email_tokens(conn: &mut AnyConnection, user_id: &str, now: i64) -> Result<()> {
    let sql =
        "UPDATE email_tokens SET consumed_at_ms = $1 WHERE user_id = $2 AND consumed_at_ms IS NULL";
    run(conn, sql, &[now.into(), user_id.into()]).await
}

const ADDRESS_COLUMNS: &str =
    "id, recipient, line1, line2, city, region, postal_code, country, phone";

fn address(row: &AnyRow) -> Result<(String, AddressFieldsV1)> {
    let text = |column: &str| row.try_get::<String, _>(column);
    Ok((
        text("id")?,
        AddressFieldsV1 {
            recipient: text("recipient")?,
            line1: text("line1")?,
            line2: text("line2")?,
            city: text("city")?,
            region: text("region")?,
            postal_code: text("postal_code")?,
            country: text("country")?,
            phone: text("phone")?,
        },
    ))
}

/// An address's fields as statement values, in [`ADDRESS_COLUMNS`] order
/// (without the id).
fn address_params(fields: &AddressFieldsV1) -> [Param<'_>; 8] {
    [
        (&fields.recipient).into(),
        (&fields.line1).into(),
        (&fields.line2).into(),
        (&fields.city).into(),
        (&fields.region).into(),
        (&fields.postal_code).into(),
        (&fields.country).into(),
        (&fields.phone).into(),
    ]
}

/// The user's addresses, oldest first.
pub async fn addresses(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<(String, AddressFieldsV1)>> {
    let sql = format!(
        "SELECT {ADDRESS_COLUMNS} FROM addresses WHERE user_id = $1 ORDER BY created_at_ms, id"
    );
    let rows = query(&sql, &[user_id.into()]).fetch_all(conn).await?;
    rows.iter().map(address).collect()
}

pub async fn count_addresses(conn: &mut AnyConnection, user_id: &str) -> Result<i64> {
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
) -> Result<()> {
    let mut params = vec![id.into(), user_id.into()];
    params.extend(address_params(fields));
    params.push(now.into());
    run(
        conn,
        "INSERT INTO addresses
            (id, user_id, recipient, line1, line2, city, region, postal_code, country, phone,
             created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        &params,
    )
    .await
}

/// `false` if the user has no address `id`.
pub async fn update_address(
    conn: &mut AnyConnection,
    id: &str,
    user_id: &str,
    fields: &AddressFieldsV1,
) -> Result<bool> {
    let mut params = address_params(fields).to_vec();
    params.extend([Param::from(id), user_id.into()]);
    change_one(
        conn,
        "UPDATE addresses SET recipient = $1, line1 = $2, line2 = $3, city = $4, region = $5,
                postal_code = $6, country = $7, phone = $8
         WHERE id = $9 AND user_id = $10",
        &params,
    )
    .await
}

/// `false` if the user has no address `id`.
pub async fn delete_address(conn: &mut AnyConnection, id: &str, user_id: &str) -> Result<bool> {
    let sql = "DELETE FROM addresses WHERE id = $1 AND user_id = $2";
    change_one(conn, sql, &[id.into(), user_id.into()]).await
}
