//! Every route of the server, on one screen. Each resource's file has a `router()` and
//! handlers named `verb_noun`.

mod api_tokens;
mod assets;
mod campaign_templates;
mod campaigns;
mod console;
mod demo;
mod health;
mod invite_codes;
mod leaderboard;
mod markdown;
mod members;
mod metrics;
mod oauth;
mod oauth_clients;
mod openapi;
mod participants;
mod partner_completions;
mod points;
mod quest_opens;
mod results;
mod rewards;
mod sessions;
mod submissions;
mod telegram;
mod user_tokens;
mod wallet;
mod webhooks;
mod widget_campaigns;
mod widget_rewards;

use axum::Router;
use tower_http::trace::TraceLayer;

use crate::AppState;

/// Builds the whole application; `main` serves it and the tests drive it.
pub fn app(state: AppState) -> Router {
    Router::new()
        // GET /healthz, GET /readyz
        .merge(health::router())
        // GET /metrics (Prometheus)
        .merge(metrics::router())
        // POST /oauth2/token, GET /.well-known/jwks.json
        .merge(oauth::router())
        // GET /token?account=&platform= (org credential -> user token)
        .merge(user_tokens::router())
        // GET, POST /v1/api-tokens; DELETE /v1/api-tokens/{id}
        .merge(api_tokens::router())
        // GET, POST /v1/oauth-clients; DELETE /v1/oauth-clients/{client_id}
        .merge(oauth_clients::router())
        // POST (sign in), GET, DELETE (sign out) /v1/session: console members' cookie
        .merge(sessions::router())
        // GET, POST /v1/members; DELETE /v1/members/{id} (owners)
        .merge(members::router())
        // GET /v1/campaign-templates (drafts to create a campaign from)
        .merge(campaign_templates::router())
        // GET, POST /v1/campaigns; GET, PUT (import), DELETE /v1/campaigns/{campaign};
        // PUT .../status; GET .../activity; groups, quests and tasks: POST, PUT, DELETE, PUT ...-order
        .merge(campaigns::router())
        // POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/completions (api tasks)
        .merge(partner_completions::router())
        // POST /v1/campaigns/{campaign}/points (awards and deductions)
        .merge(points::router())
        // GET /v1/campaigns/{campaign}/leaderboard?period=&limit=&account=&platform=&around=
        .merge(leaderboard::router())
        // GET, POST /v1/campaigns/{campaign}/quests/{quest}/tasks/{task}/codes (invite codes)
        .merge(invite_codes::router())
        // GET /v1/campaigns/{campaign}/users?search=&limit=&offset=;
        // GET .../export/participants.csv, GET .../export/completions.csv (streamed)
        .merge(participants::router())
        // GET .../results (totals, per day, per quest)
        .merge(results::router())
        // POST /v1/markdown (a description as the widget shows it)
        .merge(markdown::router())
        // GET, POST /v1/campaigns/{campaign}/rewards/{reward}/codes (gift codes);
        // GET .../rewards/{reward}/claims
        .merge(rewards::router())
        // GET /v1/campaigns/{campaign}/submissions (the review queue);
        // POST .../submissions/{id}/review, POST .../submissions/review (bulk)
        .merge(submissions::router())
        // GET, POST /v1/webhooks; GET, PUT, DELETE /v1/webhooks/{id};
        // POST .../rotate-secret, POST .../test; GET .../deliveries,
        // POST .../deliveries/{delivery}/redeliver
        .merge(webhooks::router())
        // GET, POST /v1/telegram/bots; DELETE /v1/telegram/bots/{id};
        // POST /v1/widget/{organization}/campaigns/{campaign}/telegram/sign-in
        .merge(telegram::router(&state))
        // POST /v1/widget/{organization}/campaigns/{campaign}/wallet/{nonce,sign-in}
        .merge(wallet::router(&state))
        // GET /v1/widget/{organization}/campaigns/{campaign}
        // POST /v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/attempts
        // POST /v1/widget/{organization}/campaigns/{campaign}/tasks/{task}/challenge (puzzles)
        .merge(widget_campaigns::router(&state))
        // POST /v1/widget/{organization}/campaigns/{campaign}/quests/{quest}/opened (funnel)
        .merge(quest_opens::router(&state))
        // GET /v1/widget/{organization}/campaigns/{campaign}/rewards,
        // POST .../rewards/{reward}/claim, GET .../leaderboard?period=&limit=
        .merge(widget_rewards::router(&state))
        // GET /openapi.json, GET /docs
        .merge(openapi::router())
        // GET /widget/* (the built widget)
        .merge(assets::router(&state.config))
        // GET /console/ (the partner console, with --console-dir)
        .merge(console::router(&state.config))
        // GET /demo/ (demo host page), GET / -> /demo/; with --demo: POST /demo/sign-in
        .merge(demo::router(&state.config))
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
