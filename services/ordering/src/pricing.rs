//! What delivery costs and how much of a total is VAT: the shop's terms,
//! set by configuration.

use contracts::ordering::{DeliveryMethod, TermsV1, TotalsV1};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Terms {
    /// Standard delivery, minor units.
    pub delivery_minor: i64,
    /// Standard delivery is free from this subtotal up.
    pub free_delivery_from_minor: i64,
    /// The VAT rate included in every price, in percent.
    pub vat_percent: i64,
    /// Shown with bank-transfer orders: account name, IBAN, …
    pub bank_details: String,
    /// Unpaid bank-transfer orders are cancelled after this many days.
    pub transfer_days: i64,
}

impl Default for Terms {
    fn default() -> Self {
        Self {
            delivery_minor: 395,
            free_delivery_from_minor: 5000,
            vat_percent: 20,
            bank_details: "SURY Ltd · Sort code 00-00-00 · Account 00000000".into(),
            transfer_days: 7,
        }
    }
}

impl Terms {
    pub fn to_v1(&self) -> TermsV1 {
        TermsV1 {
            delivery_minor: self.delivery_minor,
            free_delivery_from_minor: self.free_delivery_from_minor,
            vat_percent: self.vat_percent,
            bank_details: self.bank_details.clone(),
            transfer_days: self.transfer_days,
        }
    }

    pub fn from_v1(terms: TermsV1) -> Self {
        Self {
            delivery_minor: terms.delivery_minor,
            free_delivery_from_minor: terms.free_delivery_from_minor,
            vat_percent: terms.vat_percent,
            bank_details: terms.bank_details,
            transfer_days: terms.transfer_days,
        }
    }

    pub fn delivery_for(&self, subtotal_minor: i64, method: DeliveryMethod) -> i64 {
        match method {
            DeliveryMethod::Pickup => 0,
            DeliveryMethod::Standard if subtotal_minor >= self.free_delivery_from_minor => 0,
            DeliveryMethod::Standard => self.delivery_minor,
        }
    }

    /// The totals of a subtotal delivered by `method`. VAT is the part of
    /// the VAT-inclusive total that is tax, rounded to the nearest minor
    /// unit.
    pub fn totals(&self, subtotal_minor: i64, method: DeliveryMethod) -> TotalsV1 {
        let delivery_minor = self.delivery_for(subtotal_minor, method);
        let total_minor = subtotal_minor + delivery_minor;
        let rate = self.vat_percent;
        let vat_minor = (total_minor * rate * 2 + (100 + rate)) / ((100 + rate) * 2);
        TotalsV1 {
            subtotal_minor,
            delivery_minor,
            total_minor,
            vat_minor,
            vat_percent: rate,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delivery_is_free_over_the_threshold_and_for_pickup() {
        let terms = Terms::default();
        assert_eq!(
            terms.totals(4999, DeliveryMethod::Standard).total_minor,
            4999 + 395
        );
        assert_eq!(
            terms.totals(5000, DeliveryMethod::Standard).delivery_minor,
            0
        );
        assert_eq!(terms.totals(100, DeliveryMethod::Pickup).delivery_minor, 0);
    }

    #[test]
    fn vat_is_the_tax_inside_the_total() {
        let terms = Terms::default();
        // £120.00 at 20% holds £20.00 of VAT; £1.00 holds 16.67p → 17p.
        assert_eq!(terms.totals(12_000, DeliveryMethod::Pickup).vat_minor, 2000);
        assert_eq!(terms.totals(100, DeliveryMethod::Pickup).vat_minor, 17);
        let zero = Terms {
            vat_percent: 0,
            ..Terms::default()
        };
        assert_eq!(zero.totals(999, DeliveryMethod::Pickup).vat_minor, 0);
    }
}
