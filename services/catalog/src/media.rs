//! Product pictures. An upload is checked by what its bytes are, never by
//! its name or declared type, decoded within size limits, and made into
//! the widths shoppers' screens need, as WebP and as JPEG for browsers
//! without WebP. Files go through the blob store (a folder served at
//! `/media`, or S3 behind a CDN); their public links are made when read, so
//! moving to a CDN needs no rewrite. The demo catalog's pictures are
//! drawings (SVG), made here.

use std::io::Cursor;
use std::sync::Arc;

use contracts::catalog::ImageV1;
use image::{ImageFormat, ImageReader, Limits, RgbImage, imageops};
use platform::blob::BlobStore;
use platform::outbox::now_ms;
use sqlx::{AnyConnection, Row};

use crate::editing::{EditError, FieldErrors};
use crate::inventory::{ProductOf, product_changed};
use crate::{Catalog, Error, Slug};

/// The widths made of every upload (no wider than the original).
pub const WIDTHS: [u32; 3] = [320, 640, 1280];
/// Smaller pictures look poor on any phone.
const MIN_SIDE: u32 = 200;
/// Larger ones are a camera's raw output or a decompression bomb.
const MAX_SIDE: u32 = 8000;
const MAX_ALT: usize = 200;
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 78.0;

/// Where pictures are kept and how big an upload may be.
#[derive(Clone)]
pub struct Media {
    pub store: Arc<dyn BlobStore>,
    pub max_upload_bytes: usize,
}

impl std::fmt::Debug for Media {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Media")
            .field("max_upload_bytes", &self.max_upload_bytes)
            .finish_non_exhaustive()
    }
}

/// What the bytes of an upload are, by their first bytes.
fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(ImageFormat::Png)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// One file made of an upload.
struct Rendition {
    key: String,
    mime: &'static str,
    bytes: Vec<u8>,
}

struct Rendered {
    width: u32,
    height: u32,
    widths: Vec<u32>,
    files: Vec<Rendition>,
}

/// Decodes and resizes; CPU work, run off the async threads. The error is
/// the message for staff.
fn render(bytes: &[u8], format: ImageFormat, key_base: &str) -> Result<Rendered, String> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => {
            format!("The picture is too large: at most {MAX_SIDE} × {MAX_SIDE} pixels.")
        }
        _ => "The file could not be read as a picture; it may be damaged.".to_owned(),
    })?;
    let (width, height) = (decoded.width(), decoded.height());
    if width < MIN_SIDE || height < MIN_SIDE {
        return Err(format!(
            "The picture is {width} × {height} pixels; it needs at least {MIN_SIDE} on each side."
        ));
    }
    // Transparent parts (PNG, WebP) show as white, like the shop's pages.
    let rgba = decoded.to_rgba8();
    let flat = RgbImage::from_fn(width, height, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    });
    let mut widths: Vec<u32> = WIDTHS.iter().copied().filter(|w| *w <= width).collect();
    if widths.is_empty() {
        widths.push(width);
    }
    let mut files = Vec::new();
    for &w in &widths {
        let h = ((height as u64 * w as u64) / width as u64).max(1) as u32;
        let resized = if w == width {
            flat.clone()
        } else {
            imageops::resize(&flat, w, h, imageops::FilterType::Triangle)
        };
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
            .encode_image(&resized)
            .map_err(|_| "The picture could not be converted.".to_owned())?;
        let webp = webp::Encoder::from_rgb(resized.as_raw(), w, h)
            .encode(WEBP_QUALITY)
            .to_vec();
        files.push(Rendition {
            key: format!("{key_base}-{w}.jpg"),
            mime: "image/jpeg",
            bytes: jpeg,
        });
        files.push(Rendition {
            key: format!("{key_base}-{w}.webp"),
            mime: "image/webp",
            bytes: webp,
        });
    }
    Ok(Rendered {
        width: widths[widths.len() - 1],
        height: ((height as u64 * widths[widths.len() - 1] as u64) / width as u64) as u32,
        widths,
        files,
    })
}

/// A picture a staff member sends, checked.
#[derive(Debug)]
pub struct ImageUpload {
    colour: String,
    alt: String,
    bytes: Vec<u8>,
    format: ImageFormat,
}

