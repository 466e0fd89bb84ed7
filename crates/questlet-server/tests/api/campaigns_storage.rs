//! Campaign storage below the API: keys and slugs the database itself keeps unique, and
//! rows decoded once when read.

use axum::http::StatusCode;
use questlet_server::error::AppError;

use crate::support::{fresh_db, TestApp};

#[tokio::test]
async fn a_taken_campaign_slug_is_a_conflict_not_a_server_error() {
    let db = fresh_db().await;
    let org = db.create_organization("acme", "Acme").await.unwrap();
    let doc = questlet_server::demo::demo_campaign();
    db.insert_campaign(&org.id, &doc).await.unwrap();
    let err = AppError::from_sqlx(db.insert_campaign(&org.id, &doc).await.unwrap_err());
    assert!(matches!(err, AppError::Conflict(_)), "{err:?}");
}

#[tokio::test]
async fn the_same_campaign_slug_may_exist_in_two_organizations() {
    let db = fresh_db().await;
    let doc = questlet_server::demo::demo_campaign();
    for slug in ["acme", "globex"] {
        let org = db.create_organization(slug, slug).await.unwrap();
        db.insert_campaign(&org.id, &doc).await.unwrap();
        assert!(db
            .campaign_tree(&org.id, &doc.slug)
            .await
            .unwrap()
            .is_some());
    }
}

/// Runs `sql` with `binds` on `pool`; answers whether the database refused it as a twin.
async fn refused_as_twin(pool: &sqlx::AnyPool, sql: &str, binds: &[&str]) -> bool {
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    match query.execute(pool).await {
        Err(sqlx::Error::Database(e)) => e.is_unique_violation(),
        other => panic!("expected a unique violation, got {other:?}"),
    }
}

#[tokio::test]
async fn the_database_itself_refuses_twin_keys_at_every_level() {
    let app = TestApp::new().await;
    let org = app.org("acme").await;
    let doc = questlet_server::demo::demo_campaign();
    app.db.insert_campaign(&org.id, &doc).await.unwrap();
    let pool = app.raw_pool().await;
    let (campaign_id,): (String,) = sqlx::query_as("SELECT id FROM campaigns")
        .fetch_one(&pool)
        .await
        .unwrap();
    let group = |key: &str| {
        sqlx::query_as::<_, (String,)>(
            "SELECT id FROM campaign_groups WHERE campaign_id = $1 AND key = $2",
        )
        .bind(campaign_id.clone())
        .bind(key.to_owned())
        .fetch_one(&pool)
    };
    let (community,) = group(&doc.groups[1].key).await.unwrap();
    let quest = &doc.groups[0].quests[0];
    let (quest_id,): (String,) = sqlx::query_as("SELECT id FROM quests WHERE key = $1")
        .bind(&quest.key)
        .fetch_one(&pool)
        .await
        .unwrap();

    assert!(
        refused_as_twin(
            &pool,
            "INSERT INTO campaign_groups (id, campaign_id, key, title, position)
             VALUES ('twin', $1, $2, 'Twin', 9)",
            &[&campaign_id, &doc.groups[0].key],
        )
        .await
    );
    // Quest keys are unique across the campaign: a twin in another group is refused too.
    assert!(
        refused_as_twin(
            &pool,
            "INSERT INTO quests (id, campaign_id, group_id, key, title, description_md,
                image_url, points, position, prerequisites)
             VALUES ('twin', $1, $2, $3, 'Twin', '', NULL, 0, 9, '[]')",
            &[&campaign_id, &community, &quest.key],
        )
        .await
    );
    assert!(
        refused_as_twin(
            &pool,
            "INSERT INTO tasks (id, quest_id, key, kind, title, description_md, points,
                required, position, config)
             VALUES ('twin', $1, $2, 'visit_link', 'Twin', '', 0, 1, 9,
                '{\"type\":\"visit_link\",\"url\":\"https://example.com\"}')",
            &[&quest_id, &quest.tasks[0].key],
        )
        .await
    );
    // A quest must name its group's campaign (it is what makes the key unique there).
    let orphan = sqlx::query(
        "INSERT INTO quests (id, campaign_id, group_id, key, title, description_md,
            image_url, points, position, prerequisites)
         VALUES ('stray', NULL, $1, 'stray', 'Stray', '', NULL, 0, 9, '[]')",
    )
    .bind(&community)
    .execute(&pool)
    .await;
    assert!(orphan.is_err(), "a quest without its campaign is refused");
}

#[tokio::test]
async fn a_corrupt_stored_value_fails_the_read_as_an_internal_error() {
    let app = TestApp::with_demo().await;
    let demo = app.db.organization_by_slug("demo").await.unwrap().unwrap();
    let pool = app.raw_pool().await;
    sqlx::query("UPDATE tasks SET kind = 'dance' WHERE key = (SELECT MIN(key) FROM tasks)")
        .execute(&pool)
        .await
        .unwrap();
    let error = app
        .db
        .campaign_tree(&demo.id, "launch-week")
        .await
        .unwrap_err();
    assert!(
        matches!(&error, sqlx::Error::ColumnDecode { index, .. } if index == "kind"),
        "{error:?}"
    );
    let response = app.get("/v1/widget/demo/campaigns/launch-week").await;
    response.assert_error(StatusCode::INTERNAL_SERVER_ERROR, "internal_error");
    assert_eq!(response.json["message"], "internal error");
}
