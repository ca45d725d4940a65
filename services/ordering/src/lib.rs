//! The ordering service: checkout, the order saga and order history. Built
//! by the Basket, checkout and ordering issue; the crate exists now so the
//! workspace has its final shape.
