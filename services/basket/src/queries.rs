//! A basket as the shopper sees it: each line at today's price with what
//! they must know about it (price changed, only a few left, sold out).

use std::collections::HashMap;

use catalog_api::Sku;
use contracts::basket::{BasketLineV1, BasketV1, LineState};
use contracts::catalog::VariantLineV1;

use crate::store::{Stored, StoredLine};
use crate::{Baskets, Error, Owner};

impl Baskets {
    /// Units in the basket, for the header: no catalog call.
    pub async fn count(&self, owner: &Owner) -> Result<i64, Error> {
        let basket = self.store.load(&owner.key()).await?;
        Ok(basket.lines.iter().map(|l| l.quantity).sum())
    }

    /// The basket priced now. Showing it is telling the shopper: a changed
    /// price is flagged this once and then counts as seen.
    #[tracing::instrument(skip_all)]
    pub async fn view(&self, owner: &Owner) -> Result<BasketV1, Error> {
        let key = owner.key();
        let stored = self.store.load(&key).await?;
        if stored.lines.is_empty() {
            return Ok(BasketV1 {
                key: self.guests.order_key(owner),
                ..BasketV1::default()
            });
        }
        self.store.touch(&key, self.ttl).await?;
        let now = self.prices_now(&stored.lines).await?;
        let mut basket = priced(&stored, &now);
        basket.key = self.guests.order_key(owner);
        if basket
            .lines
            .iter()
            .any(|l| matches!(l.state, LineState::PriceChanged { .. }))
        {
            self.acknowledge(owner, &now).await?;
        }
        Ok(basket)
    }

    /// What the catalog says of these lines now, by SKU (lines no longer
    /// sold are missing).
    pub(crate) async fn prices_now(
        &self,
        lines: &[StoredLine],
    ) -> Result<HashMap<String, VariantLineV1>, Error> {
        let skus: Vec<Sku> = lines
            .iter()
            .filter_map(|l| Sku::parse(&l.sku).ok())
            .collect();
        let now = self.catalog.variant_lines(&skus).await;
        Ok(VariantLineV1::by_sku(now.map_err(Error::Catalog)?))
    }

    /// Records today's prices as seen. Best effort: if the basket changed
    /// meanwhile, the changed lines already carry today's price.
    async fn acknowledge(
        &self,
        owner: &Owner,
        now: &HashMap<String, VariantLineV1>,
    ) -> Result<(), Error> {
        let key = owner.key();
        let mut stored = self.store.load(&key).await?;
        for line in &mut stored.lines {
            if let Some(variant) = now.get(&line.sku) {
                line.seen_price_minor = variant.price_minor;
            }
        }
        self.store.save(&key, &stored, self.ttl).await?;
        Ok(())
    }
}

fn priced(stored: &Stored, now: &HashMap<String, VariantLineV1>) -> BasketV1 {
    let mut basket = BasketV1::default();
    for line in &stored.lines {
        let shown = match now.get(&line.sku) {
            Some(variant) => {
                let state = if variant.available <= 0 {
                    LineState::SoldOut
                } else if variant.available < line.quantity {
                    LineState::OnlyLeft {
                        available: variant.available,
                    }
                } else if variant.price_minor != line.seen_price_minor {
                    LineState::PriceChanged {
                        was_minor: line.seen_price_minor,
                    }
                } else {
                    LineState::Ok
                };
                let buyable = matches!(state, LineState::Ok | LineState::PriceChanged { .. });
                if buyable {
                    basket.count += line.quantity;
                    basket.subtotal_minor += variant.price_minor * line.quantity;
                }
                BasketLineV1 {
                    sku: line.sku.clone(),
                    product_slug: variant.product_slug.clone(),
                    product_name: variant.product_name.clone(),
                    colour: variant.colour.clone(),
                    size: variant.size.clone(),
                    quantity: line.quantity,
                    unit_price_minor: variant.price_minor,
                    line_total_minor: variant.price_minor * line.quantity,
                    state,
                }
            }
            None => BasketLineV1 {
                sku: line.sku.clone(),
                product_slug: String::new(),
                product_name: "No longer sold".into(),
                colour: String::new(),
                size: String::new(),
                quantity: line.quantity,
                unit_price_minor: 0,
                line_total_minor: 0,
                state: LineState::Unavailable,
            },
        };
        basket.lines.push(shown);
    }
    basket
}
