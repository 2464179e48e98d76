-- Relais schema, version 6: roles in centres closed before version 3 are revoked.
--
-- Since version 3, closing a centre revokes its roles, so that re-opening it does not bring its
-- former volunteers back. Centres closed earlier kept live role rows: revoke them the same way.
UPDATE roles SET
    revoked_at = (SELECT c.removed_at FROM centres c WHERE c.id = roles.centre),
    revoked_reason = 'centre_closed'
WHERE revoked_at IS NULL
    AND centre IN (SELECT id FROM centres WHERE removed_at IS NOT NULL);
