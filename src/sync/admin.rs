//! An admin's edit of the team configuration on its way to the store. The edit is kept
//! (in the sync state, so it survives restarts) until the store took it or the admin
//! discarded it: a failed `PUT /v1/config` never loses it.
//!
//! Each edit remembers the version it started from (sent as `If-Match`). When another
//! admin saved first (412), the edit waits in [`DraftState::Conflict`] while the newer
//! configuration is shown; re-applying merges three ways, so the admin's changes win
//! where they made them and the other admin's stay everywhere else.

use super::ids::TagId;
use super::wire::{ConfigDocument, Role, TagDef, TeamConfig};
use serde::{Deserialize, Serialize};

/// What an admin asks of the team configuration (from the options page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigEdit {
    /// New charter and template texts, edited from the configuration of `base_version`.
    Texts {
        charter: String,
        templates: String,
        base_version: Option<u64>,
    },
    /// The admin's tag vocabulary as the team's (read from the inbox by the worker).
    Tags(Vec<TagDef>),
    /// After a conflict: merge the kept edit onto the configuration now held and send it.
    Reapply,
    /// Drop the kept edit; the configuration held becomes the admin's again.
    Discard,
}

/// Why a team configuration edit cannot be made here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The token is a member's: the team's admins edit it.
    Member,
    /// The store has not yet said who the token is, or sent its configuration.
    Unknown,
    /// Re-apply or discard with no edit kept.
    NothingKept,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Refusal::Member => "managed by your team's store: only a team admin can change it",
            Refusal::Unknown => {
                "the team store has not confirmed your role yet: try again once it is reachable"
            }
            Refusal::NothingKept => "there is no kept edit of the team configuration",
        }
    }
}

/// Whether a token of `role` may edit the team configuration.
pub fn may_edit(role: Option<Role>) -> Result<(), Refusal> {
    match role {
        Some(Role::Admin) => Ok(()),
        Some(Role::Member) => Err(Refusal::Member),
        None => Err(Refusal::Unknown),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftState {
    /// To send (again after a failure the store may get over: offline, 5xx, 429).
    Pending,
    /// Another admin saved first: the admin re-applies or discards.
    Conflict,
    /// The store will not take it as it is (invalid, or not an admin): the admin edits
    /// again or discards; the message says why.
    Refused { message: String },
}

/// The admin's edit: what they want the configuration to be, and where they started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigDraft {
    pub base: ConfigDocument,
    pub mine: TeamConfig,
    pub state: DraftState,
}

impl DraftState {
    /// `pending`, `conflict` or `refused`, and the store's reason for a refusal.
    pub fn describe(&self) -> (&'static str, Option<&str>) {
        match self {
            DraftState::Pending => ("pending", None),
            DraftState::Conflict => ("conflict", None),
            DraftState::Refused { message } => ("refused", Some(message)),
        }
    }
}

impl ConfigDraft {
    /// The parts of the configuration this edit changes.
    pub fn changed(&self) -> Vec<&'static str> {
        let base = &self.base.config;
        [
            ("charter", base.charter != self.mine.charter),
            ("templates", base.templates != self.mine.templates),
            ("tags", base.tags != self.mine.tags),
        ]
        .into_iter()
        .filter_map(|(part, changed)| changed.then_some(part))
        .collect()
    }

    /// Takes `edit` on top of what is kept. A conflict stays a conflict (nothing is sent
    /// before the admin chose); a refusal is over (the admin changed something).
    pub fn apply(&mut self, edit: ConfigEdit) {
        match edit {
            ConfigEdit::Texts {
                charter, templates, ..
            } => {
                self.mine.charter = charter;
                self.mine.templates = templates;
            }
            ConfigEdit::Tags(tags) => self.mine.tags = tags,
            ConfigEdit::Reapply | ConfigEdit::Discard => return,
        }
        if matches!(self.state, DraftState::Refused { .. }) {
            self.state = DraftState::Pending;
        }
    }

    /// Moves the edit onto `current` (re-apply after a conflict).
    pub fn rebase(&mut self, current: &ConfigDocument) {
        self.mine = merge3(&self.base.config, &self.mine, &current.config);
        self.base = current.clone();
        self.state = DraftState::Pending;
    }

    /// Nothing left to send: the edit says what the base says.
    pub fn is_empty(&self) -> bool {
        self.mine == self.base.config
    }
}

