//! Team sync, the part the extension and the store share so the merge rules are one piece
//! of code: identifiers, the hybrid logical clock, the mutations and their last-writer-wins
//! registers, the client replica with its outgoing queue, the extension's sync state machine
//! (backoff, cursor, config ETag, status), an admin's configuration edits (`admin`), the
//! audit events' queue (`audit`) and the API's wire types.
//!
//! Pure: no I/O, no clock reads, no threads; compiles to wasm32 unchanged.

pub mod admin;
pub mod audit;
pub mod client;
pub mod hlc;
pub mod ids;
pub mod ops;
pub mod replica;
pub mod wire;

pub use hlc::{Clock, Hlc, Stamp};
pub use ids::{ClientId, Invalid, ItemId, TagId};
pub use ops::{Author, Capture, Change, Key, Mutation, Status, Write};
pub use replica::{latest_per_register, plan_push, wins, ItemView, Replica, State};
