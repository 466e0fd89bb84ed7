//! Referral: every user has a code and a link; a referral task is done when enough of the
//! users they referred have completed a quest (or, without one, have arrived).
//!
//! A user's code is derived from who they are (organization, platform, account), so the
//! widget can show it before the user has a row; rows store it so that a code finds its
//! user (`db/referrals.rs`). A new user who arrives through a link records its code once:
//! see [`crate::db::Db::record_referral`].

use sha2::{Digest, Sha256};

use super::Rejection;
use crate::campaign_cache::RenderedCampaign;
use crate::db::progress::UserKey;
use crate::views::Progress;
use crate::AppState;
use questlet_types::QuestStatus;

/// The code's alphabet: lower-case letters and digits without the look-alikes (0/o, 1/l).
const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// Characters in a code: 60 bits, so codes of different users practically never meet.
pub const CODE_LENGTH: usize = 12;

/// The query parameter of a page's URL that carries a referral code.
pub const LINK_PARAMETER: &str = "ql_ref";

/// Most referred users a check looks at.
const MOST_COUNTED: i64 = 10_000;

/// `user`'s referral code.
pub fn code(user: &UserKey) -> String {
    let mut hash = Sha256::new();
    for part in [&user.organization_id, &user.platform, &user.account] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let bits = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
    (0..CODE_LENGTH)
        .map(|i| ALPHABET[((bits >> (59 - 5 * i)) & 31) as usize] as char)
        .collect()
}

/// Whether `text` has a code's shape (what a link may carry; anything else is ignored).
pub fn is_code(text: &str) -> bool {
    text.len() == CODE_LENGTH && text.bytes().all(|b| ALPHABET.contains(&b))
}

/// The referral link of the holder of `code`: `page` with the code added as
/// [`LINK_PARAMETER`] (before any fragment); empty without a page.
pub fn link(page: Option<&str>, code: &str) -> String {
    let Some(page) = page else {
        return String::new();
    };
    let (base, fragment) = page
        .split_once('#')
        .map_or((page, None), |(b, f)| (b, Some(f)));
    let separator = if !base.contains('?') {
        "?"
    } else if base.ends_with('?') || base.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut link = format!("{base}{separator}{LINK_PARAMETER}={code}");
    if let Some(fragment) = fragment {
        link.push('#');
        link.push_str(fragment);
    }
    link
}

/// Checks whether `user` referred `count` users who completed the quest with key `quest`
/// of `rendered` (or, without a quest, who arrived).
pub async fn verify(
    state: &AppState,
    user: &UserKey,
    rendered: &RenderedCampaign,
    count: u32,
    quest: Option<&str>,
) -> Result<(), Rejection> {
    let failed = |error: &dyn std::fmt::Display| {
        tracing::error!(%error, "counting a user's referrals failed");
        Rejection("Your friends could not be counted: try again later.".into())
    };
    let referred = state
        .db
        .referred_users(&user.organization_id, &code(user), MOST_COUNTED)
        .await
        .map_err(|e| failed(&e))?;
    let tree = &rendered.tree;
    let needed = quest.and_then(|key| {
        let quest = tree.quests.iter().find(|q| q.key == key)?;
        rendered.plan.number(&quest.id)
    });
    let mut counted: u32 = 0;
    for friend in &referred {
        if counted >= count {
            break;
        }
        let counts = match needed {
            None => quest.is_none(),
            Some(number) => {
                let completions = state
                    .db
                    .campaign_completions(friend, &tree.campaign.id)
                    .await
                    .map_err(|e| failed(&e))?;
                let done = Progress::from_completions(
                    friend,
                    None,
                    &tree.campaign.id,
                    &completions,
                    |task| rendered.plan.has_task(task),
                )
                .completed_task_ids;
                rendered.plan.status(number, &done) == QuestStatus::Completed
            }
        };
        counted += u32::from(counts);
    }
    if counted >= count {
        Ok(())
    } else {
        Err(Rejection(format!(
            "{counted} of {count} friends so far: share your link."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(account: &str) -> UserKey {
        UserKey {
            organization_id: "org".into(),
            platform: "web".into(),
            account: account.into(),
        }
    }

    #[test]
    fn codes_are_stable_per_user_and_differ_between_users() {
        let ann = code(&key("ann"));
        assert_eq!(ann, code(&key("ann")));
        assert_ne!(ann, code(&key("bob")));
        assert!(is_code(&ann), "{ann}");
        // The parts are length-prefixed: moving a character between them changes the code.
        let moved = code(&UserKey {
            organization_id: "org".into(),
            platform: "webb".into(),
            account: "nn".into(),
        });
        assert_ne!(code(&key("bnn")), moved);
    }

    #[test]
    fn only_codes_of_the_alphabet_and_length_are_codes() {
        assert!(!is_code("abc"));
        assert!(!is_code("ABCDEFGHJKMN"));
        assert!(!is_code("abcdefghijk0"));
        assert!(is_code("abcdefghijk2"));
    }

    #[test]
    fn links_add_the_code_before_the_fragment() {
        assert_eq!(link(None, "c"), "");
        assert_eq!(
            link(Some("https://a.example/q"), "c"),
            "https://a.example/q?ql_ref=c"
        );
        assert_eq!(
            link(Some("https://a.example/q?x=1#top"), "c"),
            "https://a.example/q?x=1&ql_ref=c#top"
        );
        assert_eq!(
            link(Some("https://a.example/?"), "c"),
            "https://a.example/?ql_ref=c"
        );
    }
}