/// Three-way merge of configurations: each text is mine where I changed it, theirs
/// otherwise; tags merge per id the same way (added, changed or removed by me wins; the
/// rest is theirs), in their order with my additions after.
pub fn merge3(base: &TeamConfig, mine: &TeamConfig, theirs: &TeamConfig) -> TeamConfig {
    let text = |b: &String, m: &String, t: &String| if m != b { m } else { t }.clone();
    let find = |tags: &[TagDef], id: &TagId| tags.iter().find(|t| &t.id == id).cloned();
    let mut tags = Vec::new();
    for their in &theirs.tags {
        let (b, m) = (find(&base.tags, &their.id), find(&mine.tags, &their.id));
        let pick = if m != b { m } else { Some(their.clone()) };
        tags.extend(pick);
    }
    for my in &mine.tags {
        let in_theirs = theirs.tags.iter().any(|t| t.id == my.id);
        if !in_theirs && find(&base.tags, &my.id).as_ref() != Some(my) {
            tags.push(my.clone());
        }
    }
    TeamConfig {
        charter: text(&base.charter, &mine.charter, &theirs.charter),
        templates: text(&base.templates, &mine.templates, &theirs.templates),
        tags,
    }
}

/// The tags in `before` that `after` no longer has: a member's inbox drops them too.
pub fn removed_tags(before: &TeamConfig, after: &TeamConfig) -> Vec<TagId> {
    before
        .tags
        .iter()
        .filter(|b| !after.tags.iter().any(|a| a.id == b.id))
        .map(|b| b.id.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(id: &str, label: &str) -> TagDef {
        TagDef {
            id: TagId::try_from(id.to_string()).unwrap(),
            label: label.into(),
            color: None,
        }
    }

    fn config(charter: &str, tags: &[(&str, &str)]) -> TeamConfig {
        TeamConfig {
            charter: charter.into(),
            templates: String::new(),
            tags: tags.iter().map(|(id, label)| tag(id, label)).collect(),
        }
    }

    #[test]
    fn merging_keeps_my_changes_and_theirs_elsewhere() {
        let base = config("v1", &[("vip", "VIP"), ("lead", "Lead"), ("bug", "Bug")]);
        // I renamed vip, removed bug, added press; they changed the charter, renamed
        // lead, removed vip... and added urgent.
        let mine = config(
            "v1",
            &[("vip", "VIP client"), ("lead", "Lead"), ("press", "Press")],
        );
        let theirs = config(
            "v2",
            &[("lead", "Prospect"), ("bug", "Bug"), ("urgent", "Urgent")],
        );
        let merged = merge3(&base, &mine, &theirs);
        assert_eq!(merged.charter, "v2");
        assert_eq!(
            merged,
            config(
                "v2",
                &[
                    ("lead", "Prospect"),
                    ("urgent", "Urgent"),
                    ("vip", "VIP client"),
                    ("press", "Press"),
                ]
            )
        );
        let mine_charter = config(
            "mine",
            &base
                .tags
                .iter()
                .map(|t| (t.id.as_str(), t.label.as_str()))
                .collect::<Vec<_>>(),
        );
        assert_eq!(merge3(&base, &mine_charter, &theirs).charter, "mine");
        assert_eq!(
            merge3(&base, &base, &theirs),
            theirs,
            "no edit: theirs whole"
        );
    }

    #[test]
    fn a_conflict_waits_for_the_admin_and_a_refusal_ends_with_the_next_edit() {
        let doc = |version, charter: &str| ConfigDocument {
            version,
            updated_at: 0,
            config: config(charter, &[("vip", "VIP")]),
        };
        let mut draft = ConfigDraft {
            base: doc(1, "v1"),
            mine: doc(1, "v1").config,
            state: DraftState::Conflict,
        };
        assert!(draft.is_empty());
        draft.apply(ConfigEdit::Texts {
            charter: "mine".into(),
            templates: String::new(),
            base_version: Some(1),
        });
        assert_eq!(draft.state, DraftState::Conflict);
        assert_eq!(draft.changed(), ["charter"]);
        draft.rebase(&doc(2, "v2"));
        assert_eq!(
            (draft.base.version, draft.mine.charter.as_str()),
            (2, "mine")
        );
        assert_eq!(draft.state, DraftState::Pending);
        draft.state = DraftState::Refused {
            message: "charter too long".into(),
        };
        draft.apply(ConfigEdit::Tags(vec![]));
        assert_eq!(draft.state, DraftState::Pending);
        assert_eq!(draft.changed(), ["charter", "tags"]);
    }

    #[test]
    fn only_admins_edit_and_removed_tags_are_named() {
        assert_eq!(may_edit(Some(Role::Admin)), Ok(()));
        assert_eq!(may_edit(Some(Role::Member)), Err(Refusal::Member));
        assert_eq!(may_edit(None), Err(Refusal::Unknown));
        let before = config("", &[("vip", "VIP"), ("bug", "Bug")]);
        let after = config("", &[("bug", "Bugs")]);
        let removed = removed_tags(&before, &after);
        assert_eq!(removed, [TagId::try_from("vip".to_string()).unwrap()]);
    }
}
