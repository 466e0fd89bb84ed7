//! Server-side task verifiers, one file per task kind. A verifier sees the task's full
//! settings (secrets included) and the user's answer, and says whether the task is done.

pub mod custom;
mod form;
pub mod http_request;
pub mod invite_code;
pub mod onchain;
mod poll;
pub mod proof_of_work;
mod quiz;
pub mod referral;
mod secret_code;
pub mod social;
mod visit_link;

use questlet_types::attempt::TaskAnswer;
use questlet_types::TaskConfig;

/// Why an answer was not accepted, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Rejection(pub String);

/// Checks `answer` against the task's settings. (A proof-of-work answer is checked by
/// [`proof_of_work::check`], which needs the server's keys; an HTTP request task by
/// [`http_request::verify`], which calls the partner.)
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
        (TaskConfig::Custom { proof, .. }, TaskAnswer::Custom { proof: given }) => {
            custom::verify(*proof, given)
        }
        (TaskConfig::DailyCheckIn {}, TaskAnswer::DailyCheckIn {}) => Ok(()),
        (TaskConfig::Api {}, _) => Err(Rejection(
            "This task completes by itself once you do it on the partner's site.".into(),
        )),
        (config, _) => Err(Rejection(format!(
            "this is a {} task: send an answer of that type",
            config.kind().as_str()
        ))),
    }
}
