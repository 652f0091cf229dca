//! Addressing nodes inside a [`Doc`] by the child indexes that lead to them, for mutation and shrinking.

use super::doc::Doc;

/// Child indexes from the root; empty for the root itself.
pub(crate) type NodePath = Vec<usize>;

/// Every node's path, the root first, parents before children.
pub fn paths(doc: &Doc) -> Vec<NodePath> {
    let mut out = Vec::new();
    collect(doc, &mut Vec::new(), &mut out);
    out
}

fn collect(doc: &Doc, at: &mut NodePath, out: &mut Vec<NodePath>) {
    out.push(at.clone());
    let children: Vec<&Doc> = match doc {
        Doc::List(items) => items.iter().collect(),
        Doc::Object(members) => members.iter().map(|(_, v)| v).collect(),
        _ => Vec::new(),
    };
    for (i, child) in children.into_iter().enumerate() {
        at.push(i);
        collect(child, at, out);
        at.pop();
    }
}

pub fn get<'d>(doc: &'d Doc, path: &[usize]) -> Option<&'d Doc> {
    path.iter().try_fold(doc, |node, &i| match node {
        Doc::List(items) => items.get(i),
        Doc::Object(members) => members.get(i).map(|(_, v)| v),
        _ => None,
    })
}

pub fn get_mut<'d>(doc: &'d mut Doc, path: &[usize]) -> Option<&'d mut Doc> {
    path.iter().try_fold(doc, |node, &i| match node {
        Doc::List(items) => items.get_mut(i),
        Doc::Object(members) => members.get_mut(i).map(|(_, v)| v),
        _ => None,
    })
}

/// Removes the node at `path` from its parent; `false` for the root or a path that leads nowhere.
pub fn remove(doc: &mut Doc, path: &[usize]) -> bool {
    let Some((&last, parent)) = path.split_last() else {
        return false;
    };
    match get_mut(doc, parent) {
        Some(Doc::List(items)) if last < items.len() => {
            items.remove(last);
            true
        }
        Some(Doc::Object(members)) if last < members.len() => {
            members.remove(last);
            true
        }
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample() -> Doc {
        Doc::Object(vec![
            ("a".into(), Doc::List(vec![Doc::Int(1), Doc::Int(2)])),
            ("b".into(), Doc::Null),
        ])
    }

    #[test]
    fn paths_reach_every_node() {
        let doc = sample();
        let all = paths(&doc);
        assert_eq!(all, vec![vec![], vec![0], vec![0, 0], vec![0, 1], vec![1]]);
        assert_eq!(get(&doc, &[0, 1]), Some(&Doc::Int(2)));
        assert_eq!(get(&doc, &[1, 0]), None);
    }

    #[test]
    fn remove_takes_the_node_out_of_its_parent() {
        let mut doc = sample();
        assert!(remove(&mut doc, &[0, 0]));
        assert!(!remove(&mut doc, &[]));
        assert!(!remove(&mut doc, &[5]));
        assert_eq!(doc.to_text(), "{\"a\":[2],\"b\":null}");
        *get_mut(&mut doc, &[1]).unwrap() = Doc::Bool(true);
        assert_eq!(doc.to_text(), "{\"a\":[2],\"b\":true}");
    }
}
