//! Organizations (tenants).

use sqlx::FromRow;

use super::{new_id, Db};
use crate::time::now;

/// An organization as stored.
#[derive(Debug, Clone, FromRow)]
pub struct OrganizationRow {
    /// Row id.
    pub id: String,
    /// URL-safe slug, unique.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Creation time, Unix seconds.
    pub created_at: i64,
}

impl Db {
    /// Creates an organization; a taken slug is a unique violation.
    pub async fn create_organization(
        &self,
        slug: &str,
        name: &str,
    ) -> Result<OrganizationRow, sqlx::Error> {
        let row = OrganizationRow {
            id: new_id(),
            slug: slug.to_owned(),
            name: name.to_owned(),
            created_at: now(),
        };
        sqlx::query(
            "INSERT INTO organizations (id, slug, name, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&row.id)
        .bind(&row.slug)
        .bind(&row.name)
        .bind(row.created_at)
        .execute(self.pool())
        .await?;
        Ok(row)
    }

    /// Finds an organization by slug.
    pub async fn organization_by_slug(
        &self,
        slug: &str,
    ) -> Result<Option<OrganizationRow>, sqlx::Error> {
        sqlx::query_as("SELECT id, slug, name, created_at FROM organizations WHERE slug = $1")
            .bind(slug)
            .fetch_optional(self.pool())
            .await
    }
}
