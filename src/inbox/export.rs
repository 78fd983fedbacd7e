//! Exports of the current filter: CSV for spreadsheets, JSON for re-import.
//!
//! CSV follows RFC 4180 (CRLF rows, fields with the delimiter, quotes or line breaks are
//! quoted, quotes doubled) and starts with a UTF-8 byte-order mark so Excel in a French
//! locale reads accents right. Cells are user text, so any cell starting with `=`, `+`,
//! `-`, `@`, tab or carriage return is prefixed with `'`: a spreadsheet then shows it as
//! text instead of running it as a formula.

use super::filter::Filter;
use super::model::Item;
use super::schema::Store;
use super::state::Inbox;
use super::tags::Vocabulary;
use crate::text::lang::Lang;

/// The CSV header, in column order.
pub const CSV_COLUMNS: [&str; 12] = [
    "id",
    "network",
    "permalink",
    "author_handle",
    "author_name",
    "text",
    "posted_at",
    "captured_at",
    "captured_by",
    "tags",
    "status",
    "note",
];

/// Separator between tag names inside the `tags` cell.
pub const TAG_SEPARATOR: &str = ", ";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvOptions {
    /// `,` (RFC 4180) or `;` (what Excel expects by default in French locales).
    pub delimiter: char,
    /// Language of the tag names in the `tags` column.
    pub lang: Lang,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: ',',
            lang: Lang::En,
        }
    }
}

/// Starts a cell that a spreadsheet would take for a formula.
fn is_formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

fn push_cell(out: &mut String, value: &str, delimiter: char) {
    let guarded = value.starts_with(is_formula_start);
    let needs_quotes = guarded
        || value.contains([delimiter, '"', '\n', '\r'])
        || value.starts_with(' ')
        || value.ends_with(' ');
    if needs_quotes {
        out.push('"');
    }
    if guarded {
        out.push('\'');
    }
    for (i, part) in value.split('"').enumerate() {
        if i > 0 {
            out.push_str("\"\"");
        }
        out.push_str(part);
    }
    if needs_quotes {
        out.push('"');
    }
}

fn push_row<'a>(out: &mut String, cells: impl IntoIterator<Item = &'a str>, delimiter: char) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        push_cell(out, cell, delimiter);
    }
    out.push_str("\r\n");
}

/// `items` as CSV (BOM, header, one row per item, tags by name).
pub fn to_csv(items: &[&Item], vocabulary: &Vocabulary, opts: CsvOptions) -> String {
    let mut out = String::with_capacity(64 + items.len() * 320);
    out.push('\u{feff}');
    push_row(&mut out, CSV_COLUMNS, opts.delimiter);
    for it in items {
        let tags: Vec<&str> = it
            .tags
            .iter()
            .map(|t| vocabulary.name(t, opts.lang))
            .collect();
        let (posted, captured) = (
            it.posted_at.map(|t| t.to_string()).unwrap_or_default(),
            it.captured_at.to_string(),
        );
        let tags = tags.join(TAG_SEPARATOR);
        push_row(
            &mut out,
            [
                it.id.as_str(),
                it.network.as_str(),
                &it.permalink,
                &it.author.handle,
                &it.author.name,
                &it.text,
                &posted,
                &captured,
                &it.captured_by,
                &tags,
                it.status.as_str(),
                &it.note,
            ],
            opts.delimiter,
        );
    }
    out
}

impl Inbox {
    /// The items the filter shows, newest first, as CSV.
    pub fn export_csv(&self, filter: &Filter, opts: CsvOptions) -> String {
        to_csv(&self.query(filter), self.vocabulary(), opts)
    }

    /// The items the filter shows, with the whole vocabulary, as an importable document.
    pub fn export_json(&self, filter: &Filter) -> String {
        let items = self.query(filter).into_iter().cloned().collect();
        Store::new(self.vocabulary().tags().to_vec(), items).to_json()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbox::state::tests::capture;
    use crate::inbox::Status;

    /// A strict RFC 4180 reader for the tests: rows of cells, CRLF line ends.
    fn read_csv(s: &str, delimiter: char) -> Vec<Vec<String>> {
        let mut rows = vec![];
        let mut row = vec![];
        let mut cell = String::new();
        let mut chars = s.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') if cell.is_empty() => quoted = true,
                (false, c) if c == delimiter => row.push(std::mem::take(&mut cell)),
                (false, '\r') => {
                    assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => {
                    assert!(c != '"' && c != '\n', "unquoted {c:?}");
                    cell.push(c);
                }
            }
        }
        assert!(
            !quoted && cell.is_empty() && row.is_empty(),
            "unterminated row"
        );
        rows
    }

