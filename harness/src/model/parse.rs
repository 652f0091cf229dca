//! Conversion of botocore's `service-2.json` (docs stripped) into [`Model`], checking every shape reference.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value};

use super::types::{Auth, Member, Model, Operation, Shape};

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("model is not valid JSON")]
    Json(#[source] serde_json::Error),
    #[error("missing or invalid `{0}`")]
    Field(String),
    #[error("shape `{shape}` has unsupported type `{kind}`")]
    UnsupportedType { shape: String, kind: String },
    #[error("`{from}` refers to shape `{shape}`, which the model does not define")]
    MissingShape { from: String, shape: String },
}

/// Parses a service model and checks that every shape it refers to exists.
pub fn parse(json: &str) -> Result<Model, ModelError> {
    let root: Value = serde_json::from_str(json).map_err(ModelError::Json)?;
    let source_version = string_at(&root, &["generatedFrom", "version"])?;
    let target_prefix = string_at(&root, &["metadata", "targetPrefix"])?;

    let mut shapes = HashMap::new();
    for (name, raw) in object(&root, "shapes")? {
        shapes.insert(name.clone(), shape(name, raw)?);
    }
    let mut operations = BTreeMap::new();
    for (name, raw) in object(&root, "operations")? {
        operations.insert(name.clone(), operation(name, raw)?);
    }

    let model = Model {
        source_version,
        target_prefix,
        operations,
        shapes,
    };
    check_references(&model)?;
    Ok(model)
}

fn object<'a>(value: &'a Value, key: &str) -> Result<&'a Map<String, Value>, ModelError> {
    value
        .get(key)
        .and_then(Value::as_object)
        .ok_or_else(|| ModelError::Field(key.to_owned()))
}

fn string_at(root: &Value, path: &[&str]) -> Result<String, ModelError> {
    path.iter()
        .try_fold(root, |value, key| value.get(key))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| ModelError::Field(path.join(".")))
}

fn shape_ref(value: &Value, key: &str, context: &str) -> Result<Option<String>, ModelError> {
    match value.get(key) {
        None => Ok(None),
        Some(target) => target
            .get("shape")
            .and_then(Value::as_str)
            .map(|s| Some(s.to_owned()))
            .ok_or_else(|| ModelError::Field(format!("{context}.{key}.shape"))),
    }
}

fn required_ref(value: &Value, key: &str, context: &str) -> Result<String, ModelError> {
    shape_ref(value, key, context)?.ok_or_else(|| ModelError::Field(format!("{context}.{key}")))
}

fn flag(value: &Value, key: &str) -> bool {
    value.get(key).and_then(Value::as_bool).unwrap_or(false)
}

fn int(value: &Value, key: &str) -> Option<i64> {
    value.get(key).and_then(Value::as_i64)
}

fn operation(name: &str, raw: &Value) -> Result<Operation, ModelError> {
    let context = format!("operations.{name}");
    let errors = match raw.get("errors") {
        None => Vec::new(),
        Some(list) => list
            .as_array()
            .ok_or_else(|| ModelError::Field(format!("{context}.errors")))?
            .iter()
            .map(|e| {
                e.get("shape")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| ModelError::Field(format!("{context}.errors.shape")))
            })
            .collect::<Result<_, _>>()?,
    };
    let no_auth = raw
        .get("auth")
        .and_then(Value::as_array)
        .is_some_and(|schemes| {
            schemes
                .iter()
                .any(|s| s.as_str() == Some("smithy.api#noAuth"))
        })
        || raw.get("authtype").and_then(Value::as_str) == Some("none");
    Ok(Operation {
        name: name.to_owned(),
        input: shape_ref(raw, "input", &context)?,
        output: shape_ref(raw, "output", &context)?,
        errors,
        auth: if no_auth { Auth::NoAuth } else { Auth::SigV4 },
    })
}

