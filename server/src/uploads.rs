//! Staff upload product pictures here: a multipart form post (the page's
//! plain form without JavaScript; the progress bar's request with it) that
//! the storefront hands to the catalog with the staff member's token. A
//! form post is answered with a redirect to the product's page and a flash;
//! a request that asks for JSON gets the same outcome as JSON.

use std::collections::BTreeMap;

use app::session::Flash;
use app::session::server::{AccessToken, CookiePolicy, CurrentUser, flash_cookie};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Json};
use catalog::{CatalogClient, Slug};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Serialize;

/// The flash form of the upload, on the product's staff page.
const FORM: &str = "admin-product/images";

#[derive(Clone)]
pub struct UploadState {
    pub catalog: CatalogClient,
    pub cookies: CookiePolicy,
    pub max_upload_bytes: usize,
}

/// What a script is told (always with 200: a refusal is an answer the
/// page shows, not a failed request); a form gets the same as a flash.
#[derive(Serialize)]
struct Outcome {
    added: bool,
    notice: Option<String>,
    errors: BTreeMap<String, String>,
}

/// The fields of the form; the file as sent.
#[derive(Default)]
struct Fields {
    colour: String,
    alt: String,
    file: Vec<u8>,
}

async fn read_fields(mut multipart: Multipart, max: usize) -> Result<Fields, String> {
    let mut fields = Fields::default();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| "The upload was cut off or malformed; try again.".to_owned())?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let bytes = field
            .bytes()
            .await
            .map_err(|_| format!("The upload is over {}.", catalog::megabytes(max)))?;
        match name.as_str() {
            "colour" => fields.colour = String::from_utf8_lossy(&bytes).into_owned(),
            "alt" => fields.alt = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => fields.file = bytes.to_vec(),
            _ => {}
        }
    }
    Ok(fields)
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

pub async fn add_image(
    State(state): State<UploadState>,
    Path(slug): Path<String>,
    Extension(CurrentUser(who)): Extension<CurrentUser>,
    token: Option<Extension<AccessToken>>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let page = format!("/admin/products/{}", platform::url_encode(&slug));
    let Some(who) = who else {
        let next = platform::url_encode(&page);
        return Redirect::to(&format!("/account/sign-in?next={next}")).into_response();
    };
    if who.role < contracts::identity::Role::Staff {
        return (StatusCode::FORBIDDEN, "This is for shop staff only.").into_response();
    }
    let Ok(parsed_slug) = Slug::parse(&slug) else {
        return (StatusCode::NOT_FOUND, "No such product.").into_response();
    };
    let fields = match multipart {
        Ok(multipart) => read_fields(multipart, state.max_upload_bytes).await,
        Err(_) => Err("Send the picture from the upload form.".to_owned()),
    };
    let mut kept = Fields::default();
    let result = match (fields, token) {
        (Err(message), _) => Err(BTreeMap::from([("file".to_owned(), message)])),
        (Ok(_), None) => Err(BTreeMap::from([(
            "form".to_owned(),
            "Your session was just renewed: please send the picture again.".to_owned(),
        )])),
        (Ok(fields), _) if fields.file.len() > state.max_upload_bytes => {
            kept.colour = fields.colour;
            kept.alt = fields.alt;
            Err(BTreeMap::from([(
                "file".to_owned(),
                format!(
                    "The file is {}; pictures can be at most {}.",
                    catalog::megabytes(fields.file.len()),
                    catalog::megabytes(state.max_upload_bytes)
                ),
            )]))
        }
        (Ok(fields), Some(Extension(AccessToken(token)))) => {
            kept.colour = fields.colour.clone();
            kept.alt = fields.alt.clone();
            match state
                .catalog
                .add_image(
                    &token,
                    &parsed_slug,
                    &fields.colour,
                    &fields.alt,
                    fields.file,
                )
                .await
            {
                Ok(_) => Ok(()),
                Err(err) => err.form_errors().map_or_else(
                    || {
                        tracing::error!(error = %platform::error_chain(&err), "adding a picture");
                        Err(BTreeMap::from([(
                            "form".to_owned(),
                            "The picture could not be saved just now; try again in a moment."
                                .to_owned(),
                        )]))
                    },
                    Err,
                ),
            }
        }
    };
    let outcome = match result {
        Ok(()) => Outcome {
            added: true,
            notice: Some("Picture added.".into()),
            errors: BTreeMap::new(),
        },
        Err(errors) => Outcome {
            added: false,
            notice: None,
            errors,
        },
    };
    if wants_json(&headers) {
        return Json(outcome).into_response();
    }
    let flash = Flash {
        form: FORM.into(),
        values: BTreeMap::from([("colour".into(), kept.colour), ("alt".into(), kept.alt)]),
        errors: outcome.errors,
        notice: outcome.notice,
    };
    let mut response = Redirect::to(&page).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&flash_cookie(state.cookies, &flash)) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}
