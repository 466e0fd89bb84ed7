//! The widget's readers of server answers (`src/wire.rs`) against serde, which writes them on
//! the server: every type and variant goes out through serde and back through the readers.

use questlet::wire::{FromJs, WireError};
use questlet_types::attempt::{
    AttemptOutcome, TaskAnswer, TaskAttemptRequest, TaskAttemptResponse,
};
use questlet_types::task::{FormField, QuizQuestion};
use questlet_types::{
    ErrorResponse, PopupView, ProofKind, QuestStatus, ReviewState, TaskAgain, TaskKind,
    TaskPublicSettings, TaskReview, TaskStreak, TextView, UserProgressView, WidgetCampaignResponse,
};
use serde::Serialize;
use wasm_bindgen_test::*;

use crate::support::campaign;

/// `value` written by serde and read back by its `FromJs` reader.
fn round_trip<T: Serialize + FromJs>(value: &T) -> Result<T, WireError> {
    let json = serde_json::to_string(value).unwrap();
    T::from_js(&js_sys::JSON::parse(&json).unwrap())
}

fn read<T: FromJs>(json: &str) -> Result<T, WireError> {
    T::from_js(&js_sys::JSON::parse(json).unwrap())
}

#[wasm_bindgen_test]
fn a_campaign_with_every_task_type_reads_back_as_serde_wrote_it() {
    let mut data: WidgetCampaignResponse = campaign();
    let kinds: Vec<TaskKind> = data
        .quests()
        .flat_map(|q| &q.tasks)
        .map(|t| t.kind)
        .collect();
    for kind in TaskKind::ALL {
        assert!(kinds.contains(kind), "the fixture has no {kind:?} task");
    }
    let statuses: Vec<QuestStatus> = data.groups[0].quests.iter().map(|q| q.status).collect();
    assert!(statuses.contains(&QuestStatus::Locked));
    assert_eq!(round_trip(&data), Ok(data.clone()));

    // The optional parts, present and absent.
    data.campaign.intro = Some(PopupView {
        title: "Welcome".into(),
        body_html: "<p>Hi</p>".into(),
    });
    data.campaign.starts_at = Some(1_700_000_000);
    data.campaign.image_url = None;
    data.groups[0].quests[0].ends_at = Some(1_800_000_000);
    data.groups[0].quests[0].tasks[0].starts_at = Some(1_700_000_000);
    if let Some(user) = &mut data.user {
        user.available_again.push(TaskAgain {
            task_id: "t1".into(),
            at: 1_750_000_000,
        });
    }
    assert_eq!(data.task_again_at("t1"), Some(1_750_000_000));
    assert_eq!(round_trip(&data), Ok(data.clone()));

    for &status in QuestStatus::ALL {
        data.groups[0].quests[0].status = status;
        assert_eq!(round_trip(&data), Ok(data.clone()));
    }
    if let Some(user) = &mut data.user {
        user.completed_task_ids.clear();
        user.completed_quest_ids.clear();
    }
    assert_eq!(round_trip(&data), Ok(data.clone()));
    data.user = None;
    assert_eq!(round_trip(&data), Ok(data.clone()));
}

#[wasm_bindgen_test]
fn task_settings_read_back_for_every_type() {
    let all = [
        TaskPublicSettings::VisitLink {
            url: "https://example.com".into(),
        },
        TaskPublicSettings::SecretCode {
            placeholder: "CODE".into(),
        },
        TaskPublicSettings::Quiz {
            questions: vec![QuizQuestion {
                text: "2 + 2?".into(),
                options: vec!["3".into(), "4".into()],
            }],
        },
        TaskPublicSettings::Poll {
            question: "Best?".into(),
            options: vec!["a".into(), "b".into()],
        },
        TaskPublicSettings::Form {
            fields: vec![FormField {
                name: "email".into(),
                label: "E-mail".into(),
                required: true,
            }],
        },
        TaskPublicSettings::Api {},
        TaskPublicSettings::InviteCode {
            placeholder: "INVITE".into(),
        },
        TaskPublicSettings::Custom {
            proof: ProofKind::Url,
            placeholder: "Link to your post".into(),
        },
        TaskPublicSettings::Custom {
            proof: ProofKind::Text,
            placeholder: String::new(),
        },
        TaskPublicSettings::ProofOfWork {},
        TaskPublicSettings::HttpRequest {},
        TaskPublicSettings::DailyCheckIn {},
        TaskPublicSettings::Referral { count: 3 },
        TaskPublicSettings::NativeBalance {},
        TaskPublicSettings::Erc20Balance {},
        TaskPublicSettings::Erc721Owner {},
        TaskPublicSettings::Erc1155Balance {},
        TaskPublicSettings::TransactionCount {},
        TaskPublicSettings::ContractTransaction {
            chain: 11_297_108_109,
            contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512".into(),
            data: Some("0x40c10f19".into()),
            value: "1000000000000000000".into(),
        },
        TaskPublicSettings::ContractTransaction {
            chain: 1,
            contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512".into(),
            data: None,
            value: "0".into(),
        },
    ];
    for settings in all {
        assert_eq!(round_trip(&settings), Ok(settings.clone()));
    }
}

