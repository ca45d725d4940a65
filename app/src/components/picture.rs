//! Product pictures as `<picture>`: WebP for browsers that take it, JPEG
//! otherwise, each in the widths the catalog made so a phone loads a small
//! one; width and height set so nothing moves when it arrives.

use contracts::catalog::ImageV1;
use leptos::prelude::*;

/// One picture. `sizes` says how wide it shows; `eager` for the first
/// picture of a page (the rest load as they scroll into view).
#[component]
pub fn Picture(
    image: ImageV1,
    sizes: &'static str,
    #[prop(optional)] eager: bool,
    /// Empty for a picture beside the same words (a card), else its alt.
    #[prop(optional)]
    decorative: bool,
    #[prop(optional)] class: &'static str,
) -> impl IntoView {
    let alt = if decorative {
        String::new()
    } else {
        image.alt.clone()
    };
    let srcset = (!image.jpeg_srcset.is_empty()).then(|| image.jpeg_srcset.clone());
    view! {
        <picture>
            {(!image.webp_srcset.is_empty()).then(|| view! {
                <source type="image/webp" srcset=image.webp_srcset.clone() sizes=sizes />
            })}
            <img
                src=image.src
                srcset=srcset
                sizes=sizes
                width=image.width
                height=image.height
                alt=alt
                loading=if eager { "eager" } else { "lazy" }
                fetchpriority=eager.then_some("high")
                decoding="async"
                class=format!("h-auto w-full bg-stone-100 object-cover {class}")
            />
        </picture>
    }
}

/// A product page's pictures of one colour (`?colour=` picks it, so the
/// choice works as a plain link), with links to the other colours'.
#[component]
pub fn Gallery(images: Vec<ImageV1>, colour: Option<String>, slug: String) -> impl IntoView {
    if images.is_empty() {
        return ().into_any();
    }
    let mut colours: Vec<String> = Vec::new();
    for image in &images {
        if !colours.contains(&image.colour) {
            colours.push(image.colour.clone());
        }
    }
    let chosen = colour
        .filter(|c| colours.contains(c))
        .unwrap_or_else(|| colours[0].clone());
    let shown: Vec<ImageV1> = images.into_iter().filter(|i| i.colour == chosen).collect();
    let mut shown = shown.into_iter();
    let first = shown.next();
    let rest: Vec<ImageV1> = shown.collect();
    view! {
        <section id="gallery" aria-label=format!("Pictures in {chosen}") class="mt-4" data-testid="gallery" data-colour=chosen.clone()>
            {first.map(|image| view! {
                <Picture image sizes="(min-width: 768px) 28rem, 100vw" eager=true class="max-w-md rounded-lg" />
            })}
            {(!rest.is_empty()).then(|| view! {
                <ul class="mt-3 grid max-w-md grid-cols-3 gap-2">
                    {rest.into_iter().map(|image| view! {
                        <li><Picture image sizes="(min-width: 768px) 9rem, 33vw" class="rounded-md" /></li>
                    }).collect_view()}
                </ul>
            })}
            {(colours.len() > 1).then(|| view! {
                <p class="mt-3 text-sm text-stone-700">
                    "Pictures in: "
                    {colours.into_iter().map(|colour| {
                        let current = colour == chosen;
                        let href = format!("/p/{slug}?colour={}#gallery", super::listing::encode(&colour));
                        view! {
                            <a
                                href=href
                                aria-current=current.then_some("true")
                                class=if current { "mr-3 font-semibold text-stone-900" } else { "mr-3 font-medium text-teal-800 underline underline-offset-4" }
                            >{colour}</a>
                        }
                    }).collect_view()}
                </p>
            })}
        </section>
    }
    .into_any()
}
