//! Telegram Mini App sign-in: checking `Telegram.WebApp.initData` exactly as Telegram
//! documents it (core.telegram.org/bots/webapps, "Validating data received via the Mini
//! App" and "Validating data for Third-Party Use").
//!
//! `initData` is a query string of fields (`user`, `auth_date`, `hash`, `signature`, ...).
//! Either of two proofs shows Telegram issued it for one bot:
//! - the `hash`: hex HMAC-SHA256 of the data-check-string (every field but `hash`, as
//!   `key=value` lines in sorted order) keyed by HMAC-SHA256 of the bot's token keyed by
//!   `WebAppData`. It needs the bot's token.
//! - the `signature`: base64url Ed25519, by Telegram's published key, of
//!   `<bot id>:WebAppData` and the fields but `hash` and `signature`, one per line. It needs
//!   only the bot's id, so a partner need not share its token with us.
//!
//! Then `auth_date` must be recent: data older than the configured window is refused, so a
//! copy replayed later is worthless.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// Telegram's Ed25519 key for Mini App data of its production environment (hex).
pub const PRODUCTION_PUBLIC_KEY: &str =
    "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d";

/// Telegram's Ed25519 key for Mini App data of its test environment (hex).
pub const TEST_PUBLIC_KEY: &str =
    "40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec";

/// How far in the future an `auth_date` may be (clocks differ a little).
const CLOCK_SKEW: i64 = 60;

/// Why `initData` was refused. Every variant is a 401 whose message says which.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InitDataError {
    /// Not a query string with the fields Telegram always sends.
    #[error("initData is malformed: {0}")]
    Malformed(String),
    /// Neither proof holds for any bot the organization registered.
    #[error(
        "initData is not signed for any of this organization's Telegram bots \
         (it was changed, or issued for another bot)"
    )]
    NotSigned,
    /// Older than the window.
    #[error("initData is stale: issued {age} seconds ago, at most {max_age} are accepted")]
    Stale {
        /// Its age, seconds.
        age: i64,
        /// The window, seconds.
        max_age: i64,
    },
    /// Issued in the future.
    #[error("initData's auth_date is in the future")]
    FromTheFuture,
}

/// The Telegram user `initData` names (its `user` field), as Telegram sends it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct TelegramUser {
    /// The user's Telegram id.
    pub id: i64,
    /// First name.
    pub first_name: String,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// Username, without the `@`.
    #[serde(default)]
    pub username: Option<String>,
    /// IETF language tag of the user's Telegram client.
    #[serde(default)]
    pub language_code: Option<String>,
}

impl TelegramUser {
    /// The name shown for the user: first and last name as Telegram shows them (else the
    /// username), at most 64 characters; none when Telegram gave neither.
    pub fn display_name(&self) -> Option<String> {
        let full = format!(
            "{} {}",
            self.first_name,
            self.last_name.as_deref().unwrap_or_default()
        );
        let username = self.username.as_deref().unwrap_or_default();
        let name = [full.trim(), username.trim()]
            .into_iter()
            .find(|name| !name.is_empty())?;
        Some(name.chars().take(64).collect())
    }
}

/// A bot the organization registered: its id, and its token when it shared it.
#[derive(Debug, Clone, Copy)]
pub struct BotKey<'a> {
    /// The bot's id (the number before the `:` of its token).
    pub bot_id: i64,
    /// The bot's token, for the `hash` proof.
    pub token: Option<&'a str>,
}

/// Parsed `initData`: its fields, decoded, in the order sent.
#[derive(Debug, Clone)]
pub struct InitData {
    fields: Vec<(String, String)>,
}

/// What a valid `initData` says.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The bot it was issued for.
    pub bot_id: i64,
    /// The user.
    pub user: TelegramUser,
    /// The `start_param` the Mini App was opened with (a referral code, say).
    pub start_param: Option<String>,
}

