//! Staff add pictures to products through the catalog API: each upload is
//! judged by its bytes, resized into WebP and JPEG widths and kept in the
//! media store (a folder, or a real S3-compatible server with links
//! through a CDN address); shoppers' product pages and listing cards get
//! `srcset`s. Bad uploads are refused with a message for the file field and
//! change nothing.

use std::io::Cursor;
use std::sync::Arc;

use catalog::{Catalog, CatalogClient, Media};
use catalog_api::Error;
use contracts::identity::Role;
use image::{ImageFormat, RgbImage};
use platform::blob::{BlobStore, LocalBlobStore, S3BlobStore};
use support::auth::{Keys, keys, token};
use support::fixtures::{add_published, rain_jacket, slug};
use support::serving::{open_with, serve};

use crate::support;

const LIMIT: usize = 300_000;

/// A photo-like picture (a gradient), encoded as `format`.
fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 120])
    });
    let mut bytes = Vec::new();
    pixels
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// What kind of refusal `err` is, and the fields it names.
fn refusal(err: Error) -> (&'static str, Vec<String>) {
    match err {
        Error::Fields(fields) => ("fields", fields.into_keys().collect()),
        Error::TooLarge(fields) => ("too large", fields.into_keys().collect()),
        Error::Forbidden => ("forbidden", Vec::new()),
        Error::NotFound(_) => ("not found", Vec::new()),
        other => panic!("{other:?}"),
    }
}

/// A published raincoat in Yellow and Navy, served over HTTP.
async fn shop(
    store: Arc<dyn BlobStore>,
    keys: &Keys,
) -> (Catalog, CatalogClient, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = open_with(dir.path(), keys).await.with_media(Media {
        store,
        max_upload_bytes: LIMIT,
    });
    let colours = [
        ("JKT-YEL-104", "Yellow", "104"),
        ("JKT-NVY-104", "Navy", "104"),
    ];
    add_published(&catalog, &rain_jacket(&colours)).await;
    let url = serve(catalog::api::router(catalog.clone())).await;
    let client = CatalogClient::remote(&url);
    (catalog, client, dir)
}

