//! Brings the team's changes into the local inbox. The sync replica merges the store's
//! register writes (last writer wins, per register); this takes each merged item as the
//! replica now sees it and makes the inbox's copy say the same, so the inbox page shows
//! what teammates captured, tagged, closed or annotated.
//!
//! Nothing is queued here: these changes came from the store.

use super::model::{Author, Item, Status};
use super::state::{Capture, Inbox};
use super::tags::{Tag, TagNames};
use super::time::Timestamp;
use crate::sync::ops;
use crate::sync::wire::TagDef;
use crate::sync::{ItemView, TagId};
use crate::text::lang::Lang;

/// Colour for a team tag sent without one.
const TEAM_TAG_COLOR: &str = "#455a64";

fn local_status(s: ops::Status) -> Status {
    match s {
        ops::Status::Open => Status::Open,
        ops::Status::Done => Status::Done,
    }
}

/// The capture that makes the inbox hold `view`: its post from the store's capture
/// register, or from the local copy when only tags, status or note travelled. `None` when
/// neither knows the post (a tag arriving before its capture: the next pull brings it).
fn capture_of(inbox: &Inbox, view: &ItemView) -> Option<Capture> {
    let local = inbox.get(view.id.as_str());
    let (permalink, author, text, posted_at, captured_at, captured_by) = match &view.capture {
        Some(c) => (
            c.permalink.clone(),
            Author {
                handle: c.author.handle.clone(),
                name: c.author.name.clone(),
            },
            c.text.clone(),
            c.posted_at.map(Timestamp),
            Timestamp(c.captured_at),
            c.captured_by.clone(),
        ),
        None => {
            let it = local?;
            (
                it.permalink.clone(),
                it.author.clone(),
                it.text.clone(),
                it.posted_at,
                it.captured_at,
                it.captured_by.clone(),
            )
        }
    };
    // Tags the local vocabulary lacks are left out until the team config brings them.
    let tags = view
        .tags
        .iter()
        .map(|t| t.as_str().to_string())
        .filter(|t| inbox.vocabulary().get(t).is_some())
        .collect();
    Some(Capture {
        permalink,
        page_url: String::new(),
        author,
        text,
        posted_at,
        captured_at,
        captured_by,
        tags: Some(tags),
        status: Some(local_status(view.status)),
        note: Some(view.note.clone()),
    })
}

/// Makes the inbox agree with each merged item; returns the items that changed (to store)
/// and one message per item that could not be taken (named by id, with the reason).
pub fn merge(inbox: &mut Inbox, views: &[ItemView]) -> (Vec<Item>, Vec<String>) {
    let mut changed = Vec::new();
    let mut problems = Vec::new();
    for view in views {
        let Some(capture) = capture_of(inbox, view) else {
            continue;
        };
        let before = inbox.get(view.id.as_str()).cloned();
        match inbox.capture(capture) {
            Ok(captured) => match inbox.get(&captured.id) {
                Some(after) if before.as_ref() != Some(after) => changed.push(after.clone()),
                _ => {}
            },
            Err(e) => problems.push(format!("team item {}: {e}", view.id.as_str())),
        }
    }
    (changed, problems)
}

/// What taking the team vocabulary changed.
#[derive(Debug, Default, PartialEq)]
pub struct TeamTags {
    /// The vocabulary changed (to store).
    pub vocabulary: bool,
    /// Items that lost a tag the team removed (to store).
    pub items: Vec<Item>,
    /// One message per tag refused.
    pub problems: Vec<String>,
}

