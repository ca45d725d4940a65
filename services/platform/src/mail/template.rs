//! Emails written as templates: the words once, with `{slot}`s for what
//! changes, and the escaping done here rather than at every `format!`.

use super::{Email, escape, paragraphs};

/// An email's words with `{slot}`s to fill. The subject and the plain
/// text take the values as they are; the HTML body (one paragraph a line)
/// takes words escaped and links as given.
#[derive(Clone, Copy, Debug)]
pub struct Template {
    pub subject: &'static str,
    pub text: &'static str,
    pub html: &'static str,
}

/// What fills a `{slot}`.
#[derive(Clone, Debug)]
pub enum Slot {
    /// Words (a name, a shop, a number): escaped in HTML.
    Text(String),
    /// A URL the template puts in an `href`: as it is.
    Link(String),
}

impl Template {
    /// The email to `to`, each `{slot}` named in `slots` filled.
    pub fn render(&self, to: &str, slots: &[(&str, Slot)]) -> Email {
        let html: Vec<String> = self.html.lines().map(|p| fill(p, slots, true)).collect();
        let html: Vec<&str> = html.iter().map(String::as_str).collect();
        Email {
            to: to.to_owned(),
            subject: fill(self.subject, slots, false),
            text: fill(self.text, slots, false),
            html: paragraphs(&html),
        }
    }
}

/// `template` with each `{slot}` named in `slots` replaced, in one pass:
/// a value that itself holds `{…}` (someone's name) stays as it is.
fn fill(template: &str, slots: &[(&str, Slot)], html: bool) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        let slot = rest.find('}').and_then(|close| {
            let name = &rest[1..close];
            let (_, value) = slots.iter().find(|(slot, _)| *slot == name)?;
            Some((close, value))
        });
        match slot {
            Some((close, value)) => {
                out.push_str(&match value {
                    Slot::Text(words) if html => escape(words),
                    Slot::Text(words) => words.clone(),
                    Slot::Link(url) => url.clone(),
                });
                rest = &rest[close + 1..];
            }
            None => {
                out.push('{');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: Template = Template {
        subject: "Hi {name}",
        text: "Hello {name},\n\nSee {link} ({missing}).\n",
        html: "Hello {name},\n<a href=\"{link}\">See</a>",
    };

    #[test]
    fn slots_are_filled_once_and_escaped_only_in_html() {
        let slots = [
            ("name", Slot::Text("<Ann> {link}".into())),
            ("link", Slot::Link("https://shop.test/a?b=1&c=2".into())),
        ];
        let email = NOTE.render("ann@example.org", &slots);
        assert_eq!(email.to, "ann@example.org");
        assert_eq!(email.subject, "Hi <Ann> {link}");
        assert_eq!(
            email.text,
            "Hello <Ann> {link},\n\nSee https://shop.test/a?b=1&c=2 ({missing}).\n"
        );
        assert_eq!(
            email.html,
            paragraphs(&[
                "Hello &lt;Ann&gt; {link},",
                "<a href=\"https://shop.test/a?b=1&c=2\">See</a>",
            ])
        );
    }
}
