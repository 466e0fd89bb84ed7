//! Validation of campaign documents: every problem is reported with the path of the field
//! (`groups[0].quests[1].tasks[2].config.url`), so a partner can fix a document by reading
//! the error alone.

use std::collections::HashSet;

use questlet_types::campaign_document::{CampaignDocument, TaskConfig, TaskDocument};
pub use questlet_types::slug::is_slug;
use questlet_types::{Recurrence, TokenAmount};

use crate::error::AppError;
use crate::recurrence::CampaignZone;

/// Whitespace as the OpenAPI document's patterns mean it (ECMAScript's `\s`, which the
/// schema's "not blank" `\S` excludes): a value the schema accepts is never refused here as
/// blank. (Rust's `char::is_whitespace` also counts U+0085 and U+180E; ECMAScript does not.)
pub fn is_schema_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// A credential label: trimmed, 1–100 characters.
pub fn valid_label(label: &str) -> Result<&str, AppError> {
    let label = label.trim_matches(is_schema_space);
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::InvalidRequest(
            "label: must be 1-100 characters".into(),
        ));
    }
    Ok(label)
}

/// The user a query names with `account` and `platform` (`web` when absent), in
/// organization `organization_id`; none without `account`. The platform is checked even
/// then, so a bad one is refused whatever else is given.
pub fn user_of_query(
    organization_id: &str,
    account: Option<String>,
    platform: Option<String>,
) -> Result<Option<crate::db::progress::UserKey>, AppError> {
    if platform
        .as_deref()
        .is_some_and(|platform| !is_slug(platform))
    {
        return Err(AppError::InvalidRequest(
            "platform: must be 1-64 characters of a-z, 0-9 and '-'".into(),
        ));
    }
    let Some(account) = account else {
        return Ok(None);
    };
    let platform = platform.unwrap_or_else(|| "web".to_owned());
    valid_user(&account, &platform)?;
    Ok(Some(crate::db::progress::UserKey {
        organization_id: organization_id.to_owned(),
        platform,
        account,
    }))
}

/// A partner's user: `account` 1-256 characters, not blank, on `platform`, a slug (the rules
/// of `GET /token`, and of every call that names a user).
pub fn valid_user(account: &str, platform: &str) -> Result<(), AppError> {
    if account.trim_matches(is_schema_space).is_empty() || account.chars().count() > 256 {
        return Err(AppError::InvalidRequest(
            "account: must be 1-256 characters".into(),
        ));
    }
    if !is_slug(platform) {
        return Err(AppError::InvalidRequest(
            "platform: must be 1-64 characters of a-z, 0-9 and '-'".into(),
        ));
    }
    Ok(())
}

/// `http://` or `https://` and something after it (the schema's `^https?://.+`).
pub(crate) fn is_http_url(url: &str) -> bool {
    url.strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty())
}

/// The shape of an IANA time zone name, as the OpenAPI document states it:
/// `^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$`.
fn is_zone_name(name: &str) -> bool {
    let part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-'))
    };
    name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.split('/').all(part)
}

/// A field that breaks its own rule (one the OpenAPI schema states too): 400.
fn invalid(path: &str, problem: &str) -> AppError {
    AppError::InvalidRequest(format!("{path}: {problem}"))
}

/// A field that is fine alone but breaks a rule across fields or items (unique keys, dates
/// in order, references): 422.
fn inconsistent(path: &str, problem: &str) -> AppError {
    AppError::Unprocessable(format!("{path}: {problem}"))
}