/// Takes the team vocabulary: each tag keeps the team's id (so tags travel between
/// members) with the team's label and colour; `removed` (tags the team had and dropped)
/// leave the vocabulary and the items; other local tags the team lacks stay.
pub fn team_tags(inbox: &mut Inbox, tags: &[TagDef], removed: &[TagId]) -> TeamTags {
    let mut out = TeamTags::default();
    for id in removed {
        let id = id.as_str();
        if inbox.vocabulary().get(id).is_none() {
            continue;
        }
        let losing: Vec<String> = inbox
            .iter()
            .filter(|it| it.tags.iter().any(|t| t == id))
            .map(|it| it.id.clone())
            .collect();
        match inbox.delete_tag(id) {
            Ok(()) => out.vocabulary = true,
            Err(e) => out.problems.push(format!("team tag {id}: {e}")),
        }
        out.items
            .extend(losing.iter().filter_map(|it| inbox.get(it)).cloned());
    }
    let vocabulary = inbox.vocabulary_mut();
    for def in tags {
        let id = def.id.as_str();
        let color = def.color.as_deref().unwrap_or(TEAM_TAG_COLOR);
        let result = match vocabulary.get(id).cloned() {
            None => vocabulary.insert(Tag {
                id: id.to_string(),
                names: TagNames {
                    en: def.label.clone(),
                    fr: def.label.clone(),
                },
                color: color.to_string(),
                digit: None,
            }),
            Some(tag)
                if tag.names.en == def.label && tag.names.fr == def.label && tag.color == color =>
            {
                continue
            }
            Some(_) => vocabulary
                .rename(id, None, &def.label)
                .and_then(|()| vocabulary.recolor(id, color)),
        };
        match result {
            Ok(()) => out.vocabulary = true,
            Err(e) => out.problems.push(format!("team tag {id}: {e}")),
        }
    }
    out
}

