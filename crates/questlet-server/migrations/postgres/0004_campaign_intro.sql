-- The campaign's intro pop-up (shown on a user's first visit): JSON of a PopupDocument,
-- NULL when the campaign has none.
ALTER TABLE campaigns ADD COLUMN intro TEXT;
