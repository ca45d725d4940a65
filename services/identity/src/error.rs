use thiserror::Error;

/// What identity's operations can answer. The first group are answers a
/// person gets to see; the rest are failures whose detail is for the logs.
#[derive(Debug, Error)]
pub enum Error {
    /// Wrong email or password, deliberately not saying which.
    #[error("That email and password don't match an account.")]
    InvalidCredentials,
    #[error("Too many attempts. Try again in {} minutes.", retry_after_secs.div_ceil(60))]
    Throttled { retry_after_secs: u64 },
    /// No valid session: missing, expired, revoked or tampered token.
    #[error("Please sign in.")]
    Unauthenticated,
    /// An emailed link that is unknown, used or expired.
    #[error("This link has expired or was already used.")]
    InvalidLink,
    /// No such address in this person's address book.
    #[error("That address isn't in your address book any more.")]
    NoSuchAddress,
    #[error("Your address book is full ({max} addresses). Delete one you no longer use first.")]
    AddressBookFull { max: usize },
    /// The new address got an account of its own before it was confirmed.
    #[error("That email address now belongs to another account.")]
    EmailTaken,
    /// Its own database failed: a query, the connection or a migration.
    #[error("the identity database failed")]
    Store(#[source] platform::db::StoreError),
    #[error("password hashing failed: {0}")]
    Hashing(String),
    #[error("token signing failed")]
    Signing(#[source] jsonwebtoken::errors::Error),
    /// The identity service, reached through its client, could not be
    /// reached or gave an answer that stands for none of the above.
    #[error("could not ask the identity service")]
    Service(#[source] platform::api_client::ClientError),
}

impl Error {
    /// Whether this is our failure rather than an answer for the person.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Self::Store(_) | Self::Hashing(_) | Self::Signing(_) | Self::Service(_)
        )
    }
}

platform::store_failures_convert!(Error);
