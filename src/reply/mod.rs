//! Reply suggestions: what a comment is about, which of the team's templates answer it,
//! and the chosen one filled in for the page.

pub mod classify;
mod concepts;
pub mod eval;
mod features;
mod model;
