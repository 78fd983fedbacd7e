//! Text: everything Tact decides starts from a string typed into a page.

pub mod lang;
pub mod normalize;
pub mod offsets;
pub mod scratch;
pub mod tokens;
pub mod tweet;
