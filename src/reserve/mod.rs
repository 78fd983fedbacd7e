//! Built-in packs: what a brand must never post, whatever its charter says.
//!
//! `abuse` is the `reserve` pack (insults, contempt, threats, slurs, swearing,
//! dismissal); the other modules are the tone and form packs (shouting, punctuation,
//! personal data, links, length, register, signature).

pub mod abuse;
pub mod form;
pub mod lexicon;
pub mod pii;
pub mod tone;
