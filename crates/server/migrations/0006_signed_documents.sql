-- The canonical text of what each signature covers, kept beside it so that the signed document can
-- be shown and verified again exactly as it was signed. Empty for rows from before this migration
-- (none were drop-off orders a device could show).
ALTER TABLE signatures ADD COLUMN document TEXT NOT NULL DEFAULT '';
