//! Changes to a basket. Each reads the basket, changes it in memory and
//! writes it back only if nobody wrote in between (else reads again), so
//! concurrent requests from two tabs both count.

use std::time::Duration;

use catalog_api::{Quantity, Sku};
use contracts::catalog::VariantLineV1;

use crate::store::{Stored, StoredLine};
use crate::{Baskets, Error, MAX_LINES, Owner};

/// Tries before giving up on a basket that keeps changing.
const ATTEMPTS: u32 = 8;
/// Orders remembered per basket against redelivered confirmations.
const SETTLED_KEPT: usize = 20;

/// The line's quantity after an add, and whether stock (or the per-line
/// limit) held it below what was asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Added {
    pub quantity: i64,
    pub capped: bool,
}

/// The most of one variant a line may hold now.
fn limit(variant: &VariantLineV1) -> i64 {
    variant.available.clamp(0, Quantity::MAX)
}

impl Baskets {
    /// Reads, applies `change`, writes; again from the top if another
    /// write came first.
    async fn update<T>(
        &self,
        owner: &Owner,
        mut change: impl FnMut(&mut Stored) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let key = owner.key();
        for attempt in 0..ATTEMPTS {
            let mut basket = self.store.load(&key).await?;
            let answer = change(&mut basket)?;
            if self.store.save(&key, &basket, self.ttl).await? {
                return Ok(answer);
            }
            tokio::time::sleep(Duration::from_millis(5 << attempt.min(5))).await;
        }
        Err(Error::Contended)
    }

    async fn variant(&self, sku: &Sku) -> Result<VariantLineV1, Error> {
        self.catalog
            .variant_lines(std::slice::from_ref(sku))
            .await
            .map_err(Error::Catalog)?
            .into_iter()
            .next()
            .ok_or(Error::UnknownVariant)
    }

    /// Adds `quantity` of `sku`, up to what is in stock.
    #[tracing::instrument(skip_all, fields(sku = %sku))]
    pub async fn add(&self, owner: &Owner, sku: &Sku, quantity: Quantity) -> Result<Added, Error> {
        let variant = self.variant(sku).await?;
        let limit = limit(&variant);
        if limit == 0 {
            return Err(Error::SoldOut);
        }
        self.update(owner, |basket| {
            let wanted = match basket.lines.iter().find(|l| l.sku == variant.sku) {
                Some(line) => line.quantity + quantity.get(),
                None if basket.lines.len() >= MAX_LINES => {
                    return Err(Error::BasketFull { max: MAX_LINES });
                }
                None => quantity.get(),
            };
            let quantity = wanted.min(limit);
            put(basket, &variant, quantity);
            Ok(Added {
                quantity,
                capped: quantity < wanted,
            })
        })
        .await
    }

    /// Sets a line to `quantity`, up to what is in stock; adds it if absent.
    #[tracing::instrument(skip_all, fields(sku = %sku))]
    pub async fn set_quantity(
        &self,
        owner: &Owner,
        sku: &Sku,
        quantity: Quantity,
    ) -> Result<Added, Error> {
        let variant = self.variant(sku).await?;
        let limit = limit(&variant);
        if limit == 0 {
            return Err(Error::SoldOut);
        }
        self.update(owner, |basket| {
            let present = basket.lines.iter().any(|l| l.sku == variant.sku);
            if !present && basket.lines.len() >= MAX_LINES {
                return Err(Error::BasketFull { max: MAX_LINES });
            }
            let kept = quantity.get().min(limit);
            put(basket, &variant, kept);
            Ok(Added {
                quantity: kept,
                capped: kept < quantity.get(),
            })
        })
        .await
    }

    /// Takes a line out. Taking out a line that is not there is no error
    /// (the shopper clicked twice).
    #[tracing::instrument(skip_all, fields(sku = %sku))]
    pub async fn remove(&self, owner: &Owner, sku: &Sku) -> Result<(), Error> {
        self.update(owner, |basket| {
            basket.lines.retain(|l| l.sku != sku.as_str());
            Ok(())
        })
        .await
    }

    /// Moves a guest's basket into a member's on sign-in: quantities add
    /// up, each capped by what is in stock; lines no longer sold stay
    /// behind. The guest basket is emptied.
    #[tracing::instrument(skip_all)]
    pub async fn merge(&self, guest: &Owner, member: &Owner) -> Result<(), Error> {
        let from = self.store.load(&guest.key()).await?;
        if from.lines.is_empty() || guest == member {
            return Ok(());
        }
        let now = self.prices_now(&from.lines).await?;
        self.update(member, |basket| {
            for line in &from.lines {
                let Some(variant) = now.get(&line.sku) else {
                    continue;
                };
                let present = basket.lines.iter().find(|l| l.sku == line.sku);
                if present.is_none() && basket.lines.len() >= MAX_LINES {
                    continue;
                }
                let wanted = present.map_or(0, |l| l.quantity) + line.quantity;
                let quantity = wanted.min(limit(variant));
                if quantity > 0 {
                    put(basket, variant, quantity);
                }
            }
            Ok(())
        })
        .await?;
        // Merged first, emptied second: a crash in between can at worst
        // merge the same lines again, still capped by stock; never lose them.
        self.update(guest, |basket| {
            basket.lines.clear();
            Ok(())
        })
        .await
    }

    /// Takes an order's lines out of the basket it came from, once per
    /// order however often the confirmation arrives. Lines added since
    /// checkout stay.
    #[tracing::instrument(skip_all, fields(order = order_id))]
    pub async fn settle_order(
        &self,
        owner: &Owner,
        order_id: &str,
        ordered: &[(String, i64)],
    ) -> Result<(), Error> {
        self.update(owner, |basket| {
            if basket.settled_orders.iter().any(|o| o == order_id) {
                return Ok(());
            }
            for (sku, quantity) in ordered {
                if let Some(line) = basket.lines.iter_mut().find(|l| &l.sku == sku) {
                    line.quantity -= quantity;
                }
            }
            basket.lines.retain(|l| l.quantity > 0);
            basket.settled_orders.push(order_id.to_owned());
            let excess = basket.settled_orders.len().saturating_sub(SETTLED_KEPT);
            basket.settled_orders.drain(..excess);
            Ok(())
        })
        .await
    }
}

/// Sets the line for `variant` to `quantity` at today's price, keeping its
/// place in the basket.
fn put(basket: &mut Stored, variant: &VariantLineV1, quantity: i64) {
    match basket.lines.iter_mut().find(|l| l.sku == variant.sku) {
        Some(line) => {
            line.quantity = quantity;
            line.seen_price_minor = variant.price_minor;
        }
        None => basket.lines.push(StoredLine {
            sku: variant.sku.clone(),
            quantity,
            seen_price_minor: variant.price_minor,
        }),
    }
}
