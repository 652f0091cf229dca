//! The targets of a multi-target command (`matrix`, `explore`): `--targets` names, each a managed
//! emulator unless `--endpoint NAME=URL` says where the user runs it.

/// One column to run: its name and, for an emulator the user runs, its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Column {
    pub(super) name: String,
    pub(super) endpoint: Option<String>,
}

/// The columns in order: `--targets`, then `--endpoint` names not already listed.
pub(super) fn columns(
    targets: &[String],
    endpoints: &[String],
    reference: Option<&str>,
) -> Result<Vec<Column>, String> {
    let mut out: Vec<Column> = Vec::new();
    for t in targets.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if out.iter().any(|c| c.name == t) {
            return Err(format!("target `{t}` is listed twice in --targets"));
        }
        out.push(Column {
            name: t.to_owned(),
            endpoint: None,
        });
    }
    for e in endpoints {
        let (name, url) = e
            .split_once('=')
            .map(|(n, u)| (n.trim(), u.trim()))
            .filter(|(n, u)| !n.is_empty() && !u.is_empty())
            .ok_or_else(|| format!("--endpoint takes NAME=URL, not `{e}`"))?;
        match out.iter_mut().find(|c| c.name == name) {
            Some(c) if c.endpoint.is_some() => {
                return Err(format!("--endpoint gives `{name}` two URLs"))
            }
            Some(c) => c.endpoint = Some(url.to_owned()),
            None => out.push(Column {
                name: name.to_owned(),
                endpoint: Some(url.to_owned()),
            }),
        }
    }
    if out.is_empty() {
        return Err("no target: pass --targets NAME[,NAME...] or --endpoint NAME=URL".into());
    }
    if let Some(r) = reference {
        if out.iter().any(|c| c.name == r) {
            return Err(format!(
                "`{r}` is both a target and the --reference: the reference is read from its snapshots, not run"
            ));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(c: &[Column]) -> Vec<(&str, Option<&str>)> {
        c.iter()
            .map(|c| (c.name.as_str(), c.endpoint.as_deref()))
            .collect()
    }

    #[test]
    fn endpoints_attach_to_targets_or_add_columns() {
        let c = columns(
            &["moto".into(), "cognito-local".into()],
            &[
                "cognito-local=http://127.0.0.1:9229".into(),
                "mine=http://127.0.0.1:1".into(),
            ],
            None,
        )
        .unwrap_or_default();
        assert_eq!(
            names(&c),
            vec![
                ("moto", None),
                ("cognito-local", Some("http://127.0.0.1:9229")),
                ("mine", Some("http://127.0.0.1:1"))
            ]
        );
    }

    #[test]
    fn bad_columns_are_usage_errors() {
        let moto = vec!["moto".to_owned()];
        assert!(columns(&["a".into(), "a".into()], &[], None).is_err());
        assert!(columns(&moto, &["moto".into()], None).is_err());
        assert!(columns(&moto, &["=http://x".into()], None).is_err());
        assert!(columns(&moto, &["b=1".into(), "b=2".into()], None).is_err());
        assert!(columns(&[], &[], None).is_err());
        assert!(columns(&moto, &[], Some("moto")).is_err());
        assert!(columns(&moto, &[], Some("aws")).is_ok());
    }
}