impl ImageUpload {
    /// Every problem at once, by field: `colour`, `alt`, `file`.
    pub fn parse(
        colour: &str,
        alt: &str,
        bytes: Vec<u8>,
        max_bytes: usize,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let colour = colour.trim().to_owned();
        if colour.is_empty() {
            errors.insert(
                "colour".into(),
                "Choose the colour the picture shows.".into(),
            );
        }
        let alt = alt.split_whitespace().collect::<Vec<_>>().join(" ");
        if alt.is_empty() || alt.chars().count() > MAX_ALT {
            errors.insert(
                "alt".into(),
                format!("Describe what the picture shows in 1 to {MAX_ALT} characters, for people who cannot see it."),
            );
        }
        let format = if bytes.is_empty() {
            errors.insert("file".into(), "Choose a picture to upload.".into());
            None
        } else if bytes.len() > max_bytes {
            errors.insert(
                "file".into(),
                format!(
                    "The file is {}; pictures can be at most {}.",
                    megabytes(bytes.len()),
                    megabytes(max_bytes)
                ),
            );
            None
        } else {
            let format = sniff(&bytes);
            if format.is_none() {
                errors.insert(
                    "file".into(),
                    "That file is not a JPEG, PNG or WebP picture (whatever its name says).".into(),
                );
            }
            format
        };
        if errors.is_empty() {
            Ok(Self {
                colour,
                alt,
                bytes,
                format: format.expect("checked"),
            })
        } else {
            Err(errors)
        }
    }
}

pub fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The stored row of a picture, turned into links.
fn image_of(row: &sqlx::any::AnyRow, store: &dyn BlobStore) -> Result<ImageV1, sqlx::Error> {
    let key: String = row.try_get("key_base")?;
    let widths: String = row.try_get("widths")?;
    let widths: Vec<u32> = widths.split(',').filter_map(|w| w.parse().ok()).collect();
    let url = |w: u32, ext: &str| store.public_url(&format!("{key}-{w}.{ext}"));
    let srcset = |ext: &str| {
        widths
            .iter()
            .map(|w| format!("{} {w}w", url(*w, ext)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (src, webp_srcset, jpeg_srcset) = if widths.is_empty() {
        // A drawing: one file that scales.
        (
            store.public_url(&format!("{key}.svg")),
            String::new(),
            String::new(),
        )
    } else {
        let middle = widths
            .iter()
            .copied()
            .find(|w| *w >= 640)
            .unwrap_or(widths[widths.len() - 1]);
        (url(middle, "jpg"), srcset("webp"), srcset("jpg"))
    };
    Ok(ImageV1 {
        id: row.try_get("id")?,
        colour: row.try_get("colour")?,
        alt: row.try_get("alt")?,
        width: u32::try_from(row.try_get::<i64, _>("width")?).unwrap_or(0),
        height: u32::try_from(row.try_get::<i64, _>("height")?).unwrap_or(0),
        src,
        webp_srcset,
        jpeg_srcset,
    })
}

const IMAGE_COLUMNS: &str =
    "i.id, i.product_id, i.colour, i.alt, i.width, i.height, i.widths, i.key_base";

/// Records a picture already stored under `key_base`.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_image(
    conn: &mut AnyConnection,
    id: &str,
    product_id: &str,
    colour: &str,
    alt: &str,
    (width, height): (u32, u32),
    widths: &[u32],
    key_base: &str,
) -> Result<(), sqlx::Error> {
    let widths = widths
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    sqlx::query(
        "INSERT INTO product_images (id, product_id, colour, alt, width, height, widths, key_base, position, created_at_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8,
                 (SELECT COUNT(*) FROM product_images WHERE product_id = $2), $9)",
    )
    .bind(id)
    .bind(product_id)
    .bind(colour)
    .bind(alt)
    .bind(i64::from(width))
    .bind(i64::from(height))
    .bind(widths)
    .bind(key_base)
    .bind(now_ms())
    .execute(conn)
    .await
    .map(|_| ())
}

/// A drawing of a garment of the kind a category sells, in `hex`.
pub(crate) fn garment_svg(category: &str, hex: &str, name: &str) -> String {
    let kind = category.rsplit('-').next().unwrap_or("tops");
    let shape = match kind {
        "dresses" => "M150 70 L250 70 L262 150 L330 430 L70 430 L138 150 Z",
        "trousers" => "M120 60 L280 60 L300 440 L220 440 L200 170 L180 440 L100 440 Z",
        "outerwear" => {
            "M140 60 L260 60 L340 120 L350 330 L300 330 L300 440 L100 440 L100 330 L50 330 L60 120 Z"
        }
        "shoes" => "M60 300 L180 300 L200 250 L260 250 L280 320 L350 340 L350 380 L60 380 Z",
        "accessories" => "M110 200 Q200 80 290 200 L320 360 L80 360 Z",
        "bodysuits" | "sleepsuits" => {
            "M150 60 L250 60 L320 110 L290 160 L260 140 L260 360 L220 420 L180 420 L140 360 L140 140 L110 160 L80 110 Z"
        }
        _ => {
            "M140 60 L260 60 L340 120 L305 175 L270 150 L270 420 L130 420 L130 150 L95 175 L60 120 Z"
        }
    };
    let title = platform::mail::escape(name);
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 400 500\" width=\"800\" height=\"1000\" role=\"img\">\
         <title>{title}</title><rect width=\"400\" height=\"500\" fill=\"#f5f5f4\"/>\
         <path d=\"{shape}\" fill=\"{hex}\" stroke=\"#44403c\" stroke-width=\"4\" stroke-linejoin=\"round\"/></svg>"
    )
}

