//! A quest's card in the campaign page, written as markup (see `markup.rs` for why). The
//! campaign page opens the quest when its card is activated (one click listener for all
//! cards, which finds the card by its `data-quest`).

use std::fmt::Write;

use questlet_types::{QuestStatus, QuestView, WidgetCampaignResponse};

use crate::i18n::{Lang, Text};
use crate::markup::escape;

/// The CSS modifier and visible label of a quest status.
fn status_label(status: QuestStatus) -> (&'static str, Text) {
    match status {
        QuestStatus::Locked => ("locked", Text::Locked),
        QuestStatus::Available => ("available", Text::Available),
        QuestStatus::Completed => ("completed", Text::Completed),
    }
}

/// The titles of `quest`'s prerequisites the user has not completed yet, joined by commas.
fn missing_prerequisites(data: &WidgetCampaignResponse, quest: &QuestView) -> String {
    quest
        .prerequisites
        .iter()
        .filter_map(|key| data.quests().find(|q| &q.key == key))
        .filter(|q| data.quest_status(q) != QuestStatus::Completed)
        .map(|q| q.title.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends `quest`'s card to `out`: image, title, reward, status, task progress (a bar and
/// "1/2") and, while locked, the quests that unlock it. A button, so it works from the
/// keyboard; a locked quest's is disabled. The image keeps a fixed aspect ratio (CSS), so
/// nothing moves when it arrives.
pub fn write_card(out: &mut String, data: &WidgetCampaignResponse, quest: &QuestView, lang: Lang) {
    let status = data.quest_status(quest);
    let (modifier, label) = status_label(status);
    let done = quest
        .tasks
        .iter()
        .filter(|t| data.task_completed(&t.id))
        .count();
    let total = quest.tasks.len();
    let locked = status == QuestStatus::Locked;
    let _ = write!(
        out,
        r#"<button type="button" class="ql-card ql-card--{modifier}" part="quest-card" data-status="{modifier}" data-quest="{id}"{disabled}>"#,
        id = escape(&quest.id),
        disabled = if locked { " disabled" } else { "" },
    );
    if let Some(src) = &quest.image_url {
        let _ = write!(
            out,
            r#"<img class="ql-card__image" part="quest-image" src="{}" alt="" loading="lazy">"#,
            escape(src)
        );
    }
    let _ = write!(
        out,
        r#"<span class="ql-card__title">{title}</span><span class="ql-card__meta"><span class="ql-card__points">{points} {points_name}</span><span class="ql-card__status">{label}</span><span class="ql-card__progress">{done}/{total}</span></span><progress class="ql-card__bar" part="quest-progress" value="{done}" max="{total}" aria-hidden="true"></progress>"#,
        title = escape(&quest.title),
        points = quest.points,
        points_name = escape(&data.campaign.points_name),
        label = lang.t(label),
    );
    let missing = if locked {
        missing_prerequisites(data, quest)
    } else {
        String::new()
    };
    if !missing.is_empty() {
        let _ = write!(
            out,
            r#"<span class="ql-card__unlock">{} {}</span>"#,
            lang.t(Text::UnlocksAfter),
            escape(&missing)
        );
    }
    out.push_str("</button>");
}