impl InitData {
    /// Reads a raw `initData` query string (as `URLSearchParams` would).
    pub fn parse(raw: &str) -> Result<Self, InitDataError> {
        let fields: Vec<(String, String)> = url::form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        names.sort_unstable();
        if names.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err(InitDataError::Malformed("a field appears twice".into()));
        }
        let data = Self { fields };
        for required in ["auth_date", "user"] {
            if data.field(required).is_none() {
                return Err(InitDataError::Malformed(format!("no `{required}` field")));
            }
        }
        if data.field("hash").is_none() && data.field("signature").is_none() {
            return Err(InitDataError::Malformed(
                "neither a `hash` nor a `signature` field".into(),
            ));
        }
        Ok(data)
    }

    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The fields but `skipped`, as `key=value` lines in sorted order.
    fn check_lines(&self, skipped: &[&str]) -> String {
        let mut lines: Vec<String> = self
            .fields
            .iter()
            .filter(|(k, _)| !skipped.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        lines.sort_unstable();
        lines.join("\n")
    }

    /// Whether the `hash` is the one `bot_token` makes (compared in constant time).
    pub fn hash_valid(&self, bot_token: &str) -> bool {
        let Some(presented) = self.field("hash").and_then(|h| hex::decode(h).ok()) else {
            return false;
        };
        let expected = hash_of(&self.check_lines(&["hash"]), bot_token);
        expected.as_slice().ct_eq(&presented).into()
    }

    /// Whether the `signature` is Telegram's (by `public_key`, 32 bytes) for bot `bot_id`.
    pub fn signature_valid(&self, bot_id: i64, public_key: &[u8]) -> bool {
        use base64::Engine;
        let Some(signature) = self.field("signature").and_then(|s| {
            let s = s.trim_end_matches('=');
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s)
                .ok()
        }) else {
            return false;
        };
        let message = format!(
            "{bot_id}:WebAppData\n{}",
            self.check_lines(&["hash", "signature"])
        );
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, public_key)
            .verify(message.as_bytes(), &signature)
            .is_ok()
    }

    /// Checks the data against the organization's `bots` (the `hash` where a bot's token is
    /// known, else Telegram's `signature` by `public_key`) and its age at `now` against
    /// `max_age` seconds; answers what it says.
    pub fn verify(
        &self,
        bots: &[BotKey<'_>],
        public_key: &[u8],
        now: i64,
        max_age: i64,
    ) -> Result<SignedIn, InitDataError> {
        let bot = bots
            .iter()
            .find(|bot| {
                bot.token.is_some_and(|token| self.hash_valid(token))
                    || self.signature_valid(bot.bot_id, public_key)
            })
            .ok_or(InitDataError::NotSigned)?;
        let auth_date: i64 = self
            .field("auth_date")
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| InitDataError::Malformed("auth_date is not a number".into()))?;
        let age = now - auth_date;
        if age > max_age {
            return Err(InitDataError::Stale { age, max_age });
        }
        if age < -CLOCK_SKEW {
            return Err(InitDataError::FromTheFuture);
        }
        let user: TelegramUser = self
            .field("user")
            .and_then(|u| serde_json::from_str(u).ok())
            .ok_or_else(|| InitDataError::Malformed("user is not a Telegram user".into()))?;
        Ok(SignedIn {
            bot_id: bot.bot_id,
            user,
            start_param: self
                .field("start_param")
                .filter(|p| !p.is_empty())
                .map(str::to_owned),
        })
    }
}

