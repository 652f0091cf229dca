//! A YAML document as a tree in which every node, map keys included, keeps where it came from.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::span::Span;

/// One YAML node and its position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Yaml {
    pub kind: YamlKind,
    pub span: Span,
    /// Byte range of the node in the source text, when the parser knows it.
    pub bytes: Option<(usize, usize)>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum YamlKind {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Yaml>),
    /// Entries in file order; duplicates are kept so the validator can report them.
    Map(Vec<(Yaml, Yaml)>),
}

impl YamlKind {
    /// What the node is, as said in "expected a string, found a list".
    pub fn describe(&self) -> &'static str {
        match self {
            YamlKind::Null => "null",
            YamlKind::Bool(_) => "a boolean",
            YamlKind::Int(_) | YamlKind::UInt(_) => "an integer",
            YamlKind::Float(_) => "a number",
            YamlKind::Str(_) => "a string",
            YamlKind::Seq(_) => "a list",
            YamlKind::Map(_) => "a map",
        }
    }
}

impl<'de> Deserialize<'de> for Yaml {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<YamlKind>::deserialize(deserializer)?;
        let location = spanned.referenced;
        let span = Span::new(clamp(location.line()), clamp(location.column()));
        let range = location.span();
        let bytes = range
            .byte_offset()
            .zip(range.byte_len())
            .and_then(|(start, len)| {
                Some((
                    usize::try_from(start).ok()?,
                    usize::try_from(start + len).ok()?,
                ))
            });
        Ok(Yaml {
            kind: spanned.value,
            span,
            bytes,
        })
    }
}

fn clamp(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'de> Deserialize<'de> for YamlKind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = YamlKind;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<YamlKind, E> {
        Ok(YamlKind::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<YamlKind, E> {
        Ok(YamlKind::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<YamlKind, E> {
        Ok(i64::try_from(v).map_or(YamlKind::UInt(v), YamlKind::Int))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<YamlKind, E> {
        i64::try_from(v)
            .map(YamlKind::Int)
            .map_err(|_| E::custom("integer out of range"))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<YamlKind, E> {
        u64::try_from(v)
            .map(|v| self.visit_u64::<E>(v))
            .map_err(|_| E::custom("integer out of range"))?
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<YamlKind, E> {
        Ok(YamlKind::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<YamlKind, E> {
        Ok(YamlKind::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<YamlKind, E> {
        Ok(YamlKind::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<YamlKind, E> {
        String::from_utf8(v.to_vec())
            .map(YamlKind::Str)
            .map_err(|_| E::custom("binary value is not UTF-8 text"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<YamlKind, E> {
        Ok(YamlKind::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<YamlKind, E> {
        Ok(YamlKind::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<YamlKind, D::Error> {
        YamlKind::deserialize(deserializer)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<YamlKind, D::Error> {
        YamlKind::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<YamlKind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Yaml>()? {
            items.push(item);
        }
        Ok(YamlKind::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<YamlKind, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Yaml>()? {
            let value = map.next_value::<Yaml>()?;
            entries.push((key, value));
        }
        Ok(YamlKind::Map(entries))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Yaml {
        serde_saphyr::from_str(src).unwrap()
    }

    #[test]
    fn keys_and_values_keep_their_positions() {
        let doc = parse("name: x\nsteps:\n  - 'call': \"Op\"\n");
        let YamlKind::Map(entries) = &doc.kind else {
            panic!("not a map")
        };
        assert_eq!(entries[1].0.span, Span::new(2, 1));
        let YamlKind::Seq(steps) = &entries[1].1.kind else {
            panic!("not a list")
        };
        assert_eq!(steps[0].span, Span::new(3, 5));
        let YamlKind::Map(step) = &steps[0].kind else {
            panic!("not a map")
        };
        assert_eq!(step[0].0.span, Span::new(3, 5));
        assert_eq!(step[0].1.kind, YamlKind::Str("Op".into()));
        assert_eq!(step[0].1.span, Span::new(3, 13));
        assert_eq!(step[0].1.bytes, Some((27, 31)));
    }

    #[test]
    fn scalars_keep_their_yaml_types() {
        let doc = parse("[true, 7, -3, 2.5, ~, \"7\", 18446744073709551615]");
        let YamlKind::Seq(items) = doc.kind else {
            panic!("not a list")
        };
        let kinds: Vec<YamlKind> = items.into_iter().map(|y| y.kind).collect();
        assert_eq!(
            kinds,
            [
                YamlKind::Bool(true),
                YamlKind::Int(7),
                YamlKind::Int(-3),
                YamlKind::Float(2.5),
                YamlKind::Null,
                YamlKind::Str("7".into()),
                YamlKind::UInt(u64::MAX),
            ]
        );
    }
}
