//! Webhooks: partners' backends learn what their users did without polling.
//!
//! An event is written to the outbox (`db/webhooks.rs`) in the same transaction as the
//! change that caused it, with one delivery per endpoint that wants it, so an event exists
//! exactly when its change committed and a crash loses none. A [`worker`] per server
//! process then sends the due deliveries through the outbound guard (`outbound/`), signed
//! as Standard Webhooks says (`outbound/signature.rs`), and retries failures on the
//! [`schedule`]. [`events`] builds each event's body.
//!
//! Event types (`questlet_types::webhooks::EventType`) and claimr's scopes:
//!
//! | claimr scope    | Questlet event types                                         |
//! |-----------------|--------------------------------------------------------------|
//! | `user_activity` | `task.completed`, `task.failed`, `task.pending_review`,      |
//! |                 | `quest.completed`, `campaign.completed`                      |
//! | `user_reward`   | `reward.claimed`, `points.adjusted`                          |
//! | `referral`      | `referral.recorded`                                          |
//! | `user_login`    | `user.created`                                               |

pub mod events;
pub mod schedule;
pub mod worker;

pub use schedule::DeliveryConfig;