#[tokio::test]
async fn uploads_are_judged_by_their_bytes_resized_and_shown() {
    let keys = keys();
    let media = tempfile::tempdir().unwrap();
    let store: Arc<dyn BlobStore> = Arc::new(LocalBlobStore::new(media.path(), "/media"));
    let (_catalog, client, _dir) = shop(store, &keys).await;
    let staff = token(&keys, "ann", Role::Staff);
    let customer = token(&keys, "bo", Role::Customer);
    let jacket = slug("rain-jacket");
    let photo = picture(900, 1200, ImageFormat::Png);

    let refused = client
        .add_image(
            &customer,
            &jacket,
            "Yellow",
            "A yellow raincoat",
            photo.clone(),
        )
        .await
        .unwrap_err();
    assert_eq!(refusal(refused).0, "forbidden");

    // Each upload is refused, and the refusal names the field at fault.
    // Not pictures, whatever they would be called (an HTML page, a text
    // file, a JPEG header with nothing behind it), and too many bytes:
    let yellow =
        |bytes: Vec<u8>, kind: &'static str| ("Yellow", "A yellow raincoat", bytes, kind, "file");
    for (colour, alt, bytes, kind, field) in [
        yellow(b"<html><script>alert(1)</script></html>".to_vec(), "fields"),
        yellow(b"just some text".to_vec(), "fields"),
        yellow(vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 0, 0, 0], "fields"),
        yellow(vec![0xFFu8; LIMIT + 1], "too large"),
        // No words for the picture; a colour the product does not come in.
        ("Purple", " ", photo.clone(), "fields", "alt"),
        (
            "Purple",
            "A purple raincoat",
            photo.clone(),
            "fields",
            "colour",
        ),
    ] {
        let refused = client
            .add_image(&staff, &jacket, colour, alt, bytes)
            .await
            .unwrap_err();
        let expected = (kind, vec![field.to_owned()]);
        assert_eq!(refusal(refused), expected, "{colour}, {alt:?}");
    }
    assert_eq!(
        std::fs::read_dir(media.path()).unwrap().count(),
        0,
        "nothing kept"
    );
    assert!(
        client
            .product(&jacket)
            .await
            .unwrap()
            .unwrap()
            .images
            .is_empty()
    );

    // A WebP and a JPEG are pictures too; the PNG is the first.
    let image = client
        .add_image(&staff, &jacket, "Yellow", "The raincoat, hood up", photo)
        .await
        .unwrap();
    for (alt, bytes) in [
        ("The navy raincoat", picture(400, 500, ImageFormat::WebP)),
        ("Its lining", picture(700, 700, ImageFormat::Jpeg)),
    ] {
        client
            .add_image(&staff, &jacket, "Navy", alt, bytes)
            .await
            .unwrap();
    }
    assert_eq!((image.width, image.height), (640, 853));
    assert!(
        image.src.starts_with("/media/products/") && image.src.ends_with("-640.jpg"),
        "{}",
        image.src
    );
    assert!(
        image.webp_srcset.contains("-320.webp 320w, /media/"),
        "{}",
        image.webp_srcset
    );
    assert!(
        image.webp_srcset.ends_with("-640.webp 640w"),
        "{}",
        image.webp_srcset
    );
    for (url, mime) in [
        (image.src.clone(), "image/jpeg"),
        (
            image.webp_srcset.split(' ').next().unwrap().to_owned(),
            "image/webp",
        ),
    ] {
        let file = media.path().join(url.trim_start_matches("/media/"));
        let bytes = std::fs::read(&file).unwrap();
        let format = image::guess_format(&bytes).unwrap();
        assert_eq!(format.to_mime_type(), mime, "{url}");
    }

    let page = client.product(&jacket).await.unwrap().unwrap();
    let shown: Vec<(&str, &str)> = page
        .images
        .iter()
        .map(|i| (i.colour.as_str(), i.alt.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("Yellow", "The raincoat, hood up"),
            ("Navy", "The navy raincoat"),
            ("Navy", "Its lining")
        ]
    );
    // 400 px wide: only the 320 width is made, nothing is enlarged.
    assert!(
        page.images[1].webp_srcset.ends_with("-320.webp 320w"),
        "{}",
        page.images[1].webp_srcset
    );
    let listing = client
        .listing(&slug("kids-outerwear"), &catalog::ListingQuery::default())
        .await
        .unwrap();
    assert_eq!(
        listing.cards[0].image.as_ref().map(|i| i.id.as_str()),
        Some(image.id.as_str())
    );

    client.delete_image(&staff, &image.id).await.unwrap();
    let gone = client.delete_image(&staff, &image.id).await.unwrap_err();
    assert_eq!(refusal(gone).0, "not found");
    let page = client.product(&jacket).await.unwrap().unwrap();
    assert_eq!(page.images.len(), 2);
    assert!(
        !media
            .path()
            .join(image.src.trim_start_matches("/media/"))
            .exists(),
        "its files went too"
    );
}

#[tokio::test]
async fn pictures_kept_in_s3_are_linked_through_the_cdn() {
    let keys = keys();
    let s3 = platform::blob::testing::start_s3();
    let s3_store = S3BlobStore::new(&s3.config(Some("https://d111.cloudfront.example")));
    s3_store.ensure_bucket().await.unwrap();
    let store: Arc<dyn BlobStore> = Arc::new(s3_store);
    let (_catalog, client, _dir) = shop(store.clone(), &keys).await;
    let jacket = slug("rain-jacket");
    let image = client
        .add_image(
            &token(&keys, "ann", Role::Staff),
            &jacket,
            "Yellow",
            "The raincoat",
            picture(1400, 1000, ImageFormat::Jpeg),
        )
        .await
        .unwrap();
    assert!(
        image
            .src
            .starts_with("https://d111.cloudfront.example/products/"),
        "{}",
        image.src
    );
    assert!(
        image.jpeg_srcset.ends_with("-1280.jpg 1280w"),
        "{}",
        image.jpeg_srcset
    );
    // The object behind the CDN link is in the bucket, as a WebP.
    let webp_url = image
        .webp_srcset
        .split(", ")
        .last()
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    let key = webp_url.trim_start_matches("https://d111.cloudfront.example/");
    let bytes = store.get(key).await.unwrap();
    assert_eq!(image::guess_format(&bytes).unwrap(), ImageFormat::WebP);
}