    fn unguard(cell: &str) -> &str {
        match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(is_formula_start) => rest,
            _ => cell,
        }
    }

    pub(crate) const HOSTILE: &[&str] = &[
        "=HYPERLINK(\"http://evil\",\"clic\")",
        "+33 6 12 34 56 78",
        "-2+3",
        "@SUM(A1:A2)",
        "\tindent",
        "say \"hi\", then\r\nleave",
        "<script>alert('x')</script> & <b>",
        " padded ",
        "émoji 😀; point-virgule",
        "'already quoted",
        "",
    ];

    fn hostile_inbox() -> Inbox {
        let mut inbox = Inbox::new(Vocabulary::defaults());
        let lead = inbox
            .vocabulary_mut()
            .add("=cmd|' /C calc'!A0", None)
            .unwrap();
        for (n, s) in HOSTILE.iter().enumerate() {
            let mut c = capture(
                &format!("https://x.com/a/status/{n}?utm_source=x"),
                "a",
                s,
                &format!("2024-05-01T10:{n:02}:00Z"),
            );
            c.author.name = s.to_string();
            c.captured_by = s.to_string();
            c.note = Some(s.to_string());
            c.tags = Some(vec!["complaint".into(), lead.clone()]);
            c.status = Some(if n % 2 == 0 {
                Status::Done
            } else {
                Status::Open
            });
            inbox.capture(c).unwrap();
        }
        inbox
    }

    #[test]
    fn csv_round_trips_hostile_text_and_defuses_formulas() {
        let inbox = hostile_inbox();
        for delimiter in [',', ';'] {
            let opts = CsvOptions {
                delimiter,
                lang: Lang::Fr,
            };
            let csv = inbox.export_csv(&Filter::default(), opts);
            let body = csv.strip_prefix('\u{feff}').expect("BOM first");
            let rows = read_csv(body, delimiter);
            assert_eq!(rows[0], CSV_COLUMNS);
            assert_eq!(rows.len(), HOSTILE.len() + 1);
            for (row, it) in rows[1..].iter().zip(inbox.iter()) {
                assert_eq!(row.len(), CSV_COLUMNS.len());
                for cell in row {
                    assert!(!cell.starts_with(is_formula_start), "live formula {cell:?}");
                }
                let tags: Vec<&str> = it
                    .tags
                    .iter()
                    .map(|t| inbox.vocabulary().name(t, Lang::Fr))
                    .collect();
                let expected = [
                    it.id.clone(),
                    it.network.as_str().into(),
                    it.permalink.clone(),
                    it.author.handle.clone(),
                    it.author.name.clone(),
                    it.text.clone(),
                    String::new(),
                    it.captured_at.to_string(),
                    it.captured_by.clone(),
                    tags.join(TAG_SEPARATOR),
                    it.status.as_str().into(),
                    it.note.clone(),
                ];
                let got: Vec<&str> = row.iter().map(|c| unguard(c)).collect();
                assert_eq!(got, expected);
            }
        }
    }

    #[test]
    fn csv_names_tags_in_the_chosen_language_and_follows_the_filter() {
        let inbox = hostile_inbox();
        let filter = Filter {
            status: Some(Status::Done),
            ..Filter::default()
        };
        let csv = inbox.export_csv(
            &filter,
            CsvOptions {
                delimiter: ',',
                lang: Lang::Fr,
            },
        );
        // Header and the done rows (even numbers); the text with a CRLF is odd, so open.
        assert_eq!(csv.matches("\r\n").count(), 1 + HOSTILE.len().div_ceil(2));
        assert!(csv.contains("\"Réclamation, =cmd|' /C calc'!A0\""), "{csv}");
        assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"clic\"\")\""));
    }

    #[test]
    fn json_export_imports_back_with_nothing_lost() {
        let inbox = hostile_inbox();
        let json = inbox.export_json(&Filter::default());
        let store = crate::inbox::parse_import(&json).unwrap();
        let mut back = Inbox::new(Vocabulary::empty());
        let report = back.import(store);
        assert_eq!((report.added, report.updated), (HOSTILE.len(), 0));
        assert_eq!(back.to_store(), inbox.to_store());
        // Importing again merges: no duplicates, nothing changes.
        let again = back.import(crate::inbox::parse_import(&json).unwrap());
        assert_eq!(
            (again.added, again.updated, again.unchanged),
            (0, 0, HOSTILE.len())
        );
        assert_eq!(back.to_store(), inbox.to_store());
    }
}
