//! Generated sections of a Markdown document written by more than one command (the
//! validation report is written by `calibrate`, and an experiment adds its own section):
//! each section sits between `<!-- begin ID -->` and `<!-- end ID -->`, so a command can
//! replace its own section and keep everything else.

fn markers(id: &str) -> (String, String) {
    (format!("<!-- begin {id} -->"), format!("<!-- end {id} -->"))
}

/// `doc` with the section `id` replaced by `body` (appended at the end when absent).
pub fn upsert(doc: &str, id: &str, body: &str) -> String {
    let (begin, end) = markers(id);
    let block = format!("{begin}\n{}\n{end}", body.trim_end());
    if let (Some(b), Some(e)) = (doc.find(&begin), doc.find(&end))
        && b < e
    {
        return format!("{}{block}{}", &doc[..b], &doc[e + end.len()..]);
    }
    let mut out = doc.trim_end().to_string();
    if !out.is_empty() {
        out.push_str("\n\n");
    }
    out.push_str(&block);
    out.push('\n');
    out
}

/// The sections of `doc`, as (id, whole block with its markers), in order.
pub fn sections(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = doc;
    while let Some(b) = rest.find("<!-- begin ") {
        let after = &rest[b + "<!-- begin ".len()..];
        let Some(close) = after.find(" -->") else {
            break;
        };
        let id = &after[..close];
        let (_, end) = markers(id);
        let Some(e) = rest[b..].find(&end) else {
            break;
        };
        out.push((id.to_string(), rest[b..b + e + end.len()].to_string()));
        rest = &rest[b + e + end.len()..];
    }
    out
}

/// `new` with the sections of `old` that `new` lacks appended: a regenerated document
/// keeps what other commands wrote into it.
pub fn keep_sections(old: &str, new: &str) -> String {
    let mut out = new.to_string();
    for (id, block) in sections(old) {
        if !sections(&out).iter().any(|(i, _)| *i == id) {
            out = format!("{}\n\n{block}\n", out.trim_end());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_replaced_and_the_rest_kept() {
        let doc = upsert("# Report\n\ntext\n", "x", "one");
        assert_eq!(
            doc,
            "# Report\n\ntext\n\n<!-- begin x -->\none\n<!-- end x -->\n"
        );
        let again = upsert(&doc, "x", "two");
        assert_eq!(again, doc.replace("one", "two"));
        let both = upsert(&again, "y", "three");
        assert_eq!(sections(&both).len(), 2);
        // A regenerated document keeps the sections it lacks.
        let kept = keep_sections(&both, "# New report\n");
        assert!(kept.starts_with("# New report\n"));
        assert_eq!(sections(&kept), sections(&both));
        assert_eq!(keep_sections(&both, &both), both);
    }
}
