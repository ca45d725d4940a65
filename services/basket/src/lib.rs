//! The basket service: guest and member baskets. Built by the Basket,
//! checkout and ordering issue; the crate exists now so the workspace has
//! its final shape.
