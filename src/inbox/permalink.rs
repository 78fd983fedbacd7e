//! Canonical permalinks: one post, one address, one inbox item.
//!
//! The same tweet is reachable as `twitter.com/A/status/1?s=20`, `mobile.twitter.com/a/…`,
//! `x.com/A/status/1/photo/1`; the same Facebook post comes with a dozen tracking
//! parameters. Capturing it twice must update one item, so the item id derives from the
//! canonical form computed here. Unknown query parameters are dropped for X and Facebook
//! (an allow-list: new tracking parameters need no code change); other sites lose only
//! well-known trackers.

use super::hash::fnv1a;
use super::model::Network;
use std::fmt;

/// A canonical permalink and the natural key the item id is made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Canonical {
    pub network: Network,
    /// The address to store and open: `https://x.com/handle/status/ID`, …
    pub url: String,
    /// Stable item id: `x:<status id>`, `fb:<hash>`, `web:<hash>`.
    pub id: String,
    /// False when the address is a page (a profile, a feed) rather than one post: the
    /// capture then goes on with a warning, as the page is the best we know.
    pub is_post: bool,
}

/// Why an address cannot be a permalink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermalinkError {
    pub input: String,
    pub reason: &'static str,
}

impl fmt::Display for PermalinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "permalink {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for PermalinkError {}

const X_HOSTS: &[&str] = &[
    "x.com",
    "www.x.com",
    "mobile.x.com",
    "twitter.com",
    "www.twitter.com",
    "mobile.twitter.com",
    "m.twitter.com",
];
const FB_HOSTS: &[&str] = &[
    "facebook.com",
    "www.facebook.com",
    "m.facebook.com",
    "mbasic.facebook.com",
    "web.facebook.com",
    "touch.facebook.com",
    "fb.com",
    "www.fb.com",
];
/// Facebook query parameters that name the content; every other one is dropped.
const FB_KEEP: &[&str] = &[
    "story_fbid",
    "id",
    "fbid",
    "v",
    "comment_id",
    "reply_comment_id",
];
/// Path words after which Facebook puts the content's id.
const FB_CONTENT: &[&str] = &["posts", "permalink", "videos", "photos", "reel", "reels"];
/// Trackers dropped on any other site.
const GENERIC_TRACKERS: &[&str] = &["fbclid", "gclid", "igshid", "mc_eid", "ref_src", "ref_url"];

struct Parts<'a> {
    host: String,
    path: &'a str,
    query: Vec<(String, &'a str)>,
}

/// Splits an absolute (or scheme-less) http(s) address. Only http and https are accepted:
/// the inbox page opens these addresses, so `javascript:` and friends must never pass.
fn split(raw: &str) -> Result<Parts<'_>, &'static str> {
    if raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains spaces or control characters");
    }
    let rest = if let Some(i) = raw.find("://") {
        let scheme = &raw[..i];
        if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
            return Err("only http and https addresses can be captured");
        }
        &raw[i + 3..]
    } else if let Some(r) = raw.strip_prefix("//") {
        r
    } else if raw.starts_with('/') {
        return Err("not an absolute address (expected https://host/path)");
    } else {
        raw
    };
    let rest = rest.split('#').next().unwrap_or_default();
    let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..auth_end];
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let host = host_port
        .strip_suffix(":443")
        .or_else(|| host_port.strip_suffix(":80"))
        .unwrap_or(host_port)
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let (name, port) = host.split_once(':').unwrap_or((&host, "0"));
    if name.is_empty() || name.starts_with('.') {
        return Err("no host name (expected https://host/path)");
    }
    let host_char = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    if !name.bytes().all(host_char) || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err("not a host name (expected https://host/path)");
    }
    let (path, query) = match rest[auth_end..].split_once('?') {
        Some((p, q)) => (p, q),
        None => (&rest[auth_end..], ""),
    };
    let query = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (percent_decode_key(k), v)
        })
        .collect();
    Ok(Parts { host, path, query })
}