/// A key: a slug (400 otherwise) not seen before among its siblings (422 otherwise).
/// A campaign's ranks (named once each, ascending by points) and rewards (keyed once each,
/// their conditions naming a quest and a rank the campaign has).
fn check_ranks_and_rewards(
    doc: &CampaignDocument,
    quest_keys: &HashSet<&str>,
) -> Result<(), AppError> {
    let mut rank_names = HashSet::new();
    for (i, rank) in doc.ranks.iter().enumerate() {
        let path = format!("ranks[{i}]");
        let name = rank.name.trim_matches(is_schema_space);
        if name.is_empty() || rank.name.chars().count() > 64 {
            return Err(invalid(
                &format!("{path}.name"),
                "must be 1-64 characters, not blank",
            ));
        }
        if !(0..=MAX_POINTS_TOTAL).contains(&rank.min_points) {
            return Err(invalid(
                &format!("{path}.min_points"),
                "must be 0 to 1000000000000",
            ));
        }
        if !rank_names.insert(rank.name.as_str()) {
            return Err(inconsistent(
                &format!("{path}.name"),
                "names another rank too",
            ));
        }
        if i > 0 && rank.min_points <= doc.ranks[i - 1].min_points {
            return Err(inconsistent(
                &format!("{path}.min_points"),
                "must be more than the rank before's (ranks ascend)",
            ));
        }
    }
    let mut reward_keys = HashSet::new();
    for (i, reward) in doc.rewards.iter().enumerate() {
        let path = format!("rewards[{i}]");
        check_key(&reward.key, &mut reward_keys, &format!("{path}.key"))?;
        if reward.title.trim_matches(is_schema_space).is_empty() {
            return Err(invalid(&format!("{path}.title"), "must not be empty"));
        }
        let conditions = &reward.conditions;
        if conditions
            .min_points
            .is_some_and(|points| !(0..=MAX_POINTS_TOTAL).contains(&points))
        {
            return Err(invalid(
                &format!("{path}.conditions.min_points"),
                "must be 0 to 1000000000000",
            ));
        }
        if let Some(quest) = &conditions.quest {
            if !is_slug(quest) {
                return Err(invalid(
                    &format!("{path}.conditions.quest"),
                    "must be a quest key",
                ));
            }
            if !quest_keys.contains(quest.as_str()) {
                return Err(inconsistent(
                    &format!("{path}.conditions.quest"),
                    "must be the key of a quest of this campaign",
                ));
            }
        }
        if let Some(rank) = &conditions.rank {
            if !rank_names.contains(rank.as_str()) {
                return Err(inconsistent(
                    &format!("{path}.conditions.rank"),
                    "must be the name of one of the campaign's ranks",
                ));
            }
        }
        if let Some(top) = &conditions.top {
            if !(1..=10_000).contains(&top.places) {
                return Err(invalid(
                    &format!("{path}.conditions.top.places"),
                    "must be 1 to 10000",
                ));
            }
        }
    }
    Ok(())
}

/// The most points a threshold may name.
const MAX_POINTS_TOTAL: i64 = 1_000_000_000_000;

fn check_key<'a>(key: &'a str, seen: &mut HashSet<&'a str>, path: &str) -> Result<(), AppError> {
    if !is_slug(key) {
        return Err(invalid(
            path,
            "must be a slug: 1-64 characters of a-z, 0-9 and '-'",
        ));
    }
    if !seen.insert(key) {
        return Err(inconsistent(
            path,
            "must be unique: another item has this key",
        ));
    }
    Ok(())
}