#[wasm_bindgen_test]
fn every_attempt_written_by_the_widget_reads_back_with_serde() {
    let answers = [
        TaskAnswer::VisitLink {},
        TaskAnswer::SecretCode {
            code: "Ab\"c\\ \u{e9}".into(),
        },
        TaskAnswer::InviteCode {
            code: "INV-1".into(),
        },
        TaskAnswer::Quiz {
            answers: vec![0, 2, 1],
        },
        TaskAnswer::Poll { option: 3 },
        TaskAnswer::Custom {
            proof: "https://x.example/p?q=1&r=<2>".into(),
        },
        TaskAnswer::ProofOfWork {
            challenge: "c.h.a".into(),
            nonce: "12345678901234567890".into(),
        },
        TaskAnswer::HttpRequest {},
        TaskAnswer::DailyCheckIn {},
        TaskAnswer::Referral {},
        TaskAnswer::WalletCheck {},
        TaskAnswer::ContractTransaction {
            hash: format!("0x{}", "ab".repeat(32)),
        },
        TaskAnswer::Form {
            values: [("email", "a@b.example"), ("why", "line 1\nline 2")].into(),
        },
    ];
    let mut kinds = std::collections::HashSet::new();
    for (i, answer) in answers.into_iter().enumerate() {
        let request = TaskAttemptRequest {
            answer,
            ga_client_id: (i % 2 == 0).then(|| "555.666".into()),
        };
        let json = questlet::wire::attempt_json(&request);
        let read: TaskAttemptRequest = serde_json::from_str(&json).unwrap();
        assert_eq!(read, request, "{json}");
        kinds.insert(json.split('"').nth(5).unwrap().to_owned());
    }
    assert_eq!(kinds.len(), 13, "every answer type: {kinds:?}");
}

#[wasm_bindgen_test]
fn attempt_answers_and_errors_read_back() {
    for &outcome in AttemptOutcome::ALL {
        let response = TaskAttemptResponse {
            outcome,
            reason: (outcome == AttemptOutcome::Failed).then(|| "Wrong code.".into()),
            message: (outcome != AttemptOutcome::AlreadyCompleted).then(|| "Well done!".into()),
            points_awarded: 50,
            user: UserProgressView {
                account: "u1".into(),
                points: 9_007_199_254_740_992,
                completed_task_ids: vec!["t1".into(), "t2".into()],
                completed_quest_ids: vec!["q1".into()],
                unlocked_quest_ids: vec!["q2".into()],
                available_again: vec![TaskAgain {
                    task_id: "t2".into(),
                    at: 1_750_000_000,
                }],
                reviews: ReviewState::ALL
                    .iter()
                    .map(|&state| TaskReview {
                        task_id: format!("t-{}", state.as_str()),
                        state,
                        message: (state != ReviewState::Pending).then(|| "Thanks".into()),
                    })
                    .collect(),
                streaks: vec![TaskStreak {
                    task_id: "t2".into(),
                    days: 12,
                }],
                texts: vec![TextView {
                    key: "task:t2".into(),
                    html: "<p>Hi &lt;b&gt;</p>".into(),
                }],
                referral_code: "abcdefghjk23".into(),
                referral_link: "https://a.example/?ql_ref=abcdefghjk23".into(),
            },
            changed_quests: vec!["q1".into(), "q2".into()],
        };
        assert_eq!(round_trip(&response), Ok(response.clone()));
    }
    let error = ErrorResponse::new("not_found", "no such campaign");
    assert_eq!(round_trip(&error), Ok(error.clone()));
}

#[wasm_bindgen_test]
fn a_body_that_differs_names_the_field_and_what_it_should_be() {
    let error = read::<ErrorResponse>(r#"{"error": "x"}"#).unwrap_err();
    assert_eq!(error.to_string(), "message: expected a string");

    let mut json = serde_json::to_value(campaign()).unwrap();
    json["groups"][1]["quests"][0]["status"] = "lost".into();
    let error = read::<WidgetCampaignResponse>(&json.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "groups.1.quests.0.status: expected locked, available or completed"
    );

    json = serde_json::to_value(campaign()).unwrap();
    json["groups"][0]["quests"][0]["points"] = 1.5.into();
    let error = read::<WidgetCampaignResponse>(&json.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "groups.0.quests.0.points: expected an integer"
    );

    json = serde_json::to_value(campaign()).unwrap();
    json["groups"][0]["quests"][0]["tasks"][0]["settings"]["type"] = "dance".into();
    let error = read::<WidgetCampaignResponse>(&json.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "groups.0.quests.0.tasks.0.settings.type: expected a task type"
    );

    json = serde_json::to_value(campaign()).unwrap();
    json["user"]["unlocked_quest_ids"] = serde_json::json!({"q2": true});
    let error = read::<WidgetCampaignResponse>(&json.to_string()).unwrap_err();
    assert_eq!(
        error.to_string(),
        "user.unlocked_quest_ids: expected an array"
    );

    assert_eq!(
        read::<WidgetCampaignResponse>("[1, 2]")
            .unwrap_err()
            .to_string(),
        "expected an object"
    );
}
