//! The server's integration suite: drives the real router against a real database. It runs
//! on a fresh SQLite file per test, or, when `QUESTLET_TEST_DATABASE_URL` names a PostgreSQL
//! server, on a fresh PostgreSQL database per test (`cargo xtask test` runs it both ways).

mod support;

mod api_tokens;
mod auth_errors;
mod cache_visibility;
mod campaign_templates;
mod campaigns;
mod campaigns_concurrency;
mod campaigns_storage;
mod campaigns_versions;
mod console_sessions;
mod daily_check_in;
mod demo_page;
mod health;
mod http_request;
mod invite_codes;
mod leaderboard;
mod markdown_preview;
mod oauth;
mod onchain_tasks;
mod openapi;
mod participants;
mod partner_completions;
mod points;
mod proof_of_work;
mod referrals;
mod results;
mod rewards;
mod server_process;
mod social_tasks;
mod submissions;
mod task_attempts;
mod task_rules;
mod telegram;
mod tenant_isolation;
mod text_tags;
mod user_tokens;
mod wallet;
mod webhooks;
mod widget_campaigns;