/// Checks a campaign document, returning the first problem found.
pub fn validate_campaign(doc: &CampaignDocument) -> Result<(), AppError> {
    if !is_slug(&doc.slug) {
        return Err(invalid(
            "slug",
            "must be 1-64 characters of a-z, 0-9 and '-'",
        ));
    }
    if doc.title.trim_matches(is_schema_space).is_empty() {
        return Err(invalid("title", "must not be empty"));
    }
    check_window("", doc.starts_at, doc.ends_at)?;
    if !is_zone_name(&doc.time_zone) {
        return Err(invalid(
            "time_zone",
            "must be an IANA time zone name such as UTC or Europe/Berlin",
        ));
    }
    if CampaignZone::named(&doc.time_zone).is_none() {
        return Err(inconsistent(
            "time_zone",
            "must be a time zone the server knows (IANA names such as UTC or Europe/Berlin)",
        ));
    }
    for (i, origin) in doc.allowed_origins.iter().enumerate() {
        if !is_http_url(origin) || origin.trim_end_matches('/').matches('/').count() != 2 {
            return Err(invalid(
                &format!("allowed_origins[{i}]"),
                "must be an origin such as https://example.com (scheme and host, no path)",
            ));
        }
    }
    if doc
        .referral_url
        .as_deref()
        .is_some_and(|url| !is_http_url(url))
    {
        return Err(invalid("referral_url", "must be an absolute http(s) URL"));
    }
    if let Some(intro) = &doc.intro {
        if intro.title.trim_matches(is_schema_space).is_empty() {
            return Err(invalid("intro.title", "must not be empty"));
        }
    }
    let quest_keys: HashSet<&str> = doc
        .groups
        .iter()
        .flat_map(|g| g.quests.iter().map(|q| q.key.as_str()))
        .collect();
    check_ranks_and_rewards(doc, &quest_keys)?;
    let mut seen_groups = HashSet::new();
    let mut seen_quests = HashSet::new();
    for (gi, group) in doc.groups.iter().enumerate() {
        let gpath = format!("groups[{gi}]");
        check_key(&group.key, &mut seen_groups, &format!("{gpath}.key"))?;
        if group.title.trim_matches(is_schema_space).is_empty() {
            return Err(invalid(&format!("{gpath}.title"), "must not be empty"));
        }
        for (qi, quest) in group.quests.iter().enumerate() {
            let qpath = format!("{gpath}.quests[{qi}]");
            check_key(&quest.key, &mut seen_quests, &format!("{qpath}.key"))?;
            if quest.title.trim_matches(is_schema_space).is_empty() {
                return Err(invalid(&format!("{qpath}.title"), "must not be empty"));
            }
            check_window(&format!("{qpath}."), quest.starts_at, quest.ends_at)?;
            for (pi, prerequisite) in quest.prerequisites.iter().enumerate() {
                if !quest_keys.contains(prerequisite.as_str()) || prerequisite == &quest.key {
                    return Err(inconsistent(
                        &format!("{qpath}.prerequisites[{pi}]"),
                        "must be the key of another quest of this campaign",
                    ));
                }
            }
            let mut seen_tasks = HashSet::new();
            for (ti, task) in quest.tasks.iter().enumerate() {
                let tpath = format!("{qpath}.tasks[{ti}]");
                check_key(&task.key, &mut seen_tasks, &format!("{tpath}.key"))?;
                if task.title.trim_matches(is_schema_space).is_empty() {
                    return Err(invalid(&format!("{tpath}.title"), "must not be empty"));
                }
                validate_task_rules(task, &tpath)?;
                let cpath = format!("{tpath}.config");
                validate_task_config(&task.config, &cpath)?;
                if let TaskConfig::Referral {
                    quest: Some(needed),
                    ..
                } = &task.config
                {
                    if !quest_keys.contains(needed.as_str()) {
                        return Err(inconsistent(
                            &format!("{cpath}.quest"),
                            "must be the key of a quest of this campaign",
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// A start and end time at `prefix` (`groups[0].quests[1].`): each Unix seconds of the
/// years 0 to 9999 (as the OpenAPI document states), the end after the start.
fn check_window(
    prefix: &str,
    starts_at: Option<i64>,
    ends_at: Option<i64>,
) -> Result<(), AppError> {
    const LAST_SECOND: i64 = 253_402_300_799;
    for (name, time) in [("starts_at", starts_at), ("ends_at", ends_at)] {
        if time.is_some_and(|t| !(0..=LAST_SECOND).contains(&t)) {
            return Err(invalid(
                &format!("{prefix}{name}"),
                "must be Unix seconds from 0 to 253402300799",
            ));
        }
    }
    if let (Some(start), Some(end)) = (starts_at, ends_at) {
        if end <= start {
            return Err(inconsistent(
                &format!("{prefix}ends_at"),
                "must be after starts_at",
            ));
        }
    }
    Ok(())
}

/// A task's points, multiplier, recurrence and window, at `path` (`...tasks[2]`).
fn validate_task_rules(task: &TaskDocument, path: &str) -> Result<(), AppError> {
    if !(0..=1_000_000).contains(&task.points) {
        return Err(invalid(&format!("{path}.points"), "must be 0 to 1000000"));
    }
    if !(0..=10_000).contains(&task.points_multiplier_pct) {
        return Err(invalid(
            &format!("{path}.points_multiplier_pct"),
            "must be 0 to 10000 (percent)",
        ));
    }
    match task.recurrence {
        Recurrence::EveryHours { hours } if !(1..=8760).contains(&hours) => {
            return Err(invalid(
                &format!("{path}.recurrence.hours"),
                "must be 1 to 8760",
            ));
        }
        Recurrence::Times { count } if !(2..=1000).contains(&count) => {
            return Err(invalid(
                &format!("{path}.recurrence.count"),
                "must be 2 to 1000",
            ));
        }
        _ => {}
    }
    if matches!(task.config, TaskConfig::InviteCode { .. }) && task.recurrence.repeats() {
        return Err(inconsistent(
            &format!("{path}.recurrence"),
            "must be once for an invite_code task (a user claims one code)",
        ));
    }
    if matches!(task.config, TaskConfig::DailyCheckIn {}) && task.recurrence != Recurrence::Daily {
        return Err(inconsistent(
            &format!("{path}.recurrence"),
            "must be daily for a daily_check_in task",
        ));
    }
    if matches!(task.config, TaskConfig::Referral { .. }) && task.recurrence.repeats() {
        return Err(inconsistent(
            &format!("{path}.recurrence"),
            "must be once for a referral task (referred friends count once)",
        ));
    }
    if matches!(task.config, TaskConfig::Custom { review: true, .. }) && task.recurrence.repeats() {
        return Err(inconsistent(
            &format!("{path}.recurrence"),
            "must be once for a reviewed custom task (a user's proof is reviewed once)",
        ));
    }
    check_window(&format!("{path}."), task.starts_at, task.ends_at)
}

fn validate_task_config(config: &TaskConfig, path: &str) -> Result<(), AppError> {
    match config {
        TaskConfig::VisitLink { url } if !is_http_url(url) => Err(invalid(
            &format!("{path}.url"),
            "must be an absolute http(s) URL",
        )),
        TaskConfig::SecretCode { code, .. } if code.trim_matches(is_schema_space).is_empty() => {
            Err(invalid(&format!("{path}.code"), "must not be empty"))
        }
        TaskConfig::Quiz { questions } => {
            if questions.is_empty() {
                return Err(invalid(&format!("{path}.questions"), "must not be empty"));
            }
            for (i, question) in questions.iter().enumerate() {
                if !(2..=256).contains(&question.options.len()) {
                    return Err(invalid(
                        &format!("{path}.questions[{i}].options"),
                        "must offer 2 to 256 options",
                    ));
                }
                if question.answer >= question.options.len() {
                    return Err(inconsistent(
                        &format!("{path}.questions[{i}].answer"),
                        "must be the index of one of the options",
                    ));
                }
            }
            Ok(())
        }
        TaskConfig::HttpRequest { url, .. } if !is_http_url(url) => Err(invalid(
            &format!("{path}.url"),
            "must be an absolute http(s) URL",
        )),
        TaskConfig::HttpRequest { secret, .. }
            if crate::outbound::signature::secret_key(secret).is_none() =>
        {
            Err(invalid(
                &format!("{path}.secret"),
                "must be whsec_ followed by 24 to 64 bytes in base64",
            ))
        }
        TaskConfig::ProofOfWork { difficulty } if !(8..=32).contains(difficulty) => Err(invalid(
            &format!("{path}.difficulty"),
            "must be 8 to 32 (leading zero bits)",
        )),
        TaskConfig::Poll { options, .. } if !(2..=256).contains(&options.len()) => Err(invalid(
            &format!("{path}.options"),
            "must offer 2 to 256 options",
        )),
        TaskConfig::Referral { count, .. } if !(1..=1000).contains(count) => {
            Err(invalid(&format!("{path}.count"), "must be 1 to 1000"))
        }
        TaskConfig::Form { fields } => {
            if fields.is_empty() {
                return Err(invalid(&format!("{path}.fields"), "must not be empty"));
            }
            let mut names = HashSet::new();
            for (i, field) in fields.iter().enumerate() {
                let name_path = format!("{path}.fields[{i}].name");
                if !is_slug(&field.name.replace('_', "-")) {
                    return Err(invalid(
                        &name_path,
                        "must be a name of a-z, 0-9, '-' and '_'",
                    ));
                }
                if !names.insert(field.name.as_str()) {
                    return Err(inconsistent(&name_path, "must be unique within the form"));
                }
            }
            Ok(())
        }
        TaskConfig::NativeBalance { min, .. } => check_amount(min, &format!("{path}.min")),
        TaskConfig::Erc20Balance { token, min, .. } => {
            check_address(token, &format!("{path}.token"))?;
            check_amount(min, &format!("{path}.min"))
        }
        TaskConfig::Erc721Owner {
            collection,
            token_id,
            ..
        } => {
            check_address(collection, &format!("{path}.collection"))?;
            match token_id {
                Some(id) => check_amount(id, &format!("{path}.token_id")),
                None => Ok(()),
            }
        }
        TaskConfig::Erc1155Balance {
            collection,
            token_id,
            min,
            ..
        } => {
            check_address(collection, &format!("{path}.collection"))?;
            check_amount(token_id, &format!("{path}.token_id"))?;
            check_amount(min, &format!("{path}.min"))
        }
        TaskConfig::TransactionCount { min: 0, .. } => {
            Err(invalid(&format!("{path}.min"), "must be 1 or more"))
        }
        TaskConfig::ContractTransaction {
            contract,
            method,
            data,
            value,
            ..
        } => {
            check_address(contract, &format!("{path}.contract"))?;
            if let Some(method) = method {
                crate::tasks::onchain::selector(method)
                    .map_err(|e| inconsistent(&format!("{path}.method"), &e.to_string()))?;
            }
            let is_hex_data = |d: &str| {
                d.strip_prefix("0x")
                    .is_some_and(|hex| hex.len() % 2 == 0 && hex::decode(hex).is_ok())
            };
            if data.as_deref().is_some_and(|d| !is_hex_data(d)) {
                return Err(invalid(
                    &format!("{path}.data"),
                    "must be 0x followed by whole bytes of hex",
                ));
            }
            check_amount(value, &format!("{path}.value"))
        }
        config => match crate::tasks::social::SocialTask::of(config) {
            Some(social) => {
                let blank = |s: &str| s.trim_matches(is_schema_space).is_empty();
                if !is_http_url(social.url) {
                    Err(invalid(
                        &format!("{path}.url"),
                        "must be an absolute http(s) URL",
                    ))
                } else if blank(social.target) {
                    Err(invalid(
                        &format!("{path}.{}", social.target_field),
                        "must not be empty",
                    ))
                } else if social.credential.is_some_and(blank) {
                    Err(invalid(
                        &format!("{path}.{}", social.credential_field),
                        "must not be empty (leave it out to make the task a visit)",
                    ))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        },
    }
}

/// An EVM address at `path`: `0x` and 40 hex digits.
fn check_address(address: &str, path: &str) -> Result<(), AppError> {
    let hex = address.strip_prefix("0x").unwrap_or_default();
    if hex.len() == 40 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(())
    } else {
        Err(invalid(path, "must be an address: 0x and 40 hex digits"))
    }
}

/// A token amount at `path`: decimal digits (400 otherwise) below 2^256 (422 otherwise).
fn check_amount(amount: &TokenAmount, path: &str) -> Result<(), AppError> {
    if !amount.is_decimal() {
        return Err(invalid(
            path,
            "must be a whole number written in decimal, as a string",
        ));
    }
    match crate::tasks::onchain::parse_amount(amount) {
        Some(_) => Ok(()),
        None => Err(inconsistent(path, "must be below 2^256")),
    }
}

/// Every on-chain task of `doc` is on a chain this server knows (`--evm-chain`): 422
/// naming the first that is not.
pub fn check_chains(doc: &CampaignDocument, knows: impl Fn(u64) -> bool) -> Result<(), AppError> {
    for (gi, group) in doc.groups.iter().enumerate() {
        for (qi, quest) in group.quests.iter().enumerate() {
            for (ti, task) in quest.tasks.iter().enumerate() {
                let Some(chain) = crate::tasks::onchain::chain_of(&task.config) else {
                    continue;
                };
                if !knows(chain) {
                    return Err(inconsistent(
                        &format!("groups[{gi}].quests[{qi}].tasks[{ti}].config.chain"),
                        &format!(
                            "chain {chain} is not a chain this server reaches \
                             (its operator adds it with --evm-chain)"
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> CampaignDocument {
        crate::demo::demo_campaign()
    }

    #[test]
    fn blank_means_what_the_schemas_pattern_means() {
        assert!(
            valid_label("\u{85}").is_ok(),
            "U+0085 is not ECMAScript whitespace"
        );
        assert!(valid_label(" \u{3000}\t").is_err());
        assert_eq!(valid_label(" ops ").unwrap(), "ops");
        assert!(valid_user("\u{85}", "web").is_ok());
        assert!(valid_user("\u{feff}", "web").is_err());
    }

    #[test]
    fn demo_campaign_is_valid() {
        validate_campaign(&demo()).unwrap();
    }

    #[test]
    fn errors_name_the_field() {
        let mut doc = demo();
        doc.groups[0].quests[0].tasks[0].config = TaskConfig::VisitLink {
            url: "ftp://x".into(),
        };
        let err = validate_campaign(&doc).unwrap_err().to_string();
        assert!(
            err.starts_with("groups[0].quests[0].tasks[0].config.url:"),
            "{err}"
        );

        let mut doc = demo();
        doc.groups[0].quests[0].prerequisites = vec!["nope".into()];
        let err = validate_campaign(&doc).unwrap_err().to_string();
        assert!(
            err.starts_with("groups[0].quests[0].prerequisites[0]:"),
            "{err}"
        );

        let mut doc = demo();
        doc.groups[0].quests[0].tasks[0].recurrence = Recurrence::EveryHours { hours: 0 };
        let err = validate_campaign(&doc).unwrap_err().to_string();
        assert!(
            err.starts_with("groups[0].quests[0].tasks[0].recurrence.hours:"),
            "{err}"
        );

        let mut doc = demo();
        doc.groups[0].quests[0].tasks[0].starts_at = Some(100);
        doc.groups[0].quests[0].tasks[0].ends_at = Some(100);
        let err = validate_campaign(&doc).unwrap_err().to_string();
        assert!(
            err.starts_with("groups[0].quests[0].tasks[0].ends_at:"),
            "{err}"
        );

        let mut doc = demo();
        doc.time_zone = "Mars/Olympus".into();
        let err = validate_campaign(&doc).unwrap_err();
        assert!(matches!(err, AppError::Unprocessable(_)), "{err}");
        assert!(err.to_string().starts_with("time_zone:"), "{err}");
        doc.time_zone = "Europe//Berlin".into();
        let err = validate_campaign(&doc).unwrap_err();
        assert!(matches!(err, AppError::InvalidRequest(_)), "{err}");
        doc.time_zone = "America/Argentina/Buenos_Aires".into();
        validate_campaign(&doc).unwrap();

        let mut doc = demo();
        doc.slug = "Bad Slug".into();
        assert!(validate_campaign(&doc)
            .unwrap_err()
            .to_string()
            .starts_with("slug:"));
    }
}