/// The `hash` bot `bot_token` gives a data-check-string.
fn hash_of(check_lines: &str, bot_token: &str) -> Vec<u8> {
    let mut secret = <Hmac<Sha256>>::new_from_slice(b"WebAppData").expect("any key length");
    secret.update(bot_token.as_bytes());
    let secret = secret.finalize().into_bytes();
    let mut mac = <Hmac<Sha256>>::new_from_slice(&secret).expect("any key length");
    mac.update(check_lines.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// initData of `fields` signed with `bot_token` as Telegram signs it (its `hash`): what the
/// demo's Mini App page is opened with, since no Telegram client opens it.
pub fn sign_init_data(fields: &[(&str, &str)], bot_token: &str) -> String {
    let data = InitData {
        fields: fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    };
    let hash = hex::encode(hash_of(&data.check_lines(&["hash"]), bot_token));
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .append_pair("hash", &hash)
        .finish()
}

/// The id of the bot whose token `token` is (the number before its `:`); `None` unless the
/// token has the documented shape, `<1 to 18 digits, no leading 0>:<1 to 200 of A-Z a-z
/// 0-9 _ ->` (the `TelegramBotRequest` schema's pattern).
pub fn bot_id_of_token(token: &str) -> Option<i64> {
    let (id, secret) = token.split_once(':')?;
    let id_ok = (1..=18).contains(&id.len())
        && !id.starts_with('0')
        && id.bytes().all(|b| b.is_ascii_digit());
    let secret_ok = (1..=200).contains(&secret.len())
        && secret
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (id_ok && secret_ok).then(|| id.parse().ok())?
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issued by Telegram (published by the tma.js / init-data-golang authors with its
    /// bot's token): both its `hash` and its `signature` are Telegram's.
    const VECTOR_TOKEN: &str = "7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J4";
    const VECTOR: &str = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%20%2B%20-%20%3F%20%5C%2F%22%2C%22last_name%22%3A%22Kibenko%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22is_premium%22%3Atrue%2C%22allows_write_to_pm%22%3Atrue%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2F4FPEE4tmP3ATHa57u6MqTDih13LTOiMoKoLDRG4PnSA.svg%22%7D&chat_instance=8134722200314281151&chat_type=private&auth_date=1733509682&signature=TYJxVcisqbWjtodPepiJ6ghziUL94-KNpG8Pau-X7oNNLNBM72APCpi_RKiUlBvcqo5L-LAxIc3dnTzcZX_PDg&hash=a433d8f9847bd6addcc563bff7cc82c89e97ea0d90c11fe5729cae6796a36d73";
    const VECTOR_AUTH_DATE: i64 = 1_733_509_682;

    fn production_key() -> Vec<u8> {
        hex::decode(PRODUCTION_PUBLIC_KEY).unwrap()
    }

    #[test]
    fn telegrams_own_data_passes_both_proofs() {
        let data = InitData::parse(VECTOR).unwrap();
        assert!(data.hash_valid(VECTOR_TOKEN));
        assert!(data.signature_valid(7_342_037_359, &production_key()));
        let signed = data
            .verify(
                &[BotKey {
                    bot_id: 7_342_037_359,
                    token: None,
                }],
                &production_key(),
                VECTOR_AUTH_DATE + 10,
                3600,
            )
            .unwrap();
        assert_eq!(signed.user.id, 279_058_397);
        assert_eq!(
            signed.user.display_name().as_deref(),
            Some("Vladislav + - ? / Kibenko")
        );
    }

    #[test]
    fn a_changed_field_another_bot_or_another_key_fails_each_proof() {
        let tampered = VECTOR.replace("279058397", "279058398");
        let data = InitData::parse(&tampered).unwrap();
        assert!(!data.hash_valid(VECTOR_TOKEN));
        assert!(!data.signature_valid(7_342_037_359, &production_key()));
        let data = InitData::parse(VECTOR).unwrap();
        assert!(!data.hash_valid("7342037359:AAHI25ES9xCOMPokpYoz-p8XVrZUdygo2J5"));
        assert!(!data.signature_valid(7_342_037_358, &production_key()));
        assert!(!data.signature_valid(7_342_037_359, &hex::decode(TEST_PUBLIC_KEY).unwrap()));
        let foreign = [BotKey {
            bot_id: 1,
            token: Some("1:other"),
        }];
        assert_eq!(
            data.verify(&foreign, &production_key(), VECTOR_AUTH_DATE, 3600)
                .unwrap_err(),
            InitDataError::NotSigned
        );
    }

    #[test]
    fn old_or_future_data_is_refused_with_its_age() {
        let data = InitData::parse(VECTOR).unwrap();
        let bots = [BotKey {
            bot_id: 7_342_037_359,
            token: Some(VECTOR_TOKEN),
        }];
        assert_eq!(
            data.verify(&bots, &production_key(), VECTOR_AUTH_DATE + 3601, 3600)
                .unwrap_err(),
            InitDataError::Stale {
                age: 3601,
                max_age: 3600
            }
        );
        assert_eq!(
            data.verify(&bots, &production_key(), VECTOR_AUTH_DATE - 61, 3600)
                .unwrap_err(),
            InitDataError::FromTheFuture
        );
        assert!(data
            .verify(&bots, &production_key(), VECTOR_AUTH_DATE + 3600, 3600)
            .is_ok());
    }

    #[test]
    fn malformed_data_says_what_is_missing() {
        for (raw, why) in [
            ("auth_date=1&hash=00", "no `user` field"),
            ("user=%7B%7D&hash=00", "no `auth_date` field"),
            (
                "user=%7B%7D&auth_date=1",
                "neither a `hash` nor a `signature` field",
            ),
            ("user=1&user=2&auth_date=1&hash=00", "a field appears twice"),
        ] {
            assert_eq!(
                InitData::parse(raw).unwrap_err(),
                InitDataError::Malformed(why.into())
            );
        }
    }

    #[test]
    fn hashes_agree_with_telegrams_reference_signer_for_node() {
        // `sign({user: {id: 279058397, first_name: "Vladislav"}}, "123456:ABC-test",
        // new Date(1700000000000))` of @telegram-apps/init-data-node 2.0.10 (an empty
        // `signature` field included, as it always writes one).
        let reference = "user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vladislav%22%7D&auth_date=1700000000&signature=&hash=49dc614729055743c1cec2cd2517ac480aae8ad6f8b6016ff988289b5335f273";
        assert!(InitData::parse(reference)
            .unwrap()
            .hash_valid("123456:ABC-test"));
        let ours = sign_init_data(
            &[
                ("user", r#"{"id":279058397,"first_name":"Vladislav"}"#),
                ("auth_date", "1700000000"),
                ("signature", ""),
            ],
            "123456:ABC-test",
        );
        assert_eq!(ours, reference);
    }

    #[test]
    fn a_bot_id_is_the_number_before_the_colon_of_a_token_of_the_documented_shape() {
        assert_eq!(bot_id_of_token(VECTOR_TOKEN), Some(7_342_037_359));
        // The secret's characters and lengths and the id's digits are the schema's pattern.
        for wrong in [
            "abc:def",
            "123:",
            "123",
            ":secret",
            "049460:secret",
            "-5:secret",
            "1234567890123456789:secret",
            "49460:NqW0vOEaZ8Wm_vRsS*",
        ] {
            assert_eq!(bot_id_of_token(wrong), None, "{wrong}");
        }
        assert_eq!(bot_id_of_token(&format!("7:{}", "a".repeat(200))), Some(7));
        assert_eq!(bot_id_of_token(&format!("7:{}", "a".repeat(201))), None);
    }
}
