//! The address book: add, edit, delete, and the default shipping address.

use contracts::identity::Principal;
use platform::outbox::now_ms;
use uuid::Uuid;

use crate::store::{self, UserChange};
use crate::{Address, Error, Identity};

impl Identity {
    /// Most people have a handful; the cap keeps one account from filling
    /// the database.
    pub const MAX_ADDRESSES: usize = 20;

    /// Adds an address, or replaces address `id`; returns its id. The first
    /// address becomes the default shipping address whatever `default` says.
    #[tracing::instrument(name = "identity.save_address", skip(self, who, address))]
    pub async fn save_address(
        &self,
        who: &Principal,
        id: Option<&str>,
        address: &Address,
        default: bool,
    ) -> Result<String, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let user = store::user_by_id(&mut tx, &who.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let id = match id {
            Some(id) => {
                if !store::update_address(&mut tx, id, &user.id, address.fields()).await? {
                    return Err(Error::NoSuchAddress);
                }
                id.to_owned()
            }
            None => {
                let count = store::count_addresses(&mut tx, &user.id).await?;
                if count >= Self::MAX_ADDRESSES as i64 {
                    return Err(Error::AddressBookFull {
                        max: Self::MAX_ADDRESSES,
                    });
                }
                let id = Uuid::now_v7().to_string();
                store::insert_address(&mut tx, &id, &user.id, address.fields(), now_ms()).await?;
                id
            }
        };
        if default || user.default_address_id.is_none() {
            store::update_user(&mut tx, &user.id, UserChange::DefaultAddress(Some(&id))).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Deletes an address. If it was the default, the oldest remaining
    /// address (if any) takes its place, so checkout always has one to
    /// offer when the book is not empty.
    #[tracing::instrument(name = "identity.delete_address", skip(self, who))]
    pub async fn delete_address(&self, who: &Principal, id: &str) -> Result<(), Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let user = store::user_by_id(&mut tx, &who.user_id)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !store::delete_address(&mut tx, id, &user.id).await? {
            return Err(Error::NoSuchAddress);
        }
        if user.default_address_id.as_deref() == Some(id) {
            let next = store::addresses(&mut tx, &user.id).await?;
            let next = next.first().map(|(id, _)| id.as_str());
            store::update_user(&mut tx, &user.id, UserChange::DefaultAddress(next)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(name = "identity.set_default_address", skip(self, who))]
    pub async fn set_default_address(&self, who: &Principal, id: &str) -> Result<(), Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let owned = store::addresses(&mut tx, &who.user_id)
            .await?
            .iter()
            .any(|(address_id, _)| address_id == id);
        if !owned {
            return Err(Error::NoSuchAddress);
        }
        let change = UserChange::DefaultAddress(Some(id));
        store::update_user(&mut tx, &who.user_id, change).await?;
        tx.commit().await?;
        Ok(())
    }
}