/// An admin's vocabulary as the team's tags, labelled in `lang` (the team has one label
/// per tag). A tag the team already has as it is keeps the team's definition verbatim, so
/// an admin's edit changes only the tags they touched.
pub fn team_defs(inbox: &Inbox, lang: Lang, held: &[TagDef]) -> Vec<TagDef> {
    inbox
        .vocabulary()
        .tags()
        .iter()
        .filter_map(|tag| {
            let id = TagId::try_from(tag.id.clone()).ok()?;
            let label = tag.name(lang);
            let same = |def: &&TagDef| {
                def.id == id
                    && def.label == label
                    && def
                        .color
                        .as_deref()
                        .unwrap_or(TEAM_TAG_COLOR)
                        .eq_ignore_ascii_case(&tag.color)
            };
            Some(held.iter().find(same).cloned().unwrap_or(TagDef {
                id,
                label: label.to_string(),
                color: Some(tag.color.clone()),
            }))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::Vocabulary;
    use crate::sync::{Change, ClientId, ItemId, Replica, TagId};

    fn capture(id: &str) -> Change {
        Change::Capture {
            capture: ops::Capture {
                network: "x".into(),
                permalink: format!("https://x.com/someone/status/{id}"),
                author: ops::Author {
                    handle: "someone".into(),
                    name: "Some One".into(),
                },
                text: "hello".into(),
                posted_at: None,
                captured_at: 1_700_000_000_000,
                captured_by: "Ana".into(),
            },
        }
    }

    #[test]
    fn a_teammates_capture_tags_and_status_reach_the_inbox_once() {
        let mut replica = Replica::new(ClientId::try_from("phone".to_string()).unwrap());
        let item = ItemId::try_from("x:42".to_string()).unwrap();
        replica.mutate(item.clone(), capture("42"), 10);
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let known = inbox.vocabulary().tags()[0].id.clone();
        for tag in [known.as_str(), "not-in-vocabulary"] {
            let tag = TagId::try_from(tag.to_string()).unwrap();
            replica.mutate(item.clone(), Change::Tag { tag, present: true }, 11);
        }
        replica.mutate(
            item.clone(),
            Change::Status {
                status: ops::Status::Done,
            },
            12,
        );
        let views: Vec<ItemView> = replica.state().items().collect();
        let (changed, problems) = merge(&mut inbox, &views);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(changed.len(), 1);
        let it = inbox.get("x:42").unwrap();
        assert_eq!((it.tags.clone(), it.status), (vec![known], Status::Done));
        assert_eq!(it.captured_by, "Ana");
        let (again, _) = merge(&mut inbox, &views);
        assert!(again.is_empty(), "the same state twice changes nothing");
    }

    #[test]
    fn a_tag_without_its_capture_waits_unless_the_item_is_known() {
        let mut replica = Replica::new(ClientId::try_from("phone".to_string()).unwrap());
        let item = ItemId::try_from("x:7".to_string()).unwrap();
        replica.mutate(
            item,
            Change::Note {
                note: "call back".into(),
            },
            1,
        );
        let views: Vec<ItemView> = replica.state().items().collect();
        let mut inbox = Inbox::new(Vocabulary::defaults());
        assert_eq!(merge(&mut inbox, &views).0.len(), 0);
        assert!(inbox.is_empty());
    }

    #[test]
    fn team_tags_keep_their_ids_and_take_their_labels() {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let first = inbox.vocabulary().tags()[0].id.clone();
        let tags = vec![
            TagDef {
                id: TagId::try_from("vip".to_string()).unwrap(),
                label: "VIP".into(),
                color: Some("#123456".into()),
            },
            TagDef {
                id: TagId::try_from(first.clone()).unwrap(),
                label: "Renamed by the team".into(),
                color: None,
            },
        ];
        let taken = team_tags(&mut inbox, &tags, &[]);
        assert!(taken.vocabulary && taken.problems.is_empty(), "{taken:?}");
        assert_eq!(inbox.vocabulary().get("vip").unwrap().color, "#123456");
        assert_eq!(
            inbox.vocabulary().get(&first).unwrap().names.fr,
            "Renamed by the team"
        );
        assert_eq!(team_tags(&mut inbox, &tags, &[]), TeamTags::default());
    }

    #[test]
    fn a_tag_the_team_removed_leaves_the_vocabulary_and_the_items() {
        let mut replica = Replica::new(ClientId::try_from("phone".to_string()).unwrap());
        let item = ItemId::try_from("x:42".to_string()).unwrap();
        replica.mutate(item.clone(), capture("42"), 10);
        let vip = TagId::try_from("vip".to_string()).unwrap();
        let def = TagDef {
            id: vip.clone(),
            label: "VIP".into(),
            color: None,
        };
        let mut inbox = Inbox::new(Vocabulary::defaults());
        team_tags(&mut inbox, &[def], &[]);
        replica.mutate(
            item,
            Change::Tag {
                tag: vip.clone(),
                present: true,
            },
            11,
        );
        let views: Vec<ItemView> = replica.state().items().collect();
        merge(&mut inbox, &views);
        assert_eq!(inbox.get("x:42").unwrap().tags, ["vip"]);
        let taken = team_tags(&mut inbox, &[], std::slice::from_ref(&vip));
        assert!(taken.vocabulary);
        assert_eq!(taken.items.len(), 1);
        assert!(taken.items[0].tags.is_empty());
        assert!(inbox.vocabulary().get("vip").is_none());
        assert_eq!(
            team_tags(&mut inbox, &[], &[vip]),
            TeamTags::default(),
            "gone already"
        );
    }

    #[test]
    fn an_admins_vocabulary_becomes_the_teams_with_untouched_tags_verbatim() {
        let mut inbox = Inbox::new(Vocabulary::empty());
        let held = vec![TagDef {
            id: TagId::try_from("vip".to_string()).unwrap(),
            label: "VIP".into(),
            color: None,
        }];
        team_tags(&mut inbox, &held, &[]);
        inbox
            .vocabulary_mut()
            .add("Presse", Some("#00796b"))
            .unwrap();
        let defs = team_defs(&inbox, Lang::Fr, &held);
        assert_eq!(
            defs[0], held[0],
            "no colour invented for an untouched team tag"
        );
        assert_eq!(defs[1].id.as_str(), "presse");
        assert_eq!(
            (defs[1].label.as_str(), defs[1].color.as_deref()),
            ("Presse", Some("#00796b"))
        );
        inbox
            .vocabulary_mut()
            .rename("vip", Some(Lang::En), "VIP client")
            .unwrap();
        assert_eq!(team_defs(&inbox, Lang::En, &held)[0].label, "VIP client");
        assert_eq!(team_defs(&inbox, Lang::Fr, &held)[0], held[0]);
    }
}
