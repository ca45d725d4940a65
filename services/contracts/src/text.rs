//! The one check every short piece of typed text gets (a name, a reason,
//! a carrier), so the services and the storefront agree on what passes.

/// `raw` trimmed, if that leaves 1 to `max` characters and none of them a
/// control character: one line, as a label or a parcel carries it.
pub fn one_line(raw: &str, max: usize) -> Option<&str> {
    let text = raw.trim();
    let count = text.chars().count();
    (count > 0 && count <= max && !text.chars().any(char::is_control)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn one_line_is_trimmed_printable_and_bounded() {
        let cases = [
            ("  Ada  ", 5, Some("Ada")),
            ("Ada", 3, Some("Ada")),
            ("Ada", 2, None),
            ("   ", 5, None),
            ("", 5, None),
            ("A\nda", 5, None),
            ("Zoë", 3, Some("Zoë")),
        ];
        for (raw, max, want) in cases {
            assert_eq!(one_line(raw, max), want, "{raw:?} with max {max}");
        }
    }
}
