//! Integers as JSON Schema defines them: a number with no fractional part (`889` and
//! `889.0` alike). serde's integers refuse `889.0`, yet generated clients and tools send it
//! for an `integer` field; these readers accept it, and refuse true fractions.

use serde::{Deserialize, Deserializer};

/// A JSON number that must be whole.
#[derive(Deserialize)]
#[serde(untagged)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn whole<E: serde::de::Error>(self) -> Result<i64, E> {
        match self {
            Number::Int(n) => Ok(n),
            Number::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            Number::Float(f) => Err(E::custom(format!("{f} is not a whole number"))),
        }
    }
}

/// An `i64`.
pub fn i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<i64, D::Error> {
    Number::deserialize(deserializer)?.whole()
}

/// An optional `i64` (`null` or absent is `None`; use with `#[serde(default)]`).
pub fn option_i64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<Number>::deserialize(deserializer)?
        .map(Number::whole)
        .transpose()
}

/// A `usize` (no negatives).
pub fn usize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<usize, D::Error> {
    let n = Number::deserialize(deserializer)?.whole()?;
    usize::try_from(n).map_err(|_| serde::de::Error::custom(format!("{n} is negative")))
}

/// A `u32` (no negatives, at most 4,294,967,295).
pub fn u32<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u32, D::Error> {
    let n = Number::deserialize(deserializer)?.whole()?;
    u32::try_from(n).map_err(|_| serde::de::Error::custom(format!("{n} is out of range")))
}

/// A `u64` (no negatives; at most 2^63 - 1, JSON Schema's `int64`).
pub fn u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let n = Number::deserialize(deserializer)?.whole()?;
    u64::try_from(n).map_err(|_| serde::de::Error::custom(format!("{n} is negative")))
}

/// An optional `u64` (`null` or absent is `None`; use with `#[serde(default)]`).
pub fn option_u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    Option::<Number>::deserialize(deserializer)?
        .map(|n| {
            let n = n.whole()?;
            u64::try_from(n).map_err(|_| serde::de::Error::custom(format!("{n} is negative")))
        })
        .transpose()
}

/// A list of `usize`.
pub fn vec_usize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<usize>, D::Error> {
    Vec::<Number>::deserialize(deserializer)?
        .into_iter()
        .map(|n| {
            let n = n.whole()?;
            usize::try_from(n).map_err(|_| serde::de::Error::custom(format!("{n} is negative")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug)]
    struct T {
        #[serde(deserialize_with = "super::i64")]
        a: i64,
        #[serde(default, deserialize_with = "super::option_i64")]
        b: Option<i64>,
        #[serde(deserialize_with = "super::vec_usize")]
        c: Vec<usize>,
    }

    #[test]
    fn whole_floats_are_integers_and_fractions_are_refused() {
        let t: T = serde_json::from_str(r#"{"a": 889.0, "b": 3, "c": [1, 2.0]}"#).unwrap();
        assert_eq!((t.a, t.b, t.c), (889, Some(3), vec![1, 2]));
        let t: T = serde_json::from_str(r#"{"a": -4, "b": null, "c": []}"#).unwrap();
        assert_eq!((t.a, t.b), (-4, None));
        let t: T = serde_json::from_str(r#"{"a": 1, "c": []}"#).unwrap();
        assert_eq!(t.b, None);
        assert!(serde_json::from_str::<T>(r#"{"a": 1.5, "c": []}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": 1, "c": [-1]}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": "1", "c": []}"#).is_err());
    }
}
