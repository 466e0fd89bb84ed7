use questlet_server::error::AppError;

use crate::support::fresh_db;

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
