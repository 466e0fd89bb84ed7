//! Quiz: every question must be answered correctly. The answers never leave the server, and
//! a failure does not say which question was wrong.

use questlet_types::campaign_document::QuizQuestionConfig;

use super::Rejection;

/// Accepts when there is one answer per question and all are correct.
pub(super) fn verify(questions: &[QuizQuestionConfig], answers: &[usize]) -> Result<(), Rejection> {
    if answers.len() != questions.len() {
        return Err(Rejection(format!(
            "Answer all {} questions.",
            questions.len()
        )));
    }
    if questions.iter().zip(answers).all(|(q, a)| q.answer == *a) {
        Ok(())
    } else {
        Err(Rejection("Not all answers are correct. Try again.".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn questions() -> Vec<QuizQuestionConfig> {
        vec![
            QuizQuestionConfig {
                text: "a".into(),
                options: vec!["x".into(), "y".into()],
                answer: 1,
            },
            QuizQuestionConfig {
                text: "b".into(),
                options: vec!["x".into(), "y".into()],
                answer: 0,
            },
        ]
    }

    #[test]
    fn needs_every_answer_right() {
        assert!(verify(&questions(), &[1, 0]).is_ok());
        assert!(verify(&questions(), &[1, 1]).is_err());
        assert!(verify(&questions(), &[1]).is_err());
    }
}
