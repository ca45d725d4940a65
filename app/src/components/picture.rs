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
    // Every colour's pictures are on the page, the others hidden (and, being
    // lazy, not loaded): without JavaScript a colour link loads the page
    // with `?colour=`; hydrated, the island below shows it in place.
    let panels = colours
        .iter()
        .map(|colour| {
            let current = *colour == chosen;
            let mut shown = images.iter().filter(|i| i.colour == *colour).cloned();
            let first = shown.next();
            let rest: Vec<ImageV1> = shown.collect();
            view! {
                <div data-colour-panel=colour.clone() hidden=!current>
                    {first.map(|image| view! {
                        <Picture image sizes="(min-width: 768px) 28rem, 100vw" eager=current class="max-w-md rounded-lg" />
                    })}
                    {(!rest.is_empty()).then(|| view! {
                        <ul class="mt-3 grid max-w-md grid-cols-3 gap-2">
                            {rest.into_iter().map(|image| view! {
                                <li><Picture image sizes="(min-width: 768px) 9rem, 33vw" class="rounded-md" /></li>
                            }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })
        .collect_view();
    let links = (colours.len() > 1).then(|| {
        view! {
            <p class="mt-3 text-sm text-stone-700">
                "Pictures in: "
                {colours.iter().map(|colour| {
                    let current = *colour == chosen;
                    let href = format!("/p/{slug}?colour={}#gallery", contracts::url_encode(colour));
                    view! {
                        <a
                            href=href
                            data-switch-colour=colour.clone()
                            aria-current=current.then_some("true")
                            class=if current { CURRENT_LINK } else { OTHER_LINK }
                        >{colour.clone()}</a>
                    }
                }).collect_view()}
            </p>
        }
    });
    view! {
        <ColourSwitch>
            <section id="gallery" aria-label=format!("Pictures in {chosen}") class="mt-4" data-testid="gallery" data-colour=chosen.clone()>
                {panels}
                {links}
            </section>
        </ColourSwitch>
    }
    .into_any()
}

const CURRENT_LINK: &str = "mr-3 font-semibold text-stone-900";
const OTHER_LINK: &str = "mr-3 font-medium text-teal-800 underline underline-offset-4";

/// Shows another colour's pictures in place when a colour link is
/// clicked (a plain click: new tabs open as usual), and puts the colour in
/// the address (replacing it, so Back leaves the product as usual) so a
/// shared link shows the same colour.
#[island]
fn ColourSwitch(children: Children) -> impl IntoView {
    let on_click = move |_event: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        switch::follow(&_event);
    };
    view! { <div on:click=on_click>{children()}</div> }
}

#[cfg(feature = "hydrate")]
mod switch {
    use wasm_bindgen::JsCast;

    pub fn follow(event: &leptos::ev::MouseEvent) {
        if event.button() != 0
            || event.ctrl_key()
            || event.meta_key()
            || event.shift_key()
            || event.alt_key()
        {
            return;
        }
        let Some(link) = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-switch-colour]").ok().flatten())
        else {
            return;
        };
        let (Some(colour), Some(href)) = (
            link.get_attribute("data-switch-colour"),
            link.get_attribute("href"),
        ) else {
            return;
        };
        let Some(gallery) = link.closest("#gallery").ok().flatten() else {
            return;
        };
        event.prevent_default();
        // Each element of the gallery marked with `attribute`, and whether
        // the mark names the colour chosen.
        let each = |attribute: &str, apply: &dyn Fn(web_sys::Element, bool)| {
            let Ok(found) = gallery.query_selector_all(&format!("[{attribute}]")) else {
                return;
            };
            for el in (0..found.length())
                .filter_map(|i| found.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let chosen = el.get_attribute(attribute).as_deref() == Some(colour.as_str());
                apply(el, chosen);
            }
        };
        each("data-colour-panel", &|panel, shown| {
            let _ = if shown {
                panel.remove_attribute("hidden")
            } else {
                panel.set_attribute("hidden", "")
            };
        });
        each("data-switch-colour", &|a, current| {
            let class = if current {
                super::CURRENT_LINK
            } else {
                super::OTHER_LINK
            };
            let _ = a.set_attribute("class", class);
            let _ = if current {
                a.set_attribute("aria-current", "true")
            } else {
                a.remove_attribute("aria-current")
            };
        });
        let _ = gallery.set_attribute("data-colour", &colour);
        let _ = gallery.set_attribute("aria-label", &format!("Pictures in {colour}"));
        if let Ok(history) = leptos::prelude::window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&href));
        }
    }
}
