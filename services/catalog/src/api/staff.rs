//! What staff do: products, stock, prices, pictures, categories and
//! collections. Every handler takes [`Staff`]: a staff member's token.

use super::*;

pub(super) fn sku_of(raw: &str) -> Result<Sku, Failure> {
    Sku::parse(raw).map_err(|_| Failure::NotFound(format!("No variant has the SKU {raw:?}.")))
}

/// `?q=` words of the name or address, `?status=` draft, active or
/// archived (both optional).
pub(super) async fn staff_products(
    State(catalog): State<Catalog>,
    _staff: Staff,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<impl IntoResponse, Failure> {
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let words = params.get("q").map(String::as_str).unwrap_or_default();
    if words.chars().count() > 100 {
        return Err(Failure::BadRequest(
            "Search with at most 100 characters.".into(),
        ));
    }
    let status = match params.get("status").map(String::as_str).unwrap_or_default() {
        "" => None,
        raw => Some(crate::Status::parse(raw).ok_or_else(|| {
            Failure::BadRequest("status: choose draft, active or archived.".into())
        })?),
    };
    answer(
        catalog.staff_products(words, status).await,
        "listing products for staff",
    )
}

/// Variants with 3 or fewer left to sell.
pub(super) async fn low_stock(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    answer(catalog.low_stock(3).await, "listing low stock")
}

pub(super) async fn staff_product(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let find = async |slug: Slug| catalog.staff_product(&slug).await;
    named("product", &slug, find, "loading a product for staff").await
}

pub(super) async fn adjust_stock(
    State(catalog): State<Catalog>,
    staff: Staff,
    Path(sku): Path<String>,
    JsonBody(change): JsonBody<StockChangeV1>,
) -> Result<impl IntoResponse, Failure> {
    let actor = staff.actor();
    let sku = sku_of(&sku)?;
    let reason =
        StockReason::parse(&change.reason).map_err(|e| Failure::BadRequest(e.to_string()))?;
    if change.delta == 0 || change.delta.abs() > 100_000 {
        return Err(Failure::BadRequest(
            "Give a change of stock from -100000 to 100000, not 0.".into(),
        ));
    }
    match catalog
        .adjust_stock(&sku, change.delta, &reason, &actor)
        .await
    {
        Ok(level) => Ok(Json(level)),
        Err(err @ crate::Error::InsufficientStock { .. }) => Err(Failure::Refused(err.to_string())),
        Err(err @ crate::Error::UnknownSku(_)) => Err(Failure::NotFound(err.to_string())),
        Err(err) => Err(internal("adjusting stock")(err)),
    }
}

pub(super) async fn stock_history(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(sku): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let sku = sku_of(&sku)?;
    answer(catalog.stock_history(&sku).await, "reading stock history")
}

pub(super) async fn set_price(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(sku): Path<String>,
    JsonBody(price): JsonBody<PriceV1>,
) -> Result<impl IntoResponse, Failure> {
    let sku = sku_of(&sku)?;
    let mut fields = crate::FieldErrors::new();
    let money = Money::from_minor(price.price_minor)
        .map_err(|e| fields.insert("price".into(), e.to_string()))
        .ok();
    let was = match price.compare_at_minor.map(Money::from_minor) {
        None => None,
        Some(Ok(was)) if money.is_none_or(|m| was > m) => Some(was),
        Some(Ok(_)) => {
            fields.insert(
                "compare_at".into(),
                "The price before the sale must be above the price; leave it empty when not on sale.".into(),
            );
            None
        }
        Some(Err(e)) => {
            fields.insert("compare_at".into(), e.to_string());
            None
        }
    };
    let Some(money) = money.filter(|_| fields.is_empty()) else {
        return Err(Failure::Fields(fields));
    };
    let found = catalog
        .set_sale_price(&sku, money, was)
        .await
        .map_err(internal("setting a price"))?;
    if !found {
        return Err(Failure::NotFound(format!(
            "No variant has the SKU {}.",
            sku.as_str()
        )));
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn set_barcode(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(sku): Path<String>,
    JsonBody(raw): JsonBody<BarcodeV1>,
) -> Result<impl IntoResponse, Failure> {
    let sku = sku_of(&sku)?;
    let field = |message: String| {
        Failure::Fields(crate::FieldErrors::from([("barcode".to_owned(), message)]))
    };
    let barcode = match raw.barcode.trim() {
        "" => None,
        typed => Some(crate::Barcode::parse(typed).map_err(|e| field(e.to_string()))?),
    };
    match catalog.set_barcode(&sku, barcode.as_ref()).await {
        Ok(true) => Ok(StatusCode::NO_CONTENT),
        Ok(false) => Err(Failure::NotFound(format!(
            "No variant has the SKU {}.",
            sku.as_str()
        ))),
        Err(err @ crate::Error::BarcodeTaken(_)) => Err(field(err.to_string())),
        Err(err) => Err(internal("setting a barcode")(err)),
    }
}

pub(super) async fn brands(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    answer(catalog.brands().await, "listing brands")
}

pub(super) async fn staff_categories(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    answer(
        catalog.staff_categories().await,
        "listing categories for staff",
    )
}

pub(super) async fn create_category(
    State(catalog): State<Catalog>,
    _staff: Staff,
    JsonBody(raw): JsonBody<CategoryDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let details = crate::CategoryDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .create_category(&details)
        .await
        .map_err(edit_failure("creating a category"))?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "slug": details.slug().as_str() })),
    ))
}

