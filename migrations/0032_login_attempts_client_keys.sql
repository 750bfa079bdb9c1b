-- Sign-in attempts are now counted by client key (app/domain/client-key.ts): an IPv4 peer of the
-- dual-stack listener, stored until now as `::ffff:a.b.c.d`, is `a.b.c.d`. Rewritten so that an
-- account's known addresses (a success within 30 days, app/models/auth.server.ts) still count after
-- the upgrade. Full IPv6 addresses are left as they were (their /64 keys are written from now on):
-- their owners wait as anyone else until they next sign in.
UPDATE `login_attempts` SET `ip` = substr(`ip`, 8)
WHERE `ip` LIKE '::ffff:%.%.%.%' AND substr(`ip`, 8) NOT LIKE '%:%';