fn shape(name: &str, raw: &Value) -> Result<Shape, ModelError> {
    let context = format!("shapes.{name}");
    let kind = raw
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| ModelError::Field(format!("{context}.type")))?;
    let (min, max) = (int(raw, "min"), int(raw, "max"));
    Ok(match kind {
        "structure" if flag(raw, "document") => Shape::Document,
        "structure" => structure(raw, &context)?,
        "string" => Shape::String {
            pattern: raw
                .get("pattern")
                .and_then(Value::as_str)
                .map(str::to_owned),
            min,
            max,
            enum_values: raw
                .get("enum")
                .and_then(Value::as_array)
                .map(|values| {
                    values
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
            sensitive: flag(raw, "sensitive"),
        },
        "integer" => Shape::Integer { min, max },
        "long" => Shape::Long { min, max },
        "float" => Shape::Float,
        "double" => Shape::Double,
        "boolean" => Shape::Boolean,
        "timestamp" => Shape::Timestamp,
        "blob" => Shape::Blob { min, max },
        "list" => Shape::List {
            member: required_ref(raw, "member", &context)?,
            min,
            max,
        },
        "map" => Shape::Map {
            key: required_ref(raw, "key", &context)?,
            value: required_ref(raw, "value", &context)?,
            min,
            max,
        },
        other => {
            return Err(ModelError::UnsupportedType {
                shape: name.to_owned(),
                kind: other.to_owned(),
            })
        }
    })
}

fn structure(raw: &Value, context: &str) -> Result<Shape, ModelError> {
    let members = match raw.get("members") {
        None => Vec::new(),
        Some(members) => members
            .as_object()
            .ok_or_else(|| ModelError::Field(format!("{context}.members")))?
            .iter()
            .map(|(member, target)| {
                let shape = target.get("shape").and_then(Value::as_str).ok_or_else(|| {
                    ModelError::Field(format!("{context}.members.{member}.shape"))
                })?;
                Ok((
                    member.clone(),
                    Member {
                        shape: shape.to_owned(),
                    },
                ))
            })
            .collect::<Result<_, ModelError>>()?,
    };
    let required = raw
        .get("required")
        .and_then(Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(Shape::Structure {
        members,
        required,
        exception: flag(raw, "exception"),
        fault: flag(raw, "fault"),
    })
}

fn check_references(model: &Model) -> Result<(), ModelError> {
    let check = |from: String, shape: &str| {
        if model.shapes.contains_key(shape) {
            Ok(())
        } else {
            Err(ModelError::MissingShape {
                from,
                shape: shape.to_owned(),
            })
        }
    };
    for (name, op) in &model.operations {
        for target in op.input.iter().chain(&op.output).chain(&op.errors) {
            check(format!("operations.{name}"), target)?;
        }
    }
    for (name, shape) in &model.shapes {
        match shape {
            Shape::Structure { members, .. } => {
                for (member, target) in members {
                    check(format!("shapes.{name}.{member}"), &target.shape)?;
                }
            }
            Shape::List { member, .. } => check(format!("shapes.{name}"), member)?,
            Shape::Map { key, value, .. } => {
                check(format!("shapes.{name}"), key)?;
                check(format!("shapes.{name}"), value)?;
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const TINY: &str = r#"{
      "generatedFrom": {"package": "botocore", "version": "1.2.3", "file": "x.json"},
      "metadata": {"targetPrefix": "Svc"},
      "operations": {
        "Open": {"name": "Open", "input": {"shape": "Req"}, "auth": ["smithy.api#noAuth"]},
        "Shut": {"name": "Shut", "authtype": "none"},
        "Admin": {"name": "Admin", "input": {"shape": "Req"}, "errors": [{"shape": "Boom"}]}
      },
      "shapes": {
        "Req": {"type": "structure", "members": {"Z": {"shape": "S"}, "A": {"shape": "L"}}, "required": ["Z"]},
        "S": {"type": "string", "pattern": "[a-z]+", "min": 1, "max": 5, "enum": ["a", "b"]},
        "L": {"type": "list", "member": {"shape": "S"}},
        "Boom": {"type": "structure", "members": {}, "exception": true, "fault": true}
      }
    }"#;

    #[test]
    fn parses_a_small_model_keeping_member_order() {
        let model = parse(TINY).unwrap();
        assert_eq!(model.source_version(), "1.2.3");
        assert_eq!(model.target_prefix(), "Svc");
        assert_eq!(
            model.operation_names().collect::<Vec<_>>(),
            ["Admin", "Open", "Shut"]
        );
        assert_eq!(model.operation("Open").unwrap().auth, Auth::NoAuth);
        assert_eq!(model.operation("Shut").unwrap().auth, Auth::NoAuth);
        assert_eq!(model.operation("Admin").unwrap().auth, Auth::SigV4);
        assert_eq!(model.operation("Admin").unwrap().errors, ["Boom"]);
        assert_eq!(
            model
                .shape("Req")
                .unwrap()
                .member_names()
                .collect::<Vec<_>>(),
            ["Z", "A"]
        );
        assert_eq!(
            model.shape("Boom"),
            Some(&Shape::Structure {
                members: vec![],
                required: vec![],
                exception: true,
                fault: true
            })
        );
    }

    #[test]
    fn rejects_a_dangling_shape_reference() {
        let broken = TINY.replace(
            r#""member": {"shape": "S"}"#,
            r#""member": {"shape": "Nope"}"#,
        );
        let err = parse(&broken).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`shapes.L` refers to shape `Nope`, which the model does not define"
        );
    }

    #[test]
    fn rejects_missing_metadata_and_bad_json() {
        let no_prefix = TINY.replace(r#""targetPrefix": "Svc""#, r#""other": 1"#);
        assert_eq!(
            parse(&no_prefix).unwrap_err().to_string(),
            "missing or invalid `metadata.targetPrefix`"
        );
        assert!(matches!(parse("{"), Err(ModelError::Json(_))));
    }

    #[test]
    fn rejects_an_unknown_shape_type() {
        let odd = TINY.replace(r#""type": "list""#, r#""type": "union""#);
        assert_eq!(
            parse(&odd).unwrap_err().to_string(),
            "shape `L` has unsupported type `union`"
        );
    }
}
