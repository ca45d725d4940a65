//! The words of identity's emails, kept as prose in `letters.txt` (where
//! the format is described) so they read and change as text, apart from
//! the code that decides when each is sent.

use std::collections::HashMap;
use std::sync::LazyLock;

use platform::mail::Template;

/// Every letter in `letters.txt`, by its section name.
static LETTERS: LazyLock<HashMap<&'static str, Template>> =
    LazyLock::new(|| parse(include_str!("letters.txt")));

/// The letter named `name` in `letters.txt`. The names are fixed in the
/// code; a test checks that each one is there.
pub fn letter(name: &str) -> Template {
    match LETTERS.get(name) {
        Some(letter) => *letter,
        None => panic!("letters.txt has no letter {name:?}"),
    }
}

/// The `===` sections of `source`, each a name line, a subject line,
/// `--- text` and its body (ending in one newline), `--- html` and its
/// paragraphs. What comes before the first section is a comment.
fn parse(source: &'static str) -> HashMap<&'static str, Template> {
    let mut letters = HashMap::new();
    for section in source.split("\n=== ").skip(1) {
        let parts = section.split_once('\n').and_then(|(name, rest)| {
            let (subject, rest) = rest.split_once("\n--- text\n")?;
            let (text, html) = rest.split_once("--- html\n")?;
            Some((name, subject, text, html.trim_end()))
        });
        let Some((name, subject, text, html)) = parts else {
            panic!("letters.txt: a letter without its subject, text or html: {section:?}");
        };
        letters.insert(
            name,
            Template {
                subject,
                text,
                html,
            },
        );
    }
    letters
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The letters the code sends, each with its subject, a text that ends
    /// its last line and no empty HTML paragraph.
    #[test]
    fn every_letter_the_code_names_is_whole() {
        let names = [
            "verify",
            "reset",
            "password_changed",
            "already_registered",
            "change_refused",
            "confirm_new_email",
            "email_changed",
        ];
        assert_eq!(LETTERS.len(), names.len());
        for name in names {
            let letter = letter(name);
            assert!(!letter.subject.is_empty(), "{name}");
            assert!(!letter.subject.contains('\n'), "{name}");
            let text = letter.text;
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{name}: {text:?}"
            );
            assert!(letter.html.lines().all(|p| !p.is_empty()), "{name}");
        }
    }
}