impl Catalog {
    /// Every picture of a product, in order; none without a media store.
    pub(crate) async fn images_of_product(&self, product_id: &str) -> Result<Vec<ImageV1>, Error> {
        let Some(media) = &self.media else {
            return Ok(Vec::new());
        };
        let sql = format!(
            "SELECT {IMAGE_COLUMNS} FROM product_images i WHERE i.product_id = $1 ORDER BY i.position"
        );
        sqlx::query(&sql)
            .bind(product_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| image_of(row, media.store.as_ref()))
            .collect::<Result<_, _>>()
            .map_err(Error::from)
    }

    /// Each product's first picture, for listing cards.
    pub(crate) async fn first_images(
        &self,
        ids: &[String],
    ) -> Result<std::collections::HashMap<String, ImageV1>, Error> {
        let mut first = std::collections::HashMap::new();
        let Some(media) = &self.media else {
            return Ok(first);
        };
        if ids.is_empty() {
            return Ok(first);
        }
        let mut sql = crate::listing::Sql::new(&format!(
            "SELECT {IMAGE_COLUMNS}, i.position FROM product_images i WHERE i.product_id IN ("
        ));
        let placeholders: Vec<String> = ids.iter().map(|id| sql.bind(id.clone())).collect();
        sql.push(&placeholders.join(", "));
        sql.push(") ORDER BY i.product_id, i.position");
        for row in sql.query().fetch_all(&self.pool).await? {
            let product: String = row.try_get("product_id")?;
            if let std::collections::hash_map::Entry::Vacant(slot) = first.entry(product) {
                slot.insert(image_of(&row, media.store.as_ref())?);
            }
        }
        Ok(first)
    }