/// Decodes `%XX` in a parameter name so `__cft__%5B0%5D` is recognised as `__cft__[0]`.
fn percent_decode_key(k: &str) -> String {
    let b = k.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |at: usize| b.get(at).and_then(|&c| (c as char).to_digit(16));
        match (b[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).to_ascii_lowercase()
}

/// The canonical address of a tweet.
pub fn x_status_url(handle: &str, status_id: &str) -> String {
    format!("https://x.com/{handle}/status/{status_id}")
}

/// Whether `s` is an X handle (without `@`): 1–15 letters, digits or `_`.
pub fn is_x_handle(s: &str) -> bool {
    (1..=15).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Canonicalises a post or comment address; see the module docs for the rules.
pub fn canonicalize(raw: &str) -> Result<Canonical, PermalinkError> {
    let trimmed = raw.trim();
    let parts = split(trimmed).map_err(|reason| PermalinkError {
        input: raw.to_string(),
        reason,
    })?;
    let segs: Vec<&str> = parts.path.split('/').filter(|s| !s.is_empty()).collect();
    if X_HOSTS.contains(&parts.host.as_str()) {
        Ok(canonical_x(&segs))
    } else if FB_HOSTS.contains(&parts.host.as_str()) {
        Ok(canonical_facebook(&segs, &parts.query))
    } else {
        Ok(canonical_other(&parts, &segs))
    }
}

fn canonical_x(segs: &[&str]) -> Canonical {
    let is_id = |s: &&str| !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit());
    let status = match segs {
        ["i", "web", "status" | "statuses", id, ..] | ["i", "status" | "statuses", id, ..]
            if is_id(id) =>
        {
            Some(("i", *id))
        }
        [handle, "status" | "statuses", id, ..] if is_x_handle(handle) && is_id(id) => {
            Some((*handle, *id))
        }
        _ => None,
    };
    match status {
        Some((handle, id)) => Canonical {
            network: Network::X,
            url: x_status_url(handle, id),
            id: format!("x:{id}"),
            is_post: true,
        },
        None => {
            let url = format!("https://x.com/{}", segs.join("/"));
            Canonical {
                network: Network::X,
                id: format!("x:page:{:016x}", fnv1a(&url.to_ascii_lowercase())),
                url,
                is_post: false,
            }
        }
    }
}

fn canonical_facebook(segs: &[&str], query: &[(String, &str)]) -> Canonical {
    let param = |name: &str| {
        query
            .iter()
            .find(|(k, v)| k == name && !v.is_empty())
            .map(|(_, v)| *v)
    };
    let mut path: Vec<String> = match segs {
        ["story.php" | "permalink.php", ..] => vec!["permalink.php".into()],
        ["photo.php" | "photo", ..] => vec!["photo".into()],
        ["watch", ..] => vec!["watch".into()],
        _ => {
            // Keep the path up to the content id: `/page/posts/ID`, `/groups/G/permalink/ID`.
            let cut = segs
                .iter()
                .position(|s| FB_CONTENT.contains(s))
                .map_or(segs.len(), |i| (i + 2).min(segs.len()));
            segs[..cut].iter().map(|s| s.to_string()).collect()
        }
    };
    // Page and group names are case-insensitive; content ids (pfbid…) are not.
    let owner = usize::from(path.first().is_some_and(|s| s == "groups"));
    if let Some(name) = path.get_mut(owner) {
        if !FB_CONTENT.contains(&name.as_str()) && !name.contains('.') {
            *name = name.to_ascii_lowercase();
        }
    }
    let is_post = match path.first().map(String::as_str) {
        Some("permalink.php") => param("story_fbid").is_some(),
        Some("photo") => param("fbid").is_some(),
        Some("watch") => param("v").is_some(),
        _ => segs
            .iter()
            .position(|s| FB_CONTENT.contains(s))
            .is_some_and(|i| i + 1 < segs.len()),
    };
    let kept: Vec<String> = FB_KEEP
        .iter()
        .filter_map(|k| param(k).map(|v| format!("{k}={v}")))
        .collect();
    let base = format!("https://www.facebook.com/{}", path.join("/"));
    hashed(Network::Facebook, "fb", base, &kept, is_post)
}

/// A canonical address `base?kept…` whose id is `prefix:` and the address's hash.
fn hashed(
    network: Network,
    prefix: &str,
    base: String,
    kept: &[String],
    is_post: bool,
) -> Canonical {
    let mut url = base;
    if !kept.is_empty() {
        url.push('?');
        url.push_str(&kept.join("&"));
    }
    Canonical {
        network,
        id: format!("{prefix}:{:016x}", fnv1a(&url)),
        url,
        is_post,
    }
}

fn canonical_other(parts: &Parts<'_>, segs: &[&str]) -> Canonical {
    let kept: Vec<String> = parts
        .query
        .iter()
        .filter(|(k, _)| !k.starts_with("utm_") && !GENERIC_TRACKERS.contains(&k.as_str()))
        .map(|(k, v)| {
            if v.is_empty() {
                k.clone()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    let base = format!("https://{}/{}", parts.host, segs.join("/"));
    hashed(Network::Other, "web", base, &kept, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> String {
        canonicalize(s).unwrap().url
    }

    #[test]
    fn x_variants_become_one_address_and_one_id() {
        let variants = [
            "https://twitter.com/Cafe_Lumiere/status/1852311426666537322?s=20&t=abc",
            "https://mobile.twitter.com/Cafe_Lumiere/status/1852311426666537322",
            "http://www.x.com/Cafe_Lumiere/status/1852311426666537322/photo/1",
            "x.com/Cafe_Lumiere/status/1852311426666537322?ref_src=twsrc%5Etfw&utm_source=a#m",
            "https://x.com/Cafe_Lumiere/status/1852311426666537322/analytics",
        ];
        for v in variants {
            let c = canonicalize(v).unwrap();
            assert_eq!(
                c.url, "https://x.com/Cafe_Lumiere/status/1852311426666537322",
                "{v}"
            );
            assert_eq!(c.id, "x:1852311426666537322");
            assert_eq!(c.network, Network::X);
            assert!(c.is_post);
        }
        let web = canonicalize("https://x.com/i/web/status/42").unwrap();
        assert_eq!(
            (web.url.as_str(), web.id.as_str()),
            ("https://x.com/i/status/42", "x:42")
        );
    }

    #[test]
    fn x_pages_are_not_posts() {
        let c = canonicalize("https://x.com/home?utm_source=a").unwrap();
        assert!(!c.is_post);
        assert_eq!(c.url, "https://x.com/home");
        assert!(c.id.starts_with("x:page:"));
    }

    #[test]
    fn facebook_tracking_is_stripped_and_content_kept() {
        assert_eq!(
            url("https://www.facebook.com/CafeLumiere/posts/pfbid02AbC?__cft__[0]=AZX&__tn__=%2CO%2CP-R&mibextid=xyz"),
            "https://www.facebook.com/cafelumiere/posts/pfbid02AbC"
        );
        assert_eq!(
            url("https://m.facebook.com/story.php?id=99&story_fbid=123&rdid=Q&share_url=https%3A%2F%2Fx"),
            "https://www.facebook.com/permalink.php?story_fbid=123&id=99"
        );
        assert_eq!(
            url("https://web.facebook.com/groups/Cafe/permalink/555/?comment_id=777&__cft__%5B0%5D=AZ&notif_id=1"),
            "https://www.facebook.com/groups/cafe/permalink/555?comment_id=777"
        );
        let post = canonicalize("https://www.facebook.com/cafelumiere/posts/123").unwrap();
        let comment =
            canonicalize("https://www.facebook.com/cafelumiere/posts/123?comment_id=9").unwrap();
        assert_ne!(post.id, comment.id, "a comment is its own item");
        assert!(post.is_post && comment.is_post);
        assert!(
            !canonicalize("https://www.facebook.com/cafelumiere")
                .unwrap()
                .is_post
        );
    }

    #[test]
    fn other_sites_lose_only_trackers() {
        assert_eq!(
            url("https://Example.org/a/b/?id=3&utm_medium=x&fbclid=1#frag"),
            "https://example.org/a/b?id=3"
        );
    }

    #[test]
    fn hostile_addresses_are_refused_with_a_reason() {
        for bad in [
            "javascript:alert(1)",
            "data:text/html,<script>",
            "/relative/status/1",
            "https://",
            "https://x.com/a b/status/1",
            "ftp://x.com/a/status/1",
        ] {
            let e = canonicalize(bad).unwrap_err();
            assert!(!e.reason.is_empty(), "{bad}");
        }
        // userinfo cannot disguise the host
        assert_eq!(
            canonicalize("https://x.com@evil.example/a/status/1")
                .unwrap()
                .network,
            Network::Other
        );
    }
}
