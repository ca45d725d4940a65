//! Ordering's configuration, read by ordering from the process's
//! variables; every error names its variable.

use std::net::SocketAddr;
use std::path::Path;

use platform::config::{ConfigError, Vars};
use platform::secret::Secret;

use crate::Terms;

#[derive(Clone, Debug)]
pub struct Settings {
    /// Where `server ordering` (ordering as its own process) listens.
    pub addr: SocketAddr,
    /// `sqlite://…` (default: a file in the data folder) or `postgres://…`.
    pub database_url: Secret<String>,
    /// Delivery prices, VAT, bank details and the transfer deadline.
    pub terms: Terms,
}

impl Settings {
    pub fn from_vars(vars: &Vars<'_>, data_dir: &Path) -> Result<Self, ConfigError> {
        let defaults = Terms::default();
        let number = |name, default: i64, range| {
            vars.bounded(name, &default.to_string(), range)
                .map(|n| n as i64)
        };
        let terms = Terms {
            delivery_minor: number(
                "SURY_DELIVERY_PRICE_MINOR",
                defaults.delivery_minor,
                0..=100_000,
            )?,
            free_delivery_from_minor: number(
                "SURY_FREE_DELIVERY_FROM_MINOR",
                defaults.free_delivery_from_minor,
                0..=100_000_000,
            )?,
            vat_percent: number("SURY_VAT_PERCENT", defaults.vat_percent, 0..=50)?,
            bank_details: vars.get("SURY_BANK_DETAILS", &defaults.bank_details),
            transfer_days: number("SURY_TRANSFER_DAYS", defaults.transfer_days, 1..=60)?,
        };
        Ok(Self {
            addr: vars.socket_addr("SURY_ORDERING_ADDR", "127.0.0.1:3103")?,
            database_url: vars.database_url(
                "SURY_ORDERING_DATABASE_URL",
                data_dir,
                "ordering.db",
            )?,
            terms,
        })
    }
}
