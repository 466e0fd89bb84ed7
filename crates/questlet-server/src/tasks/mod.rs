//! Server-side task verifiers, one file per task kind. A verifier sees the task's full
//! settings (secrets included) and the user's answer, and says whether the task is done.

mod form;
pub mod invite_code;
mod poll;
mod quiz;
mod secret_code;
mod visit_link;

use questlet_types::attempt::TaskAnswer;
use questlet_types::TaskConfig;

/// Why an answer was not accepted, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Rejection(pub String);

/// Checks `answer` against the task's settings.
pub fn verify(config: &TaskConfig, answer: &TaskAnswer) -> Result<(), Rejection> {
    match (config, answer) {
        (TaskConfig::VisitLink { .. }, TaskAnswer::VisitLink {}) => visit_link::verify(),
        (TaskConfig::SecretCode { code, .. }, TaskAnswer::SecretCode { code: given }) => {
            secret_code::verify(code, given)
        }
        (TaskConfig::Quiz { questions }, TaskAnswer::Quiz { answers }) => {
            quiz::verify(questions, answers)
        }
        (TaskConfig::Poll { options, .. }, TaskAnswer::Poll { option }) => {
            poll::verify(options, *option)
        }
        (TaskConfig::Form { fields }, TaskAnswer::Form { values }) => form::verify(fields, values),
        (TaskConfig::InviteCode { .. }, TaskAnswer::InviteCode { code }) => {
            invite_code::verify(code)
        }
        (TaskConfig::Api {}, _) => Err(Rejection(
            "This task completes by itself once you do it on the partner's site.".into(),
        )),
        (config, _) => Err(Rejection(format!(
            "this is a {} task: send an answer of that type",
            config.kind().as_str()
        ))),
    }
}
