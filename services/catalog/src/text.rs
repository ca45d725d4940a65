//! Names made from staff's words: URL slugs and SKU parts.

/// Words as a URL path segment: `Puddle-proof rain jacket` ->
/// `puddle-proof-rain-jacket` (anything not a letter or digit becomes one
/// hyphen).
pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_matches('-').to_owned()
}

/// The part of a SKU that names a colour or size: `Navy blue` → `NAVYBLUE`.
pub(crate) fn code(value: &str) -> String {
    value
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}