pub(super) async fn update_category(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(mut raw): JsonBody<CategoryDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such category.".into()))?;
    // The address and place stay: links and products keep pointing at it.
    raw.slug = slug.as_str().to_owned();
    raw.parent.clear();
    let details = crate::CategoryDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .update_category(&slug, &details)
        .await
        .map_err(edit_failure("updating a category"))?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) async fn staff_collections(
    State(catalog): State<Catalog>,
    _staff: Staff,
) -> Result<impl IntoResponse, Failure> {
    answer(
        catalog.staff_collections().await,
        "listing collections for staff",
    )
}

pub(super) fn collection_slug(raw: &str) -> Result<Slug, Failure> {
    Slug::parse(raw).map_err(|_| Failure::NotFound("No such collection.".into()))
}

/// The collection as staff now see it.
pub(super) async fn collection_view(
    catalog: &Catalog,
    slug: &Slug,
) -> Result<Json<contracts::catalog::StaffCollectionV1>, Failure> {
    catalog
        .staff_collection(slug)
        .await
        .map_err(internal("loading a collection for staff"))?
        .map(Json)
        .ok_or_else(|| Failure::NotFound("No such collection.".into()))
}

pub(super) async fn staff_collection(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    collection_view(&catalog, &collection_slug(&slug)?).await
}

pub(super) async fn create_collection(
    State(catalog): State<Catalog>,
    _staff: Staff,
    JsonBody(raw): JsonBody<CollectionDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let details = crate::CollectionDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .create_collection(&details)
        .await
        .map_err(edit_failure("creating a collection"))?;
    Ok((
        StatusCode::CREATED,
        collection_view(&catalog, details.slug()).await?,
    ))
}

pub(super) async fn update_collection(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(mut raw): JsonBody<CollectionDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    // The address stays: links to the collection keep working.
    raw.slug = slug.as_str().to_owned();
    let details = crate::CollectionDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .update_collection(&slug, &details)
        .await
        .map_err(edit_failure("updating a collection"))?;
    collection_view(&catalog, &slug).await
}

pub(super) async fn shelve(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(raw): JsonBody<ShelveV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    catalog
        .shelve(&slug, &raw.product)
        .await
        .map_err(edit_failure("adding to a collection"))?;
    collection_view(&catalog, &slug).await
}

pub(super) async fn unshelve(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path((slug, product)): Path<(String, String)>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    let not_on_it = || Failure::NotFound("That product is not in this collection.".into());
    let product = Slug::parse(&product).map_err(|_| not_on_it())?;
    let removed = catalog
        .unshelve(&slug, &product)
        .await
        .map_err(internal("removing from a collection"))?;
    if !removed {
        return Err(not_on_it());
    }
    collection_view(&catalog, &slug).await
}