    /// Adds a picture to a product: checked, resized, stored, recorded.
    #[tracing::instrument(name = "catalog.add_image", skip(self, upload), fields(bytes = upload.bytes.len()))]
    pub async fn add_image(&self, slug: &Slug, upload: ImageUpload) -> Result<ImageV1, EditError> {
        let media = self.media.clone().ok_or_else(|| {
            EditError::Refused("This shop has no place to keep pictures configured.".into())
        })?;
        let row = sqlx::query("SELECT id FROM products WHERE slug = $1")
            .bind(slug.as_str())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(EditError::NoSuchProduct)?;
        let product_id: String = row.try_get("id")?;
        let colours: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT colour FROM variants WHERE product_id = $1")
                .bind(&product_id)
                .fetch_all(&self.pool)
                .await?;
        if !colours.contains(&upload.colour) {
            return Err(EditError::Fields(FieldErrors::from([(
                "colour".to_owned(),
                format!(
                    "The product comes in {}; choose one of them.",
                    colours.join(", ")
                ),
            )])));
        }
        let id = uuid::Uuid::now_v7().simple().to_string();
        let key_base = format!("products/{product_id}/{id}");
        let ImageUpload {
            colour,
            alt,
            bytes,
            format,
        } = upload;
        let base = key_base.clone();
        let rendered = tokio::task::spawn_blocking(move || render(&bytes, format, &base))
            .await
            .map_err(|e| EditError::Refused(format!("The picture could not be converted ({e}).")))?
            .map_err(|message| {
                EditError::Fields(FieldErrors::from([("file".to_owned(), message)]))
            })?;
        for file in rendered.files {
            media
                .store
                .put(&file.key, file.bytes, file.mime)
                .await
                .map_err(|e| EditError::Failed(Error::Media(e)))?;
        }
        let mut tx = platform::db::begin_write(&self.pool).await?;
        insert_image(
            &mut tx,
            &id,
            &product_id,
            &colour,
            &alt,
            (rendered.width, rendered.height),
            &rendered.widths,
            &key_base,
        )
        .await?;
        product_changed(&mut tx, ProductOf::Slug(slug.as_str())).await?;
        tx.commit().await?;
        let images = self.images_of_product(&product_id).await?;
        images
            .into_iter()
            .find(|image| image.id == id)
            .ok_or(EditError::NoSuchProduct)
    }

    /// Removes a picture (its record and its files); `false` if there was
    /// none with that id.
    #[tracing::instrument(name = "catalog.delete_image", skip(self))]
    pub async fn delete_image(&self, id: &str) -> Result<bool, Error> {
        let mut tx = platform::db::begin_write(&self.pool).await?;
        let row = sqlx::query(
            "SELECT i.key_base, i.widths, p.slug FROM product_images i
             JOIN products p ON p.id = i.product_id WHERE i.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let key_base: String = row.try_get("key_base")?;
        let widths: String = row.try_get("widths")?;
        let slug: String = row.try_get("slug")?;
        sqlx::query("DELETE FROM product_images WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        product_changed(&mut tx, ProductOf::Slug(&slug)).await?;
        tx.commit().await?;
        // Files go after the commit: a failure leaves unused files, never
        // a record whose files are gone.
        if let Some(media) = &self.media {
            let mut keys: Vec<String> = widths
                .split(',')
                .filter(|w| !w.is_empty())
                .flat_map(|w| {
                    [
                        format!("{key_base}-{w}.jpg"),
                        format!("{key_base}-{w}.webp"),
                    ]
                })
                .collect();
            if keys.is_empty() {
                keys.push(format!("{key_base}.svg"));
            }
            for key in keys {
                if let Err(err) = media.store.delete(&key).await {
                    tracing::warn!(error = %err, key, "could not delete a picture's file");
                }
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0rest"), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some(ImageFormat::Png));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageFormat::WebP));
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b"<svg xmlns="), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn an_upload_is_made_into_each_width_it_covers() {
        let picture = RgbImage::from_fn(900, 1200, |x, y| {
            image::Rgb([(x % 255) as u8, (y % 255) as u8, 90])
        });
        let mut png = Vec::new();
        picture
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let rendered = render(&png, ImageFormat::Png, "products/p/i").unwrap();
        assert_eq!(rendered.widths, [320, 640]);
        assert_eq!((rendered.width, rendered.height), (640, 853));
        let keys: Vec<&str> = rendered.files.iter().map(|f| f.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "products/p/i-320.jpg",
                "products/p/i-320.webp",
                "products/p/i-640.jpg",
                "products/p/i-640.webp"
            ]
        );
        for file in &rendered.files {
            assert_eq!(
                sniff(&file.bytes).map(|f| f.to_mime_type()),
                Some(file.mime)
            );
        }
        let tiny = RgbImage::new(100, 100);
        let mut png = Vec::new();
        tiny.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let refused = render(&png, ImageFormat::Png, "k").err().expect("refused");
        assert!(refused.contains("at least 200"), "{refused}");
    }
}
