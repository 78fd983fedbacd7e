//! Quick-tag inbox: captured posts and comments, the team's tags, filters and search,
//! exports, statistics and charts.
//!
//! Pure core: no clock (times come in as ISO strings or epoch milliseconds), no storage
//! (the extension persists [`schema::Store`] documents), no browser. The page layer, the
//! background worker and the inbox page reach it through the wasm facade.

pub mod chart;
pub mod export;
pub mod filter;
pub mod fold;
mod hash;
mod index;
pub mod model;
pub mod permalink;
mod remote;
pub mod schema;
pub mod service;
pub mod sighting;
pub mod state;
pub mod stats;
pub mod tags;
pub mod time;

pub use chart::{render_svg, Chart, ChartSeries, Period};
pub use export::CsvOptions;
pub use filter::Filter;
pub use model::{Author, Item, Network, Status};
pub use schema::{migrate, parse_import, ImportError, ImportReport, Store, SCHEMA_VERSION};
pub use state::{Capture, Captured, Inbox, InboxError, Page};
pub use stats::{compute as compute_stats, Stats, StatsRequest};
pub use tags::{Tag, TagError, TagNames, Vocabulary};
pub use time::{Day, Timestamp};
