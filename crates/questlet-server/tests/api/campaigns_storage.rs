//! Campaign storage below the API: keys and slugs the database itself keeps unique, and
//! rows decoded once when read.

use axum::http::StatusCode;
use questlet_server::db::campaigns::Precondition;
use questlet_server::db::Db;
use questlet_server::error::AppError;
use sqlx::migrate::Migrator;

use crate::support::{fresh_database_url, fresh_db, TestApp};

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

#[tokio::test]
async fn migration_0005_gives_stored_quests_their_campaign_and_keeps_content_editable() {
    // A database as the previous release left it: migrations up to 0004, content in it.
    let url = fresh_database_url().await;
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    let before = std::env::temp_dir().join(format!("questlet-0004-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&before).unwrap();
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for entry in std::fs::read_dir(&folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.as_str() < "0005" {
            std::fs::copy(&path, before.join(name)).unwrap();
        }
    }
    // `mode=rwc`: the SQLite file does not exist yet (`Db::connect` adds it the same way).
    let create = if backend == "sqlite" { "?mode=rwc" } else { "" };
    let pool = sqlx::AnyPool::connect(&format!("{url}{create}"))
        .await
        .unwrap();
    Migrator::new(before.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    for sql in [
        "INSERT INTO organizations (id, slug, name, created_at) VALUES ('o', 'acme', 'Acme', 0)",
        "INSERT INTO campaigns (id, organization_id, slug, title, description_md, image_url,
            starts_at, ends_at, status, points_name, allowed_origins, created_at, updated_at)
         VALUES ('c', 'o', 'old', 'Old', '', NULL, NULL, NULL, 'published', 'XP', '[]', 0, 0)",
        "INSERT INTO campaign_groups (id, campaign_id, key, title, position)
         VALUES ('g1', 'c', 'first', 'First', 0), ('g2', 'c', 'second', 'Second', 1)",
        "INSERT INTO quests (id, group_id, key, title, description_md, image_url, points,
            position, prerequisites)
         VALUES ('q1', 'g1', 'hello', 'Hello', '', NULL, 5, 0, '[]'),
                ('q2', 'g2', 'later', 'Later', '', NULL, 0, 0, '[\"hello\"]')",
        "INSERT INTO tasks (id, quest_id, key, kind, title, description_md, points, required,
            position, config)
         VALUES ('t1', 'q1', 'visit', 'visit_link', 'Visit', '', 5, 1, 0,
            '{\"type\":\"visit_link\",\"url\":\"https://example.com\"}')",
    ] {
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
    pool.close().await;

    // The new release migrates it at start.
    let db = Db::connect(&url).await.unwrap();
    let tree = db
        .campaign_tree("o", "old")
        .await
        .unwrap()
        .expect("campaign");
    assert_eq!(tree.campaign.version, 1);
    assert_eq!(tree.quests.len(), 2);
    assert_eq!(tree.quests[1].prerequisites, ["hello"]);
    let mut doc = questlet_server::views::campaign_document(&tree).unwrap();
    doc.groups[1].quests[0].key = "renamed".into();
    let version = db
        .import_campaign("o", &doc, &Precondition::OneOf(vec![1]))
        .await
        .unwrap();
    assert_eq!(version, 2);
    let tree = db.campaign_tree("o", "old").await.unwrap().unwrap();
    let keys: Vec<&str> = tree.quests.iter().map(|q| q.key.as_str()).collect();
    assert_eq!(keys, ["hello", "renamed"]);
    assert_eq!(
        tree.quests[0].id, "q1",
        "the backfilled quest was matched, not recreated"
    );
    assert_eq!(tree.tasks[0].id, "t1");
}