pub(super) async fn move_earlier(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path((slug, product)): Path<(String, String)>,
) -> Result<impl IntoResponse, Failure> {
    let slug = collection_slug(&slug)?;
    let product = Slug::parse(&product)
        .map_err(|_| Failure::NotFound("That product is not in this collection.".into()))?;
    // Already first (or gone): nothing to move, and nothing wrong.
    catalog
        .move_earlier(&slug, &product)
        .await
        .map_err(internal("reordering a collection"))?;
    collection_view(&catalog, &slug).await
}

pub(super) fn edit_failure(context: &'static str) -> impl FnOnce(crate::EditError) -> Failure {
    move |err| match err {
        crate::EditError::Fields(fields) => Failure::Fields(fields),
        crate::EditError::NoSuchProduct => Failure::NotFound("No such product.".into()),
        crate::EditError::Refused(message) => Failure::Refused(message),
        crate::EditError::Failed(err) => internal(context)(err),
    }
}

/// The product as staff now see it, after a change to it.
pub(super) async fn staff_view(
    catalog: &Catalog,
    slug: &Slug,
) -> Result<Json<contracts::catalog::StaffProductV1>, Failure> {
    catalog
        .staff_product(slug)
        .await
        .map_err(internal("loading a product for staff"))?
        .map(Json)
        .ok_or_else(|| Failure::NotFound("No such product.".into()))
}

pub(super) async fn create_product(
    State(catalog): State<Catalog>,
    _staff: Staff,
    JsonBody(raw): JsonBody<NewProductV1>,
) -> Result<impl IntoResponse, Failure> {
    let draft = crate::ProductDraft::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .create_product(&draft)
        .await
        .map_err(edit_failure("creating a product"))?;
    Ok((
        StatusCode::CREATED,
        staff_view(&catalog, draft.slug()).await?,
    ))
}

pub(super) async fn update_product(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(raw): JsonBody<ProductDetailsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such product.".into()))?;
    let details = crate::ProductDetails::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .update_product(&slug, &details)
        .await
        .map_err(edit_failure("updating a product"))?;
    staff_view(&catalog, &slug).await
}

pub(super) async fn add_variants(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    JsonBody(raw): JsonBody<NewVariantsV1>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such product.".into()))?;
    let grid = crate::VariantGrid::parse(&raw).map_err(Failure::Fields)?;
    catalog
        .add_variants(&slug, &grid)
        .await
        .map_err(edit_failure("adding variants"))?;
    staff_view(&catalog, &slug).await
}

/// `?colour=…&alt=…`, the picture as the body (any declared type: what
/// it is is read from its bytes).
pub(super) async fn add_image(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(slug): Path<String>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Result<impl IntoResponse, Failure> {
    let slug = Slug::parse(&slug).map_err(|_| Failure::NotFound("No such product.".into()))?;
    let Query(params) = query.map_err(|e| Failure::BadRequest(e.body_text()))?;
    let limit = catalog.max_upload_bytes();
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            Failure::TooLarge(crate::FieldErrors::from([(
                "file".to_owned(),
                format!("Pictures can be at most {}.", crate::megabytes(limit)),
            )]))
        } else {
            Failure::BadRequest(e.body_text())
        }
    })?;
    let text = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let upload = crate::ImageUpload::parse(text("colour"), text("alt"), bytes.to_vec(), limit)
        .map_err(Failure::Fields)?;
    let image = catalog
        .add_image(&slug, upload)
        .await
        .map_err(edit_failure("adding a picture"))?;
    Ok((StatusCode::CREATED, Json(image)))
}

pub(super) async fn delete_image(
    State(catalog): State<Catalog>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, Failure> {
    let found = catalog
        .delete_image(&id)
        .await
        .map_err(internal("deleting a picture"))?;
    if found {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(Failure::NotFound("No such picture.".into()))
    }
}
