//! Variables bound during a scenario run (`pool.id`, `alice.access_token`, captures), and which are secret.

use std::collections::BTreeMap;

/// How a bound value must be treated on its way to a snapshot, report or log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sensitivity {
    /// Never shown: replaced by `<label>` everywhere (tokens, passwords, TOTP secrets, sessions).
    Secret { label: String },
    /// Volatile: replaced by a numbered placeholder of this kind (`<user-pool-id:1>`).
    Volatile { kind: String },
    /// Shown as `shown` instead: a username made unique in a shared pool is shown as its fixture name.
    Alias { shown: String },
    /// Stable and harmless: shown as is.
    Plain,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Binding {
    pub value: serde_json::Value,
    pub sensitivity: Sensitivity,
}

/// All variables of one scenario run, by dotted name.
#[derive(Debug, Clone, Default)]
pub struct Bindings {
    vars: BTreeMap<String, Binding>,
}

impl Bindings {
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.vars.get(name).map(|b| &b.value)
    }

    pub(crate) fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(|v| v.as_str())
    }

    pub fn set(
        &mut self,
        name: impl Into<String>,
        value: serde_json::Value,
        sensitivity: Sensitivity,
    ) {
        self.vars
            .insert(name.into(), Binding { value, sensitivity });
    }

    pub(crate) fn set_str(
        &mut self,
        name: impl Into<String>,
        value: &str,
        sensitivity: Sensitivity,
    ) {
        self.set(
            name,
            serde_json::Value::String(value.to_owned()),
            sensitivity,
        );
    }

    /// Every binding with its name, in name order (for registering secrets with the normaliser).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Binding)> {
        self.vars.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// The label under which a user's secret is redacted, e.g. `access-token:alice`.
pub(crate) fn secret(kind: &str, user: &str) -> Sensitivity {
    Sensitivity::Secret {
        label: format!("{kind}:{user}"),
    }
}

pub(crate) fn volatile(kind: &str) -> Sensitivity {
    Sensitivity::Volatile {
        kind: kind.to_owned(),
    }
}
