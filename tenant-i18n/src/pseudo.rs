//! The pseudo-locale: English made accented and about 40 % longer, to find
//! text that is cut off, hard-coded or laid out too tightly.

use std::borrow::Cow;

/// Pseudo-localizes one piece of text: every ASCII letter gets an accented
/// look-alike, vowels are doubled, and text that contains letters is padded
/// with `·` until it is at least 40 % longer than the input (in characters):
/// German and French run 30–40 % longer than English, so a layout that
/// survives this survives them.
///
/// Localizers for the pseudo-locale `en-XA` apply this to the text of every
/// English message and leave placeables (`{ $tenant }`, numbers, dates)
/// untouched; they also wrap each whole message in `[` and `]`, so that a
/// missing `]` on screen shows where text was cut.
///
/// ```
/// assert_eq!(tenant_i18n::pseudolocalize("Silence"), "Şīīŀḗḗƞƈḗḗ");
/// ```
pub fn pseudolocalize(text: &str) -> String {
    let original = text.chars().count();
    let mut out = String::with_capacity(text.len() * 2);
    let mut has_letters = false;
    for c in text.chars() {
        let Some(accented) = accent(c) else {
            out.push(c);
            continue;
        };
        has_letters = true;
        out.push(accented);
        if matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u') {
            out.push(accented);
        }
    }
    if has_letters {
        // 40 %, rounded up so that even a one-letter word grows.
        let target = original + (original * 2).div_ceil(5);
        // Pad after the last visible character, so that the padding does not
        // drift into the gap before the next placeable.
        let body_length = out.trim_end().len();
        let trailing = out.split_off(body_length);
        let mut length = out.chars().count() + trailing.chars().count();
        while length < target {
            out.push('·');
            length += 1;
        }
        out.push_str(&trailing);
    }
    out
}

/// The transform hook of a Fluent bundle, which only sees text elements.
pub(crate) fn transform(text: &str) -> Cow<'_, str> {
    Cow::Owned(pseudolocalize(text))
}

fn accent(c: char) -> Option<char> {
    const LOWER: [char; 26] = [
        'ȧ', 'ƀ', 'ƈ', 'ḓ', 'ḗ', 'ƒ', 'ɠ', 'ħ', 'ī', 'ĵ', 'ķ', 'ŀ', 'ḿ', 'ƞ', 'ǿ', 'ƥ', 'ɋ', 'ř',
        'ş', 'ŧ', 'ŭ', 'ṽ', 'ẇ', 'ẋ', 'ẏ', 'ẑ',
    ];
    const UPPER: [char; 26] = [
        'Ȧ', 'Ɓ', 'Ƈ', 'Ḓ', 'Ḗ', 'Ƒ', 'Ɠ', 'Ħ', 'Ī', 'Ĵ', 'Ķ', 'Ŀ', 'Ḿ', 'Ƞ', 'Ǿ', 'Ƥ', 'Ɋ', 'Ř',
        'Ş', 'Ŧ', 'Ŭ', 'Ṽ', 'Ẇ', 'Ẋ', 'Ẏ', 'Ẑ',
    ];
    let table = if c.is_ascii_lowercase() {
        &LOWER
    } else if c.is_ascii_uppercase() {
        &UPPER
    } else {
        return None;
    };
    let index = usize::from(c.to_ascii_lowercase() as u8 - b'a');
    table.get(index).copied()
}
